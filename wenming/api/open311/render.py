"""GeoReport v2 output in both formats: XML (required by the spec) and JSON (its "Spark"
mapping of the XML: lists become arrays, the list's item element disappears)."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET  # noqa: S405 - we only build XML, never parse it

from django.http import HttpResponse
from django.utils.translation import gettext as _

from wenming.core.errors import DomainError

JSON, XML = "json", "xml"
FORMATS = (JSON, XML)
CONTENT_TYPES = {JSON: "application/json; charset=utf-8", XML: "text/xml; charset=utf-8"}
# The element name of one item of each list, as in the spec's examples.
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


class Open311Error(DomainError):
    """An error to answer in the spec's format: `[{code, description}, …]` with the HTTP
    status (404 for what does not exist, 403 for a missing or wrong api_key, else 400)."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(descriptions[0] if descriptions else "")
        self.status = status
        self.descriptions = [str(d) for d in descriptions]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: ET.Element, tag: str, value: Any) -> None:
    element = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, list):
        for item in value:
            _append(element, ITEMS.get(tag, "item"), item)
    else:
        element.text = _text(value)


def to_xml(root: str, payload: Any) -> bytes:
    """The document with `root` as its element (a list payload: one item element each)."""
    element = ET.Element(root)
    items = payload if isinstance(payload, list) else None
    if items is not None:
        for item in items:
            _append(element, ITEMS[root], item)
    else:
        for key, value in payload.items():
            _append(element, key, value)
    body = ET.tostring(element, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}'.encode()


def respond(fmt: str, root: str, payload: Any, status: int = 200) -> HttpResponse:
    if fmt == JSON:
        content = json.dumps(payload, ensure_ascii=False).encode()
    else:
        content = to_xml(root, payload)
    return HttpResponse(content, status=status, content_type=CONTENT_TYPES[fmt])


def error_response(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    descriptions = descriptions or [_("The request could not be fulfilled.")]
    payload = [{"code": status, "description": d} for d in descriptions]
    return respond(fmt, "errors", payload, status=status)
