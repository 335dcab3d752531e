"""Sampling sites for a round, and importing point sites (all or nothing, row-level errors)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from wenming.inspections.imports import SiteImportError, sites_import
from wenming.inspections.models import PointSite, SiteType
from wenming.inspections.sampling import sites_sample
from wenming.org.models import Region

from .conftest import QINGSHAN, STREET_1, make_site


@pytest.fixture
def many_sites(site_type):
    other = SiteType.objects.create(code="t-lane", name="测试小巷", order=98)
    grids = list(
        Region.objects.filter(level="grid", path__contains=f"/{QINGSHAN}/").order_by("code")[:24]
    )
    made = []
    for n, grid in enumerate(grids):
        kind = site_type if n % 2 else other
        made.append(make_site(kind, f"S-{n:02d}", grid.code, f"BT-{STREET_1}"))
    return site_type, other, made


def draw(types, per_type, seed, region=QINGSHAN):
    return [
        s.code
        for s in sites_sample(
            region=Region.objects.get(code=region), types=types, per_type=per_type, seed=seed
        )
    ]


def test_sampling_is_reproducible_with_a_seed(many_sites):
    site_type, other, _sites = many_sites
    first = draw([site_type, other], 3, seed=42)
    assert first == draw([site_type, other], 3, seed=42)
    assert len(first) == 6
    assert sum(code in first for code in draw([site_type, other], None, seed=1)) == 6
    seeds = {tuple(draw([site_type, other], 3, seed=s)) for s in range(5)}
    assert len(seeds) > 1  # the seed matters


def test_sampling_takes_n_per_type_and_stays_in_the_region(many_sites):
    site_type, other, sites = many_sites
    chosen = sites_sample(
        region=Region.objects.get(code=QINGSHAN), types=[site_type], per_type=4, seed=3
    )
    assert len(chosen) == 4 and {s.site_type for s in chosen} == {site_type}
    street_two = draw([site_type, other], None, seed=3, region="150204002000")
    assert all(
        PointSite.objects.get(code=c).region.path.startswith(
            Region.objects.get(code="150204002000").path
        )
        for c in street_two
    )
    PointSite.objects.filter(code=chosen[0].code).update(is_active=False)
    assert chosen[0].code not in draw([site_type], None, seed=3)


# ---------------------------------------------------------------- import


def grid_point(code="15020400100105"):
    grid = Region.objects.get(code=code)
    return f"{grid.centroid_lat:.6f}", f"{grid.centroid_lon:.6f}"


HEADER = ["code", "name", "type", "address", "lat", "lon", "unit", "liaison"]


def row(code="IMP-01", **changes):
    lat, lon = grid_point()
    values = {
        "code": code,
        "name": "导入农贸市场",
        "type": "market",
        "address": "青山区导入路1号",
        "lat": lat,
        "lon": lon,
        "unit": "BT-QS-SJJ",
        "liaison": "liaison",
    }
    values.update(changes)
    return [values[h] for h in HEADER]


def csv_bytes(rows, header=HEADER, encoding="utf-8"):
    lines = [",".join(header)] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(rows, header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_good_csv_creates_and_then_updates_sites(city):
    assert sites_import(data=csv_bytes([row(), row("IMP-02", type="集贸市场")]), format="csv") == 2
    site = PointSite.objects.get(code="IMP-01")
    assert site.region.code == "15020400100105" and site.unit.code == "BT-QS-SJJ"
    assert site.liaison.username == "liaison" and site.site_type.code == "market"
    sites_import(data=csv_bytes([row(name="改名市场")]), format="csv")
    assert PointSite.objects.get(code="IMP-01").name == "改名市场"


def test_a_gbk_csv_from_excel_is_read(city):
    assert sites_import(data=csv_bytes([row()], encoding="gb18030"), format="csv") == 1
    assert PointSite.objects.get(code="IMP-01").name == "导入农贸市场"


def test_a_good_excel_sheet_imports(city):
    assert sites_import(data=xlsx_bytes([row(), row("IMP-03")]), format="xlsx") == 2


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"type": "火星基地"}, "type", "unknown site type"),
        ({"unit": "BT-NOPE"}, "unit", "unknown unit code"),
        ({"lat": "north"}, "lat", "is not a number"),
        ({"lat": "31.2", "lon": "121.4"}, "lat", "outside the city's grids"),
        ({"liaison": "ghost"}, "liaison", "unknown user"),
        ({"name": ""}, "name", "required"),
    ],
)
def test_each_bad_row_is_named_and_nothing_is_written(city, changes, field, message):
    data = csv_bytes([row("IMP-OK"), row("IMP-BAD", **changes)])
    with pytest.raises(SiteImportError) as caught:
        sites_import(data=data, format="csv")
    problem = caught.value.problems[0]
    assert (problem.row, problem.field) == (3, field) and message in problem.message
    assert "row 3" in str(caught.value)
    assert not PointSite.objects.filter(code__startswith="IMP-").exists()


def test_a_duplicate_code_is_refused(city):
    with pytest.raises(SiteImportError, match="duplicate code"):
        sites_import(data=csv_bytes([row(), row()]), format="csv")


@pytest.mark.parametrize(
    "data, format, message",
    [
        (b"not a zip", "xlsx", "not an Excel"),
        (b"", "csv", "empty"),
        (b"\xff\xfe\x00\x00binary\x00", "csv", "not"),
    ],
)
def test_a_file_that_is_not_a_table_is_refused(city, data, format, message):
    with pytest.raises(SiteImportError, match=message):
        sites_import(data=data, format=format)


def test_missing_and_unknown_columns_are_named(city):
    with pytest.raises(SiteImportError) as caught:
        sites_import(data=csv_bytes([["A", "B"]], header=["code", "colour"]), format="csv")
    fields = {p.field for p in caught.value.problems}
    assert {"colour", "name", "type", "lat", "lon", "unit"} <= fields
