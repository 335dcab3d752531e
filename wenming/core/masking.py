"""Masking of personal data for public views, lists and logs (one place for the rule)."""

from __future__ import annotations

import re

PHONE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
PLATE_IN_TEXT = re.compile(
    r"([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z])([A-Z0-9]{3})([A-Z0-9]{2,3})"
)


def mask_phone(phone: str) -> str:
    """138****5678: the first three and last four digits stay, as on official receipts."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_id_number(number: str) -> str:
    """1502**********123X: region prefix and last four stay."""
    value = (number or "").strip()
    if len(value) < 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def mask_name(name: str) -> str:
    """张** / 王*: only the family name stays."""
    value = (name or "").strip()
    return value[:1] + "*" * (len(value) - 1) if value else ""


def redact_text(text: str) -> str:
    """Mask phone numbers and vehicle plates written into free text (descriptions, replies)."""
    text = PHONE_IN_TEXT.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text or "")
    return PLATE_IN_TEXT.sub(lambda m: f"{m.group(1)}***{m.group(3)}", text)
