"""A citizen proves their phone with an SMS code, downloads a copy of their reports or asks
for deletion; the office approves (anonymises) or refuses; everything is audited."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.notify.recording import RecordingSender
from wenming.audit.models import AuditEntry
from wenming.cases.models import Case
from wenming.privacy.models import DataRequest
from wenming.privacy.services import deletion_decide

PHONE = "13912345678"


class CodeCatcher(RecordingSender):
    bodies: list[str] = []

    def send(self, *, address: str, title: str, body: str, url: str) -> None:
        super().send(address=address, title=title, body=body, url=url)
        self.bodies.append(body)


@pytest.fixture
def sms(settings):
    settings.WENMING_SENDERS = {**settings.WENMING_SENDERS, "sms": f"{__name__}.CodeCatcher"}
    CodeCatcher.reset()
    CodeCatcher.bodies = []
    cache.clear()  # codes, resend limits and wrong-try counters of earlier tests
    yield CodeCatcher
    cache.clear()


def sign_in(client, sms, phone: str = PHONE) -> None:
    client.post(reverse("privacy:start"), {"phone": phone})
    code = re.search(r"\d{6}", sms.bodies[-1]).group()
    response = client.post(reverse("privacy:start"), {"phone": phone, "code": code})
    assert response.status_code == 302 and response["Location"] == reverse("privacy:mine")


def test_a_code_is_texted_and_opens_my_reports(client, sms, submit):
    mine = submit(reporter_phone=PHONE)
    other = submit(reporter_phone="13800000001")
    sign_in(client, sms)
    assert sms.sent[-1][0] == PHONE
    body = client.get(reverse("privacy:mine")).content.decode()
    assert mine.code in body and other.code not in body and "139****5678" in body


def test_a_wrong_code_is_refused_and_tries_are_limited(client, sms, submit):
    client.post(reverse("privacy:start"), {"phone": PHONE})
    for _try in range(5):
        response = client.post(reverse("privacy:start"), {"phone": PHONE, "code": "000000"})
        assert response.status_code == 200 and response.context["code_form"].errors["code"]
    code = re.search(r"\d{6}", sms.bodies[-1]).group()
    response = client.post(reverse("privacy:start"), {"phone": PHONE, "code": code})
    assert "Too many wrong tries" in str(response.context["code_form"].errors["code"])
    assert client.get(reverse("privacy:mine")).status_code == 302


def test_a_second_code_within_a_minute_is_refused(client, sms, city):
    client.post(reverse("privacy:start"), {"phone": PHONE})
    response = client.post(reverse("privacy:start"), {"phone": PHONE})
    assert response.context["phone_form"].errors["phone"] and len(sms.sent) == 1


def test_without_proof_the_pages_send_you_to_the_start(client, city):
    for name in ("privacy:export", "privacy:delete"):
        assert client.post(reverse(name))["Location"] == reverse("privacy:start")
    assert client.get(reverse("privacy:mine"))["Location"] == reverse("privacy:start")


def test_the_copy_holds_my_cases_and_is_audited(client, sms, submit):
    mine = submit(reporter_phone=PHONE)
    submit(reporter_phone="13800000001")
    sign_in(client, sms)
    response = client.post(reverse("privacy:export"))
    assert response["Content-Disposition"].startswith("attachment")
    document = json.loads(response.content)
    assert [c["code"] for c in document["cases"]] == [mine.code]
    assert document["cases"][0]["reporter_phone"] == PHONE
    request = DataRequest.objects.get(kind="export")
    assert request.status == "completed" and request.phone_masked == "139****5678"
    assert AuditEntry.objects.get(action="privacy.export").object_id == request.code


def ask_deletion(client, sms) -> DataRequest:
    sign_in(client, sms)
    client.post(reverse("privacy:delete"), {"reason": "不再需要", "confirm": "on"})
    return DataRequest.objects.get(kind="deletion")


def test_a_deletion_request_waits_for_review_and_only_one_at_a_time(client, sms, submit):
    submit(reporter_phone=PHONE)
    request = ask_deletion(client, sms)
    assert request.status == "pending" and request.reason == "不再需要"
    response = client.post(reverse("privacy:delete"), {"confirm": "on"}, follow=True)
    assert "already have a deletion request" in response.content.decode()
    assert DataRequest.objects.filter(kind="deletion").count() == 1
    assert AuditEntry.objects.filter(action="privacy.deletion_requested").count() == 1


def test_a_deletion_request_needs_the_confirmation(client, sms, city):
    sign_in(client, sms)
    client.post(reverse("privacy:delete"), {"reason": "x"})
    assert not DataRequest.objects.exists()


def test_the_office_approves_and_the_reports_are_anonymised(client, sms, submit, cast):
    mine = submit(reporter_phone=PHONE)
    other = submit(reporter_phone="13800000001")
    request = ask_deletion(client, sms)
    client.force_login(cast.admin)
    page = client.get(reverse("privacy:staff_detail", args=[request.pk])).content.decode()
    assert "1 cases" in page and PHONE not in page
    client.post(reverse("privacy:staff_decide", args=[request.pk]), {"decision": "approve"})
    request.refresh_from_db()
    assert request.status == "completed" and request.records_affected == 1
    assert request.decided_by == cast.admin
    case = Case.objects.get(pk=mine.pk)
    assert (case.reporter_name, case.reporter_phone) == ("", "") and case.title == mine.title
    assert Case.objects.get(pk=other.pk).reporter_phone == "13800000001"
    assert AuditEntry.objects.get(action="privacy.deletion_approved").actor_name == "admin"


def test_refusing_needs_a_note_and_keeps_the_data(client, sms, submit, cast):
    mine = submit(reporter_phone=PHONE)
    request = ask_deletion(client, sms)
    client.force_login(cast.admin)
    url = reverse("privacy:staff_decide", args=[request.pk])
    client.post(url, {"decision": "reject"})
    request.refresh_from_db()
    assert request.status == "pending"
    client.post(url, {"decision": "reject", "note": "案件仍在复核期"})
    request.refresh_from_db()
    assert request.status == "rejected" and request.decision_note == "案件仍在复核期"
    assert Case.objects.get(pk=mine.pk).reporter_phone == PHONE


def test_a_decided_request_cannot_be_decided_again(client, sms, submit, cast):
    submit(reporter_phone=PHONE)
    request = ask_deletion(client, sms)
    deletion_decide(request_id=request.pk, actor=cast.admin, approve=False, note="否")
    from wenming.core.errors import IllegalTransition

    with pytest.raises(IllegalTransition):
        deletion_decide(request_id=request.pk, actor=cast.admin, approve=True)


@pytest.mark.parametrize("role", ["dispatcher", "operator", "handler", "nobody"])
def test_only_the_office_sees_and_decides_requests(client, sms, submit, cast, role):
    submit(reporter_phone=PHONE)
    request = ask_deletion(client, sms)
    client.force_login(cast[role])
    assert client.get(reverse("privacy:staff_list")).status_code == 403
    assert client.get(reverse("privacy:staff_detail", args=[request.pk])).status_code == 403
    client.post(reverse("privacy:staff_decide", args=[request.pk]), {"decision": "approve"})
    request.refresh_from_db()
    assert request.status == "pending"


def test_anonymous_staff_pages_send_to_login(client, city):
    assert client.get(reverse("privacy:staff_list")).status_code == 302


def test_the_office_list_shows_pending_requests(client, sms, submit, cast):
    submit(reporter_phone=PHONE)
    request = ask_deletion(client, sms)
    client.force_login(cast.admin)
    body = client.get(reverse("privacy:staff_list")).content.decode()
    assert request.code in body and PHONE not in body
