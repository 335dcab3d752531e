from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.honors.forms import MultiplePhotoField
from wenming.org.models import Region, RegionLevel, Unit
from wenming.volunteers.models import Center

from .models import ActivityKind, LivelihoodProject, PhotoStage


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field, MultiplePhotoField):
            continue
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class ReportForm(forms.Form):
    """A monthly report: one quantity field per target of the project, text and photos."""

    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    text = forms.CharField(label=_("Progress this month"), widget=forms.Textarea(attrs={"rows": 4}))
    before = MultiplePhotoField(label=_("Photos before"), required=False)
    during = MultiplePhotoField(label=_("Photos during the works"), required=False)
    after = MultiplePhotoField(label=_("Photos after"), required=False)

    def __init__(self, *args: Any, project: LivelihoodProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = list(project.targets.all())
        for target in self.targets:
            self.fields[f"target_{target.pk}"] = forms.DecimalField(
                label=f"{target.name}（{target.measure}）",
                min_value=Decimal(0),
                max_digits=12,
                decimal_places=2,
                required=False,
                initial=0,
            )
        self.fields["month"].initial = timezone.localdate().replace(day=1)
        self.order_fields(["month", *[f"target_{t.pk}" for t in self.targets], "text"])
        _styled(self)

    def quantities(self) -> dict[int, Decimal]:
        data = self.cleaned_data
        return {t.pk: data.get(f"target_{t.pk}") or Decimal(0) for t in self.targets}

    def photos(self) -> list[tuple[str, Any]]:
        return [(s, f) for s in PhotoStage.values for f in self.cleaned_data.get(s) or []]


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Note or reason"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class CommentForm(forms.Form):
    author_name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[("", _("No rating")), *[(n, "★" * n) for n in range(5, 0, -1)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, finished: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not finished:
            del self.fields["rating"]
        _styled(self)


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=120)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.filter(
            level__in=[RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY]
        ).order_by("path"),
    )
    center = forms.ModelChoiceField(
        label=_("Practice center"), queryset=Center.objects.all(), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.filter(is_active=True), required=False
    )
    participants = forms.IntegerField(label=_("Participants"), min_value=0)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    photos = MultiplePhotoField(label=_("Photos"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )
