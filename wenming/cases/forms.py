"""Forms of the staff console: one per move on the case page, and the search filters.

Every action form carries the case `version` it was rendered with (`expected_version`), so a
change made by someone else in between is reported by the service instead of being overwritten.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from wenming.core.validators import validate_day_in_range
from wenming.org.models import Region, Unit

from .models import Category, Channel, Nature, Satisfaction, Urgency, Visibility
from .selectors import CaseFilters
from .services import MAX_PHOTOS
from .states import State

INDENT = "\u3000"  # an ideographic space: indents region names in a select


class BootstrapMixin:
    """Give every widget Bootstrap's classes (the project has no form-rendering package)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            elif isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            else:
                css = "form-control form-control-sm"
            widget.attrs.setdefault("class", css)


class ActionForm(BootstrapMixin, forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class NoteForm(ActionForm):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RequiredNoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(ActionForm):
    answer = forms.CharField(
        label=_("Answer given to the reporter"), widget=forms.Textarea(attrs={"rows": 3})
    )


def _minor_categories() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True, parent__isnull=False).order_by(
            "kind", "code"
        ),
    )


class RegisterForm(NoteForm):
    category = _minor_categories()
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    nature = forms.ChoiceField(label=_("Nature"), choices=Nature.choices)
    field_order = ["category", "urgency", "nature", "note", "expected_version"]


def _unit_field(label: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label, queryset=Unit.objects.filter(is_active=True).order_by("kind", "code")
    )


class DispatchForm(NoteForm):
    unit = _unit_field(_("Responsible unit"))
    field_order = ["unit", "note", "expected_version"]


class RedispatchForm(DispatchForm):
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(NoteForm):
    into = forms.CharField(label=_("Code of the surviving case"), max_length=20)
    field_order = ["into", "note", "expected_version"]


class ExtensionForm(ReasonForm):
    extra_days = forms.IntegerField(
        label=_("Extra working days"), min_value=1, max_value=60, initial=3
    )
    field_order = ["extra_days", "reason", "expected_version"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input; each is checked and re-encoded by the service."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(n)s photos.") % {"n": MAX_PHOTOS})
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


class FeedbackForm(ActionForm):
    text = forms.CharField(
        label=_("How the case was handled"), widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = MultiplePhotoField(label=_("Photos of the result"), required=False)
    field_order = ["text", "photos", "expected_version"]


class VerifyForm(ActionForm):
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Passed: the problem is solved")), ("0", _("Failed: send for rework"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    note = forms.CharField(
        label=_("Note (required for rework)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photos = MultiplePhotoField(label=_("Photos from the site"), required=False)
    field_order = ["passed", "note", "photos", "expected_version"]


class CallbackForm(ActionForm):
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), choices=Satisfaction.choices)
    resolved = forms.TypedChoiceField(
        label=_("Problem resolved"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda value: value == "1",
    )
    comment = forms.CharField(
        label=_("What the reporter said"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommentForm(RequiredNoteForm):
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=[
            (Visibility.INTERNAL, _("Internal (staff console only)")),
            (Visibility.STAFF, _("Staff")),
        ],
    )


class DecideForm(ActionForm):
    note = forms.CharField(
        label=_("Decision note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    approve = forms.TypedChoiceField(
        choices=[("1", _("Approve")), ("0", _("Turn down"))],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )


# ---------------------------------------------------------------- search


class SearchForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label=_("Case code"), required=False, max_length=20)
    phone = forms.CharField(label=_("Reporter phone"), required=False, max_length=20)
    text = forms.CharField(label=_("Text"), required=False, max_length=100)
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.none(),
        empty_label=_("All categories"),
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *State.choices]
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices]
    )
    date_from = forms.DateField(
        validators=[validate_day_in_range],
        label=_("Reported from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        validators=[validate_day_in_range],
        label=_("Reported to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=Unit.objects.none(), empty_label=_("All units")
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.order_by("kind", "code")  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.order_by("kind", "code")  # type: ignore[attr-defined]
        self.fields["region"].choices = [("", _("All regions in scope"))] + [  # type: ignore[attr-defined]
            (r.code, INDENT * _depth(r) + r.name) for r in regions
        ]

    def filters(self) -> CaseFilters:
        """The valid filters (invalid ones are left out, the form shows their errors)."""
        self.is_valid()
        data = self.cleaned_data
        category, unit = data.get("category"), data.get("unit")
        return CaseFilters(
            code=data.get("code", ""),
            phone=data.get("phone", ""),
            text=data.get("text", "").strip(),
            category=category.pk if category else None,
            state=data.get("state", ""),
            region=data.get("region", ""),
            channel=data.get("channel", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            overdue=data.get("overdue", False),
            unit=unit.pk if unit else None,
        )


def _depth(region: Region) -> int:
    return max(region.path.strip("/").count("/") - 1, 0)
