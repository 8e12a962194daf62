"""Development backend: appends every SMS to one file per day in settings.SMS_FILE_PATH,
so a developer can read a one-time code (e.g. `var/sms/2025-01-31.log`)."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .console import SmsBackend as ConsoleSmsBackend


class SmsBackend(ConsoleSmsBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = None  # opened per batch, on the file of the day
        self.file_path = Path(file_path or settings.SMS_FILE_PATH)
        if self.file_path.exists() and not self.file_path.is_dir():
            raise ImproperlyConfigured(f"SMS_FILE_PATH {self.file_path} is not a directory")

    def current_file(self) -> Path:
        return self.file_path / f"{timezone.localdate():%Y-%m-%d}.log"

    def open(self):
        if self.stream is None:
            self.file_path.mkdir(parents=True, exist_ok=True)
            self.stream = self.current_file().open("a", encoding="utf-8")
            return True
        return False

    def close(self):
        try:
            if self.stream is not None:
                self.stream.close()
        finally:
            self.stream = None

    def send_messages(self, messages) -> int:
        if not messages:
            return 0
        try:
            opened = self.open()
        except OSError:
            if self.fail_silently:
                return 0
            raise
        try:
            return super().send_messages(messages)
        finally:
            if opened:
                self.close()
