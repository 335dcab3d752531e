"""Forms of volunteer service pages. Validation of identity numbers and phones is the shared
one (wenming.core.validators); business rules stay in the services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.core.validators import validate_id_number, validate_mobile_phone
from wenming.org.models import Region, RegionLevel

from .models import Availability, Center, ServiceType, Team

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so templates render fields as they are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def community_choices() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Community"),
        queryset=Region.objects.filter(
            level__in=[RegionLevel.COMMUNITY], centers__isnull=False
        ).order_by("path"),
        help_text=_("Only communities served by a practice center are listed."),
    )


class RegistrationForm(StyledForm):
    real_name = forms.CharField(label=_("Real name"), max_length=50)
    id_number = forms.CharField(
        label=_("Identity number"),
        max_length=20,
        help_text=_("Stored encrypted; only the masked form is ever shown."),
    )
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
    home_region = forms.ModelChoiceField(label=_("Home community"), queryset=Region.objects.none())
    skills = forms.MultipleChoiceField(
        label=_("Skills and interests"),
        choices=ServiceType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    availability = forms.MultipleChoiceField(
        label=_("When you can serve"),
        choices=Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("You sign in with your phone number and this password."),
    )
    agree = forms.BooleanField(
        label=_("I agree that my data is used to record my volunteer service."), required=True
    )

    def __init__(self, *args: Any, needs_password: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_region"] = community_choices()
        self.fields["home_region"].label = _("Home community")
        self.style()
        if not needs_password:
            del self.fields["password"]
        else:
            self.fields["password"].required = True

    def clean_id_number(self) -> str:
        return validate_id_number(self.cleaned_data["id_number"])

    def clean_phone(self) -> str:
        return validate_mobile_phone(self.cleaned_data["phone"])

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        if password:
            password_validation.validate_password(password)
        return password


class NeedForm(StyledForm):
    title = forms.CharField(label=_("What is needed"), max_length=120)
    description = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}))
    service_type = forms.ChoiceField(label=_("Service type"), choices=ServiceType.choices)
    region = forms.ModelChoiceField(label=_("Community"), queryset=Region.objects.none())
    address = forms.CharField(label=_("Address"), max_length=200)
    starts_at = forms.DateTimeField(label=_("From"), widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label=_("Until"), widget=LocalDateTimeInput())
    people_needed = forms.IntegerField(label=_("Volunteers needed"), min_value=1, max_value=200)
    requester_name = forms.CharField(label=_("Contact name"), max_length=50)
    requester_org = forms.CharField(
        label=_("Community or organization"), max_length=100, required=False
    )
    requester_phone = forms.CharField(label=_("Contact phone"), max_length=20)

    def clean_requester_phone(self) -> str:
        return validate_mobile_phone(self.cleaned_data["requester_phone"])

    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = community_choices()
        self.style()


class TrackForm(StyledForm):
    code = forms.CharField(label=_("Need code"), max_length=20)
    phone = forms.CharField(label=_("Contact phone"), max_length=20)


class RateForm(StyledForm):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class NoteForm(StyledForm):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DispatchForm(StyledForm):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, teams: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if teams is not None:
            cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams


class ActivityForm(StyledForm):
    KIND_CHOICES = [("one_off", _("One-off")), ("recurring", _("Recurring shift roster"))]

    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    service_type = forms.ChoiceField(label=_("Service type"), choices=ServiceType.choices)
    center = forms.ModelChoiceField(label=_("Practice center"), queryset=Center.objects.none())
    team = forms.ModelChoiceField(
        label=_("Organizing team"), queryset=Team.objects.none(), required=False
    )
    team_only = forms.BooleanField(label=_("Only team members may sign up"), required=False)
    region = forms.ModelChoiceField(label=_("Community"), queryset=Region.objects.none())
    address = forms.CharField(label=_("Place"), max_length=200)
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    radius_m = forms.IntegerField(
        label=_("Check-in radius (metres)"), min_value=20, max_value=5000, initial=200
    )
    capacity = forms.IntegerField(label=_("Volunteers per shift"), min_value=1, max_value=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES, initial="one_off")
    starts_at = forms.DateTimeField(label=_("Starts"), widget=LocalDateTimeInput(), required=False)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=LocalDateTimeInput(), required=False)
    first_date = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    last_date = forms.DateField(
        label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(
        label=_("Shift starts"), widget=forms.TimeInput(attrs={"type": "time"}), required=False
    )
    end_time = forms.TimeField(
        label=_("Shift ends"), widget=forms.TimeInput(attrs={"type": "time"}), required=False
    )

    def __init__(self, *args: Any, centers: Any, teams: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["center"]).queryset = centers
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = regions

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needed = (
            ["starts_at", "ends_at"]
            if data.get("kind") == "one_off"
            else ["first_date", "last_date", "weekdays", "start_time", "end_time"]
        )
        for name in needed:
            if not data.get(name) and data.get(name) != 0:
                self.add_error(name, _("This field is required for this kind of activity."))
        return data


class HoursForm(StyledForm):
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.1"), max_digits=5, decimal_places=1, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class RecordHoursForm(StyledForm):
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.1"), max_digits=5, decimal_places=1
    )
    service_date = forms.DateField(
        label=_("Service date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Source (sign-in sheet, other platform)"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_date"].initial = timezone.localdate() - timedelta(days=1)


class CorrectionForm(StyledForm):
    hours_delta = forms.DecimalField(
        label=_("Change in hours (negative to reduce)"), max_digits=5, decimal_places=1
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class TeamForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    center = forms.ModelChoiceField(label=_("Practice center"), queryset=Center.objects.none())
    service_type = forms.ChoiceField(label=_("Service type"), choices=ServiceType.choices)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, centers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["center"]).queryset = centers


class MemberForm(StyledForm):
    number = forms.CharField(label=_("Volunteer number"), max_length=20)


class VerifyForm(StyledForm):
    code = forms.CharField(label=_("Verification code"), max_length=20)
