from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.cases.forms import BootstrapMixin
from wenming.cases.models import Category
from wenming.core.validators import validate_day_in_range

from .hotspots import SORTS

DEFAULT_DAYS = 30


class HotspotFilterForm(BootstrapMixin, forms.Form):
    start = forms.DateField(
        validators=[validate_day_in_range],
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        validators=[validate_day_in_range],
        label=_("To (inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    major = forms.ModelChoiceField(
        label=_("Major class"),
        required=False,
        queryset=Category.objects.filter(parent__isnull=True, is_active=True).order_by(
            "kind", "code"
        ),
    )
    sort = forms.ChoiceField(
        label=_("Rank by"),
        required=False,
        choices=[("count", _("Cases")), ("growth", _("Growth")), ("support", _("Support"))],
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        if (end - start).days > 366:
            raise forms.ValidationError(_("Choose a period of at most a year."))
        data["start"], data["end"] = start, end
        data["sort"] = data.get("sort") if data.get("sort") in SORTS else "count"
        return data


def default_period(today: date | None = None) -> tuple[date, date]:
    end = today or timezone.localdate()
    return end - timedelta(days=DEFAULT_DAYS - 1), end
