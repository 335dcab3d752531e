from django.urls import path

from .views import portal

app_name = "volunteer_portal"
urlpatterns = [
    path("", portal.hub, name="hub"),
    path("activities/<int:pk>/", portal.activity_detail, name="activity"),
    path("shifts/<int:pk>/sign-up/", portal.shift_signup, name="shift_signup"),
    path("register/", portal.register, name="register"),
    path("me/", portal.me, name="me"),
    path("signups/<int:pk>/<str:action>/", portal.signup_action, name="signup_action"),
    path("check-in/<int:activity>/<str:code>/", portal.qr_checkin, name="qr_checkin"),
    path("orders/<int:pk>/<str:action>/", portal.order_action, name="order_action"),
    path("needs/new/", portal.need_new, name="need_new"),
    path("needs/track/", portal.need_track, name="need_track"),
    path("needs/<str:code>/", portal.need_status, name="need"),
    path("leaderboard/", portal.leaderboard, name="leaderboard"),
    path("centers/", portal.centers, name="centers"),
    path("centers/<int:pk>/", portal.center_page, name="center"),
    path("certificates/verify/", portal.certificate_verify, name="verify"),
    path("certificates/request/", portal.certificate_request, name="certificate_request"),
    path("certificates/<str:code>.pdf", portal.certificate_pdf, name="certificate_pdf"),
]
