"""A sender for tests: records what it sends, fails on demand (dotted path in settings)."""

from __future__ import annotations

import threading
import time
from typing import ClassVar

from wenming.notify.senders import DeliveryError


class RecordingSender:
    sent: ClassVar[list[tuple[str, str]]] = []
    failure: ClassVar[Exception | None] = None
    delay: ClassVar[float] = 0.0
    lock = threading.Lock()

    @classmethod
    def reset(cls) -> None:
        cls.sent = []
        cls.failure = None
        cls.delay = 0.0

    def send(self, *, address: str, title: str, body: str, url: str) -> None:
        time.sleep(self.delay)  # widens the window in which two workers could collide
        if self.failure is not None:
            raise self.failure
        with self.lock:
            self.sent.append((address, title))


def phone_for_user(user: object) -> str:
    """The SMS phone lookup for tests: only users named handler have a phone."""
    return "13812345678" if getattr(user, "username", "") == "handler" else ""


__all__ = ["DeliveryError", "RecordingSender", "phone_for_user"]
