"""Indicator import and export: YAML and Excel, all or nothing, problems named by row/line."""

from __future__ import annotations

import io

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from wenming.assessment.imports import (
    COLUMNS,
    IndicatorImportError,
    indicators_export,
    indicators_import,
)
from wenming.assessment.models import Indicator

GOOD_YAML = """\
indicators:
  - code: "Y"
    name: 测试项目
    weight: 10
    children:
      - code: "Y1"
        name: 测试指标
        children:
          - code: "Y101"
            name: 测试内容
            method: 材料审核
            points: 2.5
            standard: 有方案、有台账
            lead_unit: BT-WMB
            cooperating_units: [BT-150204001000, BT-SJJ]
"""


def test_a_good_yaml_file_imports_the_tree(city):
    assert indicators_import(data=GOOD_YAML.encode(), format="yaml") == 3
    content = Indicator.objects.get(code="Y101")
    assert content.level == "content" and content.parent.code == "Y1"
    assert content.method == "material" and str(content.points) == "2.50"
    assert content.lead_unit.code == "BT-WMB"
    assert {u.code for u in content.cooperating_units.all()} == {"BT-150204001000", "BT-SJJ"}
    indicators_import(data=GOOD_YAML.replace("测试内容", "改名内容").encode(), format="yaml")
    assert Indicator.objects.get(code="Y101").name == "改名内容"


def sheet(rows, header=None) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(
        header
        or [
            "level",
            "code",
            "parent_code",
            "name",
            "method",
            "points",
            "lead_unit",
            "cooperating_units",
        ]
    )
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD_ROWS = [
    ["测评项目", "X", "", "表格项目", "", 0, "", ""],
    ["indicator", "X1", "X", "表格指标", "", 0, "", ""],
    [
        "content",
        "X101",
        "X1",
        "表格内容",
        "field",
        3,
        "BT-CGZF",
        "BT-150204001000, BT-150204002000",
    ],
]


def test_a_good_excel_sheet_imports(city):
    assert indicators_import(data=sheet(GOOD_ROWS), format="xlsx") == 3
    content = Indicator.objects.get(code="X101")
    assert content.method == "field" and content.cooperating_units.count() == 2


def test_export_round_trips_in_both_formats(city):
    indicators_import(data=GOOD_YAML.encode(), format="yaml")
    document = yaml.safe_load(indicators_export(format="yaml"))
    project = next(p for p in document["indicators"] if p["code"] == "Y")
    assert project["children"][0]["children"][0]["lead_unit"] == "BT-WMB"
    workbook = indicators_export(format="xlsx")
    header = [c.value for c in next(load_workbook(io.BytesIO(workbook)).active.iter_rows())]
    assert header == COLUMNS
    before = Indicator.objects.count()
    assert indicators_import(data=workbook, format="xlsx") == before
    assert indicators_import(data=indicators_export(format="yaml"), format="yaml") == before


@pytest.mark.parametrize(
    "row, field, message",
    [
        (
            ["content", "X101", "X1", "表格内容", "guess", 3, "BT-CGZF", ""],
            "method",
            "unknown method",
        ),
        (
            ["content", "X101", "X1", "表格内容", "field", 3, "BT-NOPE", ""],
            "lead_unit",
            "unknown unit",
        ),
        (
            ["content", "X101", "X1", "表格内容", "field", 3, "BT-CGZF", "BT-GHOST"],
            "cooperating_units",
            "unknown unit",
        ),
        (
            ["content", "X101", "Q9", "表格内容", "field", 3, "BT-CGZF", ""],
            "parent_code",
            "unknown parent",
        ),
        (
            ["content", "X101", "X", "表格内容", "field", 3, "BT-CGZF", ""],
            "parent_code",
            "must be inside",
        ),
        (
            ["content", "X101", "X1", "表格内容", "field", -1, "BT-CGZF", ""],
            "points",
            "between 0 and 1000",
        ),
        (
            ["content", "X101", "X1", "表格内容", "field", "many", "BT-CGZF", ""],
            "points",
            "not a number",
        ),
        (["content", "X101", "X1", "", "field", 3, "BT-CGZF", ""], "name", "required"),
        (["content", "X101", "X1", "表格内容", "", 3, "BT-CGZF", ""], "method", "needs its method"),
        (["level9", "X101", "X1", "表格内容", "field", 3, "BT-CGZF", ""], "level", "unknown level"),
        (["indicator", "X1", "X", "重复", "", 0, "", ""], "code", "duplicate code"),
    ],
)
def test_each_bad_row_is_named_and_nothing_is_written(city, row, field, message):
    with pytest.raises(IndicatorImportError) as caught:
        indicators_import(data=sheet([*GOOD_ROWS[:2], row]), format="xlsx")
    problem = next(p for p in caught.value.problems if p.field == field)
    assert problem.where == "row 4" and message in problem.message
    assert not Indicator.objects.filter(code__startswith="X").exists()


@pytest.mark.parametrize(
    "text, message",
    [
        ("indicators: [\n  - code: 'Y'\n    name: [unclosed\n", "not valid YAML"),
        ("projects: []\n", "expected a list of projects"),
        (GOOD_YAML.replace("points: 2.5", "pionts: 2.5"), "unknown field"),
        (GOOD_YAML.replace("method: 材料审核", "method: 掷骰子"), "unknown method"),
    ],
)
def test_bad_yaml_files_are_refused_with_their_line(city, text, message):
    with pytest.raises(IndicatorImportError) as caught:
        indicators_import(data=text.encode(), format="yaml")
    assert message in str(caught.value) and "line" in str(caught.value)
    assert not Indicator.objects.filter(code__startswith="Y").exists()


def test_a_yaml_tree_deeper_than_three_levels_is_refused(city):
    deeper = GOOD_YAML + "            children:\n              - {code: Y10101, name: 太深}\n"
    with pytest.raises(IndicatorImportError, match="three levels"):
        indicators_import(data=deeper.encode(), format="yaml")


def test_a_file_that_is_not_excel_or_lacks_columns_is_refused(city):
    with pytest.raises(IndicatorImportError, match="not an Excel"):
        indicators_import(data=b"PK\x03\x04 broken", format="xlsx")
    with pytest.raises(IndicatorImportError) as caught:
        indicators_import(data=sheet([["X"]], header=["code", "colour"]), format="xlsx")
    assert {p.field for p in caught.value.problems} == {"colour", "level", "name"}
