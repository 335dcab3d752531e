from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    path("", views.inbox_list, name="inbox"),
    path("badge/", views.navbar_badge, name="badge"),
    path("read-all/", views.notifications_read_all, name="read_all"),
    path("<int:notification_id>/read/", views.notification_read, name="read"),
    path("<int:notification_id>/open/", views.notification_open, name="open"),
]
