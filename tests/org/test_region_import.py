import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from wenming.org.models import Region
from wenming.org.services import RegionImportError, regions_import


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (the source language)."""
    with translation.override("en"):
        yield


def square(x: float, y: float, size: float = 0.01) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]],
    }


def feature(code: str, name: str, level: str, parent: str | None, geometry: dict | None) -> dict:
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "level": level, "parent_code": parent},
        "geometry": geometry,
    }


def collection(*features: dict) -> str:
    # One feature per line, so line numbers in errors are predictable.
    body = ",\n".join(json.dumps(f, ensure_ascii=False) for f in features)
    return '{"type": "FeatureCollection", "features": [\n' + body + "\n]}"


GOOD = [
    feature("150299000000", "测试区", "district", "150200000000", square(109.5, 40.3, 0.1)),
    feature("150299001000", "测试街道", "street", "150299000000", square(109.5, 40.3, 0.05)),
    feature("150299001001", "测试社区", "community", "150299001000", square(109.5, 40.3, 0.02)),
]


def test_it_imports_a_good_file_parents_after_children(city):
    text = collection(*reversed(GOOD))
    assert regions_import(text=text) == 3
    community = Region.objects.get(code="150299001001")
    assert community.parent.code == "150299001000"
    assert community.path == "/150000000000/150200000000/150299000000/150299001000/150299001001/"
    assert community.centroid_lat == pytest.approx(40.31, abs=0.011)


def test_reimport_updates_instead_of_duplicating(city):
    regions_import(text=collection(*GOOD))
    renamed = [dict(GOOD[0], properties=dict(GOOD[0]["properties"], name="新名字")), *GOOD[1:]]
    regions_import(text=collection(*renamed))
    assert Region.objects.filter(code__startswith="150299").count() == 3
    assert Region.objects.get(code="150299000000").name == "新名字"


BAD_CASES = {
    "invalid geometry": (
        feature(
            "150299002000",
            "自交街道",
            "street",
            "150299000000",
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
        ),
        "not a valid polygon",
    ),
    "unknown parent": (
        feature("150299003000", "孤儿街道", "street", "159999000000", None),
        "unknown parent code 159999000000",
    ),
    "duplicate code": (
        feature("150299001000", "重复街道", "street", "150299000000", None),
        "duplicate code",
    ),
    "unknown level": (
        feature("150299004000", "怪级别", "planet", "150299000000", None),
        "unknown level",
    ),
    "level above parent": (
        feature("150299005000", "倒挂", "city", "150299000000", None),
        "cannot be inside",
    ),
    "not a polygon": (
        feature(
            "150299006000", "点", "street", "150299000000", {"type": "Point", "coordinates": [1, 2]}
        ),
        "Polygon or MultiPolygon",
    ),
}


@pytest.mark.parametrize("kind", BAD_CASES)
def test_a_bad_feature_is_named_by_code_and_line_and_nothing_is_written(city, kind):
    bad, expected = BAD_CASES[kind]
    before = Region.objects.count()
    with pytest.raises(RegionImportError) as error:
        regions_import(text=collection(*GOOD, bad))  # the bad feature is on line 5
    problem = error.value.problems[0]
    assert problem.code == bad["properties"]["code"]
    assert problem.line == 5
    assert expected in problem.message
    assert Region.objects.count() == before


def test_malformed_json_is_reported_with_its_line(city):
    with pytest.raises(RegionImportError) as error:
        regions_import(text='{"type": "FeatureCollection",\n "features": [ }')
    assert error.value.problems[0].line == 2


def test_command_reports_problems_and_imports_nothing(city, tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_text(collection(*GOOD, BAD_CASES["unknown parent"][0]), encoding="utf-8")
    before = Region.objects.count()
    with pytest.raises(CommandError, match="line 5, region 150299003000"):
        call_command("import_regions", str(path))
    assert Region.objects.count() == before
    path.write_text(collection(*GOOD), encoding="utf-8")
    call_command("import_regions", str(path))
    assert Region.objects.count() == before + 3
