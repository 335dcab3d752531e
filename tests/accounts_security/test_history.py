"""Login history: each user sees their own sign-ins (never another's); administrators see
everyone's in the admin, read-only."""

from __future__ import annotations

from django.test import Client

from wenming.accounts_security.models import LoginEvent

from .conftest import sign_in

HISTORY = "/accounts/security/history/"


def test_my_history_lists_my_sign_ins_with_address_and_browser(client, alice):
    sign_in(client, "alice", "Wrong-pass-1", REMOTE_ADDR="10.0.0.7", HTTP_USER_AGENT="Firefox/140")
    sign_in(client, "alice", REMOTE_ADDR="10.0.0.7", HTTP_USER_AGENT="Firefox/140")
    page = client.get(HISTORY).content.decode()
    assert page.count("10.0.0.7") == 2 and "Firefox/140" in page
    assert "Signed in" in page and "Wrong user name or password" in page


def test_my_history_never_shows_another_users_sign_ins(client, alice, make_user):
    make_user("bob")
    sign_in(Client(), "bob", REMOTE_ADDR="10.9.9.9")
    sign_in(client, "alice", REMOTE_ADDR="10.0.0.7")
    page = client.get(HISTORY).content.decode()
    assert "10.9.9.9" not in page and "10.0.0.7" in page
    assert list(client.get(HISTORY).context["events"]) == list(
        LoginEvent.objects.filter(username="alice")
    )


def test_the_history_needs_a_signed_in_user(client, db):
    assert client.get(HISTORY)["Location"].startswith("/accounts/login/")


def test_the_overview_shows_recent_sign_ins_and_the_second_factor_state(client, alice):
    sign_in(client, "alice", REMOTE_ADDR="10.0.0.7")
    page = client.get("/accounts/security/").content.decode()
    assert "10.0.0.7" in page and "Turn on two-step verification" in page


def test_the_staff_home_links_to_account_security(client, cast):
    client.force_login(cast.handler)
    assert "/accounts/security/" in client.get("/staff/").content.decode()


def test_administrators_read_everyones_history_in_the_admin(client, alice, cast):
    sign_in(Client(), "alice", REMOTE_ADDR="10.0.0.7")
    client.force_login(cast.admin)
    page = client.get("/admin/accounts_security/loginevent/").content.decode()
    assert "10.0.0.7" in page and "alice" in page


def test_the_history_cannot_be_edited_or_deleted_in_the_admin(client, alice, cast):
    sign_in(Client(), "alice")
    event = LoginEvent.objects.get(username="alice")
    client.force_login(cast.admin)
    url = f"/admin/accounts_security/loginevent/{event.pk}/"
    client.post(url + "change/", {"username": "mallory"})
    assert client.post(url + "delete/", {"post": "yes"}).status_code == 403
    assert LoginEvent.objects.get(pk=event.pk).username == "alice"


def test_staff_without_admin_rights_cannot_open_the_admin_history(client, cast):
    client.force_login(cast.dispatcher)
    response = client.get("/admin/accounts_security/loginevent/")
    assert response.status_code == 302 and "/login/" in response["Location"]
