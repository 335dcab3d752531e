"""Logging: a request id on every line, personal data masked, optional JSON lines.

Set WENMING_LOG_FORMAT=json for one JSON object per line (for a log collector).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re

from .masking import redact_text

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
ID_NUMBER_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
# Landlines as the hotline stores them ("0472-5123456"): area code and last four stay.
LANDLINE_IN_TEXT = re.compile(r"(?<!\d)(0\d{2,3})-(\d{3,4})(\d{4})(?!\d)")


def scrub(text: str) -> str:
    """Mask phone numbers (mobile and landline), plates and ID numbers in a log message."""
    text = ID_NUMBER_IN_TEXT.sub(lambda m: f"{m.group(1)[:4]}**********{m.group(3)}", text)
    text = LANDLINE_IN_TEXT.sub(lambda m: f"{m.group(1)}-{'*' * len(m.group(2))}{m.group(3)}", text)
    return redact_text(text)


class ContextFilter(logging.Filter):
    """Adds `request_id` and masks personal data in the rendered message."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
