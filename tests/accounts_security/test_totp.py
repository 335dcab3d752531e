"""The second factor: enrolment with a QR code and a confirming code; then sign-in asks for a
code, takes a right one once, refuses wrong and replayed ones; recovery codes; admin reset."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import time_machine
from django.test import Client
from django.utils import timezone

from wenming.accounts_security.models import AccountSecurity, LoginEvent, LoginOutcome
from wenming.core import crypto

from .conftest import CODE, enrol, sign_in

T0 = timezone.datetime(2026, 11, 23, 9, 0, tzinfo=timezone.get_default_timezone())
ENROL = "/accounts/security/two-factor/"


def browser() -> Client:
    return Client(headers={"accept-language": "en"})


def enrolled(user) -> str:  # type: ignore[no-untyped-def]
    client = browser()
    client.force_login(user)
    with time_machine.travel(T0, tick=False):
        return enrol(client, user)


def test_the_enrol_page_shows_a_qr_code_and_the_key(client, alice):
    client.force_login(alice)
    page = client.get(ENROL).content.decode()
    secret = client.session["_wm_totp_enrol_secret"]
    assert 'src="data:image/svg+xml' in page and secret in page
    assert not AccountSecurity.objects.filter(user=alice, totp_enabled_at__isnull=False).exists()


def test_a_wrong_confirming_code_leaves_it_off(client, alice):
    client.force_login(alice)
    client.get(ENROL)
    response = client.post(ENROL, {"code": "000000"})
    assert "This code is not right" in response.content.decode()
    assert not AccountSecurity.objects.filter(user=alice, totp_enabled_at__isnull=False).exists()


def test_a_right_code_turns_it_on_and_shows_recovery_codes_once(client, alice):
    client.force_login(alice)
    client.get(ENROL)
    secret = client.session["_wm_totp_enrol_secret"]
    response = client.post(ENROL, {"code": pyotp.TOTP(secret).now()})
    codes = response.context["codes"]
    assert len(codes) == 8 and all(code in response.content.decode() for code in codes)
    state = AccountSecurity.objects.get(user=alice)
    assert state.totp_enabled and crypto.decrypt(state.totp_secret) == secret
    assert secret not in state.totp_secret and codes[0] not in str(state.recovery_codes)
    assert client.get(ENROL)["Location"] == "/accounts/security/"  # no second enrolment


def test_enrolment_needs_a_signed_in_user(client, db):
    assert client.get(ENROL)["Location"].startswith("/accounts/login/")


def test_sign_in_then_asks_for_the_code(alice):
    enrolled(alice)
    client = browser()
    response = sign_in(client, "alice")
    assert response["Location"] == CODE
    assert "_auth_user_id" not in client.session
    assert client.get("/staff/").status_code == 302  # not signed in yet


def test_a_right_code_signs_in(alice):
    secret = enrolled(alice)
    client = browser()
    with time_machine.travel(T0 + timedelta(seconds=60), tick=False):
        sign_in(client, "alice")
        response = client.post(CODE, {"code": pyotp.TOTP(secret).now()})
        # read at the travelled time: afterwards the 12-hour session has long expired
        assert client.session["_auth_user_id"] == str(alice.pk)
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert LoginEvent.objects.filter(user=alice, outcome=LoginOutcome.SUCCESS).exists()


def test_the_next_page_survives_the_second_step(alice):
    secret = enrolled(alice)
    client = browser()
    with time_machine.travel(T0 + timedelta(seconds=60), tick=False):
        client.post(
            "/accounts/login/",
            {"username": "alice", "password": "Chang3-me!now", "next": "/notify/"},
        )
        response = client.post(CODE, {"code": pyotp.TOTP(secret).now()})
    assert response["Location"] == "/notify/"


def test_a_wrong_code_is_refused_and_counts_as_a_failure(alice):
    enrolled(alice)
    client = browser()
    with time_machine.travel(T0 + timedelta(seconds=60), tick=False):
        sign_in(client, "alice")
        response = client.post(CODE, {"code": "123456"})
        assert "_auth_user_id" not in client.session  # at the travelled time, not expired
    assert "This code is not right, or it was used already." in response.content.decode()
    assert LoginEvent.objects.filter(user=alice, outcome=LoginOutcome.BAD_CODE).count() == 1
    assert AccountSecurity.objects.get(user=alice).failed_logins == 1


def test_a_used_code_cannot_be_replayed(alice):
    secret = enrolled(alice)
    first, second = browser(), browser()
    with time_machine.travel(T0 + timedelta(seconds=60), tick=False):
        code = pyotp.TOTP(secret).now()
        sign_in(first, "alice")
        sign_in(second, "alice")
        assert first.post(CODE, {"code": code}).status_code == 302
        response = second.post(CODE, {"code": code})
        assert "_auth_user_id" not in second.session  # at the travelled time, not expired
    assert "used already" in response.content.decode()


def test_the_code_used_to_enrol_cannot_sign_in(alice):
    secret = enrolled(alice)
    client = browser()
    with time_machine.travel(T0 + timedelta(seconds=5), tick=False):  # same 30-second step
        sign_in(client, "alice")
        response = client.post(CODE, {"code": pyotp.TOTP(secret).at(T0)})
    assert "used already" in response.content.decode()


def test_wrong_codes_lock_the_account_like_wrong_passwords(alice):
    enrolled(alice)
    client = browser()
    with time_machine.travel(T0 + timedelta(seconds=60), tick=False):
        sign_in(client, "alice")
        for _ in range(4):
            client.post(CODE, {"code": "123456"})
        response = client.post(CODE, {"code": "123456"}, follow=True)
        page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "this account is locked. Try again after 09:16" in page


def test_the_code_step_expires(alice):
    secret = enrolled(alice)
    client = browser()
    with time_machine.travel(T0 + timedelta(seconds=60), tick=False):
        sign_in(client, "alice")
    with time_machine.travel(T0 + timedelta(minutes=7), tick=False):
        response = client.post(CODE, {"code": pyotp.TOTP(secret).now()}, follow=True)
    assert "the time to enter the code ran out" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_code_page_without_a_password_first_goes_back_to_sign_in(client, db):
    assert client.get(CODE)["Location"] == "/accounts/login/"


def test_a_recovery_code_signs_in_once(alice):
    client = browser()
    client.force_login(alice)
    with time_machine.travel(T0, tick=False):
        client.get(ENROL)
        secret = client.session["_wm_totp_enrol_secret"]
        codes = client.post(ENROL, {"code": pyotp.TOTP(secret).now()}).context["codes"]
    first, second = browser(), browser()
    sign_in(first, "alice")
    assert first.post(CODE, {"code": codes[0].upper()}).status_code == 302
    sign_in(second, "alice")
    assert "used already" in second.post(CODE, {"code": codes[0]}).content.decode()
    assert len(AccountSecurity.objects.get(user=alice).recovery_codes) == 7


def test_the_user_turns_it_off_with_a_current_code(alice):
    secret = enrolled(alice)
    client = browser()
    client.force_login(alice)
    with time_machine.travel(T0 + timedelta(seconds=60), tick=False):
        response = client.post(
            "/accounts/security/two-factor/disable/", {"code": "999999"}, follow=True
        )
        assert "This code is not right" in response.content.decode()
        code = pyotp.TOTP(secret).now()
        client.post("/accounts/security/two-factor/disable/", {"code": code})
    assert not AccountSecurity.objects.get(user=alice).totp_enabled
    assert sign_in(browser(), "alice")["Location"] == "/staff/"


def test_an_administrator_resets_a_lost_phone(client, alice, cast):
    enrolled(alice)
    client.force_login(cast.admin)
    response = client.post(
        "/admin/auth/user/", {"action": "reset_totp", "_selected_action": [alice.pk]}, follow=True
    )
    assert "Two-step verification reset for 1 account" in response.content.decode()
    state = AccountSecurity.objects.get(user=alice)
    assert not state.totp_enabled and state.totp_secret == "" and state.recovery_codes == []
    assert sign_in(browser(), "alice")["Location"] == "/staff/"
