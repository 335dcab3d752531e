from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Activity,
    Center,
    Certificate,
    LedgerEntry,
    Need,
    NeedEvent,
    ServicePolicy,
    Shift,
    StarLevel,
    Team,
    TeamMember,
    Volunteer,
)


@admin.register(Center)
class CenterAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "region", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region", "parent"]


@admin.register(ServicePolicy)
class ServicePolicyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ServicePolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StarLevel)
class StarLevelAdmin(admin.ModelAdmin):
    list_display = ["stars", "min_hours"]


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    """Identity numbers and phones appear masked only; registration goes through the portal."""

    list_display = ["real_name", "number", "id_number_masked", "phone_masked", "center", "status"]
    list_filter = ["status"]
    search_fields = ["real_name", "number"]
    fields = [
        "user",
        "number",
        "real_name",
        "gender",
        "birth_date",
        "id_number_masked",
        "phone_masked",
        "skills",
        "availability",
        "home_region",
        "center",
        "status",
        "review_note",
    ]
    readonly_fields = [
        "number",
        "gender",
        "birth_date",
        "id_number_masked",
        "phone_masked",
        "status",
    ]
    autocomplete_fields = ["user", "home_region", "center"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    raw_id_fields = ["volunteer"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "center", "service_type", "leader", "is_active"]
    list_filter = ["service_type", "is_active"]
    search_fields = ["name"]
    raw_id_fields = ["leader"]
    inlines = [TeamMemberInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Append-only records: visible, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "volunteer", "kind", "hours", "service_date", "center"]
    list_filter = ["kind"]
    search_fields = ["volunteer__number", "volunteer__real_name"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["code", "real_name", "volunteer_number", "total_hours", "issued_at"]
    search_fields = ["code", "volunteer_number"]


@admin.register(NeedEvent)
class NeedEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "need", "action", "from_state", "to_state", "actor_label"]
    list_filter = ["action"]


@admin.register(Need)
class NeedAdmin(ReadOnlyAdmin):
    """Needs move only through the four-order services (staff pages)."""

    list_display = ["code", "title", "state", "center", "created_at"]
    list_filter = ["state"]
    search_fields = ["code", "title"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "center", "status", "capacity"]
    list_filter = ["kind", "status", "service_type"]
    search_fields = ["title", "address"]
    raw_id_fields = ["need", "team", "center", "region", "created_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # activities are created on the staff pages (they generate shifts)


@admin.register(Shift)
class ShiftAdmin(ReadOnlyAdmin):
    list_display = ["activity", "starts_at", "ends_at", "capacity"]
