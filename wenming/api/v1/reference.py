"""Reference data for clients: the category catalogue and the responsible units."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wenming.api.pagination import PAGE_PARAMETERS, PagePagination, page_of
from wenming.api.permissions import IsStaffMember
from wenming.cases.models import Category, CategoryKind
from wenming.org.models import Unit, UnitKind

from .cases import is_staff_member
from .serializers import CategoryOutputSerializer, UnitOutputSerializer


def _paged(request: Request, view: APIView, rows: QuerySet, output: type) -> Response:
    paginator = PagePagination()
    page = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response(output(page, many=True).data)


class CategoryFilterInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CategoryKind.choices, required=False)
    q = serializers.CharField(required=False, allow_blank=True, help_text="Name or keyword.")


class CategoryListView(APIView):
    """The minor classes a case can be filed under (anonymous callers: the public ones)."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[CategoryFilterInputSerializer, *PAGE_PARAMETERS],
        responses=page_of(CategoryOutputSerializer),
        tags=["reference"],
    )
    def get(self, request: Request) -> Response:
        filters = CategoryFilterInputSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows = Category.objects.filter(is_active=True, parent__isnull=False).select_related(
            "parent"
        )
        if not is_staff_member(request.user):
            rows = rows.filter(is_public=True)
        if kind := filters.validated_data.get("kind"):
            rows = rows.filter(kind=kind)
        if q := filters.validated_data.get("q", "").strip():
            rows = rows.filter(Q(name__icontains=q) | Q(keywords__icontains=q))
        return _paged(request, self, rows.order_by("kind", "code"), CategoryOutputSerializer)


class UnitFilterInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=UnitKind.choices, required=False)
    q = serializers.CharField(required=False, allow_blank=True, help_text="Name or code.")


class UnitListView(APIView):
    """Active responsible units (for dispatching)."""

    permission_classes = [IsStaffMember]

    @extend_schema(
        parameters=[UnitFilterInputSerializer, *PAGE_PARAMETERS],
        responses=page_of(UnitOutputSerializer),
        tags=["reference"],
    )
    def get(self, request: Request) -> Response:
        filters = UnitFilterInputSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows = Unit.objects.filter(is_active=True).select_related("region")
        if kind := filters.validated_data.get("kind"):
            rows = rows.filter(kind=kind)
        if q := filters.validated_data.get("q", "").strip():
            rows = rows.filter(Q(name__icontains=q) | Q(code__icontains=q))
        return _paged(request, self, rows.order_by("code"), UnitOutputSerializer)
