import re
import uuid

import pytest
from django.conf import settings
from django.utils import translation

from notifications.models import Channel, Message
from notifications.services import message_deliver
from notifications.sms.backends import locmem


@pytest.fixture(autouse=True)
def private_cache(settings):
    """Rate limits live in the cache: give each test its own, never the shared Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"accounts-{uuid.uuid4().hex}",
        }
    }


@pytest.fixture(autouse=True)
def english(client):
    """Assertions read English messages, whatever the default language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def sms_outbox():
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


def deliver_code(mobile: str) -> str:
    """Deliver the latest SMS to `mobile` (the test client never runs on-commit work)
    and read the 6-digit code from the locmem SMS backend."""
    message = Message.objects.filter(channel=Channel.SMS, address=mobile).latest("pk")
    message_deliver(message_id=message.pk)
    sms = [item for item in locmem.outbox if item.to == mobile][-1]
    return re.search(r"\b(\d{6})\b", sms.body).group(1)
