"""Production mode checks, health and metrics endpoints, request ids, log scrubbing, backups."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from wenming.core.logs import ContextFilter, scrub
from wenming.core.models import PeriodicJob
from wenming.core.production import production_problems


def test_production_mode_lists_what_is_wrong(settings, monkeypatch):
    settings.DEBUG = True
    settings.DATABASES = {
        **settings.DATABASES,
        "default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"},
    }
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("WENMING_ALLOW_SQLITE", raising=False)
    problems = " ".join(production_problems())
    assert "DEBUG" in problems and "SECRET_KEY" in problems and "SQLite" in problems
    with pytest.raises(CommandError, match="Not starting in production mode"):
        call_command("serve", "--production", "--check-only")


def test_production_mode_accepts_a_proper_configuration(settings, monkeypatch):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["wenming.example.cn"]
    settings.WENMING_CACHE = "database"  # what production picks without Redis
    for name, value in {
        "SECRET_KEY": "x" * 50,
        "WENMING_ALLOW_SQLITE": "true",
        "WENMING_FIELD_KEY": "k",
    }.items():
        monkeypatch.setenv(name, value)
    assert production_problems() == []
    call_command("serve", "--production", "--check-only")


def test_serve_runs_threaded_workers_that_keep_connections_alive(db, monkeypatch, serve_argv):
    for name in ("WEB_CONCURRENCY", "WENMING_THREADS"):
        monkeypatch.delenv(name, raising=False)
    argv = " ".join(serve_argv())
    # gthread (threads > 1) keeps connections; nginx's upstream keep-alive (60 s) is shorter
    assert "--workers 2 --threads 4 --keep-alive 75" in argv
    argv = " ".join(serve_argv("--threads", "1"))
    assert "--threads 1 " in argv  # sync workers, as before


def test_serve_explains_its_options(capsys):
    with pytest.raises(SystemExit):
        call_command("serve", "--help")
    assert "--access-log" in capsys.readouterr().out


def test_serve_leaves_the_access_log_to_nginx_unless_asked(db, monkeypatch, serve_argv):
    monkeypatch.delenv("WENMING_ACCESS_LOG", raising=False)
    assert "--access-logfile" not in serve_argv()
    assert serve_argv("--access-log")[-2:] == ["--access-logfile", "-"]
    monkeypatch.setenv("WENMING_ACCESS_LOG", "1")
    assert serve_argv()[-2:] == ["--access-logfile", "-"]


def test_healthz_reports_a_missing_worker_then_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "storage": "ok", "worker": "never seen"}
    PeriodicJob.objects.create(
        name="notify.send_deliveries", next_run_at=timezone.now(), last_started_at=timezone.now()
    )
    assert client.get("/healthz").status_code == 200
    PeriodicJob.objects.update(last_started_at=timezone.now() - timedelta(minutes=10))
    assert "stale" in client.get("/healthz").json()["checks"]["worker"]


def test_metrics_in_prometheus_format_for_loopback_or_token(client, settings, city):
    from wenming.cases.models import Case

    text = client.get("/metrics").content.decode()
    assert "# TYPE wenming_cases gauge" in text
    assert 'wenming_job_queue_depth{queue="deliveries"}' in text
    assert f"wenming_cases_overdue {Case.objects.filter(warning_level=2).count()}" in text
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 403
    settings.WENMING_METRICS_TOKEN = "s3cret"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"authorization": "Bearer s3cret"}).status_code == 200


def test_every_response_carries_a_request_id(client, db):
    assert len(client.get("/healthz")["X-Request-ID"]) == 32
    assert client.get("/healthz", headers={"x-request-id": "abc-123"})["X-Request-ID"] == "abc-123"
    assert client.get("/healthz", headers={"x-request-id": "bad id!"})["X-Request-ID"] != "bad id!"


def test_logs_never_carry_phone_or_id_numbers():
    assert (
        scrub("caller 13912345678 id 15020419900101123X")
        == "caller 139****5678 id 1502**********123X"
    )
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "phone %s", ("13812345678",), None)
    ContextFilter().filter(record)
    assert record.getMessage() == "phone 138****5678"
    assert record.request_id == "-"


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(transactional_city, settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from wenming.core.backup import backup_create, backup_restore, row_counts
    from wenming.org.models import Unit

    settings.MEDIA_ROOT = str(tmp_path / "media")
    default_storage.save("cases/photo.jpg", ContentFile(b"jpeg-bytes"))
    before = row_counts()
    archive = backup_create(output_dir=tmp_path / "backups")
    assert archive.exists()

    Unit.objects.filter(code="BT-WY-LC").delete()  # changes after the backup…
    default_storage.save("cases/later.jpg", ContentFile(b"new"))
    Path(settings.MEDIA_ROOT, "cases/photo.jpg").write_bytes(b"tampered")

    result = backup_restore(archive=archive)
    assert result == {"ok": True, "rows": {}, "media": []}
    assert row_counts() == before
    assert Unit.objects.filter(code="BT-WY-LC").exists()
    assert Path(settings.MEDIA_ROOT, "cases/photo.jpg").read_bytes() == b"jpeg-bytes"
    assert not Path(settings.MEDIA_ROOT, "cases/later.jpg").exists()
