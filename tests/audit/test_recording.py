"""What gets recorded: every successful staff write (pages and API), never anonymous or
refused ones; and the admin-only audit page."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from wenming.audit.models import AuditEntry
from wenming.audit.services import audit_record

REGISTER = {"urgency": "urgent", "nature": "complaint", "note": "符合立案标准"}


def act(client, user, case, slug, data):
    client.force_login(user)
    fields = {"expected_version": case.version, **data}
    return client.post(
        reverse("cases:act", args=[case.code, slug]), {f"{slug}-{k}": v for k, v in fields.items()}
    )


def test_a_staff_write_through_a_page_is_recorded(client, cast, submit, category):
    case = submit()
    response = act(client, cast.dispatcher, case, "register", {**REGISTER, "category": category.pk})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="write")
    assert entry.actor_name == "dispatcher" and entry.actor_id == cast.dispatcher.pk
    assert (entry.object_type, entry.object_id) == ("cases:act", case.code)
    assert entry.summary.startswith("POST /staff/cases/") and entry.ip == "127.0.0.1"


def test_a_refused_write_is_not_recorded(client, cast, advance, category):
    case = advance("registered")
    data = {**REGISTER, "category": category.pk}
    response = act(client, cast.dispatcher, case, "register", data)  # registered already
    assert response.status_code >= 400
    assert not AuditEntry.objects.filter(action="write").exists()


def test_anonymous_posts_are_not_staff_writes(client, submit):
    case = submit()
    client.post(reverse("portal:track"), {"code": case.code, "digits": "5678"})
    assert not AuditEntry.objects.exists()


def test_an_api_write_by_token_is_recorded_with_its_user(cast, submit):
    case = submit()
    token, _ = Token.objects.get_or_create(user=cast.dispatcher)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.post(f"/api/v1/cases/{case.code}/register/", {"expected_version": case.version})
    assert response.status_code < 400, response.content
    entry = AuditEntry.objects.get(action="write")
    assert entry.actor_name == "dispatcher" and entry.object_id == case.code


def test_the_audit_page_lists_and_filters_for_the_admin(client, cast):
    audit_record(action="case.reveal_phone", actor=cast.dispatcher, object_id="BT1")
    audit_record(action="cases.export", actor=cast.operator)
    client.force_login(cast.admin)
    body = client.get(reverse("audit:log"), {"action": "cases.export"}).content.decode()
    assert "cases.export" in body and "BT1" not in body
    body = client.get(reverse("audit:log"), {"actor": "dispatcher"}).content.decode()
    assert "BT1" in body


def test_the_audit_page_checks_the_chain(client, cast):
    audit_record(action="test.write")
    client.force_login(cast.admin)
    body = client.get(reverse("audit:log"), {"verify": "1"}).content.decode()
    assert 'data-verdict="ok"' in body


def test_the_audit_page_is_for_the_admin_only(client, cast):
    client.force_login(cast.dispatcher)
    assert client.get(reverse("audit:log")).status_code == 403
    client.logout()
    assert client.get(reverse("audit:log")).status_code == 302  # to the login page


def test_the_admin_site_shows_entries_read_only(client, cast):
    entry = audit_record(action="test.write")
    client.force_login(cast.admin)
    url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert client.get(url).status_code == 200
    assert 'name="_save"' not in client.get(url).content.decode()
    delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
