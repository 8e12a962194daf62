"""Test settings: PostgreSQL and Redis on 127.0.0.1 (required under CI=true)."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, STATIC_ROOT

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "notifications.sms.backends.locmem.SmsBackend"
SMS_FILE_PATH = str(BASE_DIR / "var" / "test-sms")
# Two checkouts of the project running tests at once each name their own test database.
if os.environ.get("TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DB_NAME"]}
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "vanke_crm_test")
AXES_ENABLED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# WhiteNoise warns on every request when the (not yet collected) static root is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Tests open connections from threads (live server, concurrent sweeps): close them at
# the end of each request so the test database can be dropped afterwards.
DATABASES["default"]["CONN_MAX_AGE"] = 0
