import pytest

from notifications.sms.backends import locmem


@pytest.fixture(autouse=True)
def sms_outbox():
    """A clean locmem SMS outbox for every test (like Django's mail.outbox)."""
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


@pytest.fixture
def enqueued(monkeypatch):
    """Record the ids handed to the delivery task instead of publishing them."""
    from notifications.tasks import deliver_message

    calls = []
    monkeypatch.setattr(deliver_message, "delay", lambda message_id: calls.append(message_id))
    return calls
