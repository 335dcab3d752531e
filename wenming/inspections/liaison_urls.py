from django.urls import path

from . import liaison

app_name = "liaison"
urlpatterns = [path("", liaison.liaison_home, name="home")]
