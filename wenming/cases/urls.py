from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.search, name="search"),
    path("export/", views.export, name="export"),
    path("workspace/", views.workspace, name="workspace"),
    path("worklist/", views.worklist, name="worklist"),
    path("verification/", views.verification, name="verification"),
    path("<str:code>/", views.case_detail, name="detail"),
    path("<str:code>/reveal-phone/", views.case_reveal_phone, name="reveal_phone"),
    path("<str:code>/act/<slug:slug>/", views.case_act, name="act"),
    path("<str:code>/requests/<int:request_id>/decide/", views.request_decide, name="decide"),
]
