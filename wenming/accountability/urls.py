from django.urls import path

from . import views

app_name = "accountability"
urlpatterns = [
    path("", views.metrics_page, name="metrics"),
    path("export/", views.metrics_export, name="metrics_export"),
    path("ranking/", views.ranking_page, name="ranking"),
    path("ranking/export/", views.ranking_export, name="ranking_export"),
    path("report.pdf", views.report_pdf, name="report"),
    path("lists/", views.list_index, name="list_index"),
    path("lists/new/", views.list_new, name="list_new"),
    path("lists/<int:pk>/", views.list_detail, name="list_detail"),
    path("lists/<int:pk>/export/", views.list_export, name="list_export"),
    path("lists/<int:pk>/entries/<int:entry_pk>/", views.list_entry_edit, name="list_entry"),
    path("lists/<int:pk>/<slug:move>/", views.list_move, name="list_move"),
    path("exposures/", views.exposure_index, name="exposure_index"),
    path("exposures/new/", views.exposure_new, name="exposure_new"),
    path("exposures/<int:pk>/", views.exposure_detail, name="exposure_detail"),
]
