"""Idle sessions end: after WENMING_SESSION_IDLE_MINUTES without a request the user is signed
out, told why, and the sign-out is in their history."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from wenming.accounts_security.models import LoginEvent, LoginOutcome

from .conftest import sign_in

T0 = timezone.datetime(2026, 11, 23, 9, 0, tzinfo=timezone.get_default_timezone())


def test_thirty_idle_minutes_sign_out_with_a_message(client, alice):
    with time_machine.travel(T0, tick=False):
        sign_in(client, "alice")
    with time_machine.travel(T0 + timedelta(minutes=31), tick=False):
        response = client.get("/staff/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "signed out after 30 minutes without activity" in response.content.decode()
    assert LoginEvent.objects.filter(user=alice, outcome=LoginOutcome.TIMEOUT).count() == 1


def test_activity_keeps_the_session_alive(client, alice):
    with time_machine.travel(T0, tick=False):
        sign_in(client, "alice")
    for minutes in (20, 40, 60, 80):
        with time_machine.travel(T0 + timedelta(minutes=minutes), tick=False):
            assert client.get("/staff/").status_code == 200


def test_the_idle_time_is_a_setting(client, alice, settings):
    settings.WENMING_SESSION_IDLE_MINUTES = 5
    with time_machine.travel(T0, tick=False):
        sign_in(client, "alice")
    with time_machine.travel(T0 + timedelta(minutes=4), tick=False):
        assert client.get("/staff/").status_code == 200
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        assert client.get("/staff/").status_code == 302


def test_the_session_cookie_ends_with_the_browser(client, alice):
    sign_in(client, "alice")
    assert client.cookies["sessionid"]["max-age"] == ""


def test_background_refreshes_do_not_keep_an_idle_session_alive(client, alice):
    with time_machine.travel(T0, tick=False):
        sign_in(client, "alice")
    for minutes in (10, 20, 29):  # the notification badge polls every minute
        with time_machine.travel(T0 + timedelta(minutes=minutes), tick=False):
            assert client.get("/notify/badge/").status_code == 200
    with time_machine.travel(T0 + timedelta(minutes=31), tick=False):
        assert client.get("/staff/").status_code == 302
