from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Delivery, Notification
from .senders import mask_address
from .services import deliveries_retry


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ("channel", "masked_address", "status", "attempts", "sent_at", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("address"))
    def masked_address(self, obj: Delivery) -> str:
        return mask_address(obj.address)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "recipient__username", "recipient__first_name"]
    list_select_related = ["recipient"]
    readonly_fields = ["recipient", "kind", "title", "body", "url", "created_at", "read_at"]
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # messages come from the actions that cause them (services.notify)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: the worker owns deliveries; staff may only queue failed ones again."""

    list_display = [
        "notification",
        "channel",
        "masked_address",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["address", "notification__title"]
    list_select_related = ["notification"]
    actions = ["retry"]
    exclude = ["address"]  # phones shown masked (masked_address)
    readonly_fields = ["masked_address"]

    @admin.display(description=_("address"))
    def masked_address(self, obj: Delivery) -> str:
        return mask_address(obj.address)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Retry the selected failed deliveries"), permissions=["view"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = deliveries_retry(delivery_ids=queryset.values_list("pk", flat=True))
        message = ngettext(
            "%(count)d failed delivery queued again.",
            "%(count)d failed deliveries queued again.",
            count,
        ) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)
