"""Offender Hub settings: everything comes from the environment (see .env.example).

Environments differ only by variables. With DEBUG off, a missing SECRET_KEY or ALLOWED_HOSTS
stops the app at start rather than running insecurely.
"""

import datetime as dt
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-do-not-use-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
else:
    SECRET_KEY = env("SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is false.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "simple_history",
    # Security (issue 6): sign-in lockout, two-factor authentication, Content Security Policy.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "hub",
    "cautions",
    "referrals",
    "reporting",
    # Reminders to people and emails to staff (issue 18): above referrals, below reporting.
    "notifications",
    # Background work (issue 12): Django's tasks API (the django-tasks backport on 5.2) with
    # the database backend, so no new server is needed; `manage.py db_worker` runs the tasks.
    "django_tasks",
    "django_tasks_db",
    # The partner API (issue 14): above every app whose records it serves.
    "rest_framework",
    "drf_spectacular",
    "api",
    # Person merge and subject access: orchestrations above the apps they read.
    "records",
    # Demo and synthetic data (seed_demo): above every other app.
    "demo",
]

MIDDLEWARE = [
    # First: request id and one JSON log line per request, timing everything below it.
    "hub.observability.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Restarts the 30-minute idle clock at most once a minute (not a session write per request).
    "hub.middleware.SessionIdleRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every request of a superuser (the break-glass account) is an access-log entry.
    "hub.middleware.BreakGlassAuditMiddleware",
    # Marks request.user.is_verified() once a one-time password has been given this session.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hub.middleware.LoginRequiredMiddleware",
    # 404 for an <int:...> part of an address larger than any id (never a database error).
    "hub.middleware.IdsInRangeMiddleware",
    # Cache-Control: no-store on every response to a signed-in user (personal data, secrets).
    "hub.middleware.NoStoreForSignedInMiddleware",
    # Two-factor authentication required (OTP_REQUIRED) before any page but the 2FA ones.
    "hub.security.middleware.TwoFactorRequiredMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"
ASGI_APPLICATION = "hub.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hub.context_processors.service",
                "notifications.staff_context.staff_notifications",
            ],
        },
    },
]

# SQLite is the embedded default so that a new user needs nothing installed;
# PostgreSQL (DATABASE_URL=postgres://...) is the production database.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Prepared statements: parameters are sent apart from the SQL (server-side binding), and a
    # query run DB_PREPARE_THRESHOLD times on a connection is prepared, so PostgreSQL stops
    # planning it again on every page (planning cost more than running the page queries;
    # bench/RESULTS.md). Set DB_PREPARE_THRESHOLD empty to turn this off, for example behind a
    # connection pooler in transaction mode that does not track prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
    threshold = env("DB_PREPARE_THRESHOLD", default="5")
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = int(threshold) if threshold else None
    # A prepared page query is planned once for any parameters (a generic plan) rather than
    # again for each request: the worklist's date-range queries otherwise stayed on per-request
    # plans, 9 ms of database CPU a page instead of 3 ms at 100,000 people. Queries run fewer
    # than DB_PREPARE_THRESHOLD times are never prepared, and the reoffending report asks for
    # its own plan each time (reporting.selectors). DB_PLAN_CACHE_MODE=auto: PostgreSQL decides.
    plan_cache_mode = env("DB_PLAN_CACHE_MODE", default="force_generic_plan")
    if plan_cache_mode not in ("auto", "force_generic_plan", "force_custom_plan"):
        raise ImproperlyConfigured(f"DB_PLAN_CACHE_MODE: unknown mode {plan_cache_mode!r}")
    options = DATABASES["default"]["OPTIONS"].get("options", "")
    DATABASES["default"]["OPTIONS"]["options"] = f"{options} -c plan_cache_mode={plan_cache_mode}"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)

# Scaling path: report reads on a read replica when REPORTING_DATABASE_URL is set (see
# hub/db_router.py). Tests use the primary for it (MIRROR), so no second test database.
if env("REPORTING_DATABASE_URL", default=""):
    DATABASES["reporting"] = env.db("REPORTING_DATABASE_URL")
    DATABASES["reporting"]["ATOMIC_REQUESTS"] = False
    DATABASES["reporting"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["reporting"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["hub.db_router.ReportingRouter"]

# Cache for computed reports (reporting.selectors.cached_reoffending_report: the dashboard's
# figures, keyed on the filters and a data version, so new data is never hidden by it).
# Default: memory of each server process (locmemcache://): nothing to run; each gunicorn worker
# computes a report once per data change. Several servers: a shared cache, for example the
# database (CACHE_URL=dbcache://oh_cache, then `manage.py createcachetable`) or Redis
# (redis://host:6379/1). REPORT_CACHE_SECONDS: lifetime of an entry, which bounds how long a
# change the data version cannot see (SQL by hand, a label renamed) takes to show.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
REPORT_CACHE_SECONDS = env.int("REPORT_CACHE_SECONDS", default=600)
# The dashboard reads computed reports kept in the database (reporting.snapshots, ADR 0006),
# which the worker refreshes. A claim to compute one older than this is taken to be from a
# worker that died, and the report is queued again.
REPORT_SNAPSHOT_CLAIM_SECONDS = env.int("REPORT_SNAPSHOT_CLAIM_SECONDS", default=900)
# Largest import file (upload or command), in bytes: 1 GB holds the 1,000,000-line extracts.
# Imports read the file as a stream, so memory does not grow with it.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=1024**3)
# Uploaded import files wait here for the worker (reporting.import_jobs), each deleted when its
# job ends. Private: nothing serves this directory (there is no MEDIA_URL route). Several
# servers: a directory the web servers and the workers share.
IMPORT_UPLOAD_DIR = env.path(
    "IMPORT_UPLOAD_DIR", default=BASE_DIR / "media" / "private" / "imports"
)
# bench/run only: adds /bench/trivial, the do-nothing view page latency is compared with.
BENCH_TRIVIAL_VIEW = env.bool("BENCH_TRIVIAL_VIEW", default=False)
# Load balancers poll /healthz over plain HTTP inside the network: never redirect it to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# The report's covering index (cautions.Case, case_person_report_idx) includes columns for
# PostgreSQL's index-only scans; SQLite, the embedded default, builds it on its key columns
# alone, which is all it needs. Without this, every `make run` warns about it.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# ---------------------------------------------------------------------------------------------
# Sign-in security (issue 6). See README "Security".
# django-axes must come first: it refuses a locked-out username + address before the password
# is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, loading the staff profile with the user and caching permissions.
    "hub.auth_backend.HubModelBackend",
]
# How long a user's permissions are cached (hub/auth_backend.py): changes made in the service
# show at once where the cache is shared, and within this many seconds in other processes.
PERMISSION_CACHE_SECONDS = env.int("PERMISSION_CACHE_SECONDS", default=60)
# Lock after 5 failed sign-ins in a row for the same user name FROM the same address, for 15
# minutes (a colleague mistyping at another desk does not lock someone out; an attacker trying
# many names from one address is stopped per name). A success resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "hub/security/locked_out.html"
# And across user names: after this many failed sign-ins from one address within
# AXES_COOLOFF_TIME, with any user names, that address may not try again until the cool-off
# has passed (hub/security/throttle.py). A spray of names is stopped; nobody elsewhere is locked.
SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=20)
# The client address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies the entry
# that many places from the right of X-Forwarded-For (see hub/security/client_ip.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "hub.security.client_ip.client_ip"
# Sign-in attempts are kept in the axes tables (admin site); our own access log stays about
# personal data.
AXES_VERBOSE = False

# Two-factor authentication (TOTP, django-otp): required for every account when DEBUG is off,
# optional in the demo. OTP_REQUIRED=true/false overrides either way.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Offender Hub")
# django-otp's throttle (a growing delay per device) is off: anyone with the password could
# stretch it and keep the real user out. Wrong codes are throttled per session, per address
# and per account instead (hub/security/throttle.py; issue 17).
OTP_TOTP_THROTTLE_FACTOR = 0
TWO_FACTOR_FAILURE_WINDOW = dt.timedelta(
    minutes=env.int("TWO_FACTOR_FAILURE_WINDOW_MINUTES", default=15)
)
TWO_FACTOR_SESSION_FAILURE_LIMIT = env.int("TWO_FACTOR_SESSION_FAILURE_LIMIT", default=5)
TWO_FACTOR_ADDRESS_FAILURE_LIMIT = env.int("TWO_FACTOR_ADDRESS_FAILURE_LIMIT", default=10)
TWO_FACTOR_DEVICE_FAILURE_LIMIT = env.int("TWO_FACTOR_DEVICE_FAILURE_LIMIT", default=20)
# An account with no authenticator sets one up only with a one-time enrolment code from an
# administrator (hub/security/enrolment.py), valid this many hours.
TWO_FACTOR_ENROLMENT_HOURS = env.int("TWO_FACTOR_ENROLMENT_HOURS", default=72)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# One display format for dates ("3 December 2026") and times ("14:30"): hub/formats.
FORMAT_MODULE_PATH = ["hub.formats"]
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "hub.storage.StaticStorage",
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Sessions end after 30 minutes idle and when the browser closes. The idle clock restarts when
# a request comes more than SESSION_REFRESH_SECONDS after it last restarted
# (hub.middleware.SessionIdleRefreshMiddleware): a session ends 29 to 30 minutes after its last
# request, and pages that only read do not write the session table on every request (which
# SESSION_SAVE_EVERY_REQUEST did).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_COOKIE_HTTPONLY = True
# Content Security Policy (django-csp 4): only this site's own files, no inline script or style
# (templates must not use <script> blocks, on* attributes or style=""), no framing, no plugins.
# GOV.UK Frontend's CSS uses data: URIs for a few images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Service identity shown in the header.
SERVICE_NAME = env("SERVICE_NAME", default="Offender Hub")
FORCE_NAME = env("FORCE_NAME", default="Cambridgeshire Constabulary")
PHASE = env("PHASE", default="beta")
# Printed on the caution document: how and where to pay compensation or a financial penalty.
CAUTION_PAYMENT_INSTRUCTIONS = env(
    "CAUTION_PAYMENT_INSTRUCTIONS",
    default="Pay by card at any police station front counter, or by phone on 101, quoting the "
    "case reference. The police pass compensation on to the victim.",
)

# Domain settings (see shared DOMAIN.md for where each comes from).
REOFFENDING_BASELINE = env.float("REOFFENDING_BASELINE", default=0.25)
REPORT_MIN_CELL = env.int("REPORT_MIN_CELL", default=5)
RETENTION_YEARS = env.int("RETENTION_YEARS", default=6)

DEMO_PASSWORD = env("DEMO_PASSWORD", default="offender-hub-demo")

# Logs go to stderr (the platform collects them). LOG_FORMAT=json (default with DEBUG off) writes
# one JSON object per line with the request id; hub.observability keeps personal data out.
LOG_FORMAT = env("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "hub.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "hub.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# --- Partner API (issue 14) -----------------------------------------------------------------
# Tokens only (api.authentication): a browser session never reaches the API. Every list is
# paginated; each token may make API_THROTTLE_RATE requests (429 with Retry-After beyond).
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_THROTTLE_RATE", default="600/min")},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Offender Hub API",
    "DESCRIPTION": (
        "The conditional-caution hub's API for partner systems: support providers' case "
        "systems, the force's records system and the OPCC's reporting. Authenticate with "
        "`Authorization: Bearer <token>`; the token's user decides what it may do."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ReferralStatusEnum": "referrals.models.ReferralStatus",
        "ConditionStatusEnum": "cautions.models.Condition.Status",
        "CaseStatusEnum": "cautions.models.Case.Status",
    },
}

# --- Background work (issue 12) ----------------------------------------------------------
# Tasks are stored in the database and run by `python manage.py db_worker` (make run starts
# one beside the web server; production runs one or more worker processes, README). A broker
# backend can replace this one by changing TASKS alone.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Webhooks for partners (issue 14) ------------------------------------------------------
# Deliveries are tasks, retried with backoff (WEBHOOK_RETRY_DELAYS seconds after each failed
# attempt; given up after the last). HTTPS only, never to a private address; plain HTTP to a
# loopback address only where WEBHOOK_ALLOW_LOOPBACK is on (tests' local receiver).
# The address partners' events point at (the API's own base URL as they reach it).
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
WEBHOOK_RETRY_DELAYS = [30, 120, 600, 3600, 6 * 3600]
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)
WEBHOOK_ALLOW_LOOPBACK = env.bool("WEBHOOK_ALLOW_LOOPBACK", default=False)

# --- Messages to people and staff through GOV.UK Notify (issue 18) --------------------------
# Without a key (demo, development) nothing leaves: messages go to the outbox that
# administrators read in the app (notifications:outbox). Each template is a plain one whose
# personalisation carries the text: SMS "((body))"; email subject "((subject))", body
# "((body))". Receipts arrive at /notify/callback/ with `Authorization: Bearer
# NOTIFY_CALLBACK_TOKEN` (set the same token in Notify's callback settings).
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
NOTIFY_CALLBACK_TOKEN = env.str("NOTIFY_CALLBACK_TOKEN", default="")
NOTIFY_TEMPLATE_SMS = env.str("NOTIFY_TEMPLATE_SMS", default="")
NOTIFY_TEMPLATE_EMAIL = env.str("NOTIFY_TEMPLATE_EMAIL", default="")
# Notify's default limit per key is 3,000 a minute; every sender together stays under it.
NOTIFY_RATE_PER_MINUTE = env.int("NOTIFY_RATE_PER_MINUTE", default=3000)
NOTIFY_TIMEOUT_SECONDS = env.int("NOTIFY_TIMEOUT_SECONDS", default=10)
# Seconds before each retry of a temporary failure (5xx, 429, timeout); given up after the last.
NOTIFY_RETRY_DELAYS = [60, 300, 900, 3600, 6 * 3600]
