from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.cases.forms import BootstrapMixin
from wenming.core.validators import validate_day_in_range

from .selectors import AuditFilters, audit_actions


class AuditFilterForm(BootstrapMixin, forms.Form):
    actor = forms.CharField(label=_("Actor (user name)"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=60)
    object_id = forms.CharField(label=_("Object"), required=False, max_length=64)
    date_from = forms.DateField(
        validators=[validate_day_in_range],
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        validators=[validate_day_in_range],
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actions = [(a, a) for a in audit_actions()]
        self.fields["action"].choices = [("", _("All actions")), *actions]  # type: ignore[attr-defined]

    def filters(self) -> AuditFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return AuditFilters(**{k: v for k, v in data.items() if v})
