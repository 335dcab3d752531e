from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import IdempotencyKey, Open311ApiKey, Open311Submission, ServiceAttribute
from .open311.selectors import api_key_hash
from .open311.services import api_key_new_raw


@admin.register(Open311ApiKey)
class Open311ApiKeyAdmin(admin.ModelAdmin):
    """Keys are made here; the key itself is shown once, in the message after saving."""

    list_display = ["name", "is_active", "created_at", "created_by"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    fields = ["name", "is_active"]
    actions = ["deactivate"]

    def save_model(self, request: HttpRequest, obj: Open311ApiKey, form: Any, change: bool) -> None:
        raw = None
        if not change:
            raw = api_key_new_raw()
            obj.key_hash, obj.created_by = api_key_hash(raw), request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        if raw:
            messages.warning(
                request,
                _("The API key for %(name)s is %(key)s — copy it now, it is not shown again.")
                % {"name": obj.name, "key": raw},
            )

    @admin.action(description=_("Deactivate the selected keys"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Open311ApiKey]) -> None:
        queryset.update(is_active=False)


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(admin.ModelAdmin):
    list_display = ["category", "order", "code", "description", "datatype", "required"]
    list_filter = ["datatype", "required"]
    search_fields = ["code", "description", "category__name"]
    autocomplete_fields = ["category"]


@admin.register(Open311Submission)
class Open311SubmissionAdmin(admin.ModelAdmin):
    list_display = ["case", "api_key", "created_at"]
    list_filter = ["api_key"]
    search_fields = ["case__code"]
    readonly_fields = [f.name for f in Open311Submission._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    list_display = ["owner", "key", "case", "created_at"]
    search_fields = ["key", "case__code"]
    readonly_fields = ["owner", "key", "body_hash", "case", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
