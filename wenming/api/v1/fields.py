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
    field holding other fields (a list's child, a nested serializer) is deep-copied as
    before, since binding the shared inner field would tie it to one parent."""

    def get_fields(self) -> dict[str, serializers.Field]:
        nested = _nested(type(self))  # type: ignore[arg-type]  # classes hash; DRF types say no
        return {
            name: copy.deepcopy(field) if name in nested else _shallow(field)
            for name, field in self._declared_fields.items()
        }


def _shallow(field: serializers.Field) -> serializers.Field:
    """copy.copy of a field, without the pickle protocol's detour (27 -> 7 µs for the 14
    fields of a submission): the same class, the attributes shared."""
    clone = object.__new__(type(field))
    clone.__dict__.update(field.__dict__)
    return clone


@functools.cache
def _nested(serializer: type[serializers.Serializer]) -> frozenset[str]:
    """The declared fields that hold other fields (decided once per class)."""
    return frozenset(
        name
        for name, field in serializer._declared_fields.items()  # type: ignore[attr-defined]
        if isinstance(field, serializers.BaseSerializer)
        or any(hasattr(field, inner) for inner in ("child", "child_relation", "fields"))
    )


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
