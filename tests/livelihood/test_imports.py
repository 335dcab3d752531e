"""Excel import of projects and activities: all or nothing, problems named by sheet, row and
field; the export reads back in."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from wenming.livelihood import imports
from wenming.livelihood.imports import ImportProblems
from wenming.livelihood.models import CampaignActivity, LivelihoodProject, ProjectTarget
from wenming.org.models import Region

from .conftest import LAST_YEAR

PROJECT = ["MS-01", LAST_YEAR, "老旧小区改造", "BT-ZJJ", "BT-WMB,BT-CGZF", "150200000000", 52000,
           f"{LAST_YEAR}-01", "改造108个小区"]  # fmt: skip


def workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def projects_file(
    project_rows=None, target_rows=None, milestone_rows=None, site_rows=None
) -> bytes:  # type: ignore[no-untyped-def]
    return workbook(
        {
            "projects": [imports.PROJECT_COLUMNS, *(project_rows or [PROJECT])],
            "targets": [
                imports.TARGET_COLUMNS,
                *(
                    target_rows
                    or [["MS-01", "改造老旧小区", 108, "个"], ["MS-01", "惠及居民", 32000, "户"]]
                ),
            ],
            "milestones": [
                imports.MILESTONE_COLUMNS,
                *(milestone_rows or [["MS-01", "过半", f"{LAST_YEAR}-06-30", 50]]),
            ],
            "sites": [imports.SITE_COLUMNS, *(site_rows or [])],
        }
    )


def test_a_good_file_creates_projects_with_targets_and_milestones(city):
    assert imports.projects_import(data=projects_file()) == 1
    project = LivelihoodProject.objects.get(code="MS-01")
    assert (project.lead_unit.code, project.budget, project.start_month.month) == (
        "BT-ZJJ",
        52000,
        1,
    )
    assert sorted(project.cooperating_units.values_list("code", flat=True)) == ["BT-CGZF", "BT-WMB"]
    assert [t.name for t in project.targets.all()] == ["改造老旧小区", "惠及居民"]
    assert project.milestones.get().planned_percent == 50


def test_importing_again_updates_in_place(city):
    imports.projects_import(data=projects_file())
    renamed = [*PROJECT[:2], "老旧小区综合改造", *PROJECT[3:]]
    imports.projects_import(data=projects_file([renamed], [["MS-01", "改造老旧小区", 110, "个"]]))
    project = LivelihoodProject.objects.get()
    assert project.title == "老旧小区综合改造"
    assert ProjectTarget.objects.get(name="改造老旧小区").quantity == 110
    assert project.milestones.count() == 1


def test_one_bad_row_imports_nothing_and_names_every_problem(city):
    bad_project = ["MS-02", LAST_YEAR, "直饮水", "BT-NOPE", "BT-WMB", "150200000000", "很多",
                   f"{LAST_YEAR}-02", ""]  # fmt: skip
    data = projects_file(
        [PROJECT, bad_project],
        [["MS-01", "改造老旧小区", 108, "个"], ["MS-03", "建站", 0, "座"]],
        [["MS-01", "过半", "六月底", 150]],
    )
    with pytest.raises(ImportProblems) as caught:
        imports.projects_import(data=data)
    found = {(p.sheet, p.row, p.field) for p in caught.value.problems}
    assert found == {
        ("projects", 3, "lead_unit"),
        ("projects", 3, "budget"),
        ("targets", 3, "project"),
        ("targets", 3, "quantity"),
        ("milestones", 2, "due_date"),
        ("milestones", 2, "planned_percent"),
    }
    assert "sheet projects, row 3, field lead_unit: unknown unit “BT-NOPE”" in str(caught.value)
    assert not LivelihoodProject.objects.exists()


def test_a_file_that_is_not_excel_is_refused(city):
    with pytest.raises(ImportProblems, match="not an Excel"):
        imports.projects_import(data=b"code,title\n1,2\n")


def test_the_export_imports_back(client, cast):
    community = Region.objects.get(code="150204001001")
    site = ["MS-01", "六合成社区", community.centroid_lat, community.centroid_lon]
    imports.projects_import(data=projects_file(site_rows=[site]))
    client.force_login(cast.admin)
    exported = client.get(reverse("livelihood:project_export"), {"year": LAST_YEAR}).content
    assert load_workbook(io.BytesIO(exported)).sheetnames[:4] == list(imports.SHEETS)
    LivelihoodProject.objects.all().delete()
    assert imports.projects_import(data=exported) == 1
    project = LivelihoodProject.objects.get()
    assert (project.targets.count(), project.milestones.count(), project.sites.count()) == (2, 1, 1)
    assert project.sites.get().region.path.startswith(community.path)


def test_the_import_page_lists_problems_and_is_for_the_office(client, cast):
    url = reverse("livelihood:project_import")
    client.force_login(cast.handler)
    assert client.get(url).status_code == 404
    client.force_login(cast.admin)
    bad = io.BytesIO(projects_file(target_rows=[["MS-01", "改造", "x", "个"]]))
    bad.name = "p.xlsx"
    response = client.post(url, {"file": bad})
    assert "“x” is not a number" in response.content.decode()
    assert not LivelihoodProject.objects.exists()


ACTIVITY = [
    "lecture",
    "理论宣讲",
    "2026-03-05",
    "社区活动室",
    "150204001001",
    "",
    "BT-150204001000",
    80,
    "",
]


def test_activities_import_all_or_nothing(city):
    header = imports.ACTIVITY_COLUMNS
    bad = ["dance", "广场舞", "2026-03-06", "广场", "150204001001", "", "", "many", ""]
    with pytest.raises(ImportProblems) as caught:
        imports.activities_import(data=workbook({"a": [header, ACTIVITY, bad]}))
    assert {(p.row, p.field) for p in caught.value.problems} == {
        (3, "kind"),
        (3, "participants"),
        (3, "center"),
    }
    assert not CampaignActivity.objects.exists()
    assert imports.activities_import(data=workbook({"a": [header, ACTIVITY, ACTIVITY]})) == 2
    assert CampaignActivity.objects.filter(participants=80).count() == 2
