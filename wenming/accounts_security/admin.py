"""Administrators unlock accounts, reset a lost second factor and read the login history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services, totp
from .models import AccountSecurity, LoginEvent

User = get_user_model()


def _unlock(admin_view: Any, request: HttpRequest, users: list[Any]) -> None:
    for user in users:
        services.account_unlock(user=user)
    admin_view.message_user(
        request,
        ngettext("Unlocked %(n)d account.", "Unlocked %(n)d accounts.", len(users))
        % {"n": len(users)},
        messages.SUCCESS,
    )


def _reset_totp(admin_view: Any, request: HttpRequest, users: list[Any]) -> None:
    for user in users:
        totp.totp_disable(user=user)
    admin_view.message_user(
        request,
        ngettext(
            "Two-step verification reset for %(n)d account: it signs in with the password "
            "alone until it enrols again.",
            "Two-step verification reset for %(n)d accounts: they sign in with the password "
            "alone until they enrol again.",
            len(users),
        )
        % {"n": len(users)},
        messages.SUCCESS,
    )


@admin.register(AccountSecurity)
class AccountSecurityAdmin(admin.ModelAdmin):
    list_display = ["user", "locked_until", "failed_logins", "totp_enabled_at"]
    list_filter = [("locked_until", admin.EmptyFieldListFilter)]
    search_fields = ["user__username"]
    fields = readonly_fields = ("user", "failed_logins", "locked_until", "totp_enabled_at")
    actions = ["unlock", "reset_totp"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[AccountSecurity]) -> None:
        _unlock(self, request, [s.user for s in queryset.select_related("user")])

    @admin.action(description=_("Reset two-step verification"))
    def reset_totp(self, request: HttpRequest, queryset: QuerySet[AccountSecurity]) -> None:
        _reset_totp(self, request, [s.user for s in queryset.select_related("user")])


@admin.register(LoginEvent)
class LoginEventAdmin(admin.ModelAdmin):
    """Read-only: the history is evidence and is never edited."""

    list_display = ["created_at", "username", "user", "outcome", "ip", "user_agent"]
    list_filter = ["outcome", "created_at"]
    search_fields = ["username", "ip"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class SecureUserAdmin(UserAdmin):
    """Django's user admin with the two account-security actions."""

    actions = ["unlock", "reset_totp"]

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        _unlock(self, request, list(queryset))

    @admin.action(description=_("Reset two-step verification"))
    def reset_totp(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        _reset_totp(self, request, list(queryset))
