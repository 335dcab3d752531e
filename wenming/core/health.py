"""Health (/healthz) and Prometheus metrics (/metrics) for operators and their monitoring."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from .models import PeriodicJob

WORKER_STALE_AFTER = timedelta(minutes=3)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _storage() -> str:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)
    return "ok"


def worker_heartbeat() -> datetime | None:
    """When a worker last started a periodic job (the notification sender runs every 10 s)."""
    return PeriodicJob.objects.aggregate(last=Max("last_started_at"))["last"]


def _worker() -> str:
    last = worker_heartbeat()
    if last is None:
        return "never seen"
    return "ok" if timezone.now() - last < WORKER_STALE_AFTER else f"stale since {last.isoformat()}"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database, the media storage and a worker are all fine, 503 otherwise."""
    checks = {}
    for name, check in (("database", _database), ("storage", _storage), ("worker", _worker)):
        try:
            checks[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure is the answer
            checks[name] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503
    )


def _metric(
    lines: list[str], name: str, kind: str, help_text: str, samples: list[tuple[str, float]]
) -> None:
    lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
    lines += [f"{name}{labels} {value}" for labels, value in samples]


def _allowed(request: HttpRequest) -> bool:
    token = getattr(settings, "WENMING_METRICS_TOKEN", "")
    if token:
        return request.headers.get("Authorization", "") == f"Bearer {token}"
    return request.META.get("REMOTE_ADDR") in {"127.0.0.1", "::1"}


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format: requests, job queue depth, cases by state, overdue cases."""
    from django_tasks_db.models import DBTaskResult

    from wenming.cases.models import WarningLevel
    from wenming.cases.states import OPEN_STATES
    from wenming.dashboard.models import LiveCount
    from wenming.notify.models import Delivery

    from .middleware import request_counts

    if not _allowed(request):
        return HttpResponse(status=403)
    lines: list[str] = []
    _metric(
        lines,
        "wenming_http_requests_total",
        "counter",
        "HTTP requests served by this process.",
        [(f'{{method="{m}",status="{s}"}}', n) for (m, s), n in sorted(request_counts.items())],
    )
    queued = DBTaskResult.objects.filter(status="READY").count()
    pending = Delivery.objects.filter(status="pending").count()
    _metric(
        lines,
        "wenming_job_queue_depth",
        "gauge",
        "Jobs waiting for a worker.",
        [('{queue="tasks"}', queued), ('{queue="deliveries"}', pending)],
    )
    # From the dashboard's rollup (refreshed every minute): no scan of the case table.
    by_state = dict(LiveCount.objects.values_list("state").annotate(n=Sum("count")).order_by())
    _metric(
        lines,
        "wenming_cases",
        "gauge",
        "Cases by state.",
        [(f'{{state="{state}"}}', n) for state, n in sorted(by_state.items())],
    )
    overdue = (
        LiveCount.objects.filter(state__in=OPEN_STATES, warning_level=WarningLevel.RED).aggregate(
            n=Sum("count")
        )["n"]
        or 0
    )
    _metric(
        lines, "wenming_cases_overdue", "gauge", "Open cases past their deadline.", [("", overdue)]
    )
    last = worker_heartbeat()
    age = (timezone.now() - last).total_seconds() if last else -1
    _metric(
        lines,
        "wenming_worker_heartbeat_age_seconds",
        "gauge",
        "Seconds since a worker ran a periodic job (-1: never).",
        [("", age)],
    )
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; version=0.0.4")
