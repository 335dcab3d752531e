from django.urls import path

from .views import portal

app_name = "livelihood_portal"
urlpatterns = [
    path("", portal.project_list, name="list"),
    path("<int:pk>/", portal.project_detail, name="detail"),
]
