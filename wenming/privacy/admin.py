from django.contrib import admin
from django.http import HttpRequest

from .models import DataRequest


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: requests are decided on the staff page, through the service (audited)."""

    list_display = ["code", "kind", "status", "phone_masked", "created_at", "decided_by"]
    list_filter = ["kind", "status"]
    search_fields = ["code"]
    readonly_fields = [f.name for f in DataRequest._meta.fields if f.editable]
    exclude = ["phone_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
