from django.contrib import admin

from .models import BoardMessage, ReportToken, SensitiveWord


@admin.register(SensitiveWord)
class SensitiveWordAdmin(admin.ModelAdmin):
    list_display = ("word", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("word",)


HIDDEN = ("author_phone_encrypted", "author_phone_hash", "author_phone_tail")


@admin.register(BoardMessage)
class BoardMessageAdmin(admin.ModelAdmin):
    """Read-mostly: moderation happens on the staff board pages, through the services."""

    list_display = ("code", "title", "kind", "status", "is_public", "created_at")
    list_filter = ("status", "kind", "is_public")
    search_fields = ("code", "title")
    exclude = HIDDEN
    readonly_fields = [f.name for f in BoardMessage._meta.fields if f.name not in HIDDEN]

    def has_add_permission(self, request: object) -> bool:  # type: ignore[override]
        return False


@admin.register(ReportToken)
class ReportTokenAdmin(admin.ModelAdmin):
    list_display = ("token", "case", "created_at")
    search_fields = ("token", "case__code")
    readonly_fields = ("token", "case", "created_at")
