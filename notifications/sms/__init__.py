"""Pluggable SMS sending, shaped like Django's e-mail backends.

`settings.SMS_BACKEND` names a class with the `BaseSmsBackend` interface
(see docs/sms-backends.md). Development uses the console or file backend, tests the
locmem backend, production a provider's backend written against the same interface.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SmsMessage:
    """One text message: `to` is an E.164 mobile number (+86…), `body` the text."""

    to: str
    body: str


def get_connection(backend=None, *, fail_silently=False, **kwargs):
    """An instance of the configured SMS backend (or of `backend`, a dotted path)."""
    backend_class = import_string(backend or settings.SMS_BACKEND)
    return backend_class(fail_silently=fail_silently, **kwargs)


def send_sms(to, body, *, fail_silently=False, connection=None) -> int:
    """Send one SMS; returns the number sent (1, or 0 when `fail_silently` hid an error).

    Raises whatever the backend raises when sending fails (unless `fail_silently`)."""
    connection = connection or get_connection(fail_silently=fail_silently)
    return connection.send_messages([SmsMessage(to=to, body=body)])
