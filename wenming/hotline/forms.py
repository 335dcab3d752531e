"""Forms of the hotline console and the knowledge base. Each bad input is a field-level error
on the field the operator sees (hidden ids report on their visible search box)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wenming.cases.forms import BootstrapMixin
from wenming.cases.models import Category, Nature, Urgency
from wenming.org.models import Unit
from wenming.org.selectors import region_at

from .models import Ending, KnowledgeItem
from .phones import validate_caller_phone
from .selectors import knowledge_offered
from .services import Call, Knowledge


def new_token() -> str:
    return uuid.uuid4().hex


def _text(label: Any, *, max_length: int = 100, rows: int = 0, **kwargs: Any) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label, max_length=max_length, required=False, widget=widget, **kwargs
    )


def _typeahead(url_name: str, name: str, *, clears: str, next_field: str) -> dict[str, Any]:
    """Attributes of a search box whose matches htmx puts under it (hotline.js picks them)."""
    return {
        "hx-get": reverse(url_name),
        "hx-trigger": "input changed delay:150ms, focus",
        "hx-target": f"#{name}-hits",
        "hx-sync": "this:replace",
        "autocomplete": "off",
        "role": "combobox",
        "aria-autocomplete": "list",
        "aria-expanded": "false",
        "aria-controls": f"{name}-hits",
        "data-wm-typeahead": "",
        "data-wm-clear": clears,
        "data-wm-next": next_field,
    }


def _console_attrs() -> dict[str, dict[str, Any]]:
    knowledge = _typeahead(
        "hotline:knowledge_search", "knowledge", clears="knowledge_item", next_field="#id_answer"
    )
    knowledge.update(
        {
            "hx-include": "#id_category",
            "hx-trigger": "input changed delay:150ms, focus, change from:#id_category",
            "aria-keyshortcuts": "Alt+K",
            "placeholder": _("Question or keywords"),
        }
    )
    return {
        "phone": {
            "hx-get": reverse("hotline:caller"),
            "hx-trigger": "input changed delay:400ms, blur changed",
            "hx-target": "#caller-panel",
            "hx-sync": "this:replace",
            "autofocus": True,
            "autocomplete": "off",
            "inputmode": "tel",
            "aria-keyshortcuts": "Alt+P",
            "aria-describedby": "caller-panel",
        },
        "address": {
            **_typeahead("hotline:address_search", "address", clears="", next_field="#id_cause"),
            "aria-keyshortcuts": "Alt+D",
            "placeholder": _("Landmark, community or street, then the details"),
        },
        "category_query": {
            **_typeahead(
                "hotline:category_search",
                "category",
                clears="category",
                next_field="#id_nature",
            ),
            "aria-keyshortcuts": "Alt+C",
            "placeholder": _("Name, code or keyword"),
        },
        "knowledge_query": knowledge,
        "course": {"placeholder": _("What the caller reports, in their words")},
    }


class CallForm(BootstrapMixin, forms.Form):
    """The intake form: the caller, the five elements, the classification and the ending."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    phone = forms.CharField(label=_("Caller phone"), max_length=20)
    caller_name = _text(_("Caller name"), max_length=50)
    who = _text(_("Who (人)"), help_text=_("Who is involved: a shop, a site, a neighbour…"))
    when = _text(_("When (时)"), help_text=_("e.g. every night after 22:00"))
    address = _text(_("Where (地)"), max_length=200)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    located = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    cause = _text(_("Cause (因)"), max_length=500, rows=2)
    course = forms.CharField(
        label=_("What happened (果)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    category_query = _text(_("Category"))
    category = forms.IntegerField(required=False, widget=forms.HiddenInput)
    nature = forms.ChoiceField(label=_("Nature"), choices=Nature.choices, initial=Nature.COMPLAINT)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    is_private = forms.BooleanField(
        label=_("The caller asks to keep the case off the public lists"), required=False
    )
    knowledge_query = _text(_("Search the knowledge base"))
    knowledge_item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    answer = _text(_("Answer given to the caller"), max_length=4000, rows=4)
    unit = forms.ModelChoiceField(
        label=_("Dispatch to"),
        required=False,
        queryset=Unit.objects.filter(is_active=True).order_by("kind", "code"),
    )
    ending = forms.ChoiceField(
        choices=Ending.choices,
        error_messages={"required": _("Choose how the call ends.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, attrs in _console_attrs().items():
            self.fields[name].widget.attrs.update(attrs)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"

    def clean_phone(self) -> str:
        return validate_caller_phone(self.cleaned_data["phone"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["category"] = self._category(data.get("category"))
        data["knowledge_item"] = self._knowledge_item(data.get("knowledge_item"))
        self._check_location(data)
        self._check_ending(data)
        return data

    def _category(self, category_id: int | None) -> Category | None:
        if category_id is None:
            return None
        category = Category.objects.filter(
            pk=category_id, is_active=True, parent__isnull=False
        ).first()
        if category is None:
            self.add_error("category_query", _("Choose a category from the list."))
        return category

    def _knowledge_item(self, item_id: int | None) -> KnowledgeItem | None:
        if item_id is None:
            return None
        item = knowledge_offered(item_id)
        if item is None:
            self.add_error(
                "knowledge_query", _("This knowledge item is no longer valid. Search again.")
            )
        return item

    def _check_location(self, data: dict[str, Any]) -> None:
        lat, lon = data.get("lat"), data.get("lon")
        if lat is None or lon is None:
            if (lat, lon) != (None, None):
                self.add_error("address", _("The location is incomplete. Pick the address again."))
        elif region_at(lat=lat, lon=lon) is None:
            self.add_error("address", _("The location is outside the city's area."))

    def _check_ending(self, data: dict[str, Any]) -> None:
        ending = data.get("ending")
        if ending == Ending.ANSWER and not data.get("answer", "").strip():
            self.add_error("answer", _("Write the answer given to the caller."))
        if ending in (Ending.REGISTER, Ending.DISPATCH):
            if data.get("category") is None and "category_query" not in self.errors:
                self.add_error("category_query", _("Choose a category before registering."))
            if not data.get("address", "").strip() and "address" not in self.errors:
                self.add_error("address", _("Say where the problem is."))
        if ending == Ending.DISPATCH and data.get("unit") is None:
            self.add_error("unit", _("Choose the unit to dispatch to."))

    def call(self) -> Call:
        d = self.cleaned_data
        return Call(
            phone=d["phone"],
            course=d["course"],
            caller_name=d["caller_name"],
            who=d["who"],
            when=d["when"],
            where=d["address"],
            cause=d["cause"],
            lat=d["lat"],
            lon=d["lon"],
            category=d["category"],
            nature=d["nature"],
            urgency=d["urgency"],
            is_public=not d["is_private"],
        )


class KnowledgeForm(BootstrapMixin, forms.Form):
    question = forms.CharField(label=_("Question"), max_length=200)
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}))
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.filter(is_active=True).order_by("kind", "code"),
        empty_label=_("Any category"),
    )
    keywords = forms.CharField(
        label=_("Search keywords"),
        max_length=200,
        required=False,
        help_text=_("Words callers use, separated by spaces."),
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and start > end:
            self.add_error("valid_until", _("The item must become valid before it expires."))
        return data

    def knowledge(self) -> Knowledge:
        return Knowledge(**self.cleaned_data)
