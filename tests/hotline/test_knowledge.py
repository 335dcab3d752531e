"""The knowledge base's staff pages: list, search, create and edit, for operators,
dispatchers and admins only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wenming.hotline.models import KnowledgeItem

pytestmark = pytest.mark.django_db
LIST = reverse("hotline:knowledge_list")
NEW = reverse("hotline:knowledge_new")


def item_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "question": "窗口丙 共享单车乱停怎么办？",
        "answer": "由属地街道和运营企业清理。",
        "category": "",
        "keywords": "单车 乱停",
        "valid_from": "",
        "valid_until": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_an_operator_creates_an_item_and_finds_it_in_the_list(operator, cast):
    response = operator.post(NEW, item_data(valid_from="2026-01-01", valid_until="2026-12-31"))
    assert response.status_code == 302
    item = KnowledgeItem.objects.get(question__startswith="窗口丙")
    assert item.updated_by == cast.operator and str(item.valid_until) == "2026-12-31"
    listed = operator.get(LIST, {"q": "窗口丙"}).context["page"]
    assert [i.pk for i in listed] == [item.pk]


def test_an_admin_edits_an_item(client, cast):
    item = KnowledgeItem.objects.create(question="窗口丙 旧问题", answer="旧答复")
    client.force_login(cast.admin)
    url = reverse("hotline:knowledge_edit", args=[item.pk])
    assert "旧答复" in client.get(url).content.decode()
    client.post(url, item_data(question="窗口丙 新问题", is_active=""))
    item.refresh_from_db()
    assert (item.question, item.is_active, item.updated_by) == ("窗口丙 新问题", False, cast.admin)


def test_a_period_that_ends_before_it_starts_is_refused_with_the_values_kept(operator):
    response = operator.post(NEW, item_data(valid_from="2026-05-01", valid_until="2026-04-01"))
    assert response.status_code == 200
    assert "valid_until" in response.context["form"].errors
    assert "窗口丙 共享单车乱停怎么办？" in response.content.decode()
    assert not KnowledgeItem.objects.filter(question__startswith="窗口丙").exists()


def test_the_list_filters_by_validity_and_sorts(operator):
    KnowledgeItem.objects.create(question="窗口丁 A", answer="x", is_active=False)
    KnowledgeItem.objects.create(question="窗口丁 B", answer="x")
    inactive = operator.get(LIST, {"q": "窗口丁", "status": "inactive"}).context["page"]
    assert [i.question for i in inactive] == ["窗口丁 A"]
    descending = operator.get(LIST, {"q": "窗口丁", "sort": "-question"}).context["page"]
    assert [i.question for i in descending] == ["窗口丁 B", "窗口丁 A"]
    assert [i.status for i in descending] == ["valid", "inactive"]


def test_the_list_runs_a_fixed_number_of_queries(operator, consult):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert operator.get(LIST).status_code == 200
        return len(captured)

    count()
    before = count()
    for i in range(10):
        KnowledgeItem.objects.create(question=f"窗口戊 {i}", answer="x", category=consult)
    assert count() == before


@pytest.mark.parametrize("who", ["handler", "inspector", "nobody"])
def test_other_roles_may_not_open_the_knowledge_base(client, cast, who):
    item = KnowledgeItem.objects.create(question="窗口己", answer="x")
    client.force_login(cast[who])
    assert client.get(LIST).status_code == 403
    assert client.post(NEW, item_data(), follow=True).status_code == 403
    assert client.get(reverse("hotline:knowledge_edit", args=[item.pk])).status_code == 403
    assert not KnowledgeItem.objects.filter(question__startswith="窗口丙").exists()


def test_a_missing_item_is_not_found(operator):
    assert operator.get(reverse("hotline:knowledge_edit", args=[999999])).status_code == 404
