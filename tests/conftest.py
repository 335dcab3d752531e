"""Shared fixtures: the demo city seeded once per test database, and a fixed cast of users.

The cast is the demo city's users (one per role, see wenming.org.seed.DEMO_USERS) plus an
`outsider`: a handler of another street, who must never see the first street's data.
"""

from __future__ import annotations

import os
from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from wenming.core.seed import demo_city_seeded, seed_demo_city

from .snapshot import Snapshot

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + live_server
SEEDED = Snapshot()  # the test database right after the demo seed


@pytest.fixture(autouse=True)
def fresh_region_index():
    """Each test builds its own regions inside a rolled-back transaction, so a point-lookup
    index cached by an earlier test would name regions that no longer exist."""
    from wenming.core.memo import memos_invalidate
    from wenming.org.geo import invalidate_region_index

    invalidate_region_index()
    memos_invalidate()  # the same for the categories, regions and rules kept in memory
    yield
    invalidate_region_index()
    memos_invalidate()


@pytest.fixture(autouse=True)
def english_by_default():
    """Tests assert on the English source strings; the product's default language is Chinese,
    which tests that check it ask for explicitly (Accept-Language or translation.override)."""
    with translation.override("en"):
        yield


def _test_clock() -> datetime | None:
    """WENMING_TEST_CLOCK: a local time (23:59:59.9: its next occurrence) or a local date and
    time (2026-12-31T23:59:59.9: a Thursday before a holiday, a month's or a year's end; from
    2026-11-23 on, as some tests travel to fixed moments after it)."""
    start = os.environ.get("WENMING_TEST_CLOCK")
    if not start:
        return None
    zone = timezone.get_default_timezone()  # settings.TIME_ZONE
    if _test_clock_moves_the_date():
        return datetime.fromisoformat(start).replace(tzinfo=zone)
    now = datetime.now(zone)
    at = datetime.combine(now.date(), time.fromisoformat(start), tzinfo=zone)
    return at if at > now else at + timedelta(days=1)


def _test_clock_moves_the_date() -> bool:
    return "T" in os.environ.get("WENMING_TEST_CLOCK", "")


def pytest_configure(config):  # type: ignore[no-untyped-def]
    """With a date in WENMING_TEST_CLOCK the whole run happens that day, the demo seed
    included (a minute before the tests' start): its data is that day's, as CI's would be."""
    at = _test_clock()
    if at and _test_clock_moves_the_date():
        import time_machine

        time_machine.travel(at - timedelta(minutes=1), tick=True).start()


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """A browser keeps the real date: a test comparing with its clock cannot run moved."""
    if _test_clock_moves_the_date():
        moved = pytest.mark.skip(reason="WENMING_TEST_CLOCK moved the date; a browser's is real")
        for item in items:
            if item.get_closest_marker("real_clock"):
                item.add_marker(moved)


@pytest.fixture(autouse=True)
def clock_at_a_boundary(request):  # type: ignore[no-untyped-def]
    """WENMING_TEST_CLOCK set: each test starts at its time, the clock running, so it crosses
    the minute, hour and day there. A run with it finds the tests that fail when CI happens to
    run them at such a moment."""
    at = _test_clock()
    if not at or request.node.get_closest_marker("real_clock"):
        yield
        return
    import time_machine

    with time_machine.travel(at, tick=True):
        yield


@pytest.fixture(autouse=True)
def no_rate_limits(settings):  # type: ignore[no-untyped-def]
    """Sign-in and portal rate limits count per client address in the cache, across tests;
    the tests of those limits set WENMING_RATE_LIMITS themselves."""
    settings.WENMING_RATE_LIMITS = {}


@pytest.fixture
def client():  # type: ignore[no-untyped-def]
    """A test client that reads the site in English unless a test sends another language."""
    from django.test import Client

    return Client(headers={"accept-language": "en"})


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():  # type: ignore[no-untyped-def]
    """The production hasher costs about a second per password: seeding the demo users would
    spend seconds on it, tests that create users more. PBKDF2 stays listed, so hashes made by
    the production hasher still verify."""
    from django.test import override_settings

    hashers = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, fast_password_hashing):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        seed_demo_city()
        SEEDED.take()


@pytest.fixture(scope="session", autouse=True)
def restore_instead_of_flush():  # type: ignore[no-untyped-def]
    """A test that commits (live server, threads) normally ends with every table flushed, and
    the next test re-seeds the city: seconds each time. Put the seeded snapshot back instead
    (milliseconds): the next test starts from the same state as after a rollback."""
    from django.test import TransactionTestCase

    flush = TransactionTestCase._fixture_teardown

    def restore(self):  # type: ignore[no-untyped-def]
        if SEEDED.taken:
            SEEDED.restore()
        else:
            flush(self)

    TransactionTestCase._fixture_teardown = restore  # type: ignore[method-assign]
    yield
    TransactionTestCase._fixture_teardown = flush  # type: ignore[method-assign]


@pytest.fixture
def city(db):  # type: ignore[no-untyped-def]
    """The seeded demo city (seeded again if a test emptied the tables)."""
    if not demo_city_seeded():
        seed_demo_city()


class Cast(dict):
    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return self[name]


@pytest.fixture
def cast(city):  # type: ignore[no-untyped-def]
    return make_cast()


def make_cast() -> Cast:
    """The demo city's users by name, plus an out-of-scope handler and a user with no role."""
    from wenming.org.models import Membership, Region, Role, Unit

    users = get_user_model().objects
    people = Cast({u.username: u for u in users.filter(memberships__isnull=False).distinct()})
    outsider, _ = users.get_or_create(username="outsider", defaults={"first_name": "万青路处置员"})
    Membership.objects.get_or_create(
        user=outsider,
        role=Role.HANDLER,
        unit=Unit.objects.get(code="BT-150204002000"),
        region_scope=Region.objects.get(code="150204002000"),
    )
    people["outsider"] = outsider
    people["nobody"] = users.get_or_create(username="nobody")[0]  # signed in, no membership
    return people


@pytest.fixture
def transactional_city(transactional_db):  # type: ignore[no-untyped-def]
    """The demo city for tests that commit (live server, threads); restored afterwards."""
    if not demo_city_seeded():
        seed_demo_city()


@pytest.fixture
def run_jobs():  # type: ignore[no-untyped-def]
    """Run the queued jobs (e.g. the intake job: photos, triage) inside the test's transaction,
    as `wenming worker` runs them; a job's error fails the test."""
    from django_tasks.base import TaskContext
    from django_tasks_db.models import DBTaskResult

    def run() -> int:
        ran = 0
        while row := DBTaskResult.objects.filter(status="READY").order_by("enqueued_at").first():
            result = row.task_result
            row.delete()
            row.task.call(TaskContext(task_result=result), *result.args, **result.kwargs)
            ran += 1
        return ran

    return run
