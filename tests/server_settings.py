"""`make run`'s settings (vanke_crm.settings.local) with one URL that raises, for the
tests that need a forced error: the product itself has no debug or trigger URL."""

from vanke_crm.settings.local import *  # noqa: F403
from vanke_crm.settings.local import env

ROOT_URLCONF = "tests.server_urls"
# A throwaway collectstatic (tests/test_make_run.py), not the checkout's var/static.
STATIC_ROOT = env("STATIC_ROOT")
