import logging

import pytest
from django.core import mail

from wenming.notify.senders import (
    ConsoleSender,
    DeliveryError,
    EmailSender,
    LoggingSmsSender,
    SmsSender,
)


def test_console_sender_masks_phone_numbers(caplog):
    caplog.set_level(logging.INFO, logger="wenming.notify.senders")
    ConsoleSender().send(address="13812345678", title="Call 13987654321", body="", url="/x/")
    assert "138****5678" in caplog.text and "139****4321" in caplog.text
    assert "13812345678" not in caplog.text and "13987654321" not in caplog.text


def test_logging_sms_sender_masks_the_phone(caplog):
    caplog.set_level(logging.INFO, logger="wenming.notify.senders")
    LoggingSmsSender().send(address="13812345678", title="督办", body="BT0001", url="")
    assert "138****5678" in caplog.text and "【督办】 BT0001" in caplog.text


def test_sms_sender_needs_a_provider():
    with pytest.raises(NotImplementedError):
        SmsSender().send(address="13812345678", title="t", body="", url="")


def test_email_sender_sends_with_an_absolute_link(settings):
    settings.WENMING_SITE_URL = "https://wenming.example.gov.cn"
    EmailSender().send(address="a@example.org", title="New case", body="Sign it", url="/cases/1/")
    (message,) = mail.outbox
    assert message.to == ["a@example.org"] and message.subject == "New case"
    assert message.body == "Sign it\n\nhttps://wenming.example.gov.cn/cases/1/"


def test_email_sender_turns_backend_errors_into_delivery_errors(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with pytest.raises(DeliveryError):
        EmailSender().send(address="a@example.org", title="t", body="", url="")
