from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination


class PagePagination(PageNumberPagination):
    """`page` and `page_size` (at most 100) query parameters; `count`, `next`, `previous` and
    `results` in the response."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def page_of(item: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The schema of one PagePagination page of `item` rows (`count`, `next`, `previous`,
    `results`), named after the item: CaseListOutput → CaseListOutputPage."""
    name = item.__name__.removesuffix("Serializer") + "PageSerializer"
    fields = {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": item(many=True),
    }
    return type(name, (serializers.Serializer,), fields)


PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("page_size", int, description="Rows per page, at most 100 (default 20)."),
]
