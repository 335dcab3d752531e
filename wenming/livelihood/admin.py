from django.contrib import admin

from .models import (
    ActivityPhoto,
    CampaignActivity,
    LivelihoodProject,
    ProgressReport,
    ProjectComment,
    ProjectMilestone,
    ProjectSite,
    ProjectTarget,
    ReportPhoto,
    ReportQuantity,
)


class TargetInline(admin.TabularInline):
    model = ProjectTarget
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = ProjectMilestone
    extra = 0


class SiteInline(admin.TabularInline):
    model = ProjectSite
    extra = 0
    autocomplete_fields = ["region"]


@admin.register(LivelihoodProject)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "year", "lead_unit", "region", "is_public"]
    list_filter = ["year", "is_public"]
    search_fields = ["code", "title"]
    autocomplete_fields = ["lead_unit", "cooperating_units", "region"]
    inlines = [TargetInline, MilestoneInline, SiteInline]


class QuantityInline(admin.TabularInline):
    model = ReportQuantity
    extra = 0


class ReportPhotoInline(admin.TabularInline):
    model = ReportPhoto
    extra = 0
    readonly_fields = ["image", "thumbnail"]


@admin.register(ProgressReport)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["project", "month", "status", "submitted_by", "reviewed_by", "reviewed_at"]
    list_filter = ["status", "month"]
    search_fields = ["project__code", "project__title"]
    readonly_fields = ["submitted_by", "reviewed_by", "reviewed_at"]
    inlines = [QuantityInline, ReportPhotoInline]


@admin.register(ProjectComment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["project", "author_name", "rating", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["body", "project__title"]
    readonly_fields = ["submit_token", "flagged_words", "moderated_by", "moderated_at"]


class ActivityPhotoInline(admin.TabularInline):
    model = ActivityPhoto
    extra = 0
    readonly_fields = ["image", "thumbnail"]


@admin.register(CampaignActivity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["held_on", "title", "kind", "region", "center", "unit", "participants"]
    list_filter = ["kind", "held_on"]
    search_fields = ["title", "place"]
    autocomplete_fields = ["region", "unit"]
    inlines = [ActivityPhotoInline]
