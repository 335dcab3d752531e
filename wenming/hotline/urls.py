from django.urls import path

from . import views

app_name = "hotline"
urlpatterns = [
    path("", views.console, name="console"),
    path("caller/", views.caller, name="caller"),
    path("search/address/", views.address_search, name="address_search"),
    path("search/category/", views.category_search, name="category_search"),
    path("search/knowledge/", views.knowledge_search, name="knowledge_search"),
    path("unit/", views.unit_proposal, name="unit_proposal"),
    path("knowledge/", views.knowledge_list, name="knowledge_list"),
    path("knowledge/new/", views.knowledge_edit, name="knowledge_new"),
    path("knowledge/<int:pk>/", views.knowledge_edit, name="knowledge_edit"),
]
