from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.indicator_list, name="indicators"),
    path("indicators/import/", views.indicator_import, name="indicator_import"),
    path("indicators/export.<str:fmt>", views.indicator_export, name="indicator_export"),
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/open/", views.cycle_open, name="cycle_open"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/close/", views.cycle_close, name="cycle_close"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("tasks/<int:pk>/submit/", views.task_submit, name="task_submit"),
    path("tasks/<int:pk>/review/", views.task_review, name="task_review"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("scores/", views.scores, name="scores"),
]
