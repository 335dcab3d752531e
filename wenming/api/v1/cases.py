"""Cases: list and search, submit (staff or anonymous citizen, idempotent), detail."""

from __future__ import annotations

import functools
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wenming.api.pagination import PAGE_PARAMETERS, CappedPagePagination, page_of
from wenming.api.permissions import IsStaffMember
from wenming.api.services import body_hash, case_submit_once
from wenming.api.throttling import AnonymousSubmitThrottle
from wenming.cases.models import Case, Category, Channel, Nature, Urgency
from wenming.cases.selectors import (
    SORTS,
    CaseFilters,
    case_get_for,
    cases_search,
    category_minor_active,
    search_paging,
)
from wenming.cases.services import CaseStamp, case_stamp, case_submit
from wenming.cases.states import State
from wenming.core import coords
from wenming.core.errors import InvalidInput
from wenming.core.scope import user_roles
from wenming.core.validators import validate_day_in_range
from wenming.org.selectors import region_at

from .fields import FlatSerializer, PhotosField, positive_bigint
from .serializers import (
    CaseDetailOutputSerializer,
    CaseListOutputSerializer,
    CaseReceiptOutputSerializer,
)

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Any unique string (e.g. a UUID). A retry with the same key and body returns "
    "the first case with 200; the same key with another body is refused with 422.",
)


def is_staff_member(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user_roles(user)))


class CaseFilterInputSerializer(serializers.Serializer):
    code = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True)
    category = positive_bigint(required=False, help_text="A major or minor class id.")
    state = serializers.ChoiceField(choices=State.choices, required=False)
    region = serializers.CharField(required=False, allow_blank=True, help_text="Region code.")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    date_from = serializers.DateField(validators=[validate_day_in_range], required=False)
    date_to = serializers.DateField(validators=[validate_day_in_range], required=False)
    overdue = serializers.BooleanField(required=False, default=False)
    unit = positive_bigint(required=False)
    sort = serializers.ChoiceField(choices=sorted(SORTS), required=False, default="-reported")


class MinorCategoryField(serializers.PrimaryKeyRelatedField):
    """An active minor class by id, read from the catalogue kept in memory (no query)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Category.objects.filter(is_active=True, parent__isnull=False), **kwargs
        )

    def to_internal_value(self, data: Any) -> Category:
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            category = category_minor_active(int(data))
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if category is None:
            self.fail("does_not_exist", pk_value=data)
        return category  # type: ignore[return-value]


class CaseCreateInputSerializer(FlatSerializer):
    title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    description = serializers.CharField(max_length=4000)
    category = MinorCategoryField(
        required=False,
        allow_null=True,
        help_text="A minor class id (anonymous reporters: a public one).",
    )
    nature = serializers.ChoiceField(choices=Nature.choices, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    lon = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True)
    coord_system = serializers.ChoiceField(choices=coords.SYSTEMS, default=coords.WGS84)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reporter_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    reporter_phone = serializers.RegexField(
        r"^[0-9+\- ]{5,20}$", max_length=20, required=False, allow_blank=True
    )
    is_anonymous = serializers.BooleanField(default=False)
    is_public = serializers.BooleanField(default=True)
    photos = PhotosField()

    def validate_category(self, category: Category | None) -> Category | None:
        if category and not category.is_public and not self.context["staff"]:
            raise serializers.ValidationError(_("Choose one of the public categories."))
        return category

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        lat, lon = attrs.get("lat"), attrs.get("lon")
        if (lat is None) != (lon is None):
            raise serializers.ValidationError({"lon" if lon is None else "lat": _("Give both.")})
        if lat is not None and lon is not None:
            attrs["lat"], attrs["lon"] = coords.to_wgs84(lat, lon, attrs.pop("coord_system"))
            if region_at(lat=attrs["lat"], lon=attrs["lon"]) is None:
                raise serializers.ValidationError(
                    {"lat": _("The location is outside the city's area.")}
                )
        attrs.pop("coord_system", None)
        if not attrs.get("title"):
            category = attrs.get("category")
            attrs["title"] = category.name if category else attrs["description"][:30]
        return attrs


def _submitted_fields(request: Request) -> dict[str, Any]:
    data = request.data
    if hasattr(data, "getlist"):
        return {key: data.getlist(key) for key in data if key != "photos"}
    return {key: value for key, value in data.items() if key != "photos"}


class CaseListCreateView(APIView):
    """GET: the cases in your data scope, filtered and paged. POST: submit a new case."""

    throttle_classes = [AnonymousSubmitThrottle]

    def get_permissions(self) -> list[BasePermission]:
        return [AllowAny()] if self.request.method == "POST" else [IsStaffMember()]

    @extend_schema(
        parameters=[CaseFilterInputSerializer, *PAGE_PARAMETERS],
        responses=page_of(CaseListOutputSerializer, capped=True),
        operation_id="v1_cases_list",
        tags=["cases"],
    )
    def get(self, request: Request) -> Response:
        filters = CaseFilterInputSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        sort = filters.validated_data.pop("sort")
        wanted = CaseFilters(**filters.validated_data)
        cases = cases_search(request.user, wanted, sort=sort)
        paginator = CappedPagePagination(**search_paging(request.user, wanted, sort=sort))
        page = paginator.paginate_queryset(cases, request, view=self)
        data = CaseListOutputSerializer(page, many=True).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        request=CaseCreateInputSerializer,
        parameters=[IDEMPOTENCY_HEADER],
        responses={
            201: CaseDetailOutputSerializer,
            200: CaseDetailOutputSerializer,
        },
        description="Staff get the full case back; an anonymous reporter gets the code, "
        "state, title and time (CaseReceiptOutput).",
        tags=["cases"],
    )
    def post(self, request: Request) -> Response:
        staff = is_staff_member(request.user)
        serializer = CaseCreateInputSerializer(data=request.data, context={"staff": staff})
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data

        def submit(stamp: CaseStamp | None = None) -> Case:
            actor = request.user if staff else None
            return case_submit(channel=Channel.API, actor=actor, stamp=stamp, **values)

        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            case, created = submit(), True
        elif len(key) > 100:
            raise InvalidInput(_("The Idempotency-Key is longer than 100 characters."))
        else:
            owner = f"user:{request.user.pk}" if request.user.is_authenticated else "anonymous"
            digest = body_hash(data=_submitted_fields(request), files=values.get("photos", []))
            # The stamp before the key's transaction: see case_stamp.
            stamped = functools.partial(submit, case_stamp())
            case, created = case_submit_once(owner=owner, key=key, body_hash=digest, submit=stamped)
        output = CaseDetailOutputSerializer if staff else CaseReceiptOutputSerializer
        body = output(case, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class CaseDetailView(APIView):
    """One case in your data scope, with the staff timeline and the moves open to you."""

    permission_classes = [IsStaffMember]

    @extend_schema(
        responses=CaseDetailOutputSerializer,
        tags=["cases"],
        parameters=[
            OpenApiParameter(
                "reveal",
                str,
                enum=["phone"],
                description="`phone`: the reporter's full phone instead of the masked one, for "
                "dispatchers, operators, admins and the case's handler; recorded in the audit log.",
            )
        ],
    )
    def get(self, request: Request, code: str) -> Response:
        case = case_get_for(request.user, code)
        return Response(CaseDetailOutputSerializer(case, context={"request": request}).data)
