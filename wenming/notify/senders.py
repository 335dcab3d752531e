"""Senders deliver one notification through one channel (email, SMS, a log line).

A sender is any class with a no-argument constructor and

    def send(self, *, address: str, title: str, body: str, url: str) -> None

that raises `DeliveryError` when the message did not go out (the worker then retries it with
backoff; any other exception is treated the same way but logged with its traceback). Senders
are configured per channel in `settings.WENMING_SENDERS` as dotted paths, e.g.

    WENMING_SENDERS = {"email": "wenming.notify.senders.EmailSender",
                       "sms": "mycity.sms.AliyunSmsSender"}

SMS providers: subclass `SmsSender` and implement `send_sms(phone, text)`, calling the
provider's API and raising `DeliveryError` with the provider's error code on failure. Keep
credentials in environment variables read by your subclass, never in the database.
`send` must not be called inside a database transaction: the worker calls it after claiming
the delivery, with the claim already committed.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from wenming.core.masking import mask_phone, redact_text

logger = logging.getLogger(__name__)

SMS_MAX_CHARS = 300  # providers split long texts and bill per part; keep it short


class DeliveryError(Exception):
    """The channel refused or could not take the message; the delivery will be retried."""


class Sender(Protocol):
    def send(self, *, address: str, title: str, body: str, url: str) -> None: ...


def absolute_url(url: str) -> str:
    """A link usable outside the site: relative paths get `WENMING_SITE_URL` in front."""
    if url.startswith("/") and settings.WENMING_SITE_URL:
        return settings.WENMING_SITE_URL + url
    return url


def mask_address(address: str) -> str:
    """Email addresses stay (they are work addresses); anything else is treated as a phone."""
    return address if "@" in address else mask_phone(address)


def sender_for(channel: str) -> Sender:
    """A new sender for `channel` from `settings.WENMING_SENDERS`."""
    try:
        path = settings.WENMING_SENDERS[channel]
    except KeyError as exc:
        raise DeliveryError(f"no sender configured for channel {channel!r}") from exc
    sender: Sender = import_string(path)()
    return sender


class ConsoleSender:
    """Writes the message to the log instead of sending it (development, demos)."""

    def send(self, *, address: str, title: str, body: str, url: str) -> None:
        logger.info(
            "notification to %s: %s %s %s",
            mask_address(address),
            redact_text(title),
            redact_text(body),
            absolute_url(url),
        )


class EmailSender:
    """Sends through Django's email backend (`EMAIL_HOST`, `DEFAULT_FROM_EMAIL`, …)."""

    def send(self, *, address: str, title: str, body: str, url: str) -> None:
        text = "\n\n".join(part for part in (body, absolute_url(url)) if part)
        try:
            send_mail(title, text, None, [address], fail_silently=False)
        except Exception as exc:  # smtplib, socket and backend errors alike
            raise DeliveryError(f"email: {exc}") from exc


class SmsSender:
    """Base for SMS providers: builds one short text and hands it to `send_sms`."""

    def send(self, *, address: str, title: str, body: str, url: str) -> None:
        text = " ".join(part for part in (f"【{title}】", body, absolute_url(url)) if part)
        self.send_sms(address, text[:SMS_MAX_CHARS])

    def send_sms(self, phone: str, text: str) -> None:
        """Send `text` to `phone`; raise `DeliveryError` when the provider refuses it."""
        raise NotImplementedError


class LoggingSmsSender(SmsSender):
    """The default SMS "provider": logs the text with the phone number masked."""

    def send_sms(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(phone), redact_text(text))
