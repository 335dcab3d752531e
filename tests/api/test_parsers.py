"""multipart/form-data in the API (wenming.api.parsers): what Django's parser gave, faster."""

from __future__ import annotations

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.test import RequestFactory
from rest_framework.request import Request

from tests.api.conftest import assert_error
from tests.api.test_cases import LIST, new_case
from tests.cases.conftest import jpeg
from wenming.api.parsers import MultiPartParser
from wenming.cases.models import Case

BOUNDARY = "wm-boundary"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def body(*parts: tuple[str, str | None, bytes]) -> bytes:
    """(field name, file name or None, content) → a multipart body."""
    out = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (
            f'; filename="{filename}"' if filename is not None else ""
        )
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n".encode()
        if filename is not None:
            out += b"Content-Type: image/jpeg\r\n"
        out += b"\r\n" + content + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


def parsed(raw: bytes, content_type: str = CONTENT_TYPE):  # type: ignore[no-untyped-def]
    django_request = RequestFactory().generic("POST", "/", raw, content_type=content_type)
    request = Request(django_request, parsers=[MultiPartParser()])
    return request.data, request.FILES


def test_fields_and_files_come_as_from_django_s_parser():
    data, files = parsed(
        body(
            ("description", None, "井盖缺失".encode()),
            ("tag", None, b"a"),
            ("tag", None, b"b"),
            ("photos", "一.jpg", b"\xff\xd8first"),
            ("photos", "two.jpg", b"\xff\xd8second"),
        )
    )
    assert data["description"] == "井盖缺失"
    assert data.getlist("tag") == ["a", "b"]
    first, second = files.getlist("photos")
    assert isinstance(first, InMemoryUploadedFile)
    assert (first.name, first.content_type, first.size) == ("一.jpg", "image/jpeg", 7)
    assert first.read() == b"\xff\xd8first" and second.read() == b"\xff\xd8second"


def test_file_names_are_cleaned_and_an_empty_file_input_is_no_file():
    _data, files = parsed(
        body(
            ("a", "../../etc/passwd", b"x"),
            ("b", "C:\\Users\\me\\photo.jpg", b"x"),
            ("c", "", b""),
            ("d", "..", b"x"),
        )
    )
    assert files["a"].name == "passwd"
    assert files["b"].name == "photo.jpg"
    assert "c" not in files and "d" not in files


def test_a_large_file_goes_to_a_temporary_file_whole(settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    content = bytes(range(256)) * 40
    _data, files = parsed(body(("photos", "big.jpg", content)))
    upload = files["photos"]
    assert not isinstance(upload, InMemoryUploadedFile)
    assert upload.size == len(content)
    assert b"".join(upload.chunks()) == content


def test_an_unreadable_form_gets_a_translated_message_and_the_log_the_reason(anon, caplog):
    raw = b"--wm-boundary\r\nthis is not a form"
    with caplog.at_level("INFO", logger="wenming.api.parsers"):
        response = anon.generic(
            "POST", LIST, raw, content_type=CONTENT_TYPE, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    error = assert_error(response, 400, "parse_error")
    assert error["message"] == "无法读取该 multipart 表单（可能在传输中被截断），请重新提交。"
    assert "unreadable multipart form" in caplog.text


def test_bad_forms_are_refused_in_the_api_error_format(anon, settings):
    def post(raw: bytes, content_type: str = CONTENT_TYPE):  # type: ignore[no-untyped-def]
        return anon.generic("POST", LIST, raw, content_type=content_type)

    for raw, content_type in [
        (b"--wm-boundary\r\nthis is not a form", CONTENT_TYPE),
        (body(("description", None, b"x")), "multipart/form-data"),  # no boundary
    ]:
        assert_error(post(raw, content_type), 400, "parse_error")
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2
    error = assert_error(post(body(*[(f"f{n}", None, b"1") for n in range(3)])), 400)
    assert "2" in error["message"]
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    assert_error(post(body(("description", None, b"x" * 3000))), 400, "parse_error")
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 1
    two = body(("photos", "a.jpg", b"x"), ("photos", "b.jpg", b"y"))
    assert_error(post(two), 400, "parse_error")
    assert not Case.objects.exists()


def test_a_report_with_photos_through_the_parser_keeps_every_field(anon, category):
    fields = new_case(category=category.pk, reporter_name="王芳")
    photos = [jpeg("a.jpg"), jpeg("b.jpg")]
    response = anon.post(LIST, {**fields, "photos": photos}, format="multipart")
    assert response.status_code == 201, response.content
    case = Case.objects.get(code=response.json()["code"])
    assert (case.description, case.address, case.reporter_name) == (
        fields["description"],
        fields["address"],
        "王芳",
    )
    assert case.attachments.count() == 2
