"""Every completed sign-in (the login form, the second-factor step, a volunteer's first
sign-in after registering) lands in the login history and starts the idle clock."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import mark_active
from .services import login_success_record


@receiver(user_logged_in, dispatch_uid="accounts_security.logged_in")
def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    login_success_record(request=request, user=user)
    mark_active(request)
