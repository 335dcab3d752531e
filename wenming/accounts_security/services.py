"""Sign-in security: lockout after repeated failures with a cool-down, and the login history.

The counters live on AccountSecurity; every attempt is a LoginEvent row. Settings:
WENMING_LOGIN_MAX_FAILURES failures in a row lock an account for WENMING_LOGIN_LOCKOUT_MINUTES.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from wenming.core.errors import DomainError

from .models import AccountSecurity, LoginEvent, LoginOutcome
from .net import client_ip, user_agent


class AccountLocked(DomainError):
    code = "account_locked"
    status = 403
    default_message = _("This account is locked after too many failed sign-ins.")


def locked_message(until: datetime) -> str:
    """Tells a locked user when to try again (local time and minutes left)."""
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return str(
        _(
            "Too many failed sign-ins: this account is locked. Try again after %(time)s "
            "(in about %(minutes)s minutes), or ask an administrator to unlock it."
        )
    ) % {"time": formats.time_format(timezone.localtime(until), "H:i"), "minutes": minutes}


def _user_named(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def login_event_record(
    *, request: HttpRequest, username: str, outcome: str, user: User | None = None
) -> LoginEvent:
    return LoginEvent.objects.create(
        user=user,
        username=username[:150],
        outcome=outcome,
        ip=client_ip(request),
        user_agent=user_agent(request),
    )


def login_guard(*, request: HttpRequest, username: str) -> None:
    """Refuse (AccountLocked, recorded in the history) while the account is locked."""
    state = AccountSecurity.objects.filter(
        user__username=username, locked_until__gt=timezone.now()
    ).first()
    if state is not None and state.locked_until is not None:
        login_event_record(
            request=request, username=username, outcome=LoginOutcome.LOCKED, user=state.user
        )
        raise AccountLocked(locked_message(state.locked_until))


def login_failure_record(*, request: HttpRequest, username: str, outcome: str) -> datetime | None:
    """Record a failed attempt; the last allowed failure in a row locks the account.
    Returns the end of the lock when this failure caused one."""
    user = _user_named(username)
    login_event_record(request=request, username=username, outcome=outcome, user=user)
    if user is None:
        return None
    with transaction.atomic():
        AccountSecurity.objects.get_or_create(user=user)
        # Locked so two simultaneous failures both count.
        state = AccountSecurity.objects.select_for_update().get(user=user)
        state.failed_logins += 1
        if state.failed_logins >= settings.WENMING_LOGIN_MAX_FAILURES:
            minutes = settings.WENMING_LOGIN_LOCKOUT_MINUTES
            state.locked_until = timezone.now() + timedelta(minutes=minutes)
            state.failed_logins = 0
        state.save(update_fields=["failed_logins", "locked_until"])
    return state.locked_until if state.failed_logins == 0 else None


def login_success_record(*, request: HttpRequest, user: User) -> None:
    """A completed sign-in: history row, and the failure count starts again from zero."""
    login_event_record(
        request=request, username=user.get_username(), outcome=LoginOutcome.SUCCESS, user=user
    )
    AccountSecurity.objects.filter(user=user, failed_logins__gt=0).update(failed_logins=0)


def account_unlock(*, user: User) -> None:
    """An administrator lifts a lock (and forgets the failures)."""
    AccountSecurity.objects.filter(user=user).update(failed_logins=0, locked_until=None)
