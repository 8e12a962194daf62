"""The interface every SMS backend implements (the shape of Django's e-mail backends).

A provider backend (Aliyun, Tencent Cloud …) subclasses `BaseSmsBackend`, reads its
credentials from settings, and implements `send_messages`. See docs/sms-backends.md.
"""


class BaseSmsBackend:
    """Base class for SMS backends.

    Subclasses must implement `send_messages(messages) -> int`:

    - `messages` is a list of `notifications.sms.SmsMessage` (`.to`, an E.164 mobile
      number, and `.body`, the text);
    - it returns the number of messages the provider accepted;
    - it raises an exception when a message could not be sent, unless the backend was
      created with `fail_silently=True`. The outbox records the error and retries with
      backoff, so raising is how a backend says "try again later".

    `open()` and `close()` may hold a network session across several messages; the
    backend is also a context manager that opens and closes it.
    """

    def __init__(self, fail_silently=False, **kwargs):
        self.fail_silently = fail_silently

    def open(self):
        """Open a connection to the provider, if it needs one. Returns True if opened."""
        return False

    def close(self):
        """Close the connection opened by `open()`."""

    def __enter__(self):
        try:
            self.open()
        except Exception:
            self.close()
            raise
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()

    def send_messages(self, messages) -> int:
        raise NotImplementedError("subclasses of BaseSmsBackend must override send_messages()")
