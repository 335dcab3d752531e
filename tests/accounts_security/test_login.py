"""Sign-in: failures are counted and recorded; the fifth in a row locks the account for the
cool-down, the locked user is told until when; an administrator can unlock."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from wenming.accounts_security.models import AccountSecurity, LoginEvent, LoginOutcome

from .conftest import LOGIN, PASSWORD, sign_in

START = timezone.datetime(2026, 11, 23, 9, 0, tzinfo=timezone.get_default_timezone())


def fail(client, username: str = "alice", times: int = 1):  # type: ignore[no-untyped-def]
    for _ in range(times):
        response = sign_in(client, username, "Wrong-pass-1")
    return response


def test_a_right_password_signs_in_and_is_recorded(client, alice):
    response = sign_in(client, "alice", HTTP_USER_AGENT="TestBrowser/1.0", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302 and response["Location"] == "/staff/"
    event = LoginEvent.objects.get(user=alice)
    assert (event.outcome, event.ip, event.user_agent) == (
        LoginOutcome.SUCCESS,
        "10.1.2.3",
        "TestBrowser/1.0",
    )


def test_a_wrong_password_is_refused_and_recorded(client, alice):
    response = fail(client)
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert LoginEvent.objects.get().outcome == LoginOutcome.BAD_PASSWORD
    assert AccountSecurity.objects.get(user=alice).failed_logins == 1


def test_an_unknown_user_name_is_recorded_without_an_account(client, db):
    fail(client, "nobody-here")
    event = LoginEvent.objects.get()
    assert event.user is None and event.username == "nobody-here"


def test_the_fifth_failure_in_a_row_locks_and_says_until_when(client, alice):
    with time_machine.travel(START, tick=False):
        assert "Please enter a correct" in fail(client, times=4).content.decode()
        page = fail(client).content.decode()
    assert "this account is locked. Try again after 09:15 (in about 15 minutes)" in page
    state = AccountSecurity.objects.get(user=alice)
    assert state.locked_until == START + timedelta(minutes=15)


def test_a_locked_account_refuses_even_the_right_password(client, alice):
    with time_machine.travel(START, tick=False):
        fail(client, times=5)
    with time_machine.travel(START + timedelta(minutes=10), tick=False):
        response = sign_in(client, "alice")
    assert response.status_code == 200
    assert "Try again after 09:15 (in about 5 minutes)" in response.content.decode()
    assert LoginEvent.objects.filter(outcome=LoginOutcome.LOCKED).count() == 1
    assert "_auth_user_id" not in client.session


def test_after_the_cool_down_the_right_password_works_again(client, alice):
    with time_machine.travel(START, tick=False):
        fail(client, times=5)
    with time_machine.travel(START + timedelta(minutes=15, seconds=1), tick=False):
        assert sign_in(client, "alice").status_code == 302
        # read at the travelled time: afterwards the 12-hour session has long expired
        assert client.session["_auth_user_id"] == str(alice.pk)


def test_after_the_cool_down_a_new_series_of_failures_is_needed_to_lock(client, alice):
    with time_machine.travel(START, tick=False):
        fail(client, times=5)
    with time_machine.travel(START + timedelta(minutes=16), tick=False):
        assert "Please enter a correct" in fail(client, times=4).content.decode()


def test_a_success_resets_the_count(client, alice):
    fail(client, times=4)
    assert sign_in(client, "alice").status_code == 302
    client.logout()
    assert "Please enter a correct" in fail(client, times=4).content.decode()


def test_the_lock_is_per_account(client, alice, make_user):
    make_user("bob")
    fail(client, "alice", times=5)
    assert sign_in(client, "bob").status_code == 302


def test_the_lock_length_and_count_are_settings(client, alice, settings):
    settings.WENMING_LOGIN_MAX_FAILURES = 2
    settings.WENMING_LOGIN_LOCKOUT_MINUTES = 60
    with time_machine.travel(START, tick=False):
        page = fail(client, times=2).content.decode()
    assert "Try again after 10:00 (in about 60 minutes)" in page


def test_the_login_page_says_when_accounts_lock(client, db):
    page = client.get(LOGIN).content.decode()
    assert "After 5 failed sign-ins in a row the account is locked for 15 minutes." in page


def test_an_administrator_unlocks_in_the_admin(client, alice, cast):
    fail(Client_(), times=5)
    client.force_login(cast.admin)
    response = client.post(
        "/admin/auth/user/",
        {"action": "unlock", "_selected_action": [alice.pk]},
        follow=True,
    )
    assert "Unlocked 1 account." in response.content.decode()
    assert AccountSecurity.objects.get(user=alice).locked_until is None
    assert sign_in(Client_(), "alice").status_code == 302


def test_the_unlock_action_on_account_security_rows(client, alice, cast):
    fail(Client_(), times=5)
    client.force_login(cast.admin)
    state = AccountSecurity.objects.get(user=alice)
    client.post(
        "/admin/accounts_security/accountsecurity/",
        {"action": "unlock", "_selected_action": [state.pk]},
    )
    assert AccountSecurity.objects.get(user=alice).locked_until is None


def test_the_admin_login_page_sends_to_the_one_sign_in_form(client, db):
    response = client.get("/admin/login/?next=/admin/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/cases/"


def test_signing_in_to_the_admin_goes_through_the_lockout(client, alice):
    fail(client, times=5)
    alice.is_staff = True
    alice.save()
    response = client.post(
        "/admin/login/", {"username": "alice", "password": PASSWORD}, follow=True
    )
    assert "_auth_user_id" not in client.session
    assert "/accounts/login/" in response.redirect_chain[-1][0]


def Client_():  # type: ignore[no-untyped-def]  # a second browser
    from django.test import Client

    return Client(headers={"accept-language": "en"})
