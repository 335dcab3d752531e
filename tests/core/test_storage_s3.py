"""Media in S3-compatible object storage (django-storages), against a local S3 server
(moto's, started by the test): case photos go to the bucket and come back through their
signed URLs; /healthz checks the bucket."""

from __future__ import annotations

import socket
import urllib.request

import boto3
import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from moto.server import ThreadedMotoServer
from rest_framework.test import APIClient

from tests.cases.conftest import category, grid_point, jpeg  # noqa: F401 — fixtures
from wenming.cases.models import Case

KEYS = {"access_key": "test", "secret_key": "test", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def s3_server():  # type: ignore[no-untyped-def]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server):  # type: ignore[no-untyped-def]
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket="wenming-media")
    options = {"bucket_name": "wenming-media", "endpoint_url": s3_server, **KEYS}
    backend = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    quarantine = {**backend, "OPTIONS": {**options, "location": "quarantine"}}
    storages = {
        "default": backend,
        "quarantine": quarantine,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield client
    for item in client.list_objects_v2(Bucket="wenming-media").get("Contents", []):
        client.delete_object(Bucket="wenming-media", Key=item["Key"])
    client.delete_bucket(Bucket="wenming-media")


def test_a_reported_photo_is_stored_in_the_bucket_and_served_from_it(
    city,
    bucket,
    category,  # noqa: F811
    run_jobs,
    django_capture_on_commit_callbacks,
):
    lat, lon = grid_point()
    body = {"description": "井盖缺失", "lat": lat, "lon": lon, "category": category.pk}
    response = APIClient().post("/api/v1/cases/", {**body, "photos": [jpeg("a.jpg")]})
    assert response.status_code == 201, response.content
    photo = Case.objects.get(code=response.json()["code"]).attachments.get()
    # Until the intake job ran, the raw upload waits under the private prefix only.
    assert [o["Key"] for o in bucket.list_objects_v2(Bucket="wenming-media")["Contents"]] == [
        f"quarantine/{photo.upload.name}"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        run_jobs()
    photo.refresh_from_db()
    keys = {o["Key"] for o in bucket.list_objects_v2(Bucket="wenming-media")["Contents"]}
    assert keys == {photo.file.name, photo.thumbnail.name}  # the raw upload is gone
    url = photo.file.url
    assert url.startswith(bucket.meta.endpoint_url) and "Signature" in url
    with urllib.request.urlopen(url) as fetched:  # the link a browser follows
        data = fetched.read()
    assert data[:3] == b"\xff\xd8\xff"  # the re-encoded JPEG
    assert default_storage.open(photo.file.name).read() == data


def test_healthz_checks_the_bucket(client, db, bucket):
    checks = client.get("/healthz").json()["checks"]
    assert checks["storage"] == "ok"
    assert not bucket.list_objects_v2(Bucket="wenming-media").get("Contents")  # cleaned up
    bucket.delete_bucket(Bucket="wenming-media")
    checks = client.get("/healthz").json()["checks"]
    assert checks["storage"].startswith("error")
    bucket.create_bucket(Bucket="wenming-media")
