import pytest

from wenming.cases.models import Category, CategoryKind, RoutingRule, TimeLimit, TimeUnit, Urgency
from wenming.cases.routing import time_limit_for, unit_for
from wenming.cases.seed import seed_demo
from wenming.core.errors import InvalidInput
from wenming.org.models import Region, Unit

CITY, DISTRICT, STREET, OTHER_STREET = (
    "150200000000",
    "150204000000",
    "150204001000",
    "150204002000",
)
GRID = "15020400100105"  # a grid of 青山路街道


@pytest.fixture
def minor(city) -> Category:
    major = Category.objects.create(kind=CategoryKind.EVENT, code="97", name="路由测试大类")
    return Category.objects.create(
        kind=CategoryKind.EVENT, code="9701", name="路由测试", parent=major
    )


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def rule(category: Category | None, region_code: str, unit_code: str, **extra) -> RoutingRule:
    return RoutingRule.objects.create(
        category=category, region=region(region_code), unit=unit(unit_code), **extra
    )


def test_no_rule_gives_none(minor):
    assert unit_for(category=minor, region=region(GRID)) is None


def test_no_region_gives_none(minor):
    rule(minor, CITY, "BT-CGZF")
    assert unit_for(category=minor, region=None) is None


def test_a_city_rule_applies_to_every_grid_below(minor):
    rule(minor, CITY, "BT-CGZF")
    assert unit_for(category=minor, region=region(GRID)) == unit("BT-CGZF")
    assert unit_for(category=minor, region=region("150202000000")) == unit("BT-CGZF")


def test_a_rule_of_another_subtree_does_not_apply(minor):
    rule(minor, OTHER_STREET, "BT-150204002000")
    assert unit_for(category=minor, region=region(GRID)) is None


def test_the_deeper_region_wins_even_against_a_more_specific_category(minor):
    rule(minor, CITY, "BT-CGZF")
    rule(minor.parent, DISTRICT, "BT-QS-CGJ")
    rule(None, STREET, "BT-150204001000")
    assert unit_for(category=minor, region=region(GRID)) == unit("BT-150204001000")
    assert unit_for(category=minor, region=region(OTHER_STREET)) == unit("BT-QS-CGJ")


def test_in_one_region_minor_beats_major_beats_any(minor):
    rule(None, DISTRICT, "BT-WMB")
    assert unit_for(category=minor, region=region(GRID)) == unit("BT-WMB")
    rule(minor.parent, DISTRICT, "BT-QS-CGJ")
    assert unit_for(category=minor, region=region(GRID)) == unit("BT-QS-CGJ")
    rule(minor, DISTRICT, "BT-QS-SJJ")
    assert unit_for(category=minor, region=region(GRID)) == unit("BT-QS-SJJ")


def test_a_case_without_category_gets_only_any_category_rules(minor):
    rule(minor, CITY, "BT-CGZF")
    assert unit_for(category=None, region=region(GRID)) is None
    rule(None, CITY, "BT-WMB")
    assert unit_for(category=None, region=region(GRID)) == unit("BT-WMB")


def test_a_sibling_minor_class_does_not_take_the_rule(minor):
    sibling = Category.objects.create(
        kind=CategoryKind.EVENT, code="9702", name="兄弟类", parent=minor.parent
    )
    rule(sibling, STREET, "BT-150204001000")
    rule(minor.parent, CITY, "BT-CGZF")
    assert unit_for(category=minor, region=region(GRID)) == unit("BT-CGZF")


def test_inactive_rules_and_inactive_units_are_ignored(minor):
    rule(minor, CITY, "BT-CGZF")
    rule(minor, STREET, "BT-150204001000", is_active=False)
    assert unit_for(category=minor, region=region(GRID)) == unit("BT-CGZF")
    closed = unit("BT-CGZF")
    closed.is_active = False
    closed.save()  # as the admin does: the rules kept in memory are rebuilt at once
    assert unit_for(category=minor, region=region(GRID)) is None


def test_routing_takes_no_query_once_the_rules_are_in_memory(minor, django_assert_num_queries):
    rule(minor, CITY, "BT-CGZF")
    rule(None, STREET, "BT-150204001000")
    grid = region(GRID)
    unit_for(category=minor, region=grid)
    with django_assert_num_queries(0):
        assert unit_for(category=minor, region=grid).code == "BT-150204001000"


def test_a_change_made_by_another_process_is_seen_within_seconds(minor, monkeypatch):
    from django.utils import timezone

    from wenming.core import memo

    rule(minor, CITY, "BT-CGZF")
    assert unit_for(category=minor, region=region(GRID)) == unit("BT-CGZF")
    # Another worker process saved the rule: no signal here, only the table changed.
    RoutingRule.objects.filter(category=minor).update(
        unit=unit("BT-150204001000"), updated_at=timezone.now()
    )
    assert unit_for(category=minor, region=region(GRID)) == unit("BT-CGZF")  # kept a moment
    monkeypatch.setattr(memo, "CHECK_EVERY", 0.0)  # …until the next fingerprint check
    assert unit_for(category=minor, region=region(GRID)) == unit("BT-150204001000")


def limit(category: Category, urgency: str, handle: int) -> TimeLimit:
    return TimeLimit.objects.create(
        category=category, urgency=urgency, handle_amount=handle, handle_unit=TimeUnit.DAYS
    )


def test_time_limit_prefers_the_minor_then_the_major_class(minor, django_assert_num_queries):
    limit(minor.parent, Urgency.NORMAL, 7)
    limit(minor.parent, Urgency.URGENT, 2)
    limit(minor, Urgency.NORMAL, 5)
    with django_assert_num_queries(1):
        assert time_limit_for(category=minor, urgency=Urgency.NORMAL).handle_amount == 5
    assert time_limit_for(category=minor, urgency=Urgency.URGENT).handle_amount == 2


@pytest.mark.parametrize("with_category", [True, False])
def test_time_limit_falls_back_to_the_built_in_default(minor, with_category):
    found = time_limit_for(category=minor if with_category else None, urgency=Urgency.CRITICAL)
    assert found.pk is None
    assert (found.sign_amount, found.sign_unit) == (2, TimeUnit.HOURS)
    assert (found.handle_amount, found.handle_unit) == (3, TimeUnit.DAYS)
    assert (found.verify_amount, found.verify_unit) == (1, TimeUnit.DAYS)


def test_time_limit_refuses_an_unknown_urgency(minor):
    with pytest.raises(InvalidInput):
        time_limit_for(category=minor, urgency="whenever")


# ---------------------------------------------------------------- the demo seed


def counts() -> tuple[int, int, int]:
    return Category.objects.count(), TimeLimit.objects.count(), RoutingRule.objects.count()


def test_seeding_twice_changes_nothing(city):
    before = counts()
    seed_demo()
    assert counts() == before
    assert before[2] > 0


def seeded(kind: str, code: str) -> Category:
    return Category.objects.get(kind=kind, code=code)


def test_street_order_in_qingshan_goes_to_the_street_office(city):
    vendors = seeded(CategoryKind.EVENT, "0501")  # 占道经营
    assert unit_for(category=vendors, region=region(GRID)).name == "青山路街道办事处"
    assert unit_for(category=vendors, region=region(OTHER_STREET)).name == "万青路街道办事处"
    assert unit_for(category=vendors, region=region("150202000000")).code == "BT-CGZF"


def test_departments_take_their_classes_city_wide(city):
    assert unit_for(category=seeded("component", "0101"), region=region(GRID)).code == "BT-GS"
    assert unit_for(category=seeded("event", "0104"), region=region(GRID)).code == "BT-SHJ"
    assert unit_for(category=seeded("event", "1201"), region=region(GRID)).code == "BT-RQ"
    assert unit_for(category=seeded("event", "0801"), region=region(GRID)).code == "BT-SJJ"


def test_a_new_minor_class_follows_its_major_class_rule(city):
    major = seeded(CategoryKind.EVENT, "05")
    new = Category.objects.create(kind=CategoryKind.EVENT, code="0599", name="新类", parent=major)
    assert unit_for(category=new, region=region("150202000000")).code == "BT-CGZF"
