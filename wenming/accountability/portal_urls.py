"""Public pages: published red/black lists at /lists/ and the exposure desk at /exposure/."""

from django.urls import path

from . import views

app_name = "accountability_portal"
list_patterns = (
    [
        path("", views.public_lists, name="lists"),
        path("<int:pk>/", views.public_list_detail, name="list_detail"),
    ],
    "lists",
)
exposure_patterns = (
    [
        path("", views.public_exposures, name="exposures"),
        path("<int:pk>/", views.public_exposure_detail, name="exposure_detail"),
    ],
    "exposure",
)
