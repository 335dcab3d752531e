from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.org.models import Region, RegionLevel

from .models import HonorCategory, HonorLevel


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/*", "class": "form-control"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


class NominationForm(forms.Form):
    name = forms.CharField(label=_("Name of the person"), max_length=50)
    category = forms.ChoiceField(label=_("Category"), choices=HonorCategory.choices)
    region = forms.ModelChoiceField(
        label=_("Where they live or work"),
        queryset=Region.objects.filter(
            level__in=[RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY]
        ).order_by("path"),
    )
    title = forms.CharField(label=_("Headline"), max_length=120)
    story = forms.CharField(label=_("Their story"), widget=forms.Textarea(attrs={"rows": 6}))
    photos = MultiplePhotoField(label=_("Photos (up to 6)"), required=False)
    nominator_name = forms.CharField(label=_("Your name"), max_length=50)
    nominator_phone = forms.CharField(label=_("Your phone"), max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name == "photos":
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class ReviewForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", "—"), *HonorLevel.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    note = forms.CharField(
        label=_("Note or reason"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
