from django.urls import path

from .views import staff

app_name = "volunteers"
urlpatterns = [
    path("", staff.center_list, name="center_list"),
    path("centers/<int:pk>/", staff.center_detail, name="center_detail"),
    path("people/", staff.volunteer_list, name="volunteer_list"),
    path("people/<int:pk>/", staff.volunteer_detail, name="volunteer_detail"),
    path("people/<int:pk>/review/", staff.volunteer_review, name="volunteer_review"),
    path("people/<int:pk>/hours/", staff.volunteer_record_hours, name="volunteer_record_hours"),
    path("people/<int:pk>/certificate/", staff.volunteer_certificate, name="volunteer_certificate"),
    path("teams/", staff.team_list, name="team_list"),
    path("teams/<int:pk>/", staff.team_detail, name="team_detail"),
    path("needs/", staff.need_list, name="need_list"),
    path("needs/<int:pk>/", staff.need_detail, name="need_detail"),
    path("needs/<int:pk>/<str:action>/", staff.need_move, name="need_move"),
    path("activities/", staff.activity_list, name="activity_list"),
    path("activities/new/", staff.activity_create, name="activity_create"),
    path("activities/<int:pk>/", staff.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/cancel/", staff.activity_cancel, name="activity_cancel"),
    path("activities/<int:pk>/qr.svg", staff.activity_qr, name="activity_qr"),
    path("shifts/<int:pk>/", staff.shift_detail, name="shift_detail"),
    path("shifts/<int:pk>/confirm-all/", staff.shift_confirm_all, name="shift_confirm_all"),
    path("signups/<int:pk>/confirm/", staff.signup_confirm, name="signup_confirm"),
    path("ledger/", staff.ledger_list, name="ledger_list"),
    path("ledger/<int:pk>/correct/", staff.ledger_correct, name="ledger_correct"),
]
