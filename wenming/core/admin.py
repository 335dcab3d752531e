from datetime import time
from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .calendar import DEFAULT_PERIODS, invalidate_work_calendar, national_is_workday
from .models import CalendarOverride, FailedJob, OfficeHours


class InvalidatesWorkCalendar(admin.ModelAdmin):
    """Every admin change of a calendar table drops the cached calendar once it is committed
    (other processes notice within calendar.FINGERPRINT_TTL_SECONDS)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(invalidate_work_calendar)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(invalidate_work_calendar)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)
        transaction.on_commit(invalidate_work_calendar)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(InvalidatesWorkCalendar):
    list_display = ["date", "weekday", "is_workday", "national_calendar", "note"]
    list_filter = ["is_workday"]
    search_fields = ["note"]
    date_hierarchy = "date"

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarOverride) -> str:
        return date_format(obj.date, "D")

    @admin.display(description=_("national calendar"))
    def national_calendar(self, obj: CalendarOverride) -> str:
        national = national_is_workday(obj.date)
        if national is None:
            return str(_("no data for this year"))
        return str(_("workday") if national else _("day off"))


class OfficeHoursForm(forms.ModelForm):
    class Meta:
        model = OfficeHours
        fields = ["start", "end"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None or end is None:
            return cleaned
        if end <= start:
            raise forms.ValidationError(_("A working period must end after it starts."))
        others = OfficeHours.objects.filter(start__lt=end, end__gt=start)
        clash = others.exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise forms.ValidationError(
                _("This period overlaps the working period %(period)s.") % {"period": clash}
            )
        return cleaned


@admin.register(OfficeHours)
class OfficeHoursAdmin(InvalidatesWorkCalendar):
    form = OfficeHoursForm
    list_display = ["__str__", "hours"]

    @admin.display(description=_("hours"))
    def hours(self, obj: OfficeHours) -> str:
        return f"{_minutes(obj.start, obj.end) / 60:.2f}"

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        periods = list(OfficeHours.objects.values_list("start", "end"))
        if periods:
            total = sum(_minutes(start, end) for start, end in periods) / 60
            subtitle = _("%(hours).2f working hours a day.") % {"hours": total}
        else:
            default = ", ".join(f"{start:%H:%M}–{end:%H:%M}" for start, end in DEFAULT_PERIODS)
            subtitle = _("No periods yet: the default office hours %(periods)s apply.") % {
                "periods": default
            }
        extra_context = {**(extra_context or {}), "subtitle": subtitle}
        return super().changelist_view(request, extra_context)  # type: ignore[return-value]


def _minutes(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


@admin.register(FailedJob)
class FailedJobAdmin(admin.ModelAdmin):
    """Jobs that failed their last attempt, on any task backend; the action runs them again."""

    list_display = ["task_path", "attempts", "failed_at", "retried_at", "backend"]
    list_filter = ["task_path", "backend"]
    readonly_fields = [f.name for f in FailedJob._meta.fields]
    actions = ["run_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Run the selected jobs again"))
    def run_again(self, request: HttpRequest, queryset: QuerySet[FailedJob]) -> None:
        from .tasks import retry_failed

        for failed in queryset:
            retry_failed(failed)
        self.message_user(request, _("%(n)d job(s) queued again.") % {"n": queryset.count()})
