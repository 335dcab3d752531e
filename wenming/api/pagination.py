from rest_framework.pagination import PageNumberPagination


class PagePagination(PageNumberPagination):
    """`page` and `page_size` (at most 100) query parameters; `count`, `next`, `previous` and
    `results` in the response."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
