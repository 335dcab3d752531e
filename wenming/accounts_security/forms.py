from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import LoginOutcome
from .services import AccountLocked, locked_message, login_failure_record, login_guard


class LoginForm(AuthenticationForm):
    """Django's sign-in form, refusing locked accounts and counting failures."""

    def clean(self):  # type: ignore[no-untyped-def]
        request = self.request or HttpRequest()  # Django passes one; tests may not
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not (username and password):
            return self.cleaned_data
        try:
            login_guard(request=request, username=username)
        except AccountLocked as locked:
            raise forms.ValidationError(str(locked.message), code="locked") from locked
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            until = login_failure_record(
                request=request, username=username, outcome=LoginOutcome.BAD_PASSWORD
            )
            if until is not None:
                raise forms.ValidationError(locked_message(until), code="locked")
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=32,
        help_text=_("The 6-digit code in your authenticator app, or one of your recovery codes."),
    )
