"""Admin for the category catalogue (with file import/export) and the routing rules.

The Case admin is added by the problem-loop work, not here.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wenming.core.errors import InvalidInput

from .catalogue import (
    CatalogueImportError,
    categories_export,
    categories_import,
    code_problem,
    format_for,
)
from .models import Category, RoutingRule, TimeLimit

MAX_UPLOAD = 5 * 1024 * 1024
CONTENT_TYPES = {
    "yaml": "application/yaml; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "kind",
            "code",
            "name",
            "parent",
            "register_standard",
            "close_standard",
            "default_nature",
            "is_public",
            "auto_dispatch",
            "photo_required",
            "keywords",
            "is_active",
        ]

    def clean(self) -> dict:  # type: ignore[type-arg]
        data = super().clean() or {}
        parent, code = data.get("parent"), data.get("code") or ""
        if parent is not None and (parent.parent_id is not None or parent.kind != data.get("kind")):
            self.add_error("parent", _("Choose a major class of the same kind."))
        elif problem := code_problem(code=code, parent_code=parent.code if parent else None):
            self.add_error("code", problem)
        return data


class TimeLimitForm(forms.ModelForm):
    class Meta:
        model = TimeLimit
        fields = [
            "urgency",
            "sign_amount",
            "sign_unit",
            "handle_amount",
            "handle_unit",
            "verify_amount",
            "verify_unit",
        ]

    def clean(self) -> dict:  # type: ignore[type-arg]
        data = super().clean() or {}
        for stage in ("sign", "handle", "verify"):
            if data.get(f"{stage}_amount") == 0:
                self.add_error(f"{stage}_amount", _("Must be more than zero."))
        return data


class TimeLimitInline(admin.TabularInline):
    model = TimeLimit
    form = TimeLimitForm
    extra = 0
    max_num = 3


class LevelFilter(admin.SimpleListFilter):
    title = gettext_lazy("level")
    parameter_name = "level"

    def lookups(self, request, model_admin):  # type: ignore[no-untyped-def]
        return [("major", _("Major classes")), ("minor", _("Minor classes"))]

    def queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        if self.value() in ("major", "minor"):
            return queryset.filter(parent__isnull=self.value() == "major")
        return queryset


class MajorClassFilter(admin.SimpleListFilter):
    """Major classes as filter choices, narrowed to the chosen kind (codes repeat across kinds)."""

    title = gettext_lazy("major class")
    parameter_name = "major"

    def lookups(self, request, model_admin):  # type: ignore[no-untyped-def]
        majors = Category.objects.filter(parent__isnull=True)
        kind = request.GET.get("kind__exact")
        if kind:
            return [(m.pk, str(m)) for m in majors.filter(kind=kind)]
        return [(m.pk, f"{m.get_kind_display()} · {m}") for m in majors]

    def queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        if self.value():
            return queryset.filter(parent_id=self.value())
        return queryset


class CatalogueUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Catalogue file"),
        help_text=gettext_lazy("YAML (.yaml, .yml) or Excel (.xlsx), as exported here."),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        try:
            format_for(upload.name)
        except InvalidInput as exc:
            raise forms.ValidationError(str(exc.message)) from exc
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryForm
    list_display = [
        "code",
        "name",
        "kind",
        "parent",
        "default_nature",
        "is_public",
        "auto_dispatch",
        "is_active",
    ]
    list_display_links = ["code", "name"]
    list_filter = [
        "kind",
        LevelFilter,
        MajorClassFilter,
        "default_nature",
        "is_public",
        "auto_dispatch",
        "is_active",
    ]
    list_select_related = ["parent"]
    search_fields = ["code", "name", "keywords"]
    ordering = ["kind", "code"]
    autocomplete_fields = ["parent"]
    inlines = [TimeLimitInline]
    list_per_page = 50

    def get_search_results(self, request, queryset, search_term):  # type: ignore[no-untyped-def]
        queryset, distinct = super().get_search_results(request, queryset, search_term)
        if (
            request.GET.get("model_name") == "category"
            and request.GET.get("field_name") == "parent"
        ):
            queryset = queryset.filter(parent__isnull=True)  # only major classes can be parents
        return queryset, distinct

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="cases_category_import"),
            path(
                "export/<str:file_format>/",
                wrap(self.export_view),
                name="cases_category_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request: HttpRequest, file_format: str) -> HttpResponse:
        if not self.has_view_permission(request) or file_format not in CONTENT_TYPES:
            raise PermissionDenied
        data = categories_export(format=file_format)  # type: ignore[arg-type]
        response = HttpResponse(data, content_type=CONTENT_TYPES[file_format])
        name = f"categories-{timezone.localdate():%Y%m%d}.{file_format}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = CatalogueUploadForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                count = categories_import(data=upload.read(), format=format_for(upload.name))
            except CatalogueImportError as exc:
                problems = [str(problem) for problem in exc.problems]
            else:
                messages.success(request, _("Imported %(n)s categories.") % {"n": count})
                return HttpResponseRedirect(reverse("admin:cases_category_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import the category catalogue"),
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/cases/category/import.html", context)


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "kind", "region", "unit", "is_active"]
    list_filter = ["is_active", "category__kind", ("unit", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["category", "region", "unit"]
    search_fields = ["category__code", "category__name", "region__name", "unit__name"]
    autocomplete_fields = ["category", "region", "unit"]
    ordering = ["category__kind", "category__code", "region__path"]
    list_per_page = 50

    @admin.display(description=gettext_lazy("kind"), ordering="category__kind")
    def kind(self, rule: RoutingRule) -> str:
        return rule.category.get_kind_display() if rule.category else ""


# ---------------------------------------------------------------- cases (read-only)

from .models import Case, CaseEvent  # noqa: E402  (appended section; see the module docstring)


class CaseEventInline(admin.TabularInline):
    """The case's audit trail, as written by the services: never edited here."""

    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = (
        "created_at",
        "action",
        "from_state",
        "to_state",
        "actor_label",
        "unit",
        "visibility",
        "note",
    )
    fields = readonly_fields
    ordering = ["created_at", "id"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: a case changes only through the services (the staff console and the API)."""

    list_display = [
        "code",
        "title",
        "state",
        "category",
        "region",
        "unit",
        "warning_level",
        "reported_at",
    ]
    list_filter = [
        "state",
        "channel",
        "warning_level",
        "urgency",
        "category__kind",
        ("unit", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["category", "region", "unit"]
    search_fields = ["code", "title", "address"]  # phones: the staff case search (hash, tail)
    exclude = ["reporter_phone_encrypted", "reporter_phone_hash", "reporter_phone_tail"]
    date_hierarchy = "reported_at"
    ordering = ["-reported_at", "-id"]
    inlines = [CaseEventInline]
    list_per_page = 50

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
