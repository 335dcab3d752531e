"""Reference data kept in process memory for hot paths (intake: categories, regions, routing).

A `Memo` builds its value from the database once and keeps it. It is rebuilt
- at once in the process that saves or deletes a row of its models (signals), and
- in every other process (other gunicorn workers) within `CHECK_EVERY` seconds: a cheap
  fingerprint query (row count and last `updated_at` of each model) runs at most that often
  and a changed fingerprint rebuilds the value;
- in any case after `REBUILD_EVERY` seconds, for writes that bypass save() (`.update()`).

So a request pays no query for these tables, and an admin's change applies everywhere within
seconds. Values are shared between threads: callers must not modify what they get.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import models
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")
M = TypeVar("M", bound=models.Model)
CHECK_EVERY = 5.0
REBUILD_EVERY = 300.0
_memos: list[Memo[Any]] = []


class Memo(Generic[T]):
    def __init__(self, build: Callable[[], T], *, models: tuple[type[models.Model], ...]) -> None:
        self.build, self.models = build, models
        self._lock = threading.Lock()
        self._value: T | None = None
        self._fingerprint: tuple[Any, ...] = ()
        self._checked = self._built = 0.0
        for model in models:
            post_save.connect(self._changed, sender=model, weak=False)
            post_delete.connect(self._changed, sender=model, weak=False)
        _memos.append(self)

    def get(self) -> T:
        now = time.monotonic()
        with self._lock:
            if self._value is not None and now - self._checked < CHECK_EVERY:
                return self._value
            fingerprint = self._current_fingerprint()
            self._checked = now
            stale = self._value is None or fingerprint != self._fingerprint
            if stale or now - self._built > REBUILD_EVERY:
                self._value, self._fingerprint, self._built = self.build(), fingerprint, now
            return self._value  # type: ignore[return-value]

    def invalidate(self) -> None:
        with self._lock:
            self._value = None

    def _changed(self, **kwargs: Any) -> None:
        self.invalidate()

    def _current_fingerprint(self) -> tuple[Any, ...]:
        return tuple(
            tuple(model._default_manager.aggregate(n=Count("pk"), last=Max("updated_at")).values())
            for model in self.models
        )


def kept_copy(instance: M) -> M:
    """A copy of a kept instance for one request to change at will: what copy.copy gives —
    its own attributes and state, related objects cached at the copy's time — without the
    pickle protocol's detour (copy.copy is the model's __reduce__, __getstate__ and
    __setstate__; this takes a third of its time, and a submission copies three)."""
    clone = object.__new__(type(instance))
    clone.__dict__.update(instance.__dict__)
    state = object.__new__(type(instance._state))  # as Model.__getstate__ copies it
    state.__dict__.update(instance._state.__dict__)
    state.fields_cache = instance._state.fields_cache.copy()
    clone._state = state
    return clone


def memos_invalidate() -> None:
    """Forget every memo (tests whose rows vanish with their transaction)."""
    for memo in _memos:
        memo.invalidate()
