from django.contrib import admin

from .models import Honoree, HonoreePhoto


class PhotoInline(admin.TabularInline):
    model = HonoreePhoto
    extra = 0
    readonly_fields = ["image", "thumbnail"]


@admin.register(Honoree)
class HonoreeAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "category", "level", "status", "year", "region"]
    list_filter = ["status", "category", "level", "year"]
    search_fields = ["name", "title"]
    autocomplete_fields = ["region"]
    readonly_fields = ["nominator_phone_masked", "reviewed_by", "reviewed_at"]
    inlines = [PhotoInline]
