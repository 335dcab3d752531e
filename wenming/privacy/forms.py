from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.cases.forms import BootstrapMixin
from wenming.core.validators import validate_mobile_phone


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)

    def clean_phone(self) -> str:
        return validate_mobile_phone(self.cleaned_data["phone"])


class CodeForm(PhoneForm):
    phone = forms.CharField(widget=forms.HiddenInput, max_length=20)
    code = forms.RegexField(
        label=_("Code from the SMS"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Enter the six digits of the code.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class DeletionForm(forms.Form):
    reason = forms.CharField(
        label=_("Anything the office should know"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my name and phone are removed from all my reports for good."),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class DecideForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve: anonymise")), ("reject", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note (required to refuse)"), required=False, max_length=200)
