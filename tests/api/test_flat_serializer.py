"""FlatSerializer: shallow field copies, still one bound set of fields per serializer."""

from __future__ import annotations

from rest_framework import serializers

from wenming.api.v1.cases import CaseCreateInputSerializer
from wenming.api.v1.fields import FlatSerializer


def test_each_serializer_has_its_own_bound_fields():
    first, second = CaseCreateInputSerializer(data={}), CaseCreateInputSerializer(data={})
    for name in ("description", "lat", "photos"):
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first and second.fields[name].parent is second
    # A list's child (the photo list's file field) is copied too, bound to its own list; the
    # declared field stays bound to the declared list.
    assert first.fields["photos"].child is not second.fields["photos"].child
    assert first.fields["photos"].child.parent is first.fields["photos"]
    declared = CaseCreateInputSerializer._declared_fields["photos"]
    assert declared.child.parent is declared


class _Inner(serializers.Serializer):
    name = serializers.CharField()


class _Outer(FlatSerializer):
    tags = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    inner = _Inner()
    inners = serializers.ListField(child=_Inner())


def test_lists_are_copied_at_every_depth_and_serializers_whole():
    first, second = _Outer(), _Outer()
    tags = first.fields["tags"]
    assert tags.child is not second.fields["tags"].child
    assert tags.child.child is not second.fields["tags"].child.child
    assert tags.child.child.parent is tags.child and tags.child.parent is tags
    for name in ("inner", "inners"):  # deep copies: DRF's own way for what holds a serializer
        assert first.fields[name] is not second.fields[name]
    assert first.fields["inner"].fields["name"] is not second.fields["inner"].fields["name"]


def test_a_copied_list_still_validates_its_items():
    data = {"tags": [["a", "b"], [{"not": "text"}]], "inner": {"name": "x"}, "inners": []}
    outer = _Outer(data=data)
    assert not outer.is_valid()
    assert outer.errors == {"tags": {1: {0: ["Not a valid string."]}}}
    assert _Outer(data={**data, "tags": [["a"]]}).is_valid()


def test_one_serializers_errors_do_not_reach_the_next(db):
    bad = CaseCreateInputSerializer(data={"lat": 999}, context={"staff": False})
    assert not bad.is_valid()
    assert {"description", "lat"} <= set(bad.errors)
    good = CaseCreateInputSerializer(data={"description": "路灯不亮"}, context={"staff": False})
    assert good.is_valid(), good.errors
    assert good.validated_data["title"] == "路灯不亮"
