from django.urls import path

from . import views

app_name = "accounts_security"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("history/", views.history, name="history"),
    path("two-factor/", views.totp_enrol, name="totp_enrol"),
    path("two-factor/disable/", views.totp_disable, name="totp_disable"),
    path("code/", views.login_code, name="login_code"),
]
