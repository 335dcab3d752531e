"""Every route × every role × an object inside and outside the role's scope.

The expected answers live in `rules.py`, one line per route; a route without a line fails
`test_every_route_has_a_rule`, so a new endpoint cannot ship without a decision on who may
use it. A request is *served* when it answers 2xx/3xx (a form's validation error included)
and *refused* when it answers 401/403/404, sends to the login page, or is a POST turned back
by a permission error. Each request runs in a rolled-back savepoint, so one role's POST
cannot change what the next role sees; the world of objects is built once per module.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from tests.conftest import make_cast

from . import rules
from .routes import Route, all_routes
from .world import World, build

REFUSED = {401, 403, 404}
ROUTES = all_routes()


@pytest.fixture(scope="module")
def setting(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The cast and the world, built once and rolled back when the module is done."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            cast = make_cast()
            yield cast, build(cast)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _outcome(client: Client, url: str) -> str:
    login = resolve_url(settings.LOGIN_URL)
    cache.clear()  # rate-limit counters: the matrix asks far more often than a person would
    with transaction.atomic():
        try:
            response = client.get(url)
            if response.status_code == 405:
                response = client.post(url, {})
        except Exception as error:  # noqa: BLE001 — any crash is a finding, named in the report
            return f"error {type(error).__name__}: {error}"[:200]
        finally:
            transaction.set_rollback(True)
    status = getattr(response, "domain_error_status", None) or response.status_code
    if status in REFUSED:
        return "refused"
    if 300 <= status < 400 and response["Location"].startswith(login):
        return "refused"
    if status == 429 or (
        status >= 500 and status != 503
    ):  # 503: /healthz telling the worker is not running
        return f"error {status}"
    return "served"


def _client(cast: Any, role: str) -> Client:
    client = Client(headers={"accept-language": "en"})
    if role != rules.ANONYMOUS:
        client.force_login(cast[role])
    return client


def _url(route: Route, kwargs: dict[str, Any]) -> str:
    return reverse(route.name, kwargs={p: kwargs[k] for p, k in route.world_keys().items()})


def _observe(route: Route, world: World, cast: Any) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {"inside": set(), "outside": set(), "errors": set()}
    sides = [("inside", world.inside)] + ([("outside", world.outside)] if route.params else [])
    clients = {role: _client(cast, role) for role in rules.ROLES}
    for side, kwargs in sides:
        url = _url(route, kwargs)
        for role, client in clients.items():
            outcome = _outcome(client, url)
            if outcome == "served":
                seen[side].add(role)
            elif outcome.startswith("error"):
                seen["errors"].add(f"{role} {side}: {outcome}")
    return seen


def test_every_route_has_a_rule():
    names = {r.name for r in ROUTES}
    missing = sorted(names - set(rules.RULES))
    stale = sorted(set(rules.RULES) - names)
    assert not missing, (
        f"routes without an authorization rule in tests/security/rules.py: {missing}"
    )
    assert not stale, f"rules for routes that no longer exist: {stale}"


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_route_serves_exactly_the_roles_its_rule_names(route, setting, db):
    cast, world = setting
    seen = _observe(route, world, cast)
    if os.environ.get("WENMING_AUTHZ_RECORD"):
        rules.record(route.name, seen, os.environ["WENMING_AUTHZ_RECORD"])
    assert not seen["errors"], sorted(seen["errors"])
    inside, outside = rules.expand(rules.RULES[route.name])
    assert seen["inside"] == inside, _diff("in scope", inside, seen["inside"])
    if route.params:
        assert seen["outside"] == outside, _diff("out of scope", outside, seen["outside"])


def _diff(side: str, expected: set[str], seen: set[str]) -> str:
    extra, lacking = sorted(seen - expected), sorted(expected - seen)
    return f"on an object {side}: also served {extra}; refused {lacking}"


def test_the_admin_site_is_for_staff_accounts_only(cast, client):
    assert client.get(reverse("admin:index")).status_code == 302
    for role in rules.ROLES[1:]:
        client.force_login(cast[role])
        served = client.get(reverse("admin:index")).status_code == 200
        assert served == cast[role].is_staff, role
