"""FlatSerializer: shallow field copies, still one bound set of fields per serializer."""

from __future__ import annotations

from wenming.api.v1.cases import CaseCreateInputSerializer


def test_each_serializer_has_its_own_bound_fields():
    first, second = CaseCreateInputSerializer(data={}), CaseCreateInputSerializer(data={})
    for name in ("description", "lat", "photos"):
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first and second.fields[name].parent is second
    # A field holding another (the photo list's file field) is copied whole, child included.
    assert first.fields["photos"].child is not second.fields["photos"].child
    assert first.fields["photos"].child.parent is first.fields["photos"]


def test_one_serializers_errors_do_not_reach_the_next(db):
    bad = CaseCreateInputSerializer(data={"lat": 999}, context={"staff": False})
    assert not bad.is_valid()
    assert {"description", "lat"} <= set(bad.errors)
    good = CaseCreateInputSerializer(data={"description": "路灯不亮"}, context={"staff": False})
    assert good.is_valid(), good.errors
    assert good.validated_data["title"] == "路灯不亮"
