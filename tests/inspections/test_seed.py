"""The demo seed: sites in the demo grids, checklists per type, an open round for the demo
inspector; the history adds a finished round whose findings are cases, once."""

from __future__ import annotations

from wenming.cases.models import Case
from wenming.inspections.models import (
    Checklist,
    InspectionRound,
    ItemResult,
    PointSite,
    SiteInspection,
    SiteType,
)
from wenming.inspections.seed import FINISHED_ROUND, OPEN_ROUND, seed_demo, seed_demo_history


def test_the_base_seed_places_sites_in_grids_and_files_no_cases(city, cast):
    assert SiteType.objects.count() >= 20
    assert Checklist.objects.filter(is_active=True).count() == SiteType.objects.count()
    sites = PointSite.objects.filter(code__startswith="QS-")
    assert sites.count() >= 40
    assert all(s.region.level == "grid" for s in sites.select_related("region"))
    opened = InspectionRound.objects.get(name=OPEN_ROUND)
    assert opened.assignments.filter(inspector=cast.inspector).count() == opened.assignments.count()
    assert not Case.objects.filter(channel="inspection").exists()
    seed_demo()  # idempotent
    assert PointSite.objects.filter(code__startswith="QS-").count() == sites.count()


def test_the_history_makes_findings_into_cases_once(city, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    made = seed_demo_history()
    assert made > 20 and seed_demo_history() == 0
    finished = InspectionRound.objects.get(name=FINISHED_ROUND)
    assert not finished.is_open
    findings = ItemResult.objects.filter(inspection__round=finished, outcome="fail")
    assert findings.exists() and not findings.filter(case__isnull=True).exists()
    assert set(findings.values_list("case__state", flat=True)) == {"dispatched"}
    assert SiteInspection.objects.filter(round__name=OPEN_ROUND).count() == 2
