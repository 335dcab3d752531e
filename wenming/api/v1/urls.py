from django.urls import path

from wenming.accountability.api import MetricsView

from . import actions, cases, reference

app_name = "v1"
urlpatterns = [
    path("cases/", cases.CaseListCreateView.as_view(), name="case_list"),
    path("cases/<str:code>/", cases.CaseDetailView.as_view(), name="case_detail"),
    path(
        "cases/<str:code>/requests/<int:request_id>/decision/",
        actions.CaseRequestDecisionView.as_view(),
        name="case_request_decision",
    ),
    *[
        path(f"cases/<str:code>/{name}/", view.as_view(), name=f"case_{name.replace('-', '_')}")
        for name, view in actions.ACTION_VIEWS.items()
    ],
    path("categories/", reference.CategoryListView.as_view(), name="category_list"),
    path("units/", reference.UnitListView.as_view(), name="unit_list"),
    path("metrics/", MetricsView.as_view(), name="metrics"),
]
