"""Test backend: keeps sent messages in `outbox` (like Django's `mail.outbox`).

Each item has `.to` and `.body`. Tests clear it with `outbox.clear()`."""

from .base import BaseSmsBackend

outbox: list = []


class SmsBackend(BaseSmsBackend):
    def send_messages(self, messages) -> int:
        outbox.extend(messages)
        return len(messages)
