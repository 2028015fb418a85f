"""Settings for the procurement platform, driven by environment variables.

With no environment set the platform runs embedded: SQLite in the project folder and Celery tasks executed
eagerly in the web process. ``DATABASE_URL`` switches to PostgreSQL (psycopg 3) and ``REDIS_URL`` to real Celery
workers, beat and a Redis cache. docs/operations.md lists every variable.
"""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
# Debug mode answers with the platform's error pages unless a developer asks for Django's technical ones.
FRIENDLY_ERROR_PAGES = env_bool("DJANGO_FRIENDLY_ERRORS", True)
# The fallback key only serves the embedded developer mode; production sets DJANGO_SECRET_KEY (refused otherwise,
# at the end of this file).
DEFAULT_SECRET_KEY = "embedded-development-key-not-for-production-use-0123456789"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEFAULT_SECRET_KEY)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    # Kept only so that migration accounts 0005 can move the plaintext tokens it stored into knox, hashed.
    "rest_framework.authtoken",
    # API tokens stored as hashes only (SHA-512), each with an expiry; users see and revoke their own.
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "accounts",
    "procurement",
    "credit",
    "pricing",
]

# The benchmark commands (manage.py bench_*) live with the tests and exist in development only.
if DEBUG and importlib.util.find_spec("tests.bench") is not None:
    INSTALLED_APPS.append("tests.bench")

# Who a signed-in user is, for the visibility scope each model declares (core.scoping).
SCOPE_AUDIENCES = "accounts.access.audiences"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The body's size is checked before anything reads it; then NUL characters anywhere are refused.
    "accounts.middleware.BoundedBodyMiddleware",
    "accounts.middleware.RefuseNullCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.BadRequestMiddleware",
    # The platform's 404 and 500 pages in debug mode too (make run), instead of Django's technical pages.
    "core.error_pages.FriendlyErrorsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
            # Number formats every page uses: |yuan, |unit_price, |count (core/templatetags/numbers.py).
            "builtins": ["core.templatetags.numbers"],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")))
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Writers wait instead of failing at once when the embedded server takes concurrent posts.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
EMBEDDED_DATABASE = DATABASES["default"]["ENGINE"].endswith("sqlite3")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    # Login throttling and lockout (django-axes) first, then the ordinary user database.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Two-factor login (TOTP, django-otp) for officers and administrators (accounts/middleware.py).
SECOND_FACTOR_REQUIRED = env_bool("SECOND_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "VBP platform")

# Lockout: 5 failed logins for one user name from one address lock that pair out for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "accounts.security.lockout_response"
AXES_VERBOSE = False
# The user name a failed login is recorded under, cut to the length of a user name (a 5 000-character one was a 500).
AXES_USERNAME_CALLABLE = "accounts.security.axes_username"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded files and their folders: the owner only (the process's umask says the same, config/__init__.py).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
MEDIA_URL = "/media/"

# Uploads: spreadsheets are parsed in memory up to this size; larger files are refused by the upload forms.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
# Every request body, whatever its type, is refused (413) above this size before it is read.
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_BYTES", str(UPLOAD_MAX_BYTES + 1024 * 1024)))
# Rows per uploaded file (demand, catalog, purchases): a larger file is refused whole with a message.
UPLOAD_MAX_ROWS = int(os.environ.get("UPLOAD_MAX_ROWS", "50000"))
# Errors kept with a rejected upload: the first ones, and a count of the rest.
UPLOAD_MAX_STORED_ERRORS = int(os.environ.get("UPLOAD_MAX_STORED_ERRORS", "200"))
# API tokens (django-rest-knox): only a hash is stored; the token is shown once, when it is issued.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=int(os.environ.get("API_TOKEN_TTL_DAYS", "90"))),
    "AUTH_HEADER_PREFIX": "Token",
}
# The admin never shows an authenticator's secret key (django-otp).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Anonymous writes (the public tip form and API, the token endpoint) per client address.
ANON_WRITE_RATE = os.environ.get("ANON_WRITE_RATE", "20/hour")
# Evidence sent with public tips: per file, and files a day (together they bound what anonymous senders store).
TIP_EVIDENCE_MAX_BYTES = int(os.environ.get("TIP_EVIDENCE_MAX_BYTES", str(5 * 1024 * 1024)))
TIP_EVIDENCE_DAILY_FILES = int(os.environ.get("TIP_EVIDENCE_DAILY_FILES", "200"))
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES

# Sessions end after 30 idle minutes (each request extends them) and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (Django's own middleware): every script, style, image and font comes from the platform
# itself; no inline script or style, no plug-in, no framing.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    # Behind the TLS-terminating proxy (docs/operations.md): HTTPS only, remembered by browsers for a year.
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: embedded mode runs every task inline in the calling process, so a new user needs no broker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Recovery from a worker that dies (docs/operations.md, "Workers that die"). A task is acknowledged when it ends, so
# when its worker is killed (the main process, or the machine) the message stays unacknowledged in Redis, which makes
# it visible again after the visibility timeout; live workers sweep for such messages every 5 s and one of them runs
# the task again (every task is safe to run twice). The timeout must exceed the longest task, or a task still running
# is started a second time: measured, an award group of 50 000 hospitals takes 0.6 s and a credit chunk of 1 000
# suppliers 1.4 s (docs/performance.md), so 60 s leaves a wide margin (the broker's default is 1 hour).
CELERY_VISIBILITY_TIMEOUT = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "60"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 5,
    "unacked_restore_throttle": 1,
}
# Tasks lost with the broker (Redis restarted empty) are re-sent by beat (every 30 s) for jobs that made no progress
# for this long: twice the visibility timeout, so that a redelivery by Redis comes first.
JOB_STALE_AFTER_SECONDS = int(os.environ.get("JOB_STALE_AFTER_SECONDS", str(2 * CELERY_VISIBILITY_TIMEOUT)))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.api.authentication.HashedTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the browsable API's forms listed every round and group of the related fields, drafts included,
    # whatever the caller may see. Swagger UI (/api/docs/) is the way to explore the API in a browser.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies only (the schema says so): uploads take multipart on their own endpoints.
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.SafeJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_FILTER_BACKENDS": [
        "accounts.api.filters.StrictDjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "accounts.api.schema.PlatformAutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.domain_exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    # Dates as the schema states them (YYYY-MM-DD), not every form ISO 8601 parsing accepts (20260101).
    "DATE_INPUT_FORMATS": ["%Y-%m-%d"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Volume-based procurement platform API",
    "DESCRIPTION": "集中带量采购平台: organisations, product catalog, rounds and sealed bids, award rule sets, "
    "awards, agreements, purchases, deliveries and supply failures, prices, supplier credit and open data (OCDS). "
    "Every list is scoped to what the calling user may see. Bodies are "
    "JSON (uploads multipart); every error answer has the body documented for it, with a stable `code` for "
    "refusals by a rule.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served from the project's static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RoundStatusEnum": "procurement.models.rounds.RoundStatus",
        "UploadOutcomeEnum": [("accepted", "accepted"), ("rejected", "rejected")],
        "ProductImportStatusEnum": "procurement.models.catalog.ProductImportStatus",
        "AwardRunStatusEnum": "procurement.models.award.AwardRunStatus",
        "BidStatusEnum": "procurement.models.bids.BidStatus",
        "StrengthUnitEnum": "procurement.models.catalog.StrengthUnit",
        "CreditLevelEnum": "credit.models.records.Level",
        "MeasureKindEnum": "credit.models.ratings.MeasureKind",
        "OrganisationKindEnum": "accounts.models.Organisation.Kind",
        "RelationRefusalReasonEnum": "procurement.models.trading.RefusalReason",
        "OrderLineRefusalReasonEnum": "procurement.models.trading.LineRefusal",
        "OrderLineStatusEnum": "procurement.models.trading.LineStatus",
        "ShipmentStatusEnum": "procurement.models.trading.ShipmentStatus",
        "ReturnStatusEnum": "procurement.models.trading.ReturnStatus",
        "UrgencyEnum": "procurement.models.trading.Urgency",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Bid sealing: the platform's sealing key never lives in the database. Production sets BID_SEALING_KEY (32 random
# bytes, base64); embedded mode creates a key file beside the project on first use.
BID_SEALING_KEY = os.environ.get("BID_SEALING_KEY", "")
BID_SEALING_KEY_FILE = Path(os.environ.get("BID_SEALING_KEY_FILE", BASE_DIR / "var" / "bid-sealing.key"))
# Before the opening a supplier's whole part in a round is one encrypted row of this fixed size (bytes), whoever it
# is and whatever it did (procurement/participation.py); at most this many bid changes per supplier and round.
PARTICIPATION_STATE_BYTES = int(os.environ.get("PARTICIPATION_STATE_BYTES", str(32 * 1024)))
PARTICIPATION_MAX_CHANGES = int(os.environ.get("PARTICIPATION_MAX_CHANGES", "60"))

# Audit chain: the key of the audit trail's seals never lives in the database (accounts/audit_chain.py). Production
# sets AUDIT_CHAIN_KEY; embedded mode creates a random key file on first use (never derived from a public default).
AUDIT_CHAIN_KEY = os.environ.get("AUDIT_CHAIN_KEY", "")
AUDIT_CHAIN_KEY_FILE = Path(os.environ.get("AUDIT_CHAIN_KEY_FILE", BASE_DIR / "var" / "audit-chain.key"))
# Signed heads of the chain, appended outside the database it protects at every opening, verification and day:
# put this directory on other storage than the database (docs/trust.md).
AUDIT_ANCHOR_DIR = Path(os.environ.get("AUDIT_ANCHOR_DIR", BASE_DIR / "var" / "audit-anchors"))

# Production refuses to start with the keys anyone can read in this file.
if not DEBUG:
    from django.core.exceptions import ImproperlyConfigured

    _defaults = [
        name
        for name, is_default in (
            ("DJANGO_SECRET_KEY", SECRET_KEY == DEFAULT_SECRET_KEY),
            ("AUDIT_CHAIN_KEY", not AUDIT_CHAIN_KEY),
        )
        if is_default
    ]
    if _defaults:
        raise ImproperlyConfigured(
            f"Production settings (DJANGO_DEBUG off) need their own {' and '.join(_defaults)}: the defaults are "
            "public. See docs/operations.md."
        )

# Open data (procurement/ocds.py): the OCID prefix registered with the Open Contracting Partnership, the publisher.
OCDS_OCID_PREFIX = os.environ.get("OCDS_OCID_PREFIX", "ocds-vbp000")
# The publisher and procuring entity of the open data: the procurement centre (an authority organisation, by its
# code: its unified social credit code); unset → the first authority organisation. OCDS_PUBLISHER_NAME overrides
# the publisher's name only.
OCDS_PROCURING_ENTITY_CODE = os.environ.get("OCDS_PROCURING_ENTITY_CODE", "")
OCDS_PUBLISHER_NAME = os.environ.get("OCDS_PUBLISHER_NAME", "")
OCDS_LICENSE = os.environ.get("OCDS_LICENSE", "https://creativecommons.org/licenses/by/4.0/")

# Periodic tasks (django-celery-beat loads this schedule into its database tables at start).
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    # Credit ratings are recomputed at each quarter's start (1 Jan, 1 Apr, 1 Jul, 1 Oct), shortly after midnight.
    "credit-quarterly-run": {
        "task": "credit.quarterly_run",
        "schedule": crontab(minute=30, hour=0, day_of_month=1, month_of_year="1,4,7,10"),
    },
    "credit-redispatch-stale-runs": {"task": "credit.redispatch_stale_runs", "schedule": 30.0},
    # Price governance: listings follow the credit measures, supply anomalies are scanned, every morning.
    "pricing-daily-checks": {"task": "pricing.daily_checks", "schedule": crontab(minute=0, hour=6)},
    # Audit rows are sealed after each commit; this catches any whose sealing was skipped or lost.
    "seal-audit-chain": {"task": "accounts.seal_audit_chain", "schedule": 60.0},
    "anchor-audit-chain": {"task": "accounts.anchor_audit_chain", "schedule": crontab(minute=5, hour=0)},
    "advance-round-deadlines": {"task": "procurement.advance_rounds", "schedule": 30.0},
    # Which sealed participation rows changed can be told only since the last rewrite (docs/trust.md).
    "refresh-participation": {"task": "procurement.refresh_participation", "schedule": 600.0},
    "redispatch-stale-award-runs": {"task": "procurement.redispatch_stale_award_runs", "schedule": 30.0},
    "redispatch-stale-product-imports": {"task": "procurement.redispatch_stale_product_imports", "schedule": 30.0},
    # Distribution relations past their last day are marked expired just after midnight (Asia/Shanghai).
    # Order lines not answered in time are cancelled within a minute of their deadline (stored on each line; an
    # answer after it is refused even before this runs).
    "expire-order-lines": {"task": "procurement.expire_order_lines", "schedule": 60.0},
    "trading-deadline-notices": {"task": "procurement.trading_deadline_notices", "schedule": 300.0},
    "expire-distribution-relations": {"task": "procurement.expire_relations", "schedule": crontab(minute=10, hour=0)},
}
