"""Pieces shared by several v1 serializers and views."""

from __future__ import annotations

import copy
import functools
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from rest_framework import serializers

from wenming.cases.services import photos_check
from wenming.core.errors import InvalidInput

# Ids and versions are bigints: a larger number is a field error, not an overflow in the
# database driver (SQLite raised OverflowError: a 500 found by the API fuzz test).
BIGINT_MAX = 2**63 - 1


class FlatSerializer(serializers.Serializer):
    """A serializer whose fields are copied shallowly for each instance.

    DRF deep-copies every declared field (re-running its __init__) for each serializer it
    builds: a tenth of the CPU of an anonymous submission, which builds two. A field is
    only configured at declaration and bound to its copy, so a shallow copy suffices; a
    list's child is copied the same way and bound to the list's copy. A field holding a
    serializer or a related field's child is deep-copied as before."""

    def get_fields(self) -> dict[str, serializers.Field]:
        nested = _nested(type(self))  # type: ignore[arg-type]  # classes hash; DRF types say no
        return {
            name: copy.deepcopy(field) if name in nested else _shallow(field)
            for name, field in self._declared_fields.items()
        }


def _shallow(field: serializers.Field) -> serializers.Field:
    """copy.copy of a field, without the pickle protocol's detour (27 -> 7 µs for the 14
    fields of a submission): the same class, the attributes shared; a list's child copied
    too, its parent the copy (the list's __init__ bound it: the rest of that binding is the
    same for every copy)."""
    clone = object.__new__(type(field))
    clone.__dict__.update(field.__dict__)
    child = field.__dict__.get("child")
    if child is not None:
        clone.child = _shallow(child)
        clone.child.parent = clone
    return clone


@functools.cache
def _nested(serializer: type[serializers.Serializer]) -> frozenset[str]:
    """The declared fields that hold a serializer or a related field's child, at any depth
    of lists (decided once per class)."""
    return frozenset(
        name
        for name, field in serializer._declared_fields.items()  # type: ignore[attr-defined]
        if _holds_fields(field)
    )


def _holds_fields(field: serializers.Field) -> bool:
    if isinstance(field, serializers.BaseSerializer):
        return True
    if hasattr(field, "child_relation") or hasattr(field, "fields"):
        return True
    child = getattr(field, "child", None)
    return child is not None and _holds_fields(child)


def positive_bigint(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=BIGINT_MAX, **kwargs)


class PhotosField(serializers.ListField):
    """Up to nine photos (multipart, repeat the field). Each is checked like every upload
    (real image, size and pixel limits) so a bad one is a field error, not a lost form; the
    re-encoding comes later (in the service, or in the intake job for a new case)."""

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 9)
        super().__init__(child=serializers.FileField(), **kwargs)

    def to_internal_value(self, data):  # type: ignore[no-untyped-def]
        photos: Sequence[UploadedFile] = super().to_internal_value(data)
        try:
            photos_check(photos)
        except InvalidInput as exc:
            raise serializers.ValidationError(str(exc.message)) from exc
        for photo in photos:
            photo.seek(0)
        return photos
