"""Web hardening: security headers and a strict CSP on every kind of page, CSRF on form
posts, request size limits and rate limits (429 with a translated message)."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory, override_settings

from wenming.accounts_security.net import client_ip

from .conftest import LOGIN, PASSWORD

PAGES = ["/", "/report/", "/track/", "/board/", "/accounts/login/", "/volunteers/"]
STAFF_PAGES = ["/staff/", "/staff/cases/", "/accounts/security/", "/admin/", "/api/docs/"]


@pytest.fixture(autouse=True)
def one_fixed_minute():  # type: ignore[no-untyped-def]
    """Rate limits count in fixed one-minute windows; a slow CI box could otherwise spread a
    test's requests over two windows and reset the count halfway."""
    import time_machine

    with time_machine.travel("2026-11-23 09:00:10 +0800", tick=False):
        yield


def csp(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.partition(" ")[2] for d in header.split("; ")}


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_carry_a_strict_csp_and_security_headers(client, city, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = csp(response)
    assert policy["script-src"] == "'self'"  # no inline scripts, no eval
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "microphone=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_carry_the_csp(client, cast, url):
    client.force_login(cast.admin)
    response = client.get(url)
    assert response.status_code == 200
    assert csp(response)["script-src"] == "'self'"


def test_the_built_once_policy_is_the_librarys_and_follows_the_settings(client, cast):
    """SettingsCSPMiddleware builds the settings' policy once; it must be the header
    django-csp builds, follow a settings change, and leave a view's own policy to it."""
    from csp.utils import build_policy

    page = client.get("/report/")
    assert page["Content-Security-Policy"] == build_policy()
    api = client.post("/api/v1/cases/", {}, content_type="application/json")
    assert api["Content-Security-Policy"] == build_policy()
    changed = {"DIRECTIVES": {"default-src": ["'none'"]}, "EXCLUDE_URL_PREFIXES": ["/track/"]}
    with override_settings(
        CONTENT_SECURITY_POLICY=changed, CONTENT_SECURITY_POLICY_REPORT_ONLY=changed
    ):
        page = client.get("/report/")
        assert page["Content-Security-Policy"] == "default-src 'none'"
        assert page["Content-Security-Policy-Report-Only"] == "default-src 'none'"
        assert "Content-Security-Policy" not in client.get("/track/")
    assert client.get("/report/")["Content-Security-Policy"] == build_policy()
    client.force_login(cast.admin)
    docs = csp(client.get("/api/docs/"))  # csp_update on the view: the library's way
    assert docs["style-src"] == "'self' 'unsafe-inline'" and docs["script-src"] == "'self'"


def test_pages_have_no_inline_scripts(client, cast):
    client.force_login(cast.admin)
    for url in [*PAGES, *STAFF_PAGES]:
        page = client.get(url).content.decode()
        assert "<script>" not in page and " onclick=" not in page, url


def test_the_map_tile_server_is_allowed_for_images(settings):
    from wenming.settings import _tile_origin

    assert _tile_origin("https://{s}.tiles.example/{z}/{x}/{y}.png") == ["https://*.tiles.example"]
    assert _tile_origin("") == []


def test_a_form_post_without_the_csrf_token_is_refused(cast):
    strict = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    assert strict.post(LOGIN, {"username": "admin", "password": PASSWORD}).status_code == 403
    assert strict.post("/report/", {"description": "路灯不亮"}).status_code == 403
    strict.force_login(cast.dispatcher)
    assert strict.post("/accounts/password/", {}).status_code == 403


def test_the_csrf_cookie_is_not_readable_by_scripts(client, db):
    client.get(LOGIN)
    assert client.cookies["csrftoken"]["httponly"]


def test_an_oversized_request_is_refused_before_it_is_read(client, settings, db):
    settings.WENMING_MAX_REQUEST_MB = 1
    response = client.generic("POST", "/report/", b"x" * 1024, CONTENT_LENGTH=str(2 * 1024 * 1024))
    assert response.status_code == 413
    assert "The upload is too large: at most 1 MB at a time." in response.content.decode()


def test_login_posts_are_limited_per_address(client, alice, settings):
    settings.WENMING_RATE_LIMITS = {"login": "3/minute"}
    statuses = [
        client.post(LOGIN, {"username": "x", "password": "y"}).status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Too many requests from your network" in response.content.decode()
    other = Client(REMOTE_ADDR="10.2.2.2")
    assert other.post(LOGIN, {"username": "alice", "password": PASSWORD}).status_code == 302


def test_the_429_page_is_translated(client, db, settings):
    settings.WENMING_RATE_LIMITS = {"login": "1/minute"}
    client.post(LOGIN, {"username": "x", "password": "y"})
    response = client.post(
        LOGIN, {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 429 and 'lang="zh-hans"' in response.content.decode()


def test_anonymous_reports_are_limited(client, city, settings):
    settings.WENMING_RATE_LIMITS = {"anonymous_submit": "2/minute"}
    statuses = [client.post("/report/", {}).status_code for _ in range(3)]
    assert statuses[:2] == [200, 200] and statuses[2] == 429
    assert client.get("/report/").status_code == 200  # reading the form is not counted


def test_board_posts_and_case_lookups_are_limited(client, city, settings):
    settings.WENMING_RATE_LIMITS = {"anonymous_submit": "1/minute", "anonymous_lookup": "2/minute"}
    assert client.post("/board/new/", {}).status_code == 200
    assert client.post("/board/new/", {}).status_code == 429
    lookups = [client.get("/track/BT000000000000/").status_code for _ in range(3)]
    assert lookups == [404, 404, 429]


def test_signed_in_staff_are_not_limited_on_the_portal(client, cast, settings):
    settings.WENMING_RATE_LIMITS = {"anonymous_submit": "1/minute"}
    client.force_login(cast.operator)
    assert {client.post("/report/", {}).status_code for _ in range(3)} == {200}


def test_the_limit_resets_in_the_next_window(client, city, settings):
    import time_machine

    settings.WENMING_RATE_LIMITS = {"anonymous_submit": "1/minute"}
    with time_machine.travel("2026-11-23 09:00:10 +0800", tick=False):
        client.post("/report/", {})
        assert client.post("/report/", {}).status_code == 429
    with time_machine.travel("2026-11-23 09:01:01 +0800", tick=False):
        assert client.post("/report/", {}).status_code == 200


def test_open311_submissions_have_the_stricter_api_rate(city):
    from rest_framework.test import APIClient

    rates = {
        **django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "anonymous_submit": "1/minute",
    }
    api = APIClient()
    with override_settings(
        REST_FRAMEWORK={**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        api.post("/open311/v2/requests.json", {"api_key": "x"})
        response = api.post("/open311/v2/requests.json", {"api_key": "x"})
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "1.1.1.1", "127.0.0.1", "127.0.0.1"),  # no trusted proxy: the header is ignored
        (1, "6.6.6.6, 1.1.1.1", "127.0.0.1", "1.1.1.1"),  # the client forged the first entry
        (1, "", "10.0.0.5", "10.0.0.5"),
        (1, "garbage", "127.0.0.1", None),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(
    settings, proxies, forwarded, remote, expected
):
    settings.WENMING_NUM_PROXIES = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected


def test_the_api_refuses_a_session_post_without_the_csrf_token(cast):
    strict = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    strict.force_login(cast.operator)
    response = strict.post("/api/v1/cases/", {"description": "路灯不亮"})
    assert response.status_code == 403 and "CSRF" in response.content.decode()
