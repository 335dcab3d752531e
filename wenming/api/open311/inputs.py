"""Parsing of Open311 input: the POST form, its `attribute[code]` answers and GET filters."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework import serializers

from wenming.api.models import AttributeDatatype, ServiceAttribute
from wenming.cases.models import Category
from wenming.cases.services import photos_check
from wenming.core.errors import InvalidInput
from wenming.org.selectors import region_at

from .render import Open311Error

MAX_SPAN = timedelta(days=90)


def errors_of(detail: Any) -> list[str]:
    """DRF validation details as the spec's one-line descriptions ("field: message")."""
    if isinstance(detail, dict):
        return [
            f"{name}: {message}" if name != "non_field_errors" else message
            for name, value in detail.items()
            for message in errors_of(value)
        ]
    if isinstance(detail, list):
        return [m for item in detail for m in errors_of(item)]
    return [str(detail)]


class RequestCreateInput(serializers.Serializer):
    """POST requests: one of lat & long or address_string locates the request (address_id
    is not supported: we have no address register)."""

    lat = serializers.FloatField(min_value=-90, max_value=90, required=False)
    long = serializers.FloatField(min_value=-180, max_value=180, required=False)
    address_string = serializers.CharField(max_length=200, required=False, allow_blank=True)
    address_id = serializers.CharField(required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    device_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    account_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    first_name = serializers.CharField(max_length=25, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=25, required=False, allow_blank=True)
    phone = serializers.RegexField(r"^[0-9+\- ()]{5,20}$", required=False, allow_blank=True)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    media_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    media = serializers.FileField(required=False)

    def validate_media(self, media: Any) -> Any:
        try:
            photos_check([media])
        except InvalidInput as exc:
            raise serializers.ValidationError(str(exc.message)) from exc
        media.seek(0)
        return media

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        lat, lon = attrs.get("lat"), attrs.get("long")
        if (lat is None) != (lon is None):
            raise serializers.ValidationError(_("lat and long must be sent together."))
        if lat is None and not attrs.get("address_string", "").strip():
            if attrs.get("address_id"):
                raise serializers.ValidationError(
                    _("address_id is not supported here: send lat and long or address_string.")
                )
            raise serializers.ValidationError(
                _("A location is required: lat and long, or address_string.")
            )
        if lat is not None and region_at(lat=lat, lon=lon) is None:  # type: ignore[arg-type]
            raise serializers.ValidationError(_("lat/long is outside the city's area."))
        return attrs


def _answer(attribute: ServiceAttribute, values: list[str]) -> str:
    """The answer as text for the description; Open311Error when it does not fit."""
    names = {str(v.get("key")): str(v.get("name", v.get("key"))) for v in attribute.values or []}
    kind = attribute.datatype
    wrong = _("attribute[%(code)s]: the value is not valid.") % {"code": attribute.code}
    if kind in (AttributeDatatype.SINGLEVALUELIST, AttributeDatatype.MULTIVALUELIST):
        if any(v not in names for v in values) or (
            kind == AttributeDatatype.SINGLEVALUELIST and len(values) > 1
        ):
            raise Open311Error(400, wrong)
        return ", ".join(names[v] for v in values)
    value = values[0]
    if kind == AttributeDatatype.NUMBER:
        try:
            float(value)
        except ValueError:
            raise Open311Error(400, wrong) from None
    if kind == AttributeDatatype.DATETIME and parse_datetime(value) is None:
        raise Open311Error(400, wrong)
    return value


def attribute_answers(category: Category, form: QueryDict) -> list[tuple[str, str]]:
    """(question, answer) for each answered attribute of the service; every missing required
    one is an error (all listed at once)."""
    answers, missing = [], []
    for attribute in category.open311_attributes.filter(variable=True):
        values = [
            v.strip()
            for v in form.getlist(f"attribute[{attribute.code}]")
            + form.getlist(f"attribute[{attribute.code}][]")
            if v.strip()
        ]
        if not values:
            if attribute.required:
                missing.append(
                    _("attribute[%(code)s] is required: %(question)s")
                    % {"code": attribute.code, "question": attribute.description}
                )
            continue
        answers.append((attribute.description, _answer(attribute, values)))
    if missing:
        raise Open311Error(400, *missing)
    return answers


def parse_w3(name: str, value: str, *, end: bool = False) -> datetime:
    """A w3 datetime (a bare date means its start, or its end for `end`); 400 otherwise."""
    moment = parse_datetime(value.strip())
    if moment is None and (day := parse_date(value.strip())) is not None:
        moment = datetime.combine(day, time.max if end else time.min)
    if moment is None:
        raise Open311Error(
            400,
            _("%(name)s must be a w3 date and time, e.g. 2026-01-01T00:00:00Z.") % {"name": name},
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def comma_list(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def positive_int(name: str, value: str | None, default: int, maximum: int) -> int:
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= maximum:
        raise Open311Error(
            400,
            _("%(name)s must be a whole number from 1 to %(max)s.")
            % {"name": name, "max": maximum},
        )
    return number


def date_window(start: str | None, end: str | None) -> tuple[datetime, datetime]:
    """requested_datetime range: the most recent 90 days by default, never more than 90."""
    lower = parse_w3("start_date", start) if start else None
    upper = parse_w3("end_date", end, end=True) if end else None
    if lower is None:
        upper = upper or timezone.now()
        lower = upper - MAX_SPAN
    elif upper is None:
        upper = lower + MAX_SPAN
    if upper < lower:
        raise Open311Error(400, _("end_date is before start_date."))
    if upper - lower > MAX_SPAN:
        raise Open311Error(400, _("start_date to end_date may not span more than 90 days."))
    return lower, upper
