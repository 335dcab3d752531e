from django.urls import path

from . import views

app_name = "triage"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("models/<int:model_id>/activate/", views.activate, name="activate"),
    path("hotspots/", views.hotspot_list, name="hotspots"),
]
