from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from wenming.accountability import portal_urls as accountability_portal
from wenming.accounts_security import views as security_views
from wenming.core import health
from wenming.core import views as core_views

urlpatterns = [
    # The API first: Django tries the patterns in order, and the portal's two dozen (under
    # "") were tried before every API request (2 % of a citizen's submission's CPU). No
    # other pattern starts with these prefixes.
    path("api/", include("wenming.api.urls")),
    path("open311/", include("wenming.api.open311.urls")),
    path("", include("wenming.portal.urls")),
    path("staff/", core_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("metrics", health.metrics, name="metrics"),
    path("accounts/login/", security_views.LoginView.as_view(), name="login"),
    path("accounts/security/", include("wenming.accounts_security.urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/", include("wenming.org.urls")),
    path("notify/", include("wenming.notify.urls")),
    path("staff/cases/", include("wenming.cases.urls")),
    path("staff/hotline/", include("wenming.hotline.urls")),
    path("staff/triage/", include("wenming.triage.urls")),
    path("staff/volunteers/", include("wenming.volunteers.urls")),
    path("volunteers/", include("wenming.volunteers.portal_urls")),
    path("staff/honors/", include("wenming.honors.urls")),
    path("honors/", include("wenming.honors.portal_urls")),
    path("staff/accountability/", include("wenming.accountability.urls")),
    path("lists/", include(accountability_portal.list_patterns)),
    path("exposure/", include(accountability_portal.exposure_patterns)),
    path("staff/dashboard/", include("wenming.dashboard.urls")),
    path("staff/inspections/", include("wenming.inspections.urls")),
    path("staff/assessment/", include("wenming.assessment.urls")),
    path("staff/liaison/", include("wenming.inspections.liaison_urls")),
    path("staff/livelihood/", include("wenming.livelihood.urls")),
    path("livelihood/", include("wenming.livelihood.portal_urls")),
    path("staff/audit/", include("wenming.audit.urls")),
    path("", include("wenming.privacy.urls")),
    path("admin/login/", security_views.admin_login, name="admin_login"),  # one sign-in form
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "wenming.core.views.not_found"
