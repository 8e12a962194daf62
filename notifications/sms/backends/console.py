"""Development backend: prints every SMS to standard output."""

import sys
import threading

from django.utils import timezone

from .base import BaseSmsBackend


def format_message(message) -> str:
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S %z")
    return f"----- SMS {stamp}\nTo: {message.to}\n\n{message.body}\n"


class SmsBackend(BaseSmsBackend):
    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def write_message(self, message):
        self.stream.write(format_message(message))

    def send_messages(self, messages) -> int:
        if not messages:
            return 0
        sent = 0
        with self._lock:
            try:
                for message in messages:
                    self.write_message(message)
                    sent += 1
                self.stream.flush()
            except Exception:
                if not self.fail_silently:
                    raise
        return sent
