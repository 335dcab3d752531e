"""Forms of the inspection pages. The inspector's checklist is parsed in `answers_from_post`,
since its fields depend on the site's checklist."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from wenming.core.scope import scope_filter
from wenming.org.models import Region, RegionLevel, Role

from .access import MANAGE_ROLES
from .models import ChecklistItem, SiteType
from .services import ItemAnswer


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so templates render fields as they are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class DateInput(forms.DateInput):
    input_type = "date"


def inspectors() -> QuerySet[User]:
    users = User.objects.filter(memberships__role=Role.INSPECTOR, is_active=True)
    return users.distinct().order_by("username")


class RoundForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    region = forms.ModelChoiceField(label=_("Area"), queryset=Region.objects.none())
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    types = forms.ModelMultipleChoiceField(
        label=_("Site types to sample"),
        queryset=SiteType.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    per_type = forms.IntegerField(
        label=_("Sites per type"),
        min_value=0,
        required=False,
        help_text=_("Drawn at random; empty or 0: every site of the type."),
    )
    seed = forms.IntegerField(
        label=_("Random seed"),
        min_value=0,
        required=False,
        help_text=_("The same seed gives the same sample; empty: a new one is drawn and kept."),
    )
    site_codes = forms.CharField(
        label=_("Or pick sites by code"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Site codes separated by spaces or commas; overrides the sampling."),
    )
    inspector = forms.ModelChoiceField(
        label=_("Assign every site to"), queryset=User.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = Region.objects.filter(
            level__in=[RegionLevel.CITY, RegionLevel.DISTRICT, RegionLevel.STREET]
        ).order_by("path")
        region_field: forms.ModelChoiceField = self.fields["region"]  # type: ignore[assignment]
        region_field.queryset = scope_filter(user, areas, region_field="", roles=MANAGE_ROLES)
        self.fields["inspector"].queryset = inspectors()  # type: ignore[attr-defined]
        self.fields["inspector"].label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("starts_on", today)
            self.initial.setdefault("per_type", 2)


class AssignForm(StyledForm):
    inspector = forms.ModelChoiceField(
        label=_("Inspector"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— nobody (take back) —"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors()  # type: ignore[attr-defined]
        self.fields["inspector"].label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]


class UploadForm(StyledForm):
    file = forms.FileField(label=_("File"))


class RecheckForm(StyledForm):
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("yes", _("Rectified")), ("no", _("Not rectified: rework"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    submission_id = forms.CharField(widget=forms.HiddenInput, max_length=64)


def answers_from_post(
    items: list[ChecklistItem], data: QueryDict, files: MultiValueDict[str, UploadedFile]
) -> list[ItemAnswer]:
    """The checklist answers as the form (or its offline copy) posts them:
    `item-<id>` = pass/fail/na, `item-<id>-note`, `item-<id>-photos` (several files)."""
    answers = []
    for item in items:
        outcome = data.get(f"item-{item.pk}", "")
        if not outcome:
            continue
        answers.append(
            ItemAnswer(
                item_id=item.pk,
                outcome=outcome,
                note=data.get(f"item-{item.pk}-note", ""),
                photos=files.getlist(f"item-{item.pk}-photos"),
            )
        )
    return answers


def float_or_none(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None
