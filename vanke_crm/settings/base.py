"""Settings shared by every environment. Every secret and address comes from the
environment; the defaults work on a developer machine with no configuration."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from .discovery import default_database_url, default_redis_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env(
    "SECRET_KEY", default="dev-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"
)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # third party
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "template_partials",
    "django.forms",  # its widget templates, found by the TemplatesSetting renderer
    "axes",
    "csp",
    "simple_history",
    # cross-cutting
    "accounts",
    "org",
    "audit",
    "events",
    "notifications",
    "health",
    "demo",
    # domain apps
    "customers",
    "complaints",
    "handover",
    "surveys",
    "club",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what the middleware below answer (pages, JSON); static files come
    # pre-compressed from WhiteNoise above it.
    "vanke_crm.compression.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vanke_crm.urls"
WSGI_APPLICATION = "vanke_crm.wsgi.application"
ASGI_APPLICATION = "vanke_crm.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "vanke_crm.context_processors.shell",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# Forms render with the project's templates too (shell/_form.html is the staff form).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- database -------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", default=None) or default_database_url(BASE_DIR)
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A sync worker keeps its connection between requests (opening one cost ~10 ms a
# request at ~200k customers, more than the customer list itself); a connection that
# died is noticed before use (decision 0024).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=300)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 3
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- redis, cache and celery ---------------------------------------------------------
REDIS_URL = env("REDIS_URL", default=None) or default_redis_url()
CELERY_FILESYSTEM_DIR = BASE_DIR / "var" / "celery"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                # A cache outage must not take pages down; the health check reports it.
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(BASE_DIR / "var" / "cache"),
        }
    }
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_DIR / "out"),
        "data_folder_out": str(CELERY_FILESYSTEM_DIR / "out"),
        "processed_folder": str(CELERY_FILESYSTEM_DIR / "processed"),
        "store_processed": False,
    }
    for sub in ("out", "processed"):
        (CELERY_FILESYSTEM_DIR / sub).mkdir(parents=True, exist_ok=True)
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Two checkouts side by side on one Redis database (`make run` with another PORT and
# DATABASE_URL only) must not take each other's tasks or cache entries: unless set,
# the queue and the cache keys are named after the database.
_DB_NAME = Path(str(DATABASES["default"].get("NAME") or "vanke_crm")).stem
_OWN = "vanke_crm" if _DB_NAME == "vanke_crm" else f"vanke_crm-{_DB_NAME}"
CACHES["default"].setdefault("KEY_PREFIX", env("CACHE_KEY_PREFIX", default=_OWN))
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default=_OWN)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Shanghai"
# Publishing happens after commit inside a web request: never hang the request on a
# dead broker. What could not be published stays pending and the sweeper resends it.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "health-heartbeat": {"task": "health.tasks.heartbeat", "schedule": 30.0},
    "notifications-resend-pending": {
        "task": "notifications.tasks.resend_pending",
        "schedule": 60.0,
    },
    "events-redeliver": {"task": "events.tasks.redeliver_events", "schedule": 60.0},
    "customers-refresh-steps": {
        "task": "customers.tasks.refresh_steps",
        "schedule": crontab(hour=2, minute=10),
    },
    "customers-requeue-stale-imports": {
        "task": "customers.imports_requeue_stale",
        "schedule": 300.0,
    },
    "customers-exports-sweep": {"task": "customers.exports_sweep", "schedule": 300.0},
    "complaints-sla-sweep": {"task": "complaints.tasks.sla_sweep", "schedule": 300.0},
    "customers-create-due-revisits": {
        "task": "customers.tasks.create_due_revisits",
        "schedule": crontab(hour=2, minute=30),
    },
}

# --- auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UsernameOrMobileBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = 5
AXES_VERBOSE = False
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Lock the (account, address) pair: a whole sales office behind one NAT address is not
# locked out by one colleague's typos (docs/decisions/0004-login-lockout.md).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
# Username and mobile of one account are one name for the lockout.
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_HTTP_RESPONSE_CODE = 429
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
SESSION_COOKIE_AGE = 60 * 60 * 12
# Sessions are read from the cache and written through to the database: every signed-in
# request reads one, and a cache outage falls back to the table (docs/decisions/0024).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
RATELIMIT_VIEW = "vanke_crm.views.ratelimited"
OTP_TTL_SECONDS = 300
OTP_MAX_ATTEMPTS = 5
# /healthz shows component details to staff and to monitors that send this token as
# `Authorization: Bearer …`; unset, only staff see them.
HEALTHZ_TOKEN = env("HEALTHZ_TOKEN", default="")
# Absolute links in SMS and e-mail (the public pages owners open on their phones).
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

# --- i18n -----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "vanke_crm" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- security headers -----------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- notifications --------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="万科客户关系中心 <crm@vanke-crm.local>")
SMS_BACKEND = env("SMS_BACKEND", default="notifications.sms.backends.filebased.SmsBackend")
SMS_FILE_PATH = env("SMS_FILE_PATH", default=str(BASE_DIR / "var" / "sms"))
NOTIFICATION_MAX_ATTEMPTS = 5

# --- API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["vanke_crm.api.IsStaffMember"],
    "DEFAULT_PAGINATION_CLASS": "vanke_crm.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "vanke_crm.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "vanke_crm.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "vanke_crm API",
    "DESCRIPTION": _(
        "Customer-relationship management: organisation, customers, complaints, "
        "move-in, surveys and the owners' club. All staff endpoints are scoped to the "
        "companies of the signed-in user. GET /api/v1/ lists the collections."
    ),
    # One tag per app (vanke_crm.openapi.AutoSchema.get_tags).
    "TAGS": [
        {"name": "api", "description": _("What the API offers.")},
        {"name": "accounts", "description": _("API tokens for staff.")},
        {
            "name": "org",
            "description": _("Companies, projects, buildings, units, departments, roles."),
        },
        {"name": "customers", "description": _("Customers, ownerships, visits, segments.")},
        {
            "name": "complaints",
            "description": _("Cases, their tasks and events, the category tree."),
        },
        {"name": "notifications", "description": _("The signed-in user's inbox.")},
    ],
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "MembershipRoleEnum": "org.models.Role",
        "OwnershipRoleEnum": "customers.models.Ownership.Role",
        # Two choice sets of fields named `source`: customers keeps the plain name.
        "SourceEnum": "customers.models.Customer.Source",
        "CalendarDaySourceEnum": "org.api.serializers.DAY_SOURCES",
        "CaseStatusEnum": "complaints.models.Case.Status",
        "OwnershipStatusEnum": "customers.models.Ownership.Status",
        "ImportBatchStatusEnum": "customers.models.ImportBatch.Status",
        "ExportJobStatusEnum": "customers.models.ExportJob.Status",
        "TaskStatusEnum": "complaints.models.Task.Status",
        "VisitVerdictEnum": "complaints.models.Case.Verdict",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
