from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.start, name="start"),
    path("privacy/mine/", views.mine, name="mine"),
    path("privacy/export/", views.export, name="export"),
    path("privacy/delete/", views.delete, name="delete"),
    path("privacy/leave/", views.leave, name="leave"),
    path("staff/privacy/", views.staff_list, name="staff_list"),
    path("staff/privacy/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/privacy/<int:pk>/decide/", views.staff_decide, name="staff_decide"),
]
