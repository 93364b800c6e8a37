"""Settings shared by every environment, read from the environment (12-factor).

With nothing set the app runs on embedded defaults: SQLite in ``var/`` and Celery on
Kombu's filesystem transport in ``var/``, so ``make run`` needs no server.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute address of the site, for links in e-mails and chat messages.
# Without SITE_URL it follows WEB_PORT, the port `make run` serves on.
SITE_URL = (env("SITE_URL", default="") or f"http://127.0.0.1:{env('WEB_PORT', default='8000')}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    # The apps are layers, each using only those before it.
    "core",
    "accounts",
    "notifications",
    "plans",
    "tasks",
    "tracking",
    "reviews",
    # The read-only analytics schema of SQL views over all of the above (PostgreSQL only).
    "analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # /healthz answers here, before anything loads the session or the user.
    "core.middleware.SessionlessViewMiddleware",
    # A database out of reach or read-only answers a clear 503 (a dropped connection is
    # retried once), wherever inside it was met, the session's loading included.
    "core.middleware.DatabaseFaultMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it answers a locked-out login with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "notifications.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A kept connection is checked before a request reuses it, so a restarted database costs a
# reconnect, not an error.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Attainment's correlated subqueries look expensive to the planner and run in
    # milliseconds: JIT-compiling them cost ~1.5 s a query (bench/thresholds_bench.py).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # A database that does not answer fails a request (a 503) or a health probe quickly.
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses logins while their username or address is locked out (accounts.login_attempts).
    "accounts.login_attempts.LoginAttemptsBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: English and Simplified Chinese; the browser's language is the
# default, a user's saved preference wins.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own number formats for zh-Hans (thousands grouped with a comma, as in the templates).
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

# Spreadsheet imports (core.spreadsheets): what an uploaded workbook may unpack to, and how much
# more tightly than a table of data (about 12 to 1) a part of it may be packed, so that a
# "zip bomb" of blank rows is refused before it is read.
SPREADSHEET_MAX_UNPACKED_BYTES = env.int("SPREADSHEET_MAX_UNPACKED_MB", default=100) * 1024 * 1024
SPREADSHEET_MAX_PACKING_RATIO = env.int("SPREADSHEET_MAX_PACKING_RATIO", default=100)

# Content-Security-Policy (django-csp), in every environment so that development and the
# browser tests meet the same rules as production: pages load only the site's own scripts,
# styles, images and fonts (vendored, no CDN); no inline script, style element, style
# attribute or event handler attribute; nothing may frame them. Bootstrap's icons are data:
# SVG images. A template that needs behaviour uses a file in static/js/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy (core.middleware.PermissionsPolicyMiddleware): features no page uses.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Redis, when given, carries the Celery broker, its results and the cache.
REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            # The targets' actuals take one entry per campaign and plan (plans.actuals): the
            # default 300 would cull them at the scale of a busy year.
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }

# Celery: Redis when REDIS_URL (or CELERY_BROKER_URL) is set, else Kombu's filesystem
# transport in var/, which needs no server.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or f"file://{VAR_DIR / 'celery' / 'results'}")
# How long a job may run: the soft limit raises SoftTimeLimitExceeded in the job, the hard
# limit kills the process running it (prefork pool, as deployed). The worker's own values
# apply: config.celery keeps publishers (beat, web) from stamping theirs on the messages.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
# Redis: a message a worker took but never acknowledged (the worker died mid-job: jobs are
# acknowledged when they end) goes back to the queue this long after it was taken. Longer
# than any job may run (the hard limit), or a running job would be handed out twice;
# shorter than Kombu's default of an hour, so a killed job resumes within minutes.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=900)
if not CELERY_TASK_TIME_LIMIT < CELERY_VISIBILITY_TIMEOUT <= 3600:
    raise ImproperlyConfigured(
        f"CELERY_VISIBILITY_TIMEOUT ({CELERY_VISIBILITY_TIMEOUT} s) must be longer than "
        f"CELERY_TASK_TIME_LIMIT ({CELERY_TASK_TIME_LIMIT} s) and at most an hour."
    )
# A worker looks for messages whose visibility timeout ran out every 10 s. Kombu's default
# looks only every 10th time (about every 100 s), so a killed job would wait up to 100 s
# past its timeout; a look is one indexed Redis range query.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT = "config.filesystem_broker:Transport"
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Kombu's default is ./control, the working directory: keep it in var/ too.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
        # How often an idle worker looks for new messages (Kombu's default is every second):
        # also how soon it notices Ctrl-C.
        "polling_interval": 0.1,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=3.0)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
# Jobs are written to be idempotent, so a message is acknowledged only once the job has
# finished: a worker that dies mid-job leaves the message for another worker.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {
        "task": "config.celery.heartbeat",
        "schedule": env.int("HEARTBEAT_SECONDS", default=60),
    },
    "check-thresholds": {
        "task": "tracking.check_thresholds",
        "schedule": 60 * env.int("THRESHOLD_CHECK_MINUTES", default=15),
    },
    "escalate-alerts": {"task": "tracking.escalate_alerts", "schedule": 5 * 60},
    "sweep-deliveries": {"task": "notifications.sweep_deliveries", "schedule": 60},
    "daily-digest": {
        "task": "tracking.daily_digest",
        "schedule": crontab(minute=0, hour=env.int("DIGEST_HOUR", default=8)),
    },
    # The weekly progress log's draft of every executing campaign, before the weekly meeting
    # (Friday afternoon by default, in TIME_ZONE).
    "draft-weekly-logs": {
        "task": "tracking.draft_weekly_logs",
        "schedule": crontab(
            minute=0,
            hour=env.int("WEEKLY_LOG_HOUR", default=14),
            day_of_week=env("WEEKLY_LOG_DAY", default="fri"),
        ),
    },
    # An issue becomes overdue when its deadline's day ends: its owner and lead hear within the hour.
    "notify-overdue-issues": {"task": "tracking.notify_overdue_issues", "schedule": crontab(minute=5)},
    # Before the digest, so that a review opened today is in it.
    "review-deadlines": {
        "task": "reviews.check_deadlines",
        "schedule": crontab(minute=30, hour=max(env.int("DIGEST_HOUR", default=8) - 1, 0)),
    },
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Marketing Tracker <noreply@localhost>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous request is answered 401 with a WWW-Authenticate header.
        "accounts.authentication.APITokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "accounts.permissions.TokenIsReadOnly",
        # A token scoped to one plan reaches only the endpoints that filter by plan.
        "accounts.api.scope.TokenScopePermission",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["accounts.throttling.APITokenRateThrottle"],
    "DEFAULT_FILTER_BACKENDS": [
        "accounts.api.scope.TokenScopeFilter",
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "core.api.renderers.BrowsableAPIRenderer",
        "core.api.renderers.CSVRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# A walk by cursor (core.sync) hands out no row changed in the last this many seconds, so that a
# transaction still open when a page is read, whose rows carry an earlier change time, cannot
# land behind the cursor (docs/bi.md, "Incremental sync").
API_SYNC_LAG_SECONDS = env.int("API_SYNC_LAG_SECONDS", default=5)
# The streamed bulk exports (/api/v1/export/<entity>/, core.api.export): rows read per
# database round trip (memory stays constant whatever the table's size), and the most rows an
# XLSX export holds (a workbook is built whole before it is sent; CSV and NDJSON have no limit).
API_EXPORT_CHUNK_ROWS = env.int("API_EXPORT_CHUNK_ROWS", default=5_000)
API_EXPORT_XLSX_MAX_ROWS = env.int("API_EXPORT_XLSX_MAX_ROWS", default=50_000)

SPECTACULAR_SETTINGS = {
    "TITLE": "Marketing Plan Tracker API",
    "DESCRIPTION": (
        "Plans, targets, campaigns, metric values, tasks, thresholds, alerts, notifications, "
        "effectiveness reviews, lessons, follow-up actions and the knowledge base's search. "
        "Authenticate with a session or with `Authorization: Token <key>` (read-only tokens "
        "for BI tools). Every list answers `?format=csv` as well as JSON."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # A campaign's type and a lesson's campaign type are one choice set: one name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "CampaignTypeEnum": "plans.models.CampaignType",
        # A target's status (on track, at risk…), in the targets and in the facts.
        "AttainmentStatusEnum": "plans.attainment.Status",
    },
}

# Tracking: how often beat checks the thresholds, how long an alert may wait for its
# analysis before it escalates, how many thresholds one check evaluates per batch.
from datetime import timedelta  # noqa: E402

THRESHOLD_CHECK_MINUTES = env.int("THRESHOLD_CHECK_MINUTES", default=15)
ALERT_RESPONSE_TIME = timedelta(hours=env.float("ALERT_RESPONSE_HOURS", default=24))
THRESHOLD_BATCH_SIZE = env.int("THRESHOLD_BATCH_SIZE", default=500)
# Deliveries (e-mails and chat messages): attempts before one is marked failed; the wait
# after the first failed attempt, doubling after each (30, 60, 120, 240, 480 s: the sixth and
# last attempt comes about 15 minutes after the first); how long a webhook or the mail server
# may take to answer; how long a sender's claim on a delivery lasts (longer than any send
# can take, so that only a sender that died loses it); and how old a pending delivery may be
# before it is marked expired instead of sent (a restored backup's outbox, a long outage).
DELIVERY_MAX_ATTEMPTS = env.int("DELIVERY_MAX_ATTEMPTS", default=6)
DELIVERY_RETRY_BACKOFF_SECONDS = env.int("DELIVERY_RETRY_BACKOFF_SECONDS", default=30)
DELIVERY_TIMEOUT_SECONDS = env.float("DELIVERY_TIMEOUT_SECONDS", default=10.0)
DELIVERY_LEASE_SECONDS = env.int("DELIVERY_LEASE_SECONDS", default=max(120, int(6 * DELIVERY_TIMEOUT_SECONDS)))
DELIVERY_MAX_AGE = timedelta(hours=env.float("DELIVERY_MAX_AGE_HOURS", default=6))
DIGEST_HOUR = env.int("DIGEST_HOUR", default=8)
# The weekly logs' drafts: the day (mon…sun) and the hour, in TIME_ZONE.
WEEKLY_LOG_DAY = env("WEEKLY_LOG_DAY", default="fri")
WEEKLY_LOG_HOUR = env.int("WEEKLY_LOG_HOUR", default=14)

# Login attempts (django-axes, accounts.login_attempts): after LOGIN_FAILURE_LIMIT failures for
# one username or from one address, logging in is refused for LOGIN_LOCKOUT_MINUTES, on the
# site's login and the admin's. Behind a load balancer, TRUSTED_PROXY_COUNT says how many
# proxies append to X-Forwarded-For, so that the client's own address is the one counted.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accounts.login_attempts.client_ip_address"
AXES_LOCKOUT_CALLABLE = "accounts.views.auth.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
# "Forgot your password?": a link valid for a day, and at most so many e-mails to one address
# and requests from one client an hour (accounts.login_attempts.password_reset_allowed).
PASSWORD_RESET_TIMEOUT = 24 * 3600
PASSWORD_RESET_EMAILS_PER_HOUR = env.int("PASSWORD_RESET_EMAILS_PER_HOUR", default=3)
PASSWORD_RESET_REQUESTS_PER_HOUR = env.int("PASSWORD_RESET_REQUESTS_PER_HOUR", default=20)

# Demo data has logins with known passwords; only non-production settings allow it.
DEMO_DATA_ALLOWED = False

# How long an API token's last-used time may lag, so a busy BI sync does not write on
# every request.
API_TOKEN_LAST_USED_RESOLUTION_SECONDS = 60
# Requests a minute one API token may make (accounts.throttling); 0 turns the limit off.
API_TOKEN_RATE_LIMIT_PER_MINUTE = env.int("API_TOKEN_RATE_LIMIT_PER_MINUTE", default=600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # django-axes announces itself at every start; its warnings (lockouts) still show.
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes.apps": {"level": "WARNING"}},
}
