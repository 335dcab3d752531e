"""The staff console through its pages: queues, the case page and its forms, search, export."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from wenming.cases import services
from wenming.cases.access import cases_visible
from wenming.cases.models import (
    Case,
    CaseRating,
    CaseRequest,
    RequestStatus,
    RoutingRule,
    WarningLevel,
)
from wenming.core.errors import ConcurrentUpdate, PermissionDenied
from wenming.org.models import Region

from .conftest import jpeg


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def page(client, user, url, **get):
    client.force_login(user)
    return client.get(url, get)


def act(client, user, case, slug, data=None, **extra):
    """Post a case-page form as its prefixed fields, with the version the page showed."""
    client.force_login(user)
    fields = {"expected_version": case.version, **(data or {})}
    posted = {f"{slug}-{key}": value for key, value in fields.items()}
    posted.update(extra)
    return client.post(reverse("cases:act", args=[case.code, slug]), posted)


def decide(client, user, case_request, approve, note=""):
    client.force_login(user)
    case = Case.objects.get(pk=case_request.case_id)
    prefix = f"decide-{case_request.pk}"
    data = {
        f"{prefix}-expected_version": case.version,
        f"{prefix}-approve": "1" if approve else "0",
        f"{prefix}-note": note,
    }
    return client.post(reverse("cases:decide", args=[case.code, case_request.pk]), data)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# ---------------------------------------------------------------- access


@pytest.mark.parametrize(
    "name",
    ["cases:workspace", "cases:worklist", "cases:verification", "cases:search", "cases:export"],
)
def test_every_page_requires_login(client, city, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_case_page_requires_login(client, submit):
    case = submit()
    response = client.get(reverse("cases:detail", args=[case.code]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "user, name",
    [
        ("handler", "cases:workspace"),
        ("inspector", "cases:workspace"),
        ("dispatcher", "cases:worklist"),
        ("handler", "cases:verification"),
        ("nobody", "cases:search"),
        ("nobody", "cases:export"),
    ],
)
def test_pages_refuse_roles_they_are_not_for(client, cast, user, name):
    assert page(client, cast[user], reverse(name)).status_code == 403


def test_an_out_of_scope_case_is_not_found(client, cast, advance):
    case = advance("dispatched")
    assert page(client, cast.outsider, reverse("cases:detail", args=[case.code])).status_code == 404
    response = act(client, cast.outsider, case, "sign")
    assert response.status_code == 404
    assert fresh(case).state == "dispatched"


def test_a_wrong_role_posting_an_action_is_refused_and_nothing_changes(
    client, cast, submit, category
):
    case = submit()
    response = act(
        client,
        cast.handler,
        case,
        "register",
        {"category": category.pk, "urgency": "normal", "nature": "complaint"},
    )
    # The handler's unit does not hold the case yet: it is invisible to them.
    assert response.status_code == 404
    response = act(
        client,
        cast.inspector,
        case,
        "register",
        {"category": category.pk, "urgency": "normal", "nature": "complaint"},
    )
    assert response.status_code == 403
    assert response.context["error"] == str(PermissionDenied.default_message)
    assert fresh(case).state == "submitted" and fresh(case).version == case.version


def test_a_handler_cannot_close_their_own_case(client, cast, advance):
    case = advance("verified")
    response = act(client, cast.handler, case, "close")
    assert response.status_code == 403
    assert fresh(case).state == "verified"


def test_an_unknown_action_is_not_found(client, cast, submit):
    case = submit()
    assert act(client, cast.dispatcher, case, "explode").status_code == 404


# ---------------------------------------------------------------- queues


def test_workspace_shows_each_queue_with_its_count(client, cast, submit, advance):
    waiting = submit(title="待立案的案件")
    registered = advance("registered")
    response = page(client, cast.dispatcher, reverse("cases:workspace"))
    html = response.content.decode()
    assert response.status_code == 200
    assert waiting.code in html and registered.code not in html  # first tab: to register
    counts = {t.key: counted.count for t, counted in response.context["tabs"]}
    assert counts["to_register"] >= 1 and counts["to_dispatch"] >= 1
    assert [t.key for t, _counted in response.context["tabs"]] == [
        "to_register",
        "to_dispatch",
        "returned",
        "requests",
        "overdue",
    ]


def test_queue_counts_stop_at_the_cap_and_say_more(client, cast, submit, settings):
    def to_register_badge() -> tuple[object, str]:
        response = page(client, cast.dispatcher, reverse("cases:workspace"))
        badge = next(c for t, c in response.context["tabs"] if t.key == "to_register")
        html = response.content.decode()
        shown = re.search(r'data-tab="to_register">[^<]*<span[^>]*>([^<]*)</span>', html)
        return badge, shown.group(1)

    for i in range(3):
        submit(title=f"待立案{i}")
    waiting = Case.objects.filter(state="submitted").count()
    settings.WENMING_COUNT_CAP = waiting - 1
    badge, shown = to_register_badge()
    assert (badge.count, badge.count_capped, shown) == (waiting - 1, True, f"{waiting - 1}+")
    settings.WENMING_COUNT_CAP = waiting
    badge, shown = to_register_badge()
    assert (badge.count, badge.count_capped, shown) == (waiting, False, f"{waiting}")


def test_workspace_tab_switch_with_htmx_returns_only_the_pane(client, cast, advance):
    registered = advance("registered")
    client.force_login(cast.dispatcher)
    response = client.get(
        reverse("cases:workspace"), {"tab": "to_dispatch"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and registered.code in html
    assert 'data-tab="to_dispatch"' in html


def test_the_operator_has_no_requests_tab(client, cast):
    response = page(client, cast.operator, reverse("cases:workspace"))
    assert "requests" not in [t.key for t, _counted in response.context["tabs"]]


def test_to_dispatch_preselects_the_proposed_unit(client, cast, submit, category, street_unit):
    RoutingRule.objects.create(
        category=category, region=Region.objects.get(code="150204001000"), unit=street_unit
    )
    case = submit()
    services.case_register(case_id=case.pk, actor=cast.dispatcher)
    response = page(client, cast.dispatcher, reverse("cases:workspace"), tab="to_dispatch")
    html = response.content.decode()
    assert f'<option value="{street_unit.pk}" selected>' in html
    detail = page(client, cast.dispatcher, reverse("cases:detail", args=[case.code]))
    assert f'<option value="{street_unit.pk}" selected>' in detail.content.decode()


def test_returned_and_overdue_queues(client, cast, advance):
    overdue = advance("in_progress")
    Case.objects.filter(pk=overdue.pk).update(warning_level=WarningLevel.RED)
    returned = advance("dispatched")
    request = services.case_request_return(
        case_id=returned.pk, actor=cast.unitlead, reason="不属于本单位"
    )
    services.case_request_decide(request_id=request.pk, actor=cast.dispatcher, approve=True)
    client.force_login(cast.dispatcher)
    html = client.get(reverse("cases:workspace"), {"tab": "overdue"}).content.decode()
    assert overdue.code in html and returned.code not in html
    html = client.get(reverse("cases:workspace"), {"tab": "returned"}).content.decode()
    assert returned.code in html and overdue.code not in html


def test_workspace_requests_tab_lists_requests_for_the_dispatcher(client, cast, advance):
    case = advance("in_progress")
    services.case_request_extension(
        case_id=case.pk, actor=cast.unitlead, reason="需要协调", extra_days=5
    )
    html = page(
        client, cast.dispatcher, reverse("cases:workspace"), tab="requests"
    ).content.decode()
    assert case.code in html and "需要协调" in html


def test_worklist_tabs_for_the_handler_and_the_lead(client, cast, advance):
    to_sign = advance("dispatched")
    working = advance("in_progress")
    response = page(client, cast.handler, reverse("cases:worklist"))
    html = response.content.decode()
    assert to_sign.code in html and working.code not in html
    assert "requests" not in [t.key for t, _counted in response.context["tabs"]]
    html = client.get(reverse("cases:worklist"), {"tab": "in_progress"}).content.decode()
    assert working.code in html and to_sign.code not in html

    services.case_request_return(case_id=working.pk, actor=cast.handler, reason="不是我们的")
    html = page(client, cast.unitlead, reverse("cases:worklist"), tab="requests").content.decode()
    assert working.code in html and "不是我们的" in html


def test_the_outsider_worklist_does_not_show_another_units_cases(client, cast, advance):
    case = advance("dispatched")
    html = page(client, cast.outsider, reverse("cases:worklist")).content.decode()
    assert case.code not in html


def test_worklist_rework_tab(client, cast, advance):
    case = advance("handled")
    services.case_verify(case_id=case.pk, actor=cast.inspector, passed=False, note="还有垃圾")
    html = page(client, cast.handler, reverse("cases:worklist"), tab="rework").content.decode()
    assert case.code in html


def test_verification_queue_lists_handled_cases(client, cast, advance):
    handled = advance("handled")
    working = advance("in_progress")
    html = page(client, cast.inspector, reverse("cases:verification")).content.decode()
    assert handled.code in html and working.code not in html


# ---------------------------------------------------------------- the case page


def test_case_page_shows_the_case_its_map_photos_and_timeline(client, cast, advance):
    case = advance("handled")
    response = page(client, cast.dispatcher, reverse("cases:detail", args=[case.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert case.code in html and case.description in html
    assert 'data-geojson="case-geojson"' in html and 'id="case-geojson"' in html
    assert len(response.context["after_photos"]) == 1
    assert response.context["after_photos"][0].file.url in html
    assert [e.action for e in response.context["events"]] == [
        "submit",
        "register",
        "dispatch",
        "sign",
        "feedback",
    ]
    assert [str(d["label"]) for d in response.context["deadlines"]] == [
        _("Sign by"),
        _("Handle by"),
        _("Verify by"),
    ]


def test_case_page_shows_forms_only_for_the_moves_allowed_now(client, cast, submit, advance):
    case = submit()

    def slugs(user, c):
        response = page(client, user, reverse("cases:detail", args=[c.code]))
        return [spec.slug for spec, _form in response.context["panels"]]

    assert slugs(cast.dispatcher, case)[:4] == ["register", "answer", "merge", "reject"]
    assert slugs(cast.inspector, case) == ["comment"]
    dispatched = advance("dispatched")
    assert "sign" in slugs(cast.handler, dispatched) and "register" not in slugs(
        cast.handler, dispatched
    )
    assert "sign" not in slugs(cast.dispatcher, dispatched)
    assert "redispatch" in slugs(cast.dispatcher, dispatched)


def test_the_reporter_phone_is_masked_for_every_role_until_revealed(client, cast, advance):
    case = advance("in_progress")
    url = reverse("cases:detail", args=[case.code])
    for user in (cast.handler, cast.dispatcher, cast.liaison):
        body = page(client, user, url).content.decode()
        assert "139****5678" in body and "13912345678" not in body


# ---------------------------------------------------------------- each form's happy path


def test_register_through_the_page(client, cast, submit, category):
    case = submit(category=None)
    response = act(
        client,
        cast.dispatcher,
        case,
        "register",
        {
            "category": category.pk,
            "urgency": "urgent",
            "nature": "complaint",
            "note": "符合立案标准",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:detail", args=[case.code]
    )
    case = fresh(case)
    assert case.state == "registered" and case.category == category and case.urgency == "urgent"


def test_register_without_a_category_shows_the_form_error(client, cast, submit):
    case = submit(category=None)
    response = act(
        client, cast.dispatcher, case, "register", {"urgency": "normal", "nature": "complaint"}
    )
    assert response.status_code == 400
    assert fresh(case).state == "submitted"


def test_reject_answer_and_merge_through_the_page(client, cast, submit):
    rejected, answered, duplicate, survivor = submit(), submit(), submit(), submit()
    assert (
        act(client, cast.dispatcher, rejected, "reject", {"reason": "不属于受理范围"}).status_code
        == 302
    )
    assert fresh(rejected).state == "rejected"
    assert (
        act(client, cast.operator, answered, "answer", {"answer": "已电话答复"}).status_code == 302
    )
    assert fresh(answered).state == "closed"
    assert (
        act(client, cast.dispatcher, duplicate, "merge", {"into": survivor.code}).status_code == 302
    )
    assert fresh(duplicate).merged_into == survivor
    response = act(client, cast.dispatcher, survivor, "merge", {"into": "BT000000000000"})
    assert response.status_code == 400 and response.context["error"] == _(
        "No case with this code in your scope."
    )


def test_dispatch_from_the_workspace_returns_to_it(client, cast, advance, street_unit):
    case = advance("registered")
    back = reverse("cases:workspace") + "?tab=to_dispatch"
    response = act(client, cast.dispatcher, case, "dispatch", {"unit": street_unit.pk}, next=back)
    assert response.status_code == 302 and response["Location"] == back
    case = fresh(case)
    assert case.state == "dispatched" and case.unit == street_unit and case.handle_deadline


def test_sign_through_the_page(client, cast, advance):
    case = advance("dispatched")
    assert act(client, cast.handler, case, "sign").status_code == 302
    case = fresh(case)
    assert case.state == "in_progress" and case.handler == cast.handler


def test_feedback_with_photos_through_the_page(client, cast, advance):
    case = advance("in_progress")
    client.force_login(cast.handler)
    data = {
        "feedback-expected_version": case.version,
        "feedback-text": "已清运，地面已冲洗",
        "feedback-photos": [jpeg("a.jpg"), jpeg("b.jpg")],
    }
    response = client.post(reverse("cases:act", args=[case.code, "feedback"]), data)
    assert response.status_code == 302
    case = fresh(case)
    assert case.state == "handled"
    assert case.attachments.filter(kind="after").count() == 2


def test_a_bad_photo_keeps_the_typed_text(client, cast, advance):
    case = advance("in_progress")
    client.force_login(cast.handler)
    fake = SimpleUploadedFile("evil.jpg", b"not an image at all", content_type="image/jpeg")
    data = {
        "feedback-expected_version": case.version,
        "feedback-text": "已处理完毕请核查",
        "feedback-photos": [fake],
    }
    response = client.post(reverse("cases:act", args=[case.code, "feedback"]), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert response.context["error"] == _("This file is not a photo (or it is damaged).")
    assert "已处理完毕请核查</textarea>" in html
    assert fresh(case).state == "in_progress" and not case.attachments.filter(kind="after").exists()


def test_verify_pass_and_fail_through_the_page(client, cast, advance):
    passed, failed = advance("handled"), advance("handled")
    assert (
        act(
            client, cast.inspector, passed, "verify", {"passed": "1", "note": "现场已整改"}
        ).status_code
        == 302
    )
    assert fresh(passed).state == "verified"
    response = act(client, cast.inspector, failed, "verify", {"passed": "0", "note": "仍有垃圾"})
    assert response.status_code == 302
    assert fresh(failed).state == "in_progress" and fresh(failed).rework_count == 1


def test_verify_fail_without_a_note_is_refused_on_the_page(client, cast, advance):
    case = advance("handled")
    response = act(client, cast.inspector, case, "verify", {"passed": "0", "note": ""})
    assert response.status_code == 400 and response.context["error"] == _(
        "Say what is still wrong, for the rework."
    )
    assert fresh(case).state == "handled"


def test_close_and_callback_through_the_page(client, cast, advance):
    case = advance("verified")
    assert act(client, cast.dispatcher, case, "close", {"note": "结案"}).status_code == 302
    case = fresh(case)
    assert case.state == "closed"
    response = act(
        client,
        cast.operator,
        case,
        "callback",
        {"satisfaction": "dissatisfied", "resolved": "0", "comment": "没解决"},
    )
    assert response.status_code == 302
    rating = CaseRating.objects.get(case=case)
    assert rating.via_callback and rating.recorded_by == cast.operator and not rating.resolved
    assert (
        act(client, cast.dispatcher, fresh(case), "reopen", {"reason": "群众不满意"}).status_code
        == 302
    )
    assert fresh(case).state == "registered"


def test_return_request_through_the_lead_and_the_dispatcher(client, cast, advance):
    case = advance("in_progress")
    assert (
        act(client, cast.handler, case, "return_request", {"reason": "不属于本街道"}).status_code
        == 302
    )
    request = CaseRequest.objects.get(case=case)
    assert request.status == RequestStatus.PENDING_LEAD
    # The handler sees the request but cannot decide it.
    detail = page(client, cast.handler, reverse("cases:detail", args=[case.code]))
    assert detail.context["requests"][0][1] is None
    assert decide(client, cast.handler, request, True).status_code == 403
    assert decide(client, cast.unitlead, request, True).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING_DISPATCHER
    assert decide(client, cast.dispatcher, request, True, "改派").status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    case = fresh(case)
    assert case.state == "registered" and case.unit is None


def test_extension_request_and_its_refusal(client, cast, advance):
    case = advance("in_progress")
    before = case.handle_deadline
    assert (
        act(
            client,
            cast.unitlead,
            case,
            "extension_request",
            {"reason": "需要协调多部门", "extra_days": 5},
        ).status_code
        == 302
    )
    request = CaseRequest.objects.get(case=case)
    assert request.status == RequestStatus.PENDING_DISPATCHER  # the lead asked: straight on
    assert decide(client, cast.dispatcher, request, True).status_code == 302
    assert fresh(case).handle_deadline > before
    assert (
        act(
            client,
            cast.handler,
            fresh(case),
            "extension_request",
            {"reason": "再延期", "extra_days": 2},
        ).status_code
        == 302
    )
    second = CaseRequest.objects.filter(case=case).exclude(pk=request.pk).get()
    assert decide(client, cast.unitlead, second, False, "不同意").status_code == 302
    second.refresh_from_db()
    assert second.status == RequestStatus.REJECTED


def test_a_decided_request_cannot_be_decided_again(client, cast, advance):
    case = advance("in_progress")
    request = services.case_request_return(
        case_id=case.pk, actor=cast.unitlead, reason="不属于本单位"
    )
    assert decide(client, cast.dispatcher, request, False).status_code == 302
    assert decide(client, cast.dispatcher, request, True).status_code == 404


def test_suspend_resume_supervise_and_comment(client, cast, advance):
    case = advance("in_progress")
    assert (
        act(client, cast.dispatcher, case, "suspend", {"reason": "等待法院裁定"}).status_code == 302
    )
    assert fresh(case).is_suspended
    slugs = [
        s.slug
        for s, _f in page(
            client, cast.dispatcher, reverse("cases:detail", args=[case.code])
        ).context["panels"]
    ]
    assert "resume" in slugs and "suspend" not in slugs
    assert act(client, cast.dispatcher, fresh(case), "resume").status_code == 302
    assert not fresh(case).is_suspended
    assert (
        act(client, cast.liaison, fresh(case), "supervise", {"note": "尽快处理"}).status_code == 302
    )
    assert fresh(case).supervision_level == 1
    assert (
        act(
            client,
            cast.handler,
            fresh(case),
            "comment",
            {"note": "已联系物业", "visibility": "internal"},
        ).status_code
        == 302
    )
    assert fresh(case).events.filter(action="comment", visibility="internal").exists()


def test_a_stale_version_is_reported_and_nothing_changes(
    client, cast, advance, street_unit, other_unit
):
    case = advance("registered")
    services.case_dispatch(
        case_id=case.pk, actor=cast.dispatcher, unit=street_unit
    )  # someone else, just now
    response = act(
        client, cast.dispatcher, case, "redispatch", {"unit": other_unit.pk, "note": "改派"}
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:detail", args=[case.code]
    )
    assert str(ConcurrentUpdate.default_message) in texts(response)
    now = fresh(case)
    assert now.unit == street_unit and now.version == case.version + 1


def test_a_next_outside_the_site_is_ignored(client, cast, advance):
    case = advance("dispatched")
    response = act(client, cast.handler, case, "sign", next="https://evil.example/")
    assert response["Location"] == reverse("cases:detail", args=[case.code])


# ---------------------------------------------------------------- search and export


def test_search_filters_by_code_phone_text_state_and_region(client, cast, submit, advance):
    a = submit(title="占道经营", reporter_phone="13800001111")
    b = advance("dispatched")
    client.force_login(cast.dispatcher)
    url = reverse("cases:search")

    def codes(**get):
        return {c.code for c in client.get(url, get).context["page"]}

    assert codes(code=a.code) == {a.code}
    assert codes(phone="00001111") == {a.code}
    assert a.code in codes(text="占道") and b.code not in codes(text="占道")
    assert b.code in codes(state="dispatched") and a.code not in codes(state="dispatched")
    assert {a.code, b.code} <= codes(region="150204001000")
    assert not codes(region="150204002000") & {a.code, b.code}
    assert b.code in codes(unit=b.unit_id) and a.code not in codes(unit=b.unit_id)
    assert not codes(overdue="on") & {a.code, b.code}
    day = timezone.localdate(a.reported_at).isoformat()  # the day the console shows
    assert a.code in codes(date_from=day, date_to=day)
    assert a.code not in codes(date_from="2001-01-01", date_to="2001-01-02")
    refused = client.get(url, {"date_from": "0001-01-01", "text": "占道"})
    assert refused.status_code == 200 and "2000-01-01" in refused.content.decode()


def test_search_sorts_and_keeps_the_scope(client, cast, submit):
    first, second = submit(title="先"), submit(title="后")
    client.force_login(cast.dispatcher)
    listed = [c.code for c in client.get(reverse("cases:search"), {"sort": "code"}).context["page"]]
    assert listed.index(first.code) < listed.index(second.code)
    listed = [
        c.code for c in client.get(reverse("cases:search"), {"sort": "-code"}).context["page"]
    ]
    assert listed.index(second.code) < listed.index(first.code)
    html = page(client, cast.outsider, reverse("cases:search")).content.decode()
    assert first.code not in html


def test_search_counts_up_to_the_cap_and_says_more(client, cast, submit, settings):
    for i in range(3):
        submit(title=f"路灯{i}")
    in_scope = cases_visible(cast.dispatcher).count()
    settings.WENMING_COUNT_CAP = in_scope - 1
    response = page(client, cast.dispatcher, reverse("cases:search"))
    paginator = response.context["page"].paginator
    assert (paginator.count, paginator.count_capped) == (in_scope - 1, True)
    assert f"{in_scope - 1}+" in response.content.decode()
    settings.WENMING_COUNT_CAP = in_scope
    response = page(client, cast.dispatcher, reverse("cases:search"))
    paginator = response.context["page"].paginator
    assert (paginator.count, paginator.count_capped) == (in_scope, False)
    assert f"{in_scope}+" not in response.content.decode()


def test_search_region_filter_offers_only_regions_in_scope(client, cast):
    response = page(client, cast.handler, reverse("cases:search"))
    codes = [value for value, _label in response.context["form"].fields["region"].choices if value]
    assert codes and all(code.startswith("150204001") for code in codes)


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_export_has_the_filtered_rows_with_masked_phones(client, cast, submit):
    a = submit(title="导出测试", reporter_phone="13712345678")
    submit(title="别的案件", reporter_phone="13700000000")
    rows = _sheet(page(client, cast.liaison, reverse("cases:export"), text="导出测试"))
    assert rows[0][0] == _("Case code")
    assert len(rows) == 2 and rows[1][0] == a.code and rows[1][4] == "导出测试"
    assert rows[1][-1] == "137****5678"
    rows = _sheet(page(client, cast.dispatcher, reverse("cases:export"), text="导出测试"))
    assert rows[1][-1] == "137****5678"  # masked by default for every role
    full = {"text": "导出测试", "full_phone": "1"}
    rows = _sheet(page(client, cast.dispatcher, reverse("cases:export"), **full))
    assert rows[1][-1] == "13712345678"


def test_export_is_capped(client, cast, submit, monkeypatch):
    monkeypatch.setattr("wenming.cases.exports.EXPORT_LIMIT", 2)
    for _i in range(3):
        submit()
    rows = _sheet(page(client, cast.dispatcher, reverse("cases:export")))
    assert len(rows) == 1 + 2


def test_case_admin_lists_and_shows_cases_read_only(client, cast, advance):
    case = advance("in_progress")
    client.force_login(cast.admin)
    listing = client.get(reverse("admin:cases_case_changelist"), {"q": case.code})
    assert listing.status_code == 200 and case.code in listing.content.decode()
    shown = client.get(reverse("admin:cases_case_change", args=[case.pk]))
    assert shown.status_code == 200
    (events,) = shown.context["inline_admin_formsets"]
    assert len(list(events)) == case.events.count() == 4  # submit, register, dispatch, sign
    assert 'name="_save"' not in shown.content.decode()
    assert client.get(reverse("admin:cases_case_add")).status_code == 403
    assert (
        client.post(reverse("admin:cases_case_delete", args=[case.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Case.objects.filter(pk=case.pk).exists()
