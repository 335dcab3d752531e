"""Reporter phones: encrypted at rest, found by whole number and by last digits, masked in
every page, export, API and log, and revealed in full only to who calls back (audited)."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.urls import reverse

from wenming.audit.models import AuditEntry
from wenming.cases.models import Case, Channel
from wenming.cases.selectors import CaseFilters, cases_search
from wenming.core.logs import scrub
from wenming.hotline.selectors import caller_cases
from wenming.portal.models import BoardMessage
from wenming.portal.services import board_message_submit

PHONE = "13912345678"


def raw_row(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608 - fixed names
        return " ".join(str(value) for value in cursor.fetchone())


def test_the_phone_is_stored_only_encrypted(submit):
    case = submit(reporter_phone=PHONE)
    assert PHONE not in raw_row("cases_case", case.pk)
    stored = Case.objects.get(pk=case.pk)
    assert stored.reporter_phone == PHONE  # decrypts with the field key
    assert stored.reporter_phone_masked == "139****5678" and stored.reporter_phone_tail == "5678"


def test_a_landline_is_one_number_with_or_without_its_dash(submit, cast):
    case = submit(reporter_phone="0472-5123456", channel=Channel.HOTLINE)
    assert [c.pk for c in caller_cases(cast.operator, phone="04725123456")] == [case.pk]
    assert "5123456" not in raw_row("cases_case", case.pk)


def test_the_hotline_finds_a_callers_cases_by_the_whole_number(submit, cast):
    mine = submit(reporter_phone=PHONE)
    submit(reporter_phone="13800000001")
    assert [c.pk for c in caller_cases(cast.operator, phone=PHONE)] == [mine.pk]


@pytest.mark.parametrize("query", [PHONE, "5678", "678", "12345678"])
def test_case_search_by_whole_number_or_last_digits(submit, cast, query):
    mine = submit(reporter_phone=PHONE)
    submit(reporter_phone="13800001111")
    found = cases_search(cast.dispatcher, CaseFilters(phone=query))
    assert [c.pk for c in found] == [mine.pk]


def test_case_search_with_no_digits_finds_nothing(submit, cast):
    submit(reporter_phone=PHONE)
    assert not cases_search(cast.dispatcher, CaseFilters(phone="abc")).exists()


def test_case_search_page_by_last_digits(client, cast, submit):
    mine = submit(reporter_phone=PHONE, title="尾号查询")
    client.force_login(cast.dispatcher)
    body = client.get(reverse("cases:search"), {"phone": "5678"}).content.decode()
    assert mine.code in body


# ---------------------------------------------------------------- reveal


def reveal(client, user, case):
    client.force_login(user)
    return client.post(reverse("cases:reveal_phone", args=[case.code]))


@pytest.mark.parametrize("role", ["dispatcher", "operator", "admin"])
def test_call_back_roles_reveal_the_phone_and_it_is_audited(client, cast, advance, role):
    case = advance("in_progress")
    response = reveal(client, cast[role], case)
    assert response.status_code == 200 and PHONE in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get(action="case.reveal_phone")
    assert (entry.actor_name, entry.object_id) == (role, case.code)
    assert PHONE not in entry.summary


def test_the_handler_of_the_case_may_reveal_it(client, cast, advance):
    case = advance("in_progress")  # signed by `handler`
    assert case.handler == cast.handler
    assert PHONE in reveal(client, cast.handler, case).content.decode()


def test_other_staff_who_see_the_case_may_not_reveal(client, cast, advance):
    case = advance("in_progress")
    client.force_login(cast.liaison)
    page = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert "data-reveal" not in page
    # Refused: back to the page with the message (a domain error on a POST), no number.
    response = reveal(client, cast.liaison, case)
    assert response.status_code == 302 and PHONE not in response.content.decode()
    assert not AuditEntry.objects.filter(action__in=["case.reveal_phone", "write"]).exists()


def test_out_of_scope_staff_get_404_and_anonymous_users_log_in(client, cast, advance):
    case = advance("dispatched", lat=40.59, lon=110.06)  # 东河区: outside the outsider's street
    assert reveal(client, cast.outsider, case).status_code == 404
    client.logout()
    assert client.post(reverse("cases:reveal_phone", args=[case.code])).status_code == 302
    assert not AuditEntry.objects.filter(action="case.reveal_phone").exists()


def test_reveal_is_a_post(client, cast, advance):
    case = advance("in_progress")
    client.force_login(cast.dispatcher)
    assert client.get(reverse("cases:reveal_phone", args=[case.code])).status_code == 405


def test_a_staff_read_of_the_case_page_is_audited(client, cast, submit):
    case = submit()
    client.force_login(cast.dispatcher)
    client.get(reverse("cases:detail", args=[case.code]))
    entry = AuditEntry.objects.get(action="case.view")
    assert entry.object_id == case.code and entry.actor_name == "dispatcher"


# ---------------------------------------------------------------- exports


def test_full_phone_exports_are_refused_to_other_roles(client, cast, submit):
    submit()
    client.force_login(cast.liaison)
    response = client.get(reverse("cases:export"), {"full_phone": "1"})
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action__startswith="cases.export").exists()


def test_every_export_is_audited(client, cast, submit):
    submit()
    client.force_login(cast.dispatcher)
    client.get(reverse("cases:export"))
    client.get(reverse("cases:export"), {"full_phone": "1"})
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["cases.export", "cases.export_full_phone"]


# ---------------------------------------------------------------- public and logs


def test_the_tracking_page_shows_the_proven_reporter_a_masked_phone(client, submit):
    case = submit()
    client.post(reverse("portal:track"), {"code": case.code, "digits": "5678"})
    body = client.get(reverse("portal:track_case", args=[case.code])).content.decode()
    assert "139****5678" in body and PHONE not in body


def test_wrong_digits_do_not_unlock_the_reporters_view(client, submit):
    case = submit()
    response = client.post(reverse("portal:track"), {"code": case.code, "digits": "0000"})
    assert response.status_code == 200 and response.context["form"].errors["digits"]


def test_public_case_list_and_open311_never_show_the_phone(client, submit):
    case = submit(reporter_phone=PHONE, title=f"请回电 {PHONE}")
    assert PHONE not in client.get(reverse("portal:case_list")).content.decode()
    body = client.get(f"/open311/v2/requests/{case.code}.json").content.decode()
    assert PHONE not in body


def test_board_author_phones_are_encrypted_and_masked_for_moderators(city, client, cast):
    message, _created = board_message_submit(
        token="t" * 32,
        kind="question",
        title="问题",
        body="内容",
        is_public=False,
        author_name="王",
        author_phone=PHONE,
    )
    assert PHONE not in raw_row("portal_boardmessage", message.pk)
    assert BoardMessage.objects.get(pk=message.pk).author_phone == PHONE
    client.force_login(cast.operator)
    body = client.get(reverse("portal:board_queue_message", args=[message.pk])).content.decode()
    assert "139****5678" in body and PHONE not in body


def test_logs_mask_mobiles_landlines_and_id_numbers(caplog):
    text = "call 13912345678 or 0472-5123456, id 150204199001011234"
    assert scrub(text) == "call 139****5678 or 0472-***3456, id 1502**********1234"
    with caplog.at_level(logging.INFO):
        logging.getLogger("wenming.test").info("caller %s", PHONE)
    assert PHONE not in caplog.text
