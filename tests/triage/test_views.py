"""Staff pages and the case page's triage card: who sees what, one-click pre-fill, merge."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wenming.cases.models import Case
from wenming.triage.models import SuggestionModel

from .conftest import category, place

HEAT = ("幸福社区暖气不热", "家里暖气一点都不热，室温只有十二度，老人孩子受不了。")


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


@pytest.mark.parametrize(
    "who", ["dispatcher", "operator", "admin", "liaison", "inspector", "unitlead"]
)
def test_hotspots_page_opens_for_staff_roles(client, cast, who):
    assert get(client, cast[who], reverse("triage:hotspots")).status_code == 200


@pytest.mark.parametrize("who", ["handler", "volunteer", "nobody"])
def test_hotspots_page_refuses_other_roles(client, cast, who):
    assert get(client, cast[who], reverse("triage:hotspots")).status_code == 403


def test_pages_need_a_login(client, city):
    for name in ("triage:hotspots", "triage:overview"):
        assert client.get(reverse(name)).status_code == 302


def test_hotspots_page_lists_clusters_with_member_cases(client, cast, report):
    cases = [
        place(report(*HEAT, key="event:1201", offset_m=(i * 10, 0)), days_ago=1) for i in range(3)
    ]
    response = get(client, cast.dispatcher, reverse("triage:hotspots"), sort="support")
    assert response.status_code == 200
    assert len(response.context["page"]) == 1
    for case in cases:
        assert case.code in response.content.decode()
    outsider = get(client, cast.unitlead, reverse("triage:hotspots"))  # 青山路 scope covers them
    assert len(outsider.context["page"]) == 1


def test_hotspots_page_rejects_a_reversed_period(client, cast):
    response = get(
        client, cast.dispatcher, reverse("triage:hotspots"), start="2026-03-01", end="2026-02-01"
    )
    assert response.status_code == 200 and list(response.context["page"]) == []
    assert "after the end date" in response.content.decode()


def test_overview_shows_versions_and_accuracy(client, cast, trained):
    response = get(client, cast.dispatcher, reverse("triage:overview"))
    assert response.status_code == 200 and response.context["active"].pk == trained.pk
    assert get(client, cast.handler, reverse("triage:overview")).status_code == 403


def test_only_the_admin_activates_a_version(client, cast, trained, tmp_path):
    older = trained
    SuggestionModel.objects.filter(pk=older.pk).update(is_active=False)
    client.force_login(cast.dispatcher)
    overview = reverse("triage:overview")
    refused = client.post(
        reverse("triage:activate", args=[older.pk]), headers={"referer": overview}, follow=True
    )
    assert "You do not have permission" in refused.content.decode()
    assert not SuggestionModel.objects.get(pk=older.pk).is_active
    client.force_login(cast.admin)
    assert client.post(reverse("triage:activate", args=[older.pk])).status_code == 302
    assert SuggestionModel.objects.get(pk=older.pk).is_active
    assert client.post(reverse("triage:activate", args=[999999])).status_code == 404


@pytest.fixture
def suggested(report, trained, run_jobs):
    case = report(*HEAT, key=None)
    run_jobs()  # the intake job stores the suggestions
    return case


def test_the_dispatcher_sees_suggestions_and_one_click_prefills_the_register_form(
    client, cast, suggested
):
    url = reverse("cases:detail", args=[suggested.code])
    page = get(client, cast.dispatcher, url)
    assert page.context["triage"]["suggestion"].categories
    heat = category("event:1201")
    assert f'href="?use_category={heat.pk}' in page.content.decode()
    prefilled = get(client, cast.dispatcher, url, use_category=heat.pk)
    register = {s.slug: f for s, f in prefilled.context["panels"]}["register"]
    assert register.initial["category"] == heat.pk


def test_a_handler_does_not_see_the_triage_card(client, cast, suggested, street_case):
    assert (
        get(client, cast.handler, reverse("cases:detail", args=[street_case.code])).context[
            "triage"
        ]
        is None
    )


def test_merge_into_a_duplicate_from_the_card(client, cast, report):
    first = place(report(*HEAT, key="event:1201"), days_ago=1)
    second = report(*HEAT, key="event:1201", offset_m=(20, 0))
    page = get(client, cast.dispatcher, reverse("cases:detail", args=[second.code]))
    assert [d.case.code for d in page.context["triage"]["duplicates"]] == [first.code]
    posted = client.post(
        reverse("cases:act", args=[second.code, "merge"]),
        {"merge-into": first.code, "merge-note": "", "merge-expected_version": second.version},
    )
    assert posted.status_code == 302
    assert Case.objects.get(pk=second.pk).merged_into_id == first.pk


def test_the_verifier_sees_the_reply_flags(client, cast, street_case):
    from wenming.cases import services

    from .conftest import jpeg

    services.case_feedback(
        case_id=street_case.pk, actor=cast.handler, text="已处理", photos=[jpeg()]
    )
    page = get(client, cast.inspector, reverse("cases:detail", args=[street_case.code]))
    assert [f.code for f in page.context["triage"]["flags"]] == ["boilerplate"]
    assert 'data-flag="boilerplate"' in page.content.decode()


@pytest.fixture
def street_case(report, cast):
    from wenming.cases import services
    from wenming.org.models import Unit

    case = report("青东社区垃圾堆放", "5号楼门口的生活垃圾堆了三天没人清运。", key="event:0102")
    services.case_register(case_id=case.pk, actor=cast.dispatcher)
    services.case_dispatch(
        case_id=case.pk, actor=cast.dispatcher, unit=Unit.objects.get(code="BT-150204001000")
    )
    return services.case_sign(case_id=case.pk, actor=cast.handler)
