"""Admin for the indicator tree (also importable on the staff page) and a read-only view of
cycles and tasks (they change only through the services)."""

from __future__ import annotations

from django.contrib import admin

from .models import Cycle, Indicator, Task


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "method", "points", "lead_unit", "is_active"]
    list_filter = ["level", "method", "is_active", "is_precondition"]
    list_select_related = ["lead_unit"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "lead_unit"]
    filter_horizontal = ["cooperating_units"]
    list_per_page = 100


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Cycle)
class CycleAdmin(ReadOnly):
    list_display = ["month", "due_on", "status", "closed_at"]


@admin.register(Task)
class TaskAdmin(ReadOnly):
    list_display = ["cycle", "indicator", "unit", "status", "due_on", "score"]
    list_filter = ["cycle", "status"]
    list_select_related = ["cycle", "indicator", "unit"]
    search_fields = ["indicator__code", "indicator__name", "unit__name"]
