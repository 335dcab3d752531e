"""Admin of accountability. Published lists, their entries and published exposures are read
only here as everywhere (the models refuse changes too)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Exposure, ListEntry, ListStatus, MetricWeights, RedBlackList, RollupWatermark


@admin.register(MetricWeights)
class MetricWeightsAdmin(admin.ModelAdmin):
    list_display = [
        "period_kind",
        "min_sample",
        "on_time_rate",
        "satisfaction_rate",
        "inspection_score",
        "task_score",
    ]


class ReadOnlyWhenPublished:
    """Change and delete are refused for a published object."""

    def _published(self, obj: Any) -> bool:
        return obj is not None and getattr(obj, "status", "") == ListStatus.PUBLISHED

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._published(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._published(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class EntryInline(admin.TabularInline):
    model = ListEntry
    extra = 0
    autocomplete_fields = ["unit"]

    def _published(self, obj: Any) -> bool:
        return obj is not None and obj.status == ListStatus.PUBLISHED

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._published(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._published(obj) and super().has_delete_permission(request, obj)


@admin.register(RedBlackList)
class RedBlackListAdmin(ReadOnlyWhenPublished, admin.ModelAdmin):
    list_display = ["title", "region", "period_kind", "period_start", "version", "status"]
    list_filter = ["status", "period_kind"]
    search_fields = ["title"]
    readonly_fields = [
        "status",
        "version",
        "supersedes",
        "created_by",
        "approved_by",
        "approved_at",
        "published_by",
        "published_at",
    ]
    inlines = [EntryInline]


@admin.register(Exposure)
class ExposureAdmin(ReadOnlyWhenPublished, admin.ModelAdmin):
    list_display = ["title", "region", "unit_name", "reported_at", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    readonly_fields = ["case", "status", "created_by", "published_by", "published_at"]


@admin.register(RollupWatermark)
class RollupWatermarkAdmin(admin.ModelAdmin):
    list_display = ["name", "last_event_id", "last_run_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
