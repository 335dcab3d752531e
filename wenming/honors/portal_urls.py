from django.urls import path

from . import views

app_name = "honors_portal"
urlpatterns = [
    path("", views.honor_list, name="list"),
    path("nominate/", views.nominate, name="nominate"),
    path("<int:pk>/", views.honor_detail, name="detail"),
]
