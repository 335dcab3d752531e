"""Forms of the accountability pages (filters and the list/exposure editors)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.core.validators import validate_day_in_range

from .models import PeriodKind
from .services import MAX_LIST_SIZE

BY_CHOICES = [("unit", _("Units")), ("region", _("Regions"))]


class PeriodForm(forms.Form):
    """Period type and a date inside the period; regions the user may pick."""

    period = forms.ChoiceField(
        label=_("Period type"), choices=PeriodKind.choices, initial=PeriodKind.MONTH, required=False
    )
    date = forms.DateField(
        validators=[validate_day_in_range],
        label=_("Date in the period"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args: object, regions: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = [("", _("All in my scope"))] + [
            (r.code, f"{'· ' * max(r.depth - 2, 0)}{r.name}") for r in regions
        ]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} form-select-sm form-control-sm")


class MetricsFilterForm(PeriodForm):
    by = forms.ChoiceField(label=_("Rows"), choices=BY_CHOICES, required=False)
    q = forms.CharField(label=_("Name or code"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["by"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["q"].widget.attrs["class"] = "form-control form-control-sm"


class ListDraftForm(forms.Form):
    top = forms.IntegerField(
        label=_("Units on the red list"), min_value=0, max_value=MAX_LIST_SIZE, initial=3
    )
    bottom = forms.IntegerField(
        label=_("Units on the black list"), min_value=0, max_value=MAX_LIST_SIZE, initial=3
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=120)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CorrectionForm(forms.Form):
    note = forms.CharField(
        label=_("What the correction is for"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ExposureNewForm(forms.Form):
    code = forms.CharField(label=_("Case code"), max_length=20)
    comment = forms.CharField(
        label=_("Office's comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExposureEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    summary = forms.CharField(
        label=_("Summary (redacted)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    comment = forms.CharField(
        label=_("Office's comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
