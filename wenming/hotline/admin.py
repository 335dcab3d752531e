from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from wenming.core.errors import InvalidInput

from . import services
from .models import HotlineCall, KnowledgeItem, Place


class PlaceForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Place
        fields = ["name", "aliases", "lat", "lon", "region", "is_active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("lat") is not None and data.get("lon") is not None:
            probe = Place(lat=data["lat"], lon=data["lon"], region=data.get("region"))
            try:
                data["region"] = services.place_locate(place=probe).region
            except InvalidInput as error:
                self.add_error("lat", str(error.message))
        return data


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = PlaceForm
    list_display = ["name", "aliases", "region", "lat", "lon", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "aliases"]
    autocomplete_fields = ["region"]


@admin.register(KnowledgeItem)
class KnowledgeItemAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["question", "category", "valid_from", "valid_until", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["question", "answer", "keywords"]
    autocomplete_fields = ["category"]
    readonly_fields = ["updated_by", "updated_at"]

    def save_model(self, request: HttpRequest, obj: KnowledgeItem, form: Any, change: bool) -> None:
        obj.updated_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(HotlineCall)
class HotlineCallAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["created_at", "case", "ending", "taken_by", "knowledge_item"]
    list_filter = ["ending"]
    search_fields = ["case__code"]
    readonly_fields = [f.name for f in HotlineCall._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
