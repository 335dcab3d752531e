"""REST API: every move of the problem loop through its POST endpoint, with the refusals
(wrong role 403, out of scope 404, anonymous 401, stale version 409, illegal move 409)."""

from __future__ import annotations

from wenming.cases.models import Case, CaseRequest, RequestStatus

from .conftest import assert_error, jpeg


def act(client, case: Case, action: str, data: dict | None = None, fmt: str = "json", **kw):
    case.refresh_from_db()
    body = {"expected_version": case.version, **(data or {})}
    return client.post(f"/api/v1/cases/{case.code}/{action}/", body, format=fmt, **kw)


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def test_the_whole_loop_through_the_api(client_for, submit, street_unit):
    case = submit()
    dispatcher, handler, inspector = (client_for(u) for u in ("dispatcher", "handler", "inspector"))
    assert ok(act(dispatcher, case, "register", {"urgency": "urgent"}))["state"] == "registered"
    body = ok(act(dispatcher, case, "dispatch", {"unit": street_unit.pk}))
    assert body["state"] == "dispatched" and body["unit"]["code"] == street_unit.code
    assert ok(act(handler, case, "sign"))["state"] == "in_progress"
    body = ok(act(handler, case, "feedback", {"text": "已清理", "photos": [jpeg()]}, "multipart"))
    assert body["state"] == "handled"
    assert body["timeline"][-1]["attachments"][0]["url"].startswith("http://testserver/")
    assert ok(act(inspector, case, "verify", {"passed": True}))["state"] == "verified"
    assert ok(act(dispatcher, case, "close", {"note": "办结"}))["state"] == "closed"
    body = ok(
        act(
            client_for("operator"),
            case,
            "callback",
            {"satisfaction": "dissatisfied", "resolved": False, "comment": "又堆上了"},
        )
    )
    assert body["timeline"][-1]["action"] == "callback"
    assert ok(act(dispatcher, case, "reopen", {"reason": "群众不满意"}))["state"] == "registered"


def test_reject_answer_and_merge(client_for, submit):
    dispatcher = client_for("dispatcher")
    assert (
        ok(act(dispatcher, submit(), "reject", {"reason": "不属于受理范围"}))["state"] == "rejected"
    )
    body = ok(act(client_for("operator"), submit(), "answer", {"answer": "请拨打供热热线"}))
    assert body["state"] == "closed"
    survivor, duplicate = submit(), submit()
    body = ok(act(dispatcher, duplicate, "merge", {"into": survivor.code}))
    assert body["state"] == "merged" and body["merged_into"] == survivor.code


def test_merge_into_an_unknown_case_is_a_field_error(client_for, submit):
    error = assert_error(act(client_for("dispatcher"), submit(), "merge", {"into": "BT0"}), 400)
    assert list(error["fields"]) == ["into"]


def test_redispatch_suspend_resume_supervise_and_comment(client_for, advance, other_unit):
    dispatcher = client_for("dispatcher")
    case = advance("in_progress")
    assert ok(act(dispatcher, case, "suspend", {"reason": "等待法院裁定"}))["suspended_at"]
    assert ok(act(dispatcher, case, "resume"))["suspended_at"] is None
    assert ok(act(dispatcher, case, "supervise", {"note": "请加快"}))["supervision_level"] == 1
    body = ok(act(client_for("handler"), case, "comment", {"note": "已联系物业"}))
    assert body["version"] == Case.objects.get(pk=case.pk).version
    body = ok(act(dispatcher, case, "redispatch", {"unit": other_unit.pk, "note": "属地调整"}))
    assert body["state"] == "dispatched" and body["unit"]["id"] == other_unit.pk


def test_return_request_goes_through_lead_and_dispatcher(client_for, advance):
    case = advance("in_progress")
    request = ok(act(client_for("handler"), case, "return-request", {"reason": "不归我们管"}))
    assert request["status"] == RequestStatus.PENDING_LEAD
    url = f"requests/{request['id']}/decision"
    lead = ok(act(client_for("unitlead"), case, url, {"approve": True}))
    assert lead["status"] == RequestStatus.PENDING_DISPATCHER
    final = ok(act(client_for("dispatcher"), case, url, {"approve": True, "note": "同意"}))
    assert final["status"] == RequestStatus.APPROVED
    assert Case.objects.get(pk=case.pk).state == "registered"
    assert_error(act(client_for("dispatcher"), case, url, {"approve": True}), 409)


def test_extension_request_approved_moves_the_deadline(client_for, advance):
    case = advance("in_progress")
    before = case.handle_deadline
    body = {"reason": "材料采购", "extra_days": 3}
    request = ok(act(client_for("unitlead"), case, "extension-request", body))
    assert request["status"] == RequestStatus.PENDING_DISPATCHER  # a lead's own request
    ok(act(client_for("dispatcher"), case, f"requests/{request['id']}/decision", {"approve": True}))
    assert Case.objects.get(pk=case.pk).handle_deadline > before


def test_extension_request_checks_its_days(client_for, advance):
    error = assert_error(
        act(client_for("handler"), advance("in_progress"), "extension-request", {"reason": "x"}),
        400,
    )
    assert "extra_days" in error["fields"]


def test_decision_on_another_case_request_is_404(client_for, advance):
    case, other = advance("in_progress"), advance("in_progress")
    request = ok(act(client_for("handler"), case, "return-request", {"reason": "不归我们管"}))
    url = f"requests/{request['id']}/decision"
    assert_error(act(client_for("unitlead"), other, url, {"approve": True}), 404)
    assert CaseRequest.objects.get(pk=request["id"]).status == RequestStatus.PENDING_LEAD


def test_wrong_role_is_403(client_for, submit):
    assert_error(act(client_for("handler"), submit(), "register"), 404)  # not their unit's
    assert_error(act(client_for("inspector"), submit(), "register"), 403, "permission_denied")


def test_out_of_scope_case_is_404(client_for, advance):
    assert_error(act(client_for("outsider"), advance("dispatched"), "sign"), 404, "not_found")


def test_anonymous_cannot_act(anon, submit):
    assert_error(act(anon, submit(), "register"), 401, "not_authenticated")


def test_a_stale_version_is_refused(client_for, submit):
    case = submit()
    response = client_for("dispatcher").post(
        f"/api/v1/cases/{case.code}/register/", {"expected_version": case.version + 5}
    )
    assert_error(response, 409, "conflict")
    assert Case.objects.get(pk=case.pk).state == "submitted"


def test_expected_version_is_required(client_for, submit):
    case = submit()
    error = assert_error(client_for("dispatcher").post(f"/api/v1/cases/{case.code}/register/"), 400)
    assert "expected_version" in error["fields"]
    too_big = {"expected_version": 2**64}
    error = assert_error(
        client_for("dispatcher").post(f"/api/v1/cases/{case.code}/register/", too_big), 400
    )
    assert "expected_version" in error["fields"]


def test_an_illegal_move_is_409_with_the_reason(client_for, submit):
    error = assert_error(
        act(client_for("dispatcher"), submit(), "close"), 409, "illegal_transition"
    )
    assert "“" in error["message"]


def test_feedback_without_the_required_photo_is_refused(client_for, advance):
    error = assert_error(
        act(client_for("handler"), advance("in_progress"), "feedback", {"text": "好了"}), 400
    )
    assert error["code"] == "invalid"
