from typing import Any

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from wenming.core.paging import CappedPaginator


class PagePagination(PageNumberPagination):
    """`page` and `page_size` (at most 100) query parameters; `count`, `next`, `previous` and
    `results` in the response."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class CappedPagePagination(PagePagination):
    """PagePagination for lists over the whole case table: `count` stops at the count cap
    (wenming.core.paging) and `count_capped` says whether more rows match."""

    def __init__(self, **options: Any) -> None:
        self.options = options  # CappedPaginator's (cases.selectors.search_paging)

    def django_paginator_class(self, queryset: Any, page_size: int) -> CappedPaginator:  # type: ignore[override]
        return CappedPaginator(queryset, page_size, **self.options)

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.count_capped  # type: ignore[union-attr]
        return response


CAPPED_COUNT_HELP = (
    "Matching rows, counted up to a cap (10,000; 1,000 for a text search); when more "
    "match, `count` is the cap, `count_capped` is true and the pages end at the cap: narrow "
    "the filter to reach the others."
)


def page_of(
    item: type[serializers.Serializer], *, capped: bool = False
) -> type[serializers.Serializer]:
    """The schema of one PagePagination page of `item` rows (`count`, `next`, `previous`,
    `results`, and `count_capped` for CappedPagePagination), named after the item:
    CaseListOutput → CaseListOutputPage."""
    name = item.__name__.removesuffix("Serializer") + "PageSerializer"
    fields: dict[str, serializers.Field] = {
        "count": serializers.IntegerField(
            help_text=CAPPED_COUNT_HELP if capped else "Matching rows."
        ),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": item(many=True),
    }
    if capped:
        fields["count_capped"] = serializers.BooleanField(
            help_text="True when more rows match than `count` says."
        )
    return type(name, (serializers.Serializer,), fields)


PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("page_size", int, description="Rows per page, at most 100 (default 20)."),
]
