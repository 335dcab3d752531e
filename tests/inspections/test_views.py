"""Inspection pages: who may open them (403 wrong role, 404 out of scope), the inspector's
checklist posted twice, and list pages whose query count does not grow with their rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wenming.cases.models import Case
from wenming.inspections.models import Assignment, PointSite, SiteInspection

from .conftest import answers, assignment_of, items, jpeg, make_site

MANAGER_PAGES = ["inspections:round_list", "inspections:round_create", "inspections:site_import"]
VIEW_PAGES = [
    "inspections:site_list",
    "inspections:checklist_list",
    "inspections:finding_list",
    "inspections:scores",
]


@pytest.mark.parametrize("name", VIEW_PAGES + MANAGER_PAGES)
def test_pages_open_for_the_dispatcher(client, cast, inspection_round, name):
    client.force_login(cast.dispatcher)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    "name", VIEW_PAGES + MANAGER_PAGES + ["inspections:my_rounds", "liaison:home"]
)
def test_a_handler_gets_403(client, cast, name):
    client.force_login(cast.handler)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_an_inspector_cannot_manage(client, cast, name):
    client.force_login(cast.inspector)
    assert client.get(reverse(name)).status_code == 403


def test_a_site_outside_the_scope_is_404(client, cast, sites, other_inspector):
    client.force_login(other_inspector)  # 万青路街道 only
    assert client.get(reverse("inspections:site_detail", args=[sites[0].pk])).status_code == 404
    assert client.get(reverse("inspections:site_detail", args=[sites[1].pk])).status_code == 200
    listed = client.get(reverse("inspections:site_list")).content.decode()
    assert sites[1].name in listed and sites[0].name not in listed


def test_a_round_outside_the_scope_is_404(client, cast, inspection_round):
    from django.contrib.auth import get_user_model

    from wenming.org.models import Membership, Region, Role

    kundulun, _ = get_user_model().objects.get_or_create(username="kdl-dispatcher")
    Membership.objects.get_or_create(
        user=kundulun, role=Role.DISPATCHER, region_scope=Region.objects.get(code="150203000000")
    )
    client.force_login(kundulun)
    url = reverse("inspections:round_detail", args=[inspection_round.pk])
    assert client.get(url).status_code == 404
    client.force_login(cast.dispatcher)
    page = client.get(url).content.decode()
    assert "测试点位T-A" in page


def test_an_inspector_sees_only_their_own_sites(
    client, cast, inspection_round, sites, other_inspector
):
    assignment = assignment_of(inspection_round, sites[0])
    url = reverse("inspections:inspect", args=[assignment.pk])
    client.force_login(other_inspector)
    assert client.get(url).status_code == 404
    assert client.post(url, {"submission_id": "x" * 12}).status_code == 404
    client.force_login(cast.inspector)
    page = client.get(url).content.decode()
    assert all(item.text in page for item in items(sites[0].site_type))
    assert 'name="submission_id"' in page and "inspection_form.js" in page


def form_data(site_type, outcomes, submission_id="view-sub-0001"):
    data = {"submission_id": submission_id, "lat": "40.66", "lon": "109.9", "note": ""}
    for answer in answers(site_type, outcomes, photos=False):
        data[f"item-{answer.item_id}"] = answer.outcome
        data[f"item-{answer.item_id}-note"] = answer.note
    return data


def test_the_checklist_posted_twice_files_one_case_per_failure(
    client, cast, inspection_round, sites, site_type
):
    assignment = assignment_of(inspection_round, sites[0])
    url = reverse("inspections:inspect", args=[assignment.pk])
    client.force_login(cast.inspector)
    data = form_data(site_type, ["pass", "fail", "na"])  # item 2 needs no photo
    data[f"item-{items(site_type)[0].pk}-photos"] = jpeg()
    before = Case.objects.count()
    first = client.post(url, data, headers={"accept": "application/json"})
    data[f"item-{items(site_type)[0].pk}-photos"] = jpeg()
    second = client.post(url, data, headers={"accept": "application/json"})
    assert first.status_code == second.status_code == 200
    assert first.json()["ok"] and second.json()["score"] == first.json()["score"] == 98.0
    assert Case.objects.count() == before + 1
    assert SiteInspection.objects.filter(assignment=assignment).count() == 1


def test_a_refused_checklist_answers_json_with_the_reason(
    client, cast, inspection_round, sites, site_type
):
    url = reverse("inspections:inspect", args=[assignment_of(inspection_round, sites[0]).pk])
    client.force_login(cast.inspector)
    data = form_data(site_type, ["fail", "pass", "pass"])  # item 1 needs a photo
    response = client.post(url, data, headers={"accept": "application/json"})
    assert response.status_code == 400 and "add a photo" in response.json()["error"]
    page = client.post(url, data)  # the plain form shows the page again with the message
    assert page.status_code == 400 and "add a photo" in page.content.decode()


def test_the_dispatcher_creates_a_round_by_sampling(client, cast, sites, site_type):
    from wenming.org.models import Region

    client.force_login(cast.dispatcher)
    response = client.post(
        reverse("inspections:round_create"),
        {
            "name": "页面创建",
            "region": Region.objects.get(code="150204000000").pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-01-31",
            "types": [site_type.pk],
            "per_type": "2",
            "seed": "9",
            "inspector": cast.inspector.pk,
        },
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(round__name="页面创建", inspector=cast.inspector).count() == 2


def test_the_liaison_sees_their_package(client, cast, inspection_round, sites, site_type):
    from wenming.inspections import services

    services.inspection_submit(
        assignment_id=assignment_of(inspection_round, sites[0]).pk,
        actor=cast.inspector,
        submission_id="liaison-sub-1",
        answers=answers(site_type, ["fail", "pass", "pass"]),
    )
    client.force_login(cast.liaison)
    page = client.get(reverse("liaison:home"), {"problems": "1"}).content.decode()
    assert "青山区" in page and sites[0].name in page and sites[2].name not in page


# ---------------------------------------------------------------- query counts


def queries(client, user, url, **params) -> int:
    client.force_login(user)
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def more_sites(site_type, n, start):
    for i in range(start, start + n):
        make_site(site_type, f"Q-{i:03d}", "15020400100105", "BT-150204001000")


def test_site_list_queries_do_not_grow(client, cast, site_type):
    more_sites(site_type, 5, 0)
    small = queries(client, cast.dispatcher, reverse("inspections:site_list"), type=site_type.code)
    more_sites(site_type, 25, 5)
    assert (
        queries(client, cast.dispatcher, reverse("inspections:site_list"), type=site_type.code)
        == small
    )


def test_round_and_findings_queries_do_not_grow(client, cast, site_type, inspection_round, sites):
    from wenming.inspections import services

    def inspect(site, n):
        assignment, _ = Assignment.objects.get_or_create(
            round=inspection_round, site=site, defaults={"inspector": cast.inspector}
        )
        services.inspection_submit(
            assignment_id=assignment.pk,
            actor=cast.inspector,
            submission_id=f"qc-{n:04d}-sub",
            answers=answers(site_type, ["fail", "pass", "pass"]),
        )

    inspect(sites[0], 0)
    round_url = reverse("inspections:round_detail", args=[inspection_round.pk])
    findings_url = reverse("inspections:finding_list")
    small = (
        queries(client, cast.dispatcher, round_url),
        queries(client, cast.dispatcher, findings_url),
    )
    for n in range(1, 5):
        inspect(PointSite.objects.create(**{**_copy(sites[0]), "code": f"QR-{n}"}), n)
    large = (
        queries(client, cast.dispatcher, round_url),
        queries(client, cast.dispatcher, findings_url),
    )
    assert small == large


def _copy(site: PointSite) -> dict[str, object]:
    return {
        f.attname: getattr(site, f.attname)
        for f in PointSite._meta.concrete_fields
        if not f.primary_key and f.attname not in ("created_at", "updated_at")
    }


@pytest.mark.parametrize(
    "model",
    ["sitetype", "pointsite", "checklist", "inspectionround", "siteinspection"],
)
def test_the_admin_lists_inspection_configuration(client, cast, inspection_round, model):
    client.force_login(cast.admin)
    assert client.get(reverse(f"admin:inspections_{model}_changelist")).status_code == 200
