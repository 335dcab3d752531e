from django.contrib import admin

from .models import Suggestion, SuggestionModel, TriageSettings


@admin.register(TriageSettings)
class TriageSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "auto_accept_threshold", "duplicate_radius_m", "hotspot_radius_m"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return not TriageSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(SuggestionModel)
class SuggestionModelAdmin(admin.ModelAdmin):
    """Read-only: models are written by `wenming triage train` only (the pipeline is a pickle)."""

    list_display = ["version", "trained_at", "source", "sample_count", "is_active"]
    exclude = ["pipeline"]
    readonly_fields = [f.name for f in SuggestionModel._meta.fields if f.name != "pipeline"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).defer("pipeline")


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["case", "model_version", "accepted_rank", "accepted_unit_rank", "auto_accepted"]
    list_filter = ["model_version", "accepted_rank", "auto_accepted"]
    raw_id_fields = ["case", "model"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
