"""Sign-in with lockout and the optional second step, the account security page, the user's
own login history and second-factor enrolment."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wenming.core.errors import InvalidInput

from . import totp
from .forms import CodeForm, LoginForm
from .models import LoginOutcome
from .selectors import login_history_for_user
from .services import AccountLocked, locked_message, login_failure_record, login_guard

PENDING = "_wm_pending_login"  # password checked, second factor still to come
PENDING_SECONDS = 300
ENROL_SECRET = "_wm_totp_enrol_secret"


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["max_failures"] = settings.WENMING_LOGIN_MAX_FAILURES
        context["lockout_minutes"] = settings.WENMING_LOGIN_LOCKOUT_MINUTES
        return context

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        if not totp.totp_enabled(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,  # type: ignore[attr-defined]
            "at": int(time.time()),
            "next": self.get_success_url(),
        }
        return redirect("accounts_security:login_code")


def _restart_login(request: HttpRequest, message: str) -> HttpResponse:
    request.session.pop(PENDING, None)
    messages.error(request, message)
    return redirect("login")


def _pending(request: HttpRequest) -> tuple[dict[str, Any], Any] | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    user = get_user_model()._default_manager.filter(pk=pending["user"], is_active=True).first()
    return (pending, user) if user else None


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second sign-in step: a code from the authenticator app (or a recovery code)."""
    found = _pending(request)
    if found is None:
        return _restart_login(request, _("Sign in again: the time to enter the code ran out."))
    pending, user = found
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = user.get_username()
        try:
            login_guard(request=request, username=username)
        except AccountLocked as locked:
            return _restart_login(request, str(locked.message))
        if totp.totp_check(user=user, code=form.cleaned_data["code"]):
            request.session.pop(PENDING, None)
            login(request, user, backend=pending["backend"])
            return redirect(pending["next"])
        until = login_failure_record(
            request=request, username=username, outcome=LoginOutcome.BAD_CODE
        )
        if until is not None:
            return _restart_login(request, locked_message(until))
        form.add_error("code", _("This code is not right, or it was used already."))
    return render(request, "accounts_security/login_code.html", {"form": form})


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin signs in through the same form (lockout, second factor, history)."""
    return redirect_to_login(
        request.GET.get("next") or reverse("admin:index"), login_url=reverse("login")
    )


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """账号安全: password, second factor, recent sign-ins."""
    return render(
        request,
        "accounts_security/overview.html",
        {
            "totp_enabled": totp.totp_enabled(request.user),  # type: ignore[arg-type]
            "codes_left": totp.recovery_codes_left(request.user),  # type: ignore[arg-type]
            "events": login_history_for_user(user=request.user, limit=5),  # type: ignore[arg-type]
        },
    )


@login_required
def history(request: HttpRequest) -> HttpResponse:
    """My login history: time, address, browser, outcome."""
    events = login_history_for_user(user=request.user, limit=100)  # type: ignore[arg-type]
    return render(request, "accounts_security/history.html", {"events": events})


@login_required
@require_http_methods(["GET", "POST"])
def totp_enrol(request: HttpRequest) -> HttpResponse:
    """Scan the QR code, then confirm one code: only then is the second factor on."""
    user: Any = request.user
    if totp.totp_enabled(user):
        return redirect("accounts_security:overview")
    secret = request.session.get(ENROL_SECRET) or totp.totp_new_secret()
    request.session[ENROL_SECRET] = secret
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = totp.totp_enable(user=user, secret=secret, code=form.cleaned_data["code"])
        except InvalidInput as error:
            form.add_error("code", str(error.message))
        else:
            request.session.pop(ENROL_SECRET, None)
            return render(request, "accounts_security/recovery_codes.html", {"codes": codes})
    context = {
        "form": form,
        "secret": secret,
        "qr": totp.totp_qr_data_uri(user=user, secret=secret),
    }
    return render(request, "accounts_security/totp_enrol.html", context)


@login_required
@require_POST
def totp_disable(request: HttpRequest) -> HttpResponse:
    """Turning the second factor off takes a current code, like turning it on."""
    form = CodeForm(request.POST)
    user: Any = request.user
    if form.is_valid() and totp.totp_check(user=user, code=form.cleaned_data["code"]):
        totp.totp_disable(user=user)
        messages.success(request, _("Two-step verification is off."))
    else:
        messages.error(request, _("This code is not right, or it was used already."))
    return redirect("accounts_security:overview")
