"""Private storage for raw uploads that a background job has not re-encoded yet.

Citizen intake checks a photo cheaply in the request and keeps the upload here; the job
(wenming.cases.tasks) re-encodes it into the public media storage and deletes the raw file.
Nothing here is ever served: on disk it lives beside MEDIA_ROOT (not under it, which nginx
serves), in object storage under a prefix no link points to (the bucket is private).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, cached_property, empty


class QuarantineStorage(FileSystemStorage):
    """WENMING_QUARANTINE_ROOT, by default a `quarantine` folder beside MEDIA_ROOT."""

    @cached_property
    def base_location(self) -> str:  # type: ignore[override]
        root = getattr(settings, "WENMING_QUARANTINE_ROOT", "")
        return str(root or Path(settings.MEDIA_ROOT).resolve().parent / "quarantine")

    @cached_property
    def base_url(self) -> None:  # type: ignore[override]
        return None  # no URL: never served

    def _clear_cached_properties(self, setting: str, **kwargs: object) -> None:
        super()._clear_cached_properties(setting, **kwargs)  # type: ignore[arg-type]
        if setting in ("MEDIA_ROOT", "WENMING_QUARANTINE_ROOT"):
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


class _Quarantine(LazyObject):
    """STORAGES["quarantine"], looked up at first use (and again when a test changes STORAGES):
    a model field's storage is fixed when the model class is made."""

    def _setup(self) -> None:
        self._wrapped = storages["quarantine"]


_quarantine = _Quarantine()


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs: object) -> None:
    if setting == "STORAGES":
        _quarantine._wrapped = empty  # type: ignore[assignment]


def quarantine_storage() -> Storage:
    """The quarantine storage (the model field's storage callable)."""
    return _quarantine  # type: ignore[return-value]
