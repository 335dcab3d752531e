"""The data-scope helper for every role of the demo cast."""

import pytest
from django.http import Http404

from wenming.core.scope import get_in_scope_or_404, has_role, scope_filter
from wenming.org.models import Region, Unit

QINGSHAN_ROAD = "150204001000"  # 青山路街道
WANQING_ROAD = "150204002000"  # 万青路街道
KUNDULUN = "150203000000"  # another district


def visible_codes(user, queryset=None, **kwargs) -> set[str]:
    queryset = queryset if queryset is not None else Region.objects.all()
    return set(
        scope_filter(user, queryset, region_field="", **kwargs).values_list("code", flat=True)
    )


@pytest.mark.parametrize(
    ("username", "sees", "does_not_see"),
    [
        ("admin", [QINGSHAN_ROAD, KUNDULUN], []),
        ("operator", [QINGSHAN_ROAD, KUNDULUN], []),
        ("dispatcher", [QINGSHAN_ROAD, KUNDULUN], []),
        ("reviewer", [QINGSHAN_ROAD, KUNDULUN], []),
        ("handler", [QINGSHAN_ROAD, "15020400100109"], [WANQING_ROAD, KUNDULUN, "150204000000"]),
        ("unitlead", [QINGSHAN_ROAD], [WANQING_ROAD, KUNDULUN]),
        ("inspector", [QINGSHAN_ROAD, WANQING_ROAD], [KUNDULUN]),
        ("liaison", [QINGSHAN_ROAD, WANQING_ROAD], [KUNDULUN]),
        ("centerstaff", [QINGSHAN_ROAD, WANQING_ROAD], [KUNDULUN]),
        ("volunteer", [QINGSHAN_ROAD], [WANQING_ROAD]),
        ("outsider", [WANQING_ROAD], [QINGSHAN_ROAD]),
        ("nobody", [], [QINGSHAN_ROAD, KUNDULUN]),
    ],
)
def test_each_role_sees_exactly_its_region_subtree(cast, username, sees, does_not_see):
    codes = visible_codes(cast[username])
    assert set(sees) <= codes
    assert not set(does_not_see) & codes


def test_scope_follows_foreign_keys(cast):
    units = scope_filter(cast.handler, Unit.objects.all())
    assert set(units.values_list("region__code", flat=True)) <= {QINGSHAN_ROAD}
    assert units.filter(code="BT-150204001000").exists()
    assert not units.filter(code="BT-150204002000").exists()


def test_scope_by_role_uses_only_memberships_with_that_role(cast):
    assert visible_codes(cast.inspector, roles=["dispatcher"]) == set()
    assert QINGSHAN_ROAD in visible_codes(cast.inspector, roles=["inspector"])


def test_out_of_scope_is_the_same_404_as_missing(cast):
    regions = Region.objects.all()
    assert get_in_scope_or_404(cast.handler, regions, region_field="", code=QINGSHAN_ROAD)
    with pytest.raises(Http404):
        get_in_scope_or_404(cast.handler, regions, region_field="", code=WANQING_ROAD)
    with pytest.raises(Http404):
        get_in_scope_or_404(cast.handler, regions, region_field="", code="999999999999")


def test_anonymous_sees_nothing(city):
    from django.contrib.auth.models import AnonymousUser

    assert visible_codes(AnonymousUser()) == set()
    assert not has_role(AnonymousUser(), "admin")


def test_superuser_sees_everything(cast):
    cast.admin.is_superuser = True
    assert visible_codes(cast.admin) == set(Region.objects.values_list("code", flat=True))
