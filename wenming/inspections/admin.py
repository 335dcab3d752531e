"""Admin for the configuration a city edits (site types, sites, checklists) and a read-only
view of rounds and inspections (they change only through the services)."""

from __future__ import annotations

from django.contrib import admin

from .models import Checklist, ChecklistItem, InspectionRound, PointSite, SiteInspection, SiteType


@admin.register(SiteType)
class SiteTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "code"]


@admin.register(PointSite)
class PointSiteAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "site_type", "region", "unit", "liaison", "is_active"]
    list_filter = ["is_active", "site_type"]
    list_select_related = ["site_type", "region", "unit", "liaison"]
    search_fields = ["code", "name", "address"]
    autocomplete_fields = ["region", "unit", "liaison"]
    list_per_page = 50


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1
    autocomplete_fields = ["category", "indicator"]
    fields = ["order", "text", "category", "indicator", "deduction", "photo_required"]


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = ["name", "site_type", "is_active"]
    list_filter = ["is_active", "site_type"]
    inlines = [ChecklistItemInline]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(InspectionRound)
class InspectionRoundAdmin(ReadOnly):
    list_display = ["name", "region", "starts_on", "ends_on", "status", "created_by"]
    list_filter = ["status"]


@admin.register(SiteInspection)
class SiteInspectionAdmin(ReadOnly):
    list_display = ["site", "round", "inspector", "inspected_at", "score"]
    list_select_related = ["site", "round", "inspector"]
    date_hierarchy = "inspected_at"
