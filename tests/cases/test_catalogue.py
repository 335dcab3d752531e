import io

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from wenming.cases.catalogue import (
    COLUMNS,
    CatalogueImportError,
    categories_export,
    categories_import,
)
from wenming.cases.models import Category, CategoryKind, Nature, TimeLimit, TimeUnit, Urgency


@pytest.fixture(autouse=True)
def english(client):
    """Messages are asserted in English, the source language (pages default to Chinese)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def snapshot() -> tuple[list, list]:
    return (
        list(Category.objects.order_by("pk").values()),
        list(TimeLimit.objects.order_by("pk").values()),
    )


# ---------------------------------------------------------------- the seed catalogue

COMPONENT_MAJORS = {"公用设施", "道路交通", "市容环境", "园林绿化", "房屋土地", "其他设施"}
EVENT_MAJORS = {"市容环境", "宣传广告", "施工管理", "街面秩序", "突发事件", "其他事件"}
EXTENDED_MAJORS = {"农贸市场", "食品安全", "老旧小区", "噪声扰民", "公益广告", "供热供水供气"}


def majors_of(kind: str) -> set[str]:
    return set(
        Category.objects.filter(kind=kind, parent=None, children__isnull=False).values_list(
            "name", flat=True
        )
    )


def test_catalogue_has_60_minor_classes_under_every_required_top_class(city):
    minors = Category.objects.filter(parent__isnull=False)
    assert minors.count() >= 60
    assert majors_of(CategoryKind.COMPONENT) >= COMPONENT_MAJORS
    assert majors_of(CategoryKind.EVENT) >= EVENT_MAJORS | EXTENDED_MAJORS
    for minor in minors.select_related("parent"):
        assert minor.code.startswith(minor.parent.code) and len(minor.code) == 4
        assert minor.register_standard and minor.close_standard and minor.keywords
        assert minor.time_limits.count() == 3, minor


def test_catalogue_covers_heating_water_gas_and_service_requests(city):
    names = set(Category.objects.values_list("name", flat=True))
    assert {"供热温度不达标", "停水或水压不足", "燃气泄漏隐患", "广场舞噪声"} <= names
    for nature in (Nature.CONSULT, Nature.SUGGESTION, Nature.PRAISE):
        request = Category.objects.get(default_nature=nature, parent__name="服务诉求")
        assert request.is_public and not request.photo_required
    assert Category.objects.filter(auto_dispatch=True).count() >= 3


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("file_format", ["yaml", "xlsx"])
def test_export_then_import_changes_nothing(city, file_format, django_assert_max_num_queries):
    before = snapshot()
    with django_assert_max_num_queries(2):
        data = categories_export(format=file_format)
    with django_assert_max_num_queries(6):  # reads only: nothing differs, nothing is written
        assert categories_import(data=data, format=file_format) > 60
    assert snapshot() == before


def test_yaml_export_reads_like_the_seed_file(city):
    document = yaml.safe_load(categories_export(format="yaml"))
    vendors = next(
        minor
        for major in document["categories"]
        if major["kind"] == "event" and major["code"] == "05"
        for minor in major["children"]
        if minor["code"] == "0501"
    )
    assert vendors["name"] == "占道经营"
    assert vendors["time_limits"]["normal"] == {"sign": "2h", "handle": "1d", "verify": "1d"}


def test_excel_export_has_one_row_per_minor_class(city):
    sheet = load_workbook(io.BytesIO(categories_export(format="xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert len(rows) - 1 == Category.objects.filter(parent__isnull=False).count()
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert (first["kind"], first["major_code"], first["code"]) == ("component", "01", "0101")
    assert first["normal_sign"] == "1h"


GOOD_YAML = """\
categories:
  - kind: event
    code: "98"
    name: 测试大类
    time_limits:
      normal: {sign: 4h, handle: 10d, verify: 2d}
    children:
      - code: "9801"
        name: 测试小类
        register_standard: 发现即立案。
        default_nature: report
        auto_dispatch: true
        units: {city: BT-CGZF}
        time_limits:
          normal: {sign: 2h, handle: 3d, verify: 1d}
          urgent: {sign: 1h, handle: 1d, verify: 4h}
"""


def test_yaml_import_creates_then_updates_by_kind_and_code(city):
    assert categories_import(data=GOOD_YAML.encode(), format="yaml") == 2
    minor = Category.objects.get(kind="event", code="9801")
    assert minor.parent.code == "98" and minor.auto_dispatch and minor.photo_required
    assert minor.default_nature == Nature.REPORT
    assert minor.time_limits.get(urgency=Urgency.URGENT).verify_unit == TimeUnit.HOURS
    assert minor.parent.time_limits.get().handle_amount == 10

    changed = GOOD_YAML.replace("测试小类", "改名小类").replace(
        "          urgent: {sign: 1h, handle: 1d, verify: 4h}\n", ""
    )
    categories_import(data=changed.encode(), format="yaml")
    minor.refresh_from_db()
    assert minor.name == "改名小类"
    assert list(minor.time_limits.values_list("urgency", flat=True)) == [Urgency.NORMAL]
    assert Category.objects.filter(code__startswith="98").count() == 2


def sheet_bytes(header: list[str], *rows: list) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADER = [
    "code",
    "name",
    "kind",
    "major_code",
    "major_name",
    "normal_sign",
    "normal_handle",
    "normal_verify",
]
ROW = ["9801", "测试小类", "事件", "98", "测试大类", "2h", "3d", "1d"]


def test_excel_import_reads_a_hand_made_sheet_in_any_column_order(city):
    second = ["9802", "第二小类", "event", "98", "测试大类", None, None, None]
    assert categories_import(data=sheet_bytes(HEADER, ROW, second), format="xlsx") == 3
    first = Category.objects.get(kind="event", code="9801")
    assert first.parent.name == "测试大类" and first.is_public
    assert first.time_limits.get().handle_amount == 3
    assert not Category.objects.get(code="9802").time_limits.exists()


# ---------------------------------------------------------------- bad files

MINOR = """\
      - code: "{code}"
        name: {name}
        time_limits:
          {urgency}: {{sign: {sign}, handle: 3d, verify: 1d}}
"""


def yaml_file(
    kind="event", major="98", code="9801", name="坏小类", urgency="normal", sign="2h", extra=""
):
    # The first major class is valid and new: a partial import would create it.
    return (
        GOOD_YAML
        + f'  - kind: {kind}\n    code: "{major}"\n    name: 坏大类\n    children:\n'
        + MINOR.format(code=code, name=name, urgency=urgency, sign=sign)
        + extra
    ).encode()


BAD_YAML = {
    "bad kind": (
        yaml_file(kind="thing", major="97", code="9701"),
        "line 17",
        "field kind",
        "unknown kind",
    ),
    "bad major code": (yaml_file(major="7", code="0701"), "line 17", "field code", "2 digits"),
    "minor code not under its major": (
        yaml_file(major="97", code="9601"),
        "line 21",
        "field code",
        "must start with its major class code 97",
    ),
    "minor code of 3 digits": (
        yaml_file(major="97", code="971"),
        "line 21",
        "field code",
        "4 digits",
    ),
    "duplicate code": (
        yaml_file(
            major="97",
            code="9701",
            extra=MINOR.format(code="9701", name="又一个", urgency="normal", sign="2h"),
        ),
        "line 25",
        "field code",
        "duplicate code (also at line 21)",
    ),
    "duplicate major": (
        yaml_file(major="98", code="9802"),
        "line 17",
        "field code",
        "duplicate code (also at line 2)",
    ),
    "unknown urgency": (
        yaml_file(major="97", code="9701", urgency="asap"),
        "line 21",
        "time_limits.asap",
        "unknown urgency",
    ),
    "zero limit": (
        yaml_file(major="97", code="9701", sign="0h"),
        "line 21",
        "time_limits.normal.sign",
        "more than zero",
    ),
    "negative limit": (
        yaml_file(major="97", code="9701", sign="-2h"),
        "line 21",
        "time_limits.normal.sign",
        "more than zero",
    ),
    "limit without unit": (
        yaml_file(major="97", code="9701", sign="2"),
        "line 21",
        "time_limits.normal.sign",
        "like 2h or 3d",
    ),
    "missing name": (
        yaml_file(major="97", code="9701", name='""'),
        "line 21",
        "field name",
        "name is required",
    ),
    "unknown field": (
        yaml_file(major="97", code="9701", extra="        colour: red\n"),
        "line 21",
        "field colour",
        "unknown field",
    ),
    "bad nature": (
        GOOD_YAML.replace("report", "gossip").encode(),
        "line 8",
        "field default_nature",
        "one of",
    ),
    "not YAML": (
        b"categories: [\n  - {kind: event\n",
        "line 2",
        "",
        "not valid YAML: ",
    ),
    "no categories list": (b"- 1\n- 2\n", "line 1", "", "categories"),
}


@pytest.mark.parametrize("name", BAD_YAML)
def test_a_bad_yaml_file_changes_nothing_and_names_the_line_and_field(city, name):
    data, line, field, message = BAD_YAML[name]
    before = snapshot()
    with pytest.raises(CatalogueImportError) as caught:
        categories_import(data=data, format="yaml")
    text = str(caught.value.message)
    assert line in text and field in text and message in text, text
    assert snapshot() == before


BAD_SHEETS = {
    "bad kind": (
        [HEADER, ROW, ["9702", "x", "planet", "97", "y", None, None, None]],
        "row 3",
        "kind",
        "unknown kind",
    ),
    "minor code not under its major": (
        [HEADER, ROW, ["9601", "x", "event", "97", "y", None, None, None]],
        "row 3",
        "field code",
        "must start with",
    ),
    "code lost its leading zero": (
        [HEADER, ROW, [701, "x", "event", "07", "y", None, None, None]],
        "row 3",
        "field code",
        "4 digits",
    ),
    "bad major code": (
        [HEADER, ROW, ["9701", "x", "event", "9", "y", None, None, None]],
        "row 3",
        "field major_code",
        "2 digits",
    ),
    "duplicate code": ([HEADER, ROW, ROW], "row 3", "field code", "duplicate code (also at row 2)"),
    "major name differs": (
        [HEADER, ROW, ["9802", "x", "event", "98", "别的名字", None, None, None]],
        "row 3",
        "major_name",
        "differs from row 2",
    ),
    "zero limit": (
        [HEADER, ROW, ["9802", "x", "event", "98", "测试大类", "2h", "0d", "1d"]],
        "row 3",
        "normal_handle",
        "more than zero",
    ),
    "negative limit": (
        [HEADER, ROW, ["9802", "x", "event", "98", "测试大类", "-1h", "1d", "1d"]],
        "row 3",
        "normal_sign",
        "more than zero",
    ),
    "incomplete urgency": (
        [HEADER, ROW, ["9802", "x", "event", "98", "测试大类", "2h", None, None]],
        "row 3",
        "normal_*",
        "give sign, handle and verify",
    ),
    "missing name": (
        [HEADER, ROW, ["9802", None, "event", "98", "测试大类", None, None, None]],
        "row 3",
        "field name",
        "name is required",
    ),
    "unknown urgency column": (
        [[*HEADER, "asap_sign"], ROW],
        "row 1",
        "asap_sign",
        "unknown column",
    ),
    "missing column": ([HEADER[1:], ROW[1:]], "row 1", "field code", "missing column"),
}


@pytest.mark.parametrize("name", BAD_SHEETS)
def test_a_bad_sheet_changes_nothing_and_names_the_row_and_column(city, name):
    rows, where, field, message = BAD_SHEETS[name]
    before = snapshot()
    with pytest.raises(CatalogueImportError) as caught:
        categories_import(data=sheet_bytes(*rows), format="xlsx")
    text = str(caught.value.message)
    assert where in text and field in text and message in text, text
    assert snapshot() == before


def test_a_file_that_is_not_a_workbook_is_refused(city):
    with pytest.raises(CatalogueImportError, match="not an Excel"):
        categories_import(data=GOOD_YAML.encode(), format="xlsx")


# ---------------------------------------------------------------- commands


def test_commands_export_and_import_both_formats(city, tmp_path):
    before = snapshot()
    for name in ("catalogue.yaml", "catalogue.xlsx"):
        call_command("export_categories", str(tmp_path / name))
        call_command("import_categories", str(tmp_path / name))
    assert snapshot() == before


def test_import_command_reports_the_problems(city, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(BAD_YAML["zero limit"][0])
    with pytest.raises(CommandError, match="line 21"):
        call_command("import_categories", str(bad))
    with pytest.raises(CommandError, match=r"\.xlsx"):
        call_command("export_categories", str(tmp_path / "catalogue.csv"))


# ---------------------------------------------------------------- admin


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_admin_changelist_offers_export_and_import(client, cast, django_assert_max_num_queries):
    client.force_login(cast.admin)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("admin:cases_category_changelist")).content.decode()
    assert reverse("admin:cases_category_export", args=["xlsx"]) in page
    assert reverse("admin:cases_category_import") in page


@pytest.mark.parametrize("file_format", ["xlsx", "yaml"])
def test_admin_exports_the_catalogue(client, cast, file_format):
    client.force_login(cast.admin)
    response = client.get(reverse("admin:cases_category_export", args=[file_format]))
    assert response.status_code == 200
    assert f".{file_format}" in response["Content-Disposition"]
    # Compare what the files say: two xlsx files written a second apart differ in zip times.
    assert _rows(response.content, file_format) == _rows(
        categories_export(format=file_format), file_format
    )


def _rows(data: bytes, file_format: str) -> object:
    if file_format == "yaml":
        return data
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_admin_import_applies_a_good_file(client, cast):
    client.force_login(cast.admin)
    url = reverse("admin:cases_category_import")
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": upload("c.yaml", GOOD_YAML.encode())})
    assert response.status_code == 302
    assert Category.objects.filter(kind="event", code="9801").exists()


def test_admin_import_shows_the_row_errors_and_changes_nothing(client, cast):
    client.force_login(cast.admin)
    before = snapshot()
    data = sheet_bytes(HEADER, ROW, ["9802", "x", "event", "98", "测试大类", "2h", "0d", "1d"])
    response = client.post(reverse("admin:cases_category_import"), {"file": upload("c.xlsx", data)})
    assert response.status_code == 200
    assert (
        "row 3, event 9802, field normal_handle: must be more than zero"
        in response.content.decode()
    )
    assert snapshot() == before


def test_admin_import_refuses_other_file_types(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:cases_category_import"), {"file": upload("c.csv", b"a,b")}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_admin_import_and_export_need_permission(client, cast):
    url_import = reverse("admin:cases_category_import")
    url_export = reverse("admin:cases_category_export", args=["xlsx"])
    client.force_login(cast.handler)  # not staff: sent to the admin login
    assert client.get(url_export).status_code == 302
    staff = get_user_model().objects.create_user("clerk", is_staff=True)
    client.force_login(staff)  # staff without permissions on categories
    assert client.get(url_export).status_code == 403
    assert (
        client.post(url_import, {"file": upload("c.yaml", GOOD_YAML.encode())}).status_code == 403
    )
    assert not Category.objects.filter(code="9801").exists()


def test_admin_form_checks_the_code_against_the_major_class(client, cast):
    client.force_login(cast.admin)
    major = Category.objects.get(kind="event", code="05")
    response = client.post(
        reverse("admin:cases_category_add"),
        {
            "kind": "event",
            "code": "0699",
            "name": "错位小类",
            "parent": major.pk,
            "default_nature": "complaint",
            "time_limits-TOTAL_FORMS": "1",
            "time_limits-INITIAL_FORMS": "0",
            "time_limits-0-urgency": "normal",
            "time_limits-0-sign_amount": "0",
            "time_limits-0-sign_unit": "hours",
            "time_limits-0-handle_amount": "3",
            "time_limits-0-handle_unit": "days",
            "time_limits-0-verify_amount": "1",
            "time_limits-0-verify_unit": "days",
        },
    )
    assert response.status_code == 200
    assert "must start with its major class code 05" in response.content.decode()
    assert "Must be more than zero." in response.content.decode()
    assert not Category.objects.filter(code="0699").exists()


def test_admin_parent_autocomplete_offers_only_major_classes(client, cast):
    client.force_login(cast.admin)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cases", "model_name": "category", "field_name": "parent", "term": "市容"},
    )
    labels = [item["text"] for item in response.json()["results"]]
    assert labels and all(len(label.split()[0]) == 2 for label in labels)
