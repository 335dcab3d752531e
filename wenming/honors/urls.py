from django.urls import path

from . import views

app_name = "honors"
urlpatterns = [
    path("", views.review_list, name="review_list"),
    path("<int:pk>/", views.review_detail, name="review_detail"),
    path("<int:pk>/review/", views.review, name="review"),
]
