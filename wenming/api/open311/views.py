"""Open311 GeoReport v2 (see https://wiki.open311.org/GeoReport_v2 and Service_Discovery).

Formats: `.xml` or `.json` on the resource, or `?format=` when there is no extension (XML by
default, as the spec requires XML). Our choices where the spec leaves one:
- service_code is `<kind>-<code>` of a public minor class (e.g. `event-0501`), type `realtime`;
- POST answers the service_request_id (our case code) at once, never a token; `tokens/<token>`
  still answers, taking the case code as the token;
- status is `open` or `closed` (closed, rejected, merged); our fine state is in status_notes;
- GET requests adds `page`, `page_size` (default and maximum 1000, the spec's limit),
  `updated_after` and `updated_before`; X-Total-Count and Link headers tell the paging.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from wenming.api.parsers import MultiPartParser
from wenming.api.throttling import AnonymousSubmitThrottle
from wenming.cases.states import TERMINAL_STATES
from wenming.core.context_processors import city_name
from wenming.core.errors import DomainError

from . import inputs, selectors
from .render import FORMATS, XML, Open311Error, error_response, respond
from .services import Contact, ServiceRequestInput, open311_request_submit

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MAX_PAGE_SIZE = 1000


class FirstRenderer(BaseContentNegotiation):
    """We pick the format ourselves (extension or `format`), so DRF must not refuse one."""

    def select_parser(self, request, parsers):  # type: ignore[no-untyped-def]
        content_type = request.content_type.split(";")[0].strip()
        return next((p for p in parsers if p.media_type == content_type), None)

    def select_renderer(self, request, renderers, format_suffix=None):  # type: ignore[no-untyped-def]
        return renderers[0], renderers[0].media_type


class Open311View(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousSubmitThrottle]  # POSTs count under both limits
    parser_classes = [FormParser, MultiPartParser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FirstRenderer
    schema = None  # not part of the REST API's OpenAPI document

    def fmt(self) -> str:
        value = self.kwargs.get("fmt") or self.request.GET.get("format") or XML
        return value.lower()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if self.fmt() not in FORMATS:
            raise Open311Error(400, _("Unknown format: use .xml or .json."))

    def handle_exception(self, exc: Exception) -> HttpResponse:
        fmt = self.fmt() if self.fmt() in FORMATS else XML
        if isinstance(exc, Open311Error):
            return error_response(fmt, exc.status, exc.descriptions)
        if isinstance(exc, DomainError):
            return error_response(fmt, 400 if exc.status != 404 else 404, [str(exc.message)])
        if isinstance(exc, Http404):
            return error_response(fmt, 404, [_("Not found.")])
        if isinstance(exc, exceptions.APIException):
            response = error_response(fmt, exc.status_code, inputs.errors_of(exc.detail))
            if isinstance(exc, exceptions.Throttled) and exc.wait:
                response["Retry-After"] = str(int(exc.wait))
            return response
        raise exc


class DiscoveryView(Open311View):
    def get(self, request: Request, fmt: str | None = None) -> HttpResponse:
        changeset = selectors.services_changeset()
        endpoint = request.build_absolute_uri(reverse("open311:root")).rstrip("/")
        payload = {
            "changeset": changeset,
            "contact": settings.WENMING_OPEN311_CONTACT
            or _("%(city)s civilization office, hotline 12345") % {"city": city_name()},
            "key_service": _("API keys are issued by the city's civilization office (文明办)."),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": endpoint,
                    "changeset": changeset,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        }
        return respond(self.fmt(), "discovery", payload)


def _service(category: Any) -> dict[str, object]:
    return {
        "service_code": selectors.service_code(category),
        "service_name": category.name,
        "description": category.register_standard or category.name,
        "metadata": bool(category.has_attributes),
        "type": "realtime",
        "keywords": ", ".join(category.keywords.split()),
        "group": category.parent.name,
    }


class ServiceListView(Open311View):
    def get(self, request: Request, fmt: str | None = None) -> HttpResponse:
        return respond(self.fmt(), "services", [_service(c) for c in selectors.services()])


def _attribute(attribute: Any) -> dict[str, object]:
    return {
        "variable": attribute.variable,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": attribute.datatype_description or None,
        "order": attribute.order,
        "description": attribute.description,
        "values": [{"key": v.get("key"), "name": v.get("name")} for v in attribute.values or []],
    }


class ServiceDefinitionView(Open311View):
    def get(self, request: Request, code: str, fmt: str | None = None) -> HttpResponse:
        category = selectors.service_get(code)
        if category is None:
            raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code})
        attributes = [_attribute(a) for a in category.open311_attributes.all()]
        payload = {"service_code": code, "attributes": attributes}
        return respond(self.fmt(), "service_definition", payload)


class RequestListView(Open311View):
    def get(self, request: Request, fmt: str | None = None) -> HttpResponse:
        params = request.query_params
        cases = selectors.public_requests()
        if codes := inputs.comma_list(params.get("service_request_id")):
            cases = cases.filter(code__in=codes)  # overrides every other filter (spec)
        else:
            cases = _filtered(cases, params)
        size = inputs.positive_int(
            "page_size", params.get("page_size"), MAX_PAGE_SIZE, MAX_PAGE_SIZE
        )
        number = inputs.positive_int("page", params.get("page"), 1, 10**6)
        paginator = Paginator(cases, size)
        rows = list(paginator.page(number).object_list) if number <= paginator.num_pages else []
        payload = [selectors.request_payload(case, request) for case in rows]
        response = respond(self.fmt(), "service_requests", payload)
        response["X-Total-Count"] = str(paginator.count)
        if number < paginator.num_pages:
            query = params.copy()
            query["page"] = str(number + 1)
            next_url = request.build_absolute_uri("?" + query.urlencode())
            response["Link"] = f'<{next_url}>; rel="next"'
        return response

    def post(self, request: Request, fmt: str | None = None) -> HttpResponse:
        api_key = selectors.api_key_check(request.data.get("api_key", ""))
        if api_key is None:
            raise Open311Error(403, _("api_key is missing or not valid."))
        category = _service_for_post(request.data.get("service_code", ""))
        # "Optional" in the spec: an empty parameter is the same as a missing one.
        sent = {key: value for key, value in request.data.items() if value != ""}
        form = inputs.RequestCreateInput(data=sent)
        if not form.is_valid():
            raise Open311Error(400, *inputs.errors_of(form.errors))
        values = form.validated_data
        data = ServiceRequestInput(
            category=category,
            description=values.get("description", ""),
            lat=values.get("lat"),
            lon=values.get("long"),
            address=values.get("address_string", ""),
            media_url=values.get("media_url", ""),
            media=[values["media"]] if values.get("media") else [],
            answers=inputs.attribute_answers(category, request.data),
        )
        contact_fields = ("first_name", "last_name", "phone", "email", "device_id", "account_id")
        contact = Contact(**{name: values.get(name, "") for name in contact_fields})
        case = open311_request_submit(api_key=api_key, data=data, contact=contact)
        payload = [
            {
                "service_request_id": case.code,
                "service_notice": None,
                "account_id": values.get("account_id") or None,
            }
        ]
        return respond(self.fmt(), "service_requests", payload)


def _service_for_post(code: str) -> Any:
    code = (code or "").strip()
    if not code:
        raise Open311Error(400, _("service_code was not provided."))
    category = selectors.service_get(code)
    if category is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code})
    return category


def _filtered(cases: Any, params: Any) -> Any:
    if service_codes := inputs.comma_list(params.get("service_code")):
        condition = Q(pk__in=[])
        for code in service_codes:
            kind, _sep, number = code.partition("-")
            condition |= Q(category__kind=kind, category__code=number)
        cases = cases.filter(condition)
    lower, upper = inputs.date_window(params.get("start_date"), params.get("end_date"))
    cases = cases.filter(reported_at__gte=lower, reported_at__lte=upper)
    if statuses := inputs.comma_list(params.get("status")):
        if set(statuses) - {"open", "closed"}:
            raise Open311Error(400, _("status must be open, closed or both (comma separated)."))
        if statuses == ["open"]:
            cases = cases.exclude(state__in=TERMINAL_STATES)
        elif statuses == ["closed"]:
            cases = cases.filter(state__in=TERMINAL_STATES)
    if after := params.get("updated_after"):
        cases = cases.filter(updated_at__gte=inputs.parse_w3("updated_after", after))
    if before := params.get("updated_before"):
        cases = cases.filter(updated_at__lte=inputs.parse_w3("updated_before", before, end=True))
    return cases


class RequestDetailView(Open311View):
    def get(self, request: Request, code: str, fmt: str | None = None) -> HttpResponse:
        case = selectors.public_requests().filter(code=code).first()
        if case is None:
            raise Open311Error(404, _("service_request_id %(id)s was not found.") % {"id": code})
        return respond(self.fmt(), "service_requests", [selectors.request_payload(case, request)])


class TokenView(Open311View):
    def get(self, request: Request, token: str, fmt: str | None = None) -> HttpResponse:
        # We answer POST with the case code at once; a token, if a client has one, is the code.
        if not selectors.public_requests().filter(code=token).exists():
            raise Open311Error(404, _("token %(token)s was not found.") % {"token": token})
        return respond(
            self.fmt(), "service_requests", [{"service_request_id": token, "token": token}]
        )
