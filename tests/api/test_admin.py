"""API keys and tokens are made in the admin; an Open311 key is shown once and stored hashed."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model

from wenming.api.models import Open311ApiKey
from wenming.api.open311.selectors import api_key_check


def test_admin_makes_an_open311_key_shown_once(client, city):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    client.force_login(admin)
    response = client.post(
        "/admin/api/open311apikey/add/", {"name": "市民App", "is_active": "on"}, follow=True
    )
    assert response.status_code == 200
    text = response.content.decode()
    raw = re.search(r"is ([\w-]{40,}) — copy it now", text).group(1)
    key = Open311ApiKey.objects.get(name="市民App")
    assert raw not in key.key_hash and api_key_check(raw) == key and key.created_by == admin


def test_admin_makes_staff_api_tokens(client, cast):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    client.force_login(admin)
    response = client.post("/admin/authtoken/tokenproxy/add/", {"user": cast.handler.pk})
    assert response.status_code == 302
    assert cast.handler.auth_token.key
