"""Forms of the assessment pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


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


class EvidenceForm(StyledForm):
    text = forms.CharField(
        label=_("Text or caption"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word (.docx) or Excel (.xlsx) up to 20 MB, or a photo up to 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx,.xlsx,image/jpeg,image/png,image/webp,image/heic"}
        ),
    )
    case_code = forms.CharField(
        label=_("Or link a case by its code"), required=False, max_length=20
    )


class ReviewForm(StyledForm):
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("yes", _("Pass")), ("no", _("Fail: rectify"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    score = forms.DecimalField(
        label=_("Score (0–100)"), min_value=0, max_value=100, decimal_places=1
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    rectify_by = forms.DateField(
        label=_("Rectify by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a failure; empty: 5 working days from today."),
    )


class UploadForm(StyledForm):
    file = forms.FileField(label=_("File (.yaml or .xlsx)"))
