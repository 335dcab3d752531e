"""Forms of the public portal: field-level, translated errors for every bad input."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wenming.cases.models import Category, Satisfaction
from wenming.cases.services import MAX_PHOTOS
from wenming.core.coords import SYSTEMS, WGS84
from wenming.core.validators import validate_mobile_phone

from .models import MessageKind

COORD_CHOICES = [
    ("wgs84", "WGS-84 (GPS)"),
    ("gcj02", _("GCJ-02 (Amap, Tencent, WeChat)")),
    ("bd09", _("BD-09 (Baidu)")),
]
assert [c for c, _label in COORD_CHOICES] == list(SYSTEMS)


def new_token() -> str:
    return uuid.uuid4().hex


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to MAX_PHOTOS files; each is checked and re-encoded by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("At most %(n)s photos.") % {"n": MAX_PHOTOS})
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class PhoneMixin:
    cleaned_data: dict[str, Any]

    def clean_phone(self, field: str) -> str:
        value = (self.cleaned_data.get(field) or "").strip()
        return validate_mobile_phone(value) if value else ""


class ReportForm(PhoneMixin, forms.Form):
    """随手拍: what, where, photos and (optionally) who."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_public=True, is_active=True, parent__isnull=False),
        error_messages={"required": _("Choose what kind of problem it is.")},
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe the problem.")},
    )
    photos = MultipleFileField(label=_("Photos"), required=False)
    lat = forms.FloatField(widget=forms.HiddenInput, required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(widget=forms.HiddenInput, required=False, min_value=-180, max_value=180)
    coord_system = forms.ChoiceField(
        label=_("Coordinate system"), choices=COORD_CHOICES, required=False, initial=WGS84
    )
    use_photo_location = forms.BooleanField(
        label=_("If I give no location, use the location stored in my photo"), required=False
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    reporter_name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    reporter_phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        help_text=_("To follow the case and rate it: you enter its last four digits."),
    )
    is_anonymous = forms.BooleanField(label=_("Report anonymously"), required=False)

    def clean_reporter_phone(self) -> str:
        return self.clean_phone("reporter_phone")

    def clean_coord_system(self) -> str:
        return self.cleaned_data.get("coord_system") or WGS84

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        has_point = data.get("lat") is not None and data.get("lon") is not None
        if (data.get("lat") is None) != (data.get("lon") is None):
            self.add_error(None, _("The location is incomplete; place the pin again."))
        elif not has_point and not data.get("address") and not data.get("use_photo_location"):
            self.add_error(
                "address",
                _("Give the location: use your position, tap the map, or write the address."),
            )
        return data


class NearbyForm(forms.Form):
    category = forms.IntegerField()
    lat = forms.FloatField(min_value=-90, max_value=90)
    lon = forms.FloatField(min_value=-180, max_value=180)
    coord_system = forms.ChoiceField(choices=COORD_CHOICES, required=False)


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Case code"), max_length=20)
    digits = forms.RegexField(
        label=_("Last 4 digits of your phone"),
        regex=r"^\d{4}$",
        required=False,
        max_length=4,
        help_text=_("Optional: shows your details and lets you rate the case."),
        error_messages={"invalid": _("Enter exactly four digits.")},
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class RatingForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    resolved = forms.TypedChoiceField(
        label=_("Was the problem solved?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class BoardMessageForm(PhoneMixin, forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=MessageKind.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    title = forms.CharField(label=_("Title"), max_length=80)
    body = forms.CharField(
        label=_("Message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=[
            ("public", _("Public: shown on the board after moderation")),
            ("private", _("Private: only you (with the code and your phone)")),
        ],
        initial="public",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    author_name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    author_phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)

    def clean_author_phone(self) -> str:
        return self.clean_phone("author_phone")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        private = data.get("visibility") == "private"
        if private and not data.get("author_phone") and "author_phone" not in self.errors:
            self.add_error(
                "author_phone",
                _("A private message needs your phone number, so you can read it."),
            )
        return data


class MessageLookupForm(forms.Form):
    code = forms.CharField(label=_("Message code"), max_length=12)
    digits = forms.RegexField(
        label=_("Last 4 digits of your phone"),
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={"invalid": _("Enter exactly four digits.")},
    )


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    note = forms.CharField(label=_("Reason"), max_length=200, required=False)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Official reply"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ToCaseForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True, parent__isnull=False).select_related(
            "parent"
        ),
        required=False,
        empty_label=_("Decide at registration"),
    )
