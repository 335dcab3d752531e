"""REST API: categories (public ones for anonymous callers) and units (staff only)."""

from __future__ import annotations

from wenming.cases.models import Category

from .conftest import assert_error


def test_anonymous_callers_see_only_public_minor_classes(anon, category):
    hidden = Category.objects.filter(is_public=True, parent__isnull=False).first()
    Category.objects.filter(pk=hidden.pk).update(is_public=False)
    codes = [c["id"] for c in anon.get("/api/v1/categories/", {"page_size": 100}).json()["results"]]
    assert category.pk in codes and hidden.pk not in codes
    assert all(c["major"] for c in anon.get("/api/v1/categories/").json()["results"])


def test_staff_see_internal_categories_too(client_for, category):
    Category.objects.filter(pk=category.pk).update(is_public=False)
    rows = client_for("operator").get("/api/v1/categories/", {"q": "测试"}).json()["results"]
    assert [c["id"] for c in rows] == [category.pk]


def test_category_filters_are_checked(anon):
    assert "kind" in assert_error(anon.get("/api/v1/categories/", {"kind": "x"}), 400)["fields"]


def test_units_for_staff(client_for, street_unit):
    rows = client_for("dispatcher").get("/api/v1/units/", {"q": street_unit.code}).json()
    assert [u["code"] for u in rows["results"]] == [street_unit.code]


def test_units_need_a_staff_member(anon, client_for):
    assert_error(anon.get("/api/v1/units/"), 401)
    assert_error(client_for("nobody").get("/api/v1/units/"), 403)
