"""Citizen photos: checked in the request, kept in quarantine (never served), re-encoded by the
intake job after commit; the job also stores the triage suggestions."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from wenming.cases.models import CaseAttachment
from wenming.core.errors import InvalidInput
from wenming.triage.models import Suggestion

from .conftest import jpeg

GPS_EXIF = Image.Exif()
GPS_EXIF[0x010F] = "PhoneMaker"  # camera make: any metadata must not survive re-encoding


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WENMING_QUARANTINE_ROOT = str(tmp_path / "quarantine")


def test_a_submitted_photo_waits_in_quarantine_until_the_job(submit, settings):
    case = submit(photos=[jpeg(exif=GPS_EXIF.tobytes())])
    photo = case.attachments.get()
    assert photo.is_processing and not photo.file and not photo.thumbnail
    raw = Path(storages["quarantine"].path(photo.upload.name))
    assert raw.exists() and not raw.is_relative_to(Path(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        storages["quarantine"].url(photo.upload.name)  # no URL: never served


def test_the_job_re_encodes_strips_metadata_thumbnails_and_deletes_the_raw(
    submit, run_jobs, django_capture_on_commit_callbacks
):
    case = submit(photos=[jpeg(size=(800, 600), exif=GPS_EXIF.tobytes())])
    raw = storages["quarantine"].path(case.attachments.get().upload.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_jobs() == 1
    photo = case.attachments.get()
    assert not photo.is_processing and not photo.upload
    stored = Image.open(photo.file.open("rb"))
    assert stored.format == "JPEG" and not stored.getexif()
    assert max(Image.open(photo.thumbnail.open("rb")).size) <= 320
    assert not Path(raw).exists()


def test_the_job_runs_twice_without_harm(submit, run_jobs):
    from wenming.cases.services import attachments_process

    case = submit(photos=[jpeg()])
    run_jobs()
    name = case.attachments.get().file.name
    assert attachments_process(case_id=case.pk) == 0
    assert case.attachments.get().file.name == name


def test_a_photo_the_job_cannot_decode_is_dropped(submit, run_jobs, monkeypatch):
    from wenming.cases import services

    def undecodable(*args, **kwargs):
        raise InvalidInput("This file is not a photo (or it is damaged).")

    case = submit(photos=[jpeg()])
    monkeypatch.setattr(services, "photo_normalize", undecodable)
    run_jobs()
    assert not CaseAttachment.objects.filter(case=case).exists()


def _gif() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "GIF")
    return SimpleUploadedFile("a.gif", buffer.getvalue())


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("fake.jpg", b"MZ\x90\x00 not a photo"), "not a photo"),
        (_gif(), "JPEG, PNG"),
    ],
)
def test_a_file_that_is_not_an_accepted_photo_is_refused_at_once(submit, upload, message):
    with pytest.raises(InvalidInput, match=message):
        submit(photos=[upload])
    assert not CaseAttachment.objects.exists()


def test_too_many_pixels_are_refused_at_once(submit, monkeypatch):
    from wenming.core import images

    monkeypatch.setattr(images, "MAX_PIXELS", 100)
    with pytest.warns(Image.DecompressionBombWarning), pytest.raises(InvalidInput, match="pixels"):
        submit(photos=[jpeg(size=(12, 12))])


def test_the_job_stores_the_triage_suggestions(submit, run_jobs):
    case = submit()
    assert not Suggestion.objects.filter(case=case).exists()  # not in the request
    run_jobs()
    assert Suggestion.objects.filter(case=case).exists()


def test_the_public_page_shows_processing_until_the_job_ran(submit, run_jobs, client):
    from django.urls import reverse

    case = submit(photos=[jpeg()])
    url = reverse("portal:track_case", args=[case.code])
    html = client.get(url).content.decode()
    assert "Photo being processed" in html and "/media/cases/" not in html
    run_jobs()
    html = client.get(url).content.decode()
    assert "Photo being processed" not in html and "/media/cases/" in html
