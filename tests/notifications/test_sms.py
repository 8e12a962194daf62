import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from notifications import sms
from notifications.sms import SmsMessage, get_connection, send_sms
from notifications.sms.backends.base import BaseSmsBackend
from notifications.sms.backends.console import SmsBackend as ConsoleBackend
from notifications.sms.backends.filebased import SmsBackend as FileBackend


@pytest.mark.smoke
def test_locmem_backend_keeps_messages_in_outbox(settings, sms_outbox):
    settings.SMS_BACKEND = "notifications.sms.backends.locmem.SmsBackend"
    assert send_sms("+8613800000000", "您的验证码是 123456") == 1
    assert [(m.to, m.body) for m in sms_outbox] == [("+8613800000000", "您的验证码是 123456")]


def test_console_backend_prints(capsys):
    backend = get_connection("notifications.sms.backends.console.SmsBackend")
    assert backend.send_messages([SmsMessage("+8613800000000", "你好")]) == 1
    out = capsys.readouterr().out
    assert "To: +8613800000000" in out
    assert "你好" in out


def test_console_backend_fail_silently_hides_stream_errors():
    class Broken(io.StringIO):
        def write(self, text):
            raise OSError("disk full")

    quiet = ConsoleBackend(fail_silently=True, stream=Broken())
    assert quiet.send_messages([SmsMessage("+8613800000000", "x")]) == 0
    with pytest.raises(OSError):
        ConsoleBackend(stream=Broken()).send_messages([SmsMessage("+8613800000000", "x")])


def test_file_backend_appends_to_a_file_per_day(settings, tmp_path):
    settings.SMS_BACKEND = "notifications.sms.backends.filebased.SmsBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    send_sms("+8613800000001", "验证码 111111")
    send_sms("+8613800000002", "验证码 222222")
    files = list((tmp_path / "sms").iterdir())
    assert [f.name for f in files] == [f"{timezone.localdate():%Y-%m-%d}.log"]
    text = files[0].read_text(encoding="utf-8")
    assert text.index("验证码 111111") < text.index("验证码 222222")
    assert "To: +8613800000002" in text


def test_file_backend_refuses_a_file_as_folder(tmp_path):
    target = tmp_path / "not-a-dir"
    target.write_text("x")
    with pytest.raises(ImproperlyConfigured):
        FileBackend(file_path=target)


def test_base_backend_must_be_subclassed():
    with pytest.raises(NotImplementedError), BaseSmsBackend() as backend:
        backend.send_messages([SmsMessage("+8613800000000", "x")])


def test_send_sms_uses_the_configured_backend(settings):
    settings.SMS_BACKEND = "notifications.sms.backends.console.SmsBackend"
    assert isinstance(sms.get_connection(), ConsoleBackend)
