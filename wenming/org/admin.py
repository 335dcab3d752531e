from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from wenming.core.errors import InvalidInput

from .geo import boundary_geometry, invalidate_region_index
from .models import Liaison, Membership, Region, Unit
from .services import region_set_centroid


class RegionAdminForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "boundary"]

    def clean_boundary(self) -> object:
        boundary = self.cleaned_data.get("boundary")
        if boundary:
            try:
                boundary_geometry(boundary)
            except InvalidInput as exc:
                raise forms.ValidationError(str(exc.message)) from exc
        return boundary


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    form = RegionAdminForm
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "centroid_lat", "centroid_lon"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        region_set_centroid(region=obj)
        invalidate_region_index()


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["region", "parent"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "center", "region_scope"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "unit__name"]
    autocomplete_fields = ["user", "unit", "center", "region_scope"]


@admin.register(Liaison)
class LiaisonAdmin(admin.ModelAdmin):
    list_display = ["leader", "region", "level"]
    list_filter = ["level"]
    search_fields = ["leader__username", "leader__first_name", "region__name"]
    autocomplete_fields = ["leader", "region"]


admin.site.site_header = _("Wenming administration")
admin.site.site_title = _("Wenming")
