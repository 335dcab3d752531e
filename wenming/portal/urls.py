from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.portal_home, name="home"),
    path("report/", views.report, name="report"),
    path("report/nearby/", views.report_nearby, name="report_nearby"),
    path("report/photo-location/", views.report_photo_location, name="report_photo_location"),
    path("report/done/<str:code>/", views.report_done, name="report_done"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.track_case, name="track_case"),
    path("track/<str:code>/rate/", views.track_rate, name="track_rate"),
    path("cases/", views.case_list, name="case_list"),
    path("board/", views.board, name="board"),
    path("board/new/", views.board_new, name="board_new"),
    path("board/mine/", views.board_lookup, name="board_lookup"),
    path("board/m/<str:code>/", views.board_message, name="board_message"),
    path("staff/board/", views.board_queue, name="board_queue"),
    path("staff/board/<int:pk>/", views.board_queue_message, name="board_queue_message"),
    path("staff/board/<int:pk>/moderate/", views.board_queue_moderate, name="board_queue_moderate"),
    path("staff/board/<int:pk>/reply/", views.board_queue_reply, name="board_queue_reply"),
    path("staff/board/<int:pk>/to-case/", views.board_queue_to_case, name="board_queue_to_case"),
]
