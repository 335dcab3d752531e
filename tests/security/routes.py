"""Every route of the URL configuration, with the world objects its parameters name."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Route parameters → the World key that fills them, where the parameter name alone is ambiguous.
PARAMETERS: dict[str, dict[str, str]] = {
    "portal:board_queue_message": {"pk": "message_pk"},
    "portal:board_queue_moderate": {"pk": "message_pk"},
    "portal:board_queue_reply": {"pk": "message_pk"},
    "portal:board_queue_to_case": {"pk": "message_pk"},
    "portal:board_message": {"code": "message_code"},
    "hotline:knowledge_edit": {"pk": "knowledge_pk"},
    "volunteers:center_detail": {"pk": "center_pk"},
    "volunteers:volunteer_detail": {"pk": "volunteer_pk"},
    "volunteers:volunteer_review": {"pk": "volunteer_pk"},
    "volunteers:volunteer_record_hours": {"pk": "volunteer_pk"},
    "volunteers:volunteer_certificate": {"pk": "volunteer_pk"},
    "volunteers:team_detail": {"pk": "team_pk"},
    "volunteers:need_detail": {"pk": "need_pk"},
    "volunteers:need_move": {"pk": "need_pk", "action": "need_action"},
    "volunteers:activity_detail": {"pk": "activity_pk"},
    "volunteers:activity_cancel": {"pk": "activity_pk"},
    "volunteers:activity_qr": {"pk": "activity_pk"},
    "volunteers:shift_detail": {"pk": "shift_pk"},
    "volunteers:shift_confirm_all": {"pk": "shift_pk"},
    "volunteers:signup_confirm": {"pk": "signup_pk"},
    "volunteers:ledger_correct": {"pk": "ledger_pk"},
    "volunteer_portal:activity": {"pk": "activity_pk"},
    "volunteer_portal:shift_signup": {"pk": "shift_pk"},
    "volunteer_portal:signup_action": {"pk": "signup_pk", "action": "signup_action"},
    "volunteer_portal:qr_checkin": {"activity": "activity_pk", "code": "checkin_key"},
    "volunteer_portal:order_action": {"pk": "need_pk", "action": "order_action"},
    "volunteer_portal:need": {"code": "need_code"},
    "volunteer_portal:center": {"pk": "center_pk"},
    "volunteer_portal:certificate_pdf": {"code": "certificate_code"},
    "honors:review_detail": {"pk": "honoree_pk"},
    "honors:review": {"pk": "honoree_pk"},
    "honors_portal:detail": {"pk": "honoree_pk"},
    "accountability:list_detail": {"pk": "list_pk"},
    "accountability:list_export": {"pk": "list_pk"},
    "accountability:list_entry": {"pk": "list_pk"},
    "accountability:list_move": {"pk": "list_pk", "move": "list_move"},
    "accountability:exposure_detail": {"pk": "exposure_pk"},
    "lists:list_detail": {"pk": "list_pk"},
    "exposure:exposure_detail": {"pk": "exposure_pk"},
    "inspections:site_detail": {"pk": "site_pk"},
    "inspections:round_detail": {"pk": "round_pk"},
    "inspections:round_assign": {"pk": "round_pk"},
    "inspections:round_close": {"pk": "round_pk"},
    "inspections:my_round": {"pk": "round_pk"},
    "inspections:inspect": {"pk": "assignment_pk"},
    "inspections:recheck": {"pk": "finding_pk"},
    "assessment:cycle_detail": {"pk": "cycle_pk"},
    "assessment:cycle_close": {"pk": "cycle_pk"},
    "assessment:task_detail": {"pk": "task_pk"},
    "assessment:evidence_add": {"pk": "task_pk"},
    "assessment:task_submit": {"pk": "task_pk"},
    "assessment:task_review": {"pk": "task_pk"},
    "org:region_detail": {"code": "region_code"},
    "open311:service": {"code": "service_code"},
    "open311:request": {"code": "code"},
    "portal:report_done": {"code": "code"},
    "assessment:indicator_export": {"fmt": "spreadsheet"},
    "privacy:staff_decide": {"pk": "data_request_pk"},
    "privacy:staff_detail": {"pk": "data_request_pk"},
    "livelihood:comment_moderate": {"pk": "comment_pk"},
    "livelihood:project_detail": {"pk": "project_pk"},
    "livelihood:report_new": {"pk": "project_pk"},
    "livelihood:review": {"pk": "report_pk"},
    "livelihood:review_detail": {"pk": "report_pk"},
    "livelihood_portal:detail": {"pk": "project_pk"},
}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    params: tuple[str, ...]

    def world_keys(self) -> dict[str, str]:
        named = PARAMETERS.get(self.name, {})
        return {p: named.get(p, p) for p in self.params}


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for item in patterns:
        if isinstance(item, URLResolver):
            inner = item.namespace or ""
            joined = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _walk(item.url_patterns, prefix + str(item.pattern), joined)
        elif isinstance(item, URLPattern):
            name = f"{namespace}:{item.name}" if namespace else (item.name or "")
            params = tuple(item.pattern.regex.groupindex)
            yield Route(name or prefix + str(item.pattern), prefix + str(item.pattern), params)


def all_routes() -> list[Route]:
    """Every named route but the Django admin's own pages (one rule covers the admin site)."""
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        if route.name.startswith("admin:") or route.pattern.startswith("^media"):
            continue
        seen.setdefault(route.name, route)
    return sorted(seen.values(), key=lambda r: r.name)
