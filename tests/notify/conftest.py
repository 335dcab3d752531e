import pytest
from django.utils import translation

from .recording import RecordingSender

SENDER = "tests.notify.recording.RecordingSender"


@pytest.fixture
def channels(settings):  # type: ignore[no-untyped-def]
    """Email and SMS switched on, both sent by the recording sender."""
    settings.WENMING_NOTIFY_CHANNELS = ["email", "sms"]
    settings.WENMING_SENDERS = {"email": SENDER, "sms": SENDER}
    settings.WENMING_SMS_PHONE_FOR_USER = "tests.notify.recording.phone_for_user"
    settings.WENMING_DELIVERY_MAX_ATTEMPTS = 3
    RecordingSender.reset()
    yield RecordingSender
    RecordingSender.reset()


@pytest.fixture(autouse=True)
def _restore_language():  # type: ignore[no-untyped-def]
    """Requests activate their language for the thread; give later tests the one they had."""
    language = translation.get_language()
    yield
    translation.activate(language)


@pytest.fixture(autouse=True)
def _empty_inboxes(request):  # type: ignore[no-untyped-def]
    """The demo data may hold messages already (seeded cases notify people): start empty."""
    for name in ("transactional_db", "db"):
        if name in request.fixturenames:
            from wenming.notify.models import Notification

            request.getfixturevalue(name)  # autouse runs first: open the database now
            Notification.objects.all().delete()
            break
