"""OpenAPI post-processing: every operation documents the one error format (wenming.api.errors)
for the statuses any request can meet, so clients and the schema fuzzer know them."""

from __future__ import annotations

from typing import Any

ERROR_STATUSES = {
    "400": "The request is invalid; `fields` names what to correct.",
    "401": "No or invalid credentials.",
    "403": "The credentials do not allow this.",
    "404": "No such object, or it is outside your data scope.",
    "409": "Not possible in the object's current state, or changed by someone else meanwhile.",
    "422": "Well-formed but refused by a business rule.",
    "429": "Too many requests; retry after the time in Retry-After.",
}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}


def add_error_responses(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                responses.setdefault(status, {"description": description, "content": reference})
    return result
