"""The one settings module. Every deployment differs only by its environment (.env.example).

Without DATABASE_URL the tracker runs on an embedded SQLite file; without REDIS_URL Celery
tasks run inline once their transaction has committed. Production sets both.
"""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from untoc_tracker.settings.environment import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_proxy_ssl_header,
    env_rate,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false")
    # Only for the embedded development mode; production fails above without a real key.
    SECRET_KEY = "embedded-development-only-not-a-secret"
elif not DEBUG and len(SECRET_KEY) < 50:
    # Signed sessions, tokens and password resets are only as strong as this key.
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too short: give at least 50 random characters, e.g. from "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "untoc_tracker.apps.TrackerConfig",
    "core",
    "states",
    "instruments",
    "reports",
    "focal",
    "alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Answers If-None-Match from the ETag of the answer, be it built or taken from the
    # response cache.
    "django.middleware.http.ConditionalGetMiddleware",
    # The language of the request (core/languages.py: Django's LocaleMiddleware, choosing by
    # URL prefix, the API's `lang` and Accept-Language, the remembered choice), before the
    # response cache, whose keys and stored answers are per language. It needs no session.
    "core.languages.SiteLocaleMiddleware",
    # Anonymous public reads from the cache, before sessions and authentication
    # (core/cache.py), and before the middleware whose work it keeps: the stored headers
    # carry the policy CSPMiddleware wrote, and the bytes GZipMiddleware made, so neither
    # runs again for an answer served from it.
    "core.cache.ResponseCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API answers (none carries a secret of its own: BREACH) travel gzipped to
    # clients that accept it.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed a second factor (focal points).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # The site's own 404 in every mode, not Django's debug page listing the routes.
    "core.notfound.SiteNotFoundMiddleware",
    # Last: turns a login refused for too many failures into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "untoc_tracker.urls"
WSGI_APPLICATION = "untoc_tracker.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env_database(
        "DATABASE_URL",
        default={
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
        },
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a concurrent writer instead of failing at once with "database is locked";
    # and take the write lock when a transaction begins: a transaction that read first could
    # not wait for it (SQLite would deadlock), so two editors saving at once got an error.
    # Connections persist as on PostgreSQL: opening one costs SQLite more than a page's
    # query (1.3 ms against 0.6 ms, bench/README.md), and in autocommit it holds no lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
else:
    # An unreachable database fails a request (and /healthz) in seconds instead of hanging.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English keeps the British formats it always had (dates, numbers, input formats); the site
# names it "en" (core/languages.py). The other five OSCE languages have URL prefixes.
LANGUAGE_CODE = "en-gb"
# Each language named in itself, for the language switch.
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The remembered choice: a year, sent over HTTPS only in production, never read by scripts.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# The message catalogues (makemessages writes them here; they are compiled, not kept compiled).
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as the depositary writes them (untoc_tracker/formats/en/formats.py); every
# other language keeps Django's own formats.
FORMAT_MODULE_PATH = ["untoc_tracker.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# In development whitenoise serves straight from the static folders; production serves the
# collected, compressed, content-hashed files.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "admin:login"
# Where a login goes when its `next` is missing or points off the site (Django's default,
# /accounts/profile/, is no page here): the back office, which only staff sign in to.
LOGIN_REDIRECT_URL = "admin:index"

# Focal points (focal/): a State's own notifications, signed in with a second factor.
# Their attachments are kept outside the web root, served only to those allowed.
FOCAL_ATTACHMENTS_ROOT = Path(
    env_str("FOCAL_ATTACHMENTS_ROOT") or BASE_DIR / "private" / "focal-attachments"
)
# Days an invitation link works.
FOCAL_INVITATION_DAYS = env_int("FOCAL_INVITATION_DAYS", 7, minimum=1)
# The name an authenticator app shows beside a focal point's code.
OTP_TOTP_ISSUER = "UNTOC Tracker"

# History is read-only: a revert from the history page would bypass the services' rules.
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Backing services: Redis, Celery and its schedule, the cache, e-mail (services.py) ----
from untoc_tracker.settings.services import *  # noqa: E402, F403

# The beat schedule's hours are in the site's time zone.
CELERY_TIMEZONE = TIME_ZONE
# Webhooks (alerts/webhooks.py): endpoints must be https and public; plain http only in the
# embedded development mode (DEBUG), loopback addresses only in the test settings.
WEBHOOKS_ALLOW_HTTP = DEBUG
WEBHOOKS_ALLOW_LOOPBACK = False
# The CA bundle (a PEM file) a receiver's certificate must chain to; empty: the system's store.
WEBHOOKS_CA_CERTS = env_str("WEBHOOKS_CA_CERTS")
if WEBHOOKS_CA_CERTS and not Path(WEBHOOKS_CA_CERTS).is_file():
    raise ImproperlyConfigured(f"WEBHOOKS_CA_CERTS={WEBHOOKS_CA_CERTS!r} is not a file")
# How long one attempt holds its delivery: after it, a delivery a lost worker left is tried
# again, with the same event id. Above the longest attempt (3 s to connect, 5 s to read), or
# a slow receiver would get a live attempt twice; below CELERY_VISIBILITY_TIMEOUT, so the
# task the broker hands out again finds the delivery free (checked at start-up: alerts/checks.py).
WEBHOOKS_LEASE_SECONDS = env_int("WEBHOOKS_LEASE_SECONDS", 120, minimum=10)

# --- REST framework -----------------------------------------------------------------------
# The API's shared machinery lives in core/rest/ (errors, parameters, ETags, exports).
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "core.rest.schema.AutoSchema",
    # Token first: its WWW-Authenticate header makes "not signed in" a 401 rather than a 403.
    # No Basic authentication: passwords are not sent with every request.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "core.rest.permissions.ReadsPublicWritesByPermission",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.rest.parsers.StrictJSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": ("core.rest.negotiation.StrictFormatNegotiation"),
    "EXCEPTION_HANDLER": "core.rest.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["core.rest.throttling.AnonymousThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env_rate("API_ANON_THROTTLE_RATE", "120/minute")},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# API tokens (django-rest-knox, core/rest/auth.py): each login makes a new token, stored as a
# hash, named by its owner, ending after API_TOKEN_TTL_DAYS; sent as `Authorization: Token ...`.
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30, minimum=1)
KNOX_TOKEN_MODEL = "core.ApiToken"
REST_KNOX = {
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "UNTOC Tracker API",
    "DESCRIPTION": (
        "Status of the UN Convention against Transnational Organized Crime and its Protocols "
        "for every participant, with treaty actions, declarations and obligations."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Without deep links Swagger UI draws each operation's path as text, not as a link inside
    # the operation's button (a link in a button is a nested control: axe's nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    # Three models have a field named "kind"; each choice set gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "ParticipantKindEnum": "states.models.Participant.Kind",
        "ActionKindEnum": "instruments.models.TreatyAction.Kind",
        "DeclarationKindEnum": "instruments.models.Declaration.Kind",
        "EventKindEnum": "core.models.Event.Kind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Failed logins and lockouts are warnings; the rest of django-axes' news is chatter.
        "axes": {"level": "WARNING"},
    },
}

# --- Security -----------------------------------------------------------------------------
# Production is HTTPS only, normally behind a proxy that terminates TLS and says so in a header
# (DJANGO_SECURE_PROXY_SSL_HEADER). `manage.py check --deploy` passes on the production values
# of .env.example (tests/test_deployment.py runs it).
HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("DJANGO_SECURE_PROXY_SSL_HEADER")
SECURE_SSL_REDIRECT = HTTPS
# A load balancer's health check may speak plain HTTP to the web process.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
# Scripts never read the CSRF cookie: forms carry the token, and the API docs get it in their
# init script.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Only staff sign in. A session ends after 30 minutes without a request; each request starts
# the 30 minutes again.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True

# Every page, the back office and the API docs run with scripts and styles from this site's
# own static files only: no inline script, no plugin, never framed.
HISTORY_PAGE_STYLE_SHA256 = "XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM="  # "border-top: 0"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # The one inline style in use: django-simple-history's history page writes
        # style="border-top: 0". Its hash admits that attribute value and nothing else
        # ('unsafe-hashes' lets a hash cover a style attribute; scripts get no such leave).
        "style-src": [SELF, "'unsafe-hashes'", f"'sha256-{HISTORY_PAGE_STYLE_SHA256}'"],
        # Swagger UI's and the back office's stylesheets draw icons from data: URIs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login brute force (django-axes, core/security.py): 5 failed logins for one username from one
# address lock that pair out for 15 minutes; 20 from one address across usernames (password
# spraying) lock the address out. On the back-office login and the API's token login alike.
# Tries made while locked out do not extend the lock.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "core.security.LoginLockHandler"
AXES_FAILURE_LIMIT = 5
LOGIN_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)
# In this order: the handler gives each its own limit.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Administrators can review every failed login (the last 1000 per username) in the back office.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.security.client_address"
# How many proxies in front of the web process append to X-Forwarded-For; 0 reads the
# address of the connection itself (a client could write X-Forwarded-For to dodge the lock).
# The login lock and the anonymous API throttle both count by this reading
# (core.security.client_address; why not axes' ipware settings: README, "Where things live").
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
