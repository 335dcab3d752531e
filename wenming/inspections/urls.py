from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.site_list, name="site_list"),
    path("sites/import/", views.site_import, name="site_import"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
    path("checklists/", views.checklist_list, name="checklist_list"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/assign/", views.round_assign, name="round_assign"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("mine/", views.my_rounds, name="my_rounds"),
    path("mine/<int:pk>/", views.my_round, name="my_round"),
    path("inspect/<int:pk>/", views.inspect, name="inspect"),
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/<int:pk>/recheck/", views.recheck, name="recheck"),
    path("scores/", views.scores, name="scores"),
]
