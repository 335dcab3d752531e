from django.urls import path

from .views import activities, staff

app_name = "livelihood"
urlpatterns = [
    path("", staff.project_list, name="project_list"),
    path("export.xlsx", staff.project_export, name="project_export"),
    path("import/", staff.project_import, name="project_import"),
    path("<int:pk>/", staff.project_detail, name="project_detail"),
    path("<int:pk>/report/", staff.report_new, name="report_new"),
    path("reports/", staff.review_list, name="review_list"),
    path("reports/<int:pk>/", staff.review_detail, name="review_detail"),
    path("reports/<int:pk>/review/", staff.review, name="review"),
    path("comments/", staff.comment_queue, name="comment_queue"),
    path("comments/<int:pk>/moderate/", staff.comment_moderate, name="comment_moderate"),
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/new/", activities.activity_new, name="activity_new"),
    path("activities/import/", activities.activity_import, name="activity_import"),
]
