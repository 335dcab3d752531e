"""Who may use each route: the roles served on an object in their scope, and on one outside.

A rule is (inside, outside); each is a set of role names. Routes without objects only use
`inside`. The cast: `admin` is a superuser; `handler`, `unitlead` work for 青山路街道 (the
objects "inside"); `outsider` is a handler of 万青路街道; `nobody` is signed in with no role.
"""

from __future__ import annotations

import json
from pathlib import Path

ANONYMOUS = "anonymous"
ROLES = [
    ANONYMOUS,
    "nobody",
    "admin",
    "operator",
    "dispatcher",
    "handler",
    "unitlead",
    "inspector",
    "reviewer",
    "liaison",
    "centerstaff",
    "volunteer",
    "outsider",
]

Rule = tuple[frozenset[str], frozenset[str]]


def _roles(words: str) -> frozenset[str]:
    if words == "everyone":
        return frozenset(ROLES)
    if words == "signed-in":
        return frozenset(ROLES) - {ANONYMOUS}
    names = frozenset(words.split())
    assert names <= set(ROLES), names - set(ROLES)
    return names


def rule(inside: str, *, outside: str | None = None) -> Rule:
    """`rule("admin dispatcher")`; `outside` when an out-of-scope object answers otherwise."""
    return _roles(inside), _roles(inside if outside is None else outside)


def expand(entry: Rule) -> tuple[set[str], set[str]]:
    return set(entry[0]), set(entry[1])


NONE = ""  # drafts and unpublished objects: no one reaches them through a public route

# Action endpoints (POST) are *served* when they answer past the permission check: a 400 or
# 409 for an empty form counts. They prove who can reach the object; who may perform each
# transition is tested per transition in tests/cases/test_lifecycle.py and the apps' tests.
RULES: dict[str, Rule] = {
    "accountability:exposure_detail": rule(
        "admin operator dispatcher unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison",
    ),
    "accountability:exposure_index": rule(
        "admin operator dispatcher unitlead inspector reviewer liaison"
    ),
    "accountability:exposure_new": rule("admin"),
    "accountability:list_detail": rule(
        "admin operator dispatcher unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison",
    ),
    "accountability:list_entry": rule("admin"),
    "accountability:list_export": rule(
        "admin operator dispatcher unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison",
    ),
    "accountability:list_index": rule(
        "admin operator dispatcher unitlead inspector reviewer liaison"
    ),
    "accountability:list_move": rule("admin"),
    "accountability:list_new": rule("admin"),
    "accountability:metrics": rule("admin operator dispatcher unitlead inspector reviewer liaison"),
    "accountability:metrics_export": rule(
        "admin operator dispatcher unitlead inspector reviewer liaison"
    ),
    "accountability:ranking": rule("admin operator dispatcher unitlead inspector reviewer liaison"),
    "accountability:ranking_export": rule(
        "admin operator dispatcher unitlead inspector reviewer liaison"
    ),
    "accountability:report": rule("admin operator dispatcher unitlead inspector reviewer liaison"),
    "audit:log": rule("admin"),
    "accounts_security:history": rule("signed-in"),
    "accounts_security:login_code": rule(NONE),  # only after a password step: back to sign-in
    "accounts_security:overview": rule("signed-in"),
    "accounts_security:totp_disable": rule("signed-in"),
    "accounts_security:totp_enrol": rule("signed-in"),
    "admin_login": rule(NONE),  # always sends to the one sign-in form
    "api:docs": rule("everyone"),
    "api:schema": rule("everyone"),
    "api:v1:case_answer": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_callback": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_close": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_comment": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_detail": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_dispatch": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_extension_request": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_feedback": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_list": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison centerstaff volunteer outsider"
    ),
    "api:v1:case_merge": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_redispatch": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_register": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_reject": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_reopen": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_request_decision": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_resume": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_return_request": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_sign": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_supervise": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_suspend": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:case_verify": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "api:v1:category_list": rule("everyone"),
    "api:v1:metrics": rule("admin operator dispatcher unitlead inspector reviewer liaison"),
    "api:v1:unit_list": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison centerstaff volunteer outsider"
    ),
    "assessment:cycle_close": rule("admin"),
    "assessment:cycle_detail": rule("admin handler unitlead reviewer liaison outsider"),
    "assessment:cycle_list": rule("admin handler unitlead reviewer liaison outsider"),
    "assessment:cycle_open": rule("admin"),
    "assessment:evidence_add": rule("admin dispatcher reviewer"),
    "assessment:indicator_export": rule(
        "admin dispatcher handler unitlead inspector reviewer liaison outsider"
    ),
    "assessment:indicator_import": rule("admin"),
    "assessment:indicators": rule(
        "admin dispatcher handler unitlead inspector reviewer liaison outsider"
    ),
    "assessment:my_tasks": rule("admin handler unitlead outsider"),
    "assessment:review_queue": rule("admin reviewer"),
    "assessment:scores": rule("admin dispatcher reviewer liaison"),
    "assessment:task_detail": rule("admin dispatcher reviewer"),
    "assessment:task_review": rule("admin dispatcher reviewer"),
    "assessment:task_submit": rule("admin dispatcher reviewer"),
    "cases:act": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "cases:decide": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison", outside=""
    ),
    "cases:detail": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison",
        outside="admin operator dispatcher inspector reviewer liaison outsider",
    ),
    "cases:export": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison outsider"
    ),
    "cases:reveal_phone": rule(  # the full number: the case's own handler, not its unit lead
        "admin operator dispatcher handler", outside="admin operator dispatcher"
    ),
    "cases:search": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison outsider"
    ),
    "cases:verification": rule("admin dispatcher inspector"),
    "cases:worklist": rule("admin handler unitlead outsider"),
    "cases:workspace": rule("admin operator dispatcher"),
    "dashboard:dashboard": rule("admin operator dispatcher inspector reviewer liaison"),
    "dashboard:data": rule("admin operator dispatcher inspector reviewer liaison"),
    "exposure:exposure_detail": rule(NONE),
    "exposure:exposures": rule("everyone"),
    "healthz": rule("everyone"),
    "home": rule("signed-in"),
    "honors:review": rule("admin centerstaff"),
    "honors:review_detail": rule("admin centerstaff"),
    "honors:review_list": rule("admin centerstaff"),
    "honors_portal:detail": rule("everyone"),
    "honors_portal:list": rule("everyone"),
    "honors_portal:nominate": rule("everyone"),
    "hotline:address_search": rule("admin operator dispatcher"),
    "hotline:caller": rule("admin operator dispatcher"),
    "hotline:category_search": rule("admin operator dispatcher"),
    "hotline:console": rule("admin operator dispatcher"),
    "hotline:knowledge_edit": rule("admin operator dispatcher"),
    "hotline:knowledge_list": rule("admin operator dispatcher"),
    "hotline:knowledge_new": rule("admin operator dispatcher"),
    "hotline:knowledge_search": rule("admin operator dispatcher"),
    "hotline:unit_proposal": rule("admin operator dispatcher"),
    "inspections:checklist_list": rule("admin dispatcher inspector reviewer liaison"),
    "inspections:finding_list": rule("admin dispatcher inspector reviewer liaison"),
    "inspections:inspect": rule("inspector"),
    "inspections:my_round": rule("inspector"),
    "inspections:my_rounds": rule("admin inspector"),
    "inspections:recheck": rule("admin inspector"),
    "inspections:round_assign": rule("admin dispatcher"),
    "inspections:round_close": rule("admin dispatcher"),
    "inspections:round_create": rule("admin dispatcher"),
    "inspections:round_detail": rule("admin dispatcher"),
    "inspections:round_list": rule("admin dispatcher"),
    "inspections:scores": rule("admin dispatcher inspector reviewer liaison"),
    "inspections:site_detail": rule("admin dispatcher inspector reviewer liaison"),
    "inspections:site_import": rule("admin dispatcher"),
    "inspections:site_list": rule("admin dispatcher inspector reviewer liaison"),
    "liaison:home": rule("admin liaison"),
    "lists:list_detail": rule(NONE),
    "lists:lists": rule("everyone"),
    "livelihood:activity_import": rule("admin"),
    "livelihood:activity_list": rule(
        "admin dispatcher handler unitlead reviewer liaison centerstaff outsider"
    ),
    "livelihood:activity_new": rule("admin handler unitlead centerstaff outsider"),
    "livelihood:comment_moderate": rule("admin operator dispatcher"),
    "livelihood:comment_queue": rule("admin operator dispatcher"),
    "livelihood:project_detail": rule(
        "admin dispatcher handler unitlead reviewer liaison",
        outside="admin dispatcher reviewer liaison outsider",
    ),
    "livelihood:project_export": rule(
        "admin dispatcher handler unitlead reviewer liaison outsider"
    ),
    "livelihood:project_import": rule("admin"),
    "livelihood:project_list": rule("admin dispatcher handler unitlead reviewer liaison outsider"),
    "livelihood:report_new": rule("handler unitlead", outside="outsider"),  # the lead unit only
    "livelihood:review": rule("admin"),
    "livelihood:review_detail": rule("admin"),
    "livelihood:review_list": rule("admin"),
    "livelihood_portal:detail": rule("everyone"),
    "livelihood_portal:list": rule("everyone"),
    "login": rule("everyone"),
    "logout": rule(NONE),
    "metrics": rule("everyone"),
    "notify:badge": rule("everyone"),
    "notify:inbox": rule("signed-in"),
    "notify:open": rule("handler", outside="outsider"),
    "notify:read": rule("handler", outside="outsider"),
    "notify:read_all": rule("signed-in"),
    "open311:discovery": rule("everyone"),
    "open311:discovery_root": rule("everyone"),
    "open311:request": rule("everyone"),
    "open311:requests": rule("everyone"),
    "open311:root": rule("everyone"),
    "open311:service": rule("everyone"),
    "open311:services": rule("everyone"),
    "open311:token": rule(NONE),  # an unknown token: 404 for all
    "org:region_detail": rule(
        "admin operator dispatcher handler unitlead inspector reviewer liaison centerstaff volunteer",
        outside="admin operator dispatcher inspector reviewer liaison centerstaff outsider",
    ),
    "org:region_list": rule("signed-in"),
    "password_change": rule("signed-in"),
    "password_change_done": rule("signed-in"),
    "portal:board": rule("everyone"),
    "portal:board_lookup": rule("everyone"),
    "portal:board_message": rule(NONE),
    "portal:board_new": rule("everyone"),
    "portal:board_queue": rule("admin operator dispatcher"),
    "portal:board_queue_message": rule("admin operator dispatcher"),
    "portal:board_queue_moderate": rule("admin operator dispatcher"),
    "portal:board_queue_reply": rule("admin operator dispatcher"),
    "portal:board_queue_to_case": rule("admin operator dispatcher"),
    "portal:case_list": rule("everyone"),
    "portal:home": rule("everyone"),
    "portal:report": rule("everyone"),
    "portal:report_done": rule("everyone"),
    "portal:report_nearby": rule("everyone"),
    "portal:report_photo_location": rule("everyone"),
    "portal:track": rule("everyone"),
    "portal:track_case": rule("everyone"),
    "portal:track_rate": rule("everyone"),
    "privacy:delete": rule("everyone"),  # citizens prove their phone with an SMS code first
    "privacy:export": rule("everyone"),
    "privacy:leave": rule("everyone"),
    "privacy:mine": rule("everyone"),
    "privacy:staff_decide": rule("admin"),
    "privacy:staff_detail": rule("admin"),
    "privacy:staff_list": rule("admin"),
    "privacy:start": rule("everyone"),
    "set_language": rule("everyone"),
    "triage:activate": rule("admin"),
    "triage:hotspots": rule("admin operator dispatcher unitlead inspector liaison"),
    "triage:overview": rule("admin dispatcher"),
    "volunteer_portal:activity": rule("everyone"),
    "volunteer_portal:center": rule("everyone"),
    "volunteer_portal:centers": rule("everyone"),
    "volunteer_portal:certificate_pdf": rule("admin centerstaff volunteer"),
    "volunteer_portal:certificate_request": rule("volunteer"),
    "volunteer_portal:hub": rule("everyone"),
    "volunteer_portal:leaderboard": rule("everyone"),
    "volunteer_portal:me": rule("signed-in"),
    "volunteer_portal:need": rule("everyone"),
    "volunteer_portal:need_new": rule("everyone"),
    "volunteer_portal:need_track": rule("everyone"),
    "volunteer_portal:order_action": rule("volunteer"),
    "volunteer_portal:qr_checkin": rule("volunteer"),
    "volunteer_portal:register": rule("everyone"),
    "volunteer_portal:shift_signup": rule("volunteer"),
    "volunteer_portal:signup_action": rule("volunteer"),
    "volunteer_portal:verify": rule("everyone"),
    "volunteers:activity_cancel": rule("admin centerstaff"),
    "volunteers:activity_create": rule("admin centerstaff"),
    "volunteers:activity_detail": rule("admin centerstaff"),
    "volunteers:activity_list": rule("admin centerstaff"),
    "volunteers:activity_qr": rule("admin centerstaff"),
    "volunteers:center_detail": rule("admin centerstaff"),
    "volunteers:center_list": rule("admin centerstaff"),
    "volunteers:ledger_correct": rule("admin centerstaff"),
    "volunteers:ledger_list": rule("admin centerstaff"),
    "volunteers:need_detail": rule("admin centerstaff"),
    "volunteers:need_list": rule("admin centerstaff"),
    "volunteers:need_move": rule("admin centerstaff"),
    "volunteers:shift_confirm_all": rule("admin centerstaff"),
    "volunteers:shift_detail": rule("admin centerstaff"),
    "volunteers:signup_confirm": rule("admin centerstaff"),
    "volunteers:team_detail": rule("admin centerstaff"),
    "volunteers:team_list": rule("admin centerstaff"),
    "volunteers:volunteer_certificate": rule("admin centerstaff"),
    "volunteers:volunteer_detail": rule("admin centerstaff"),
    "volunteers:volunteer_list": rule("admin centerstaff"),
    "volunteers:volunteer_record_hours": rule("admin centerstaff"),
    "volunteers:volunteer_review": rule("admin centerstaff"),
}


def record(name: str, seen: dict[str, set[str]], path: str) -> None:
    """Append what a route served (WENMING_AUTHZ_RECORD=file) to help write a new rule."""
    row = {"route": name, **{side: sorted(roles) for side, roles in seen.items()}}
    with Path(path).open("a") as out:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
