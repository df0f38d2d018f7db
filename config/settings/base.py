"""Settings shared by every environment, read from environment variables (see .env.example)."""

from pathlib import Path

import environ
from botocore.config import Config as BotocoreConfig
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "csp",
    "dsfr",
    "widget_tweaks",
    "django_htmx",
    "huey.contrib.djhuey",
    "inclusion.utils",
    "inclusion.geo",
    "inclusion.jobs",
    "inclusion.users",
    "inclusion.organizations",
    "inclusion.companies",
    "inclusion.prescribers",
    "inclusion.institutions",
    "inclusion.eligibility",
    "inclusion.approvals",
    "inclusion.applications",
    "inclusion.notifications",
    "inclusion.search",
    "inclusion.www",
    "inclusion.audit",
    "inclusion.bench",
]

MIDDLEWARE = [
    # First: the request id reaches every log line, and the logged duration covers the whole stack.
    "inclusion.utils.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Early: the nonce exists for any middleware that renders a page (429, second factor...).
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "inclusion.utils.security.PrivateCacheMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "inclusion.users.two_factor.StaffTwoFactorMiddleware",
    "inclusion.utils.ratelimit.RateLimitMiddleware",
    "inclusion.audit.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "inclusion.organizations.middleware.CurrentOrganizationMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "inclusion" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inclusion.utils.context_processors.platform",
                "csp.context_processors.nonce",
            ],
        },
    },
]
FORM_RENDERER = "dsfr.forms.DsfrDjangoTemplates"

# SQLite is the embedded default so that `make run` needs no server; DATABASE_URL=postgres://... switches.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the development server read while a command writes.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # An unreachable server fails in seconds rather than after the system's TCP timeout (health check, requests).
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis in production (REDIS_URL); local memory otherwise.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that stops answering fails a cache call after one second instead of hanging the request.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks: huey on Redis when REDIS_URL is set, otherwise run immediately in the calling process.
HUEY = {
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.MemoryHuey",
    "name": "inclusion",
    "immediate": env.bool("HUEY_IMMEDIATE", default=not REDIS_URL),
    "results": False,
    "utc": True,
}
if REDIS_URL:
    HUEY["connection"] = {"url": REDIS_URL}

AUTH_USER_MODEL = "users.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = ["inclusion.users.backends.EmailBackend"]
# platform_rules.md §3: at least 16 characters and 3 of the 4 character classes.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 16}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "inclusion.users.validators.CharacterClassesValidator"},
]
# platform_rules.md §3: key encrypting the TOTP secrets; derived from SECRET_KEY when empty.
TWO_FACTOR_ENCRYPTION_KEY = env("TWO_FACTOR_ENCRYPTION_KEY", default="")
# platform_rules.md §5: per-IP and per-user request limits (off in the test suite, except in their own tests).
RATE_LIMITS_ENABLED = env.bool("RATE_LIMITS_ENABLED", default=True)
# How many reverse proxies append to X-Forwarded-For in front of the app servers (0: REMOTE_ADDR is the client).
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)
# platform_rules.md §6: files are scanned by clamd when its address is set ("host:port" or a unix socket path).
CLAMD_ADDRESS = env("CLAMD_ADDRESS", default="")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# platform_rules.md §3: server-side sessions, expire at browser close, 7 days at most.
# Public searches keep their results this long (inclusion/search/rules.py `_cached`).
SEARCH_CACHE_SECONDS = env.int("SEARCH_CACHE_SECONDS", default=60)

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 7 * 24 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
CSRF_USE_SESSIONS = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# platform_rules.md §4: security headers in every environment, so that tests and demos run under them
# (HTTPS-only settings are in prod.py). Cache-Control on authenticated pages: inclusion.utils.security.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Scripts and styles come from our own static files and carry the nonce of the response
# (nonce="{{ request.csp_nonce }}"); no style= or on...= attribute anywhere (tests/utils/test_security_headers.py).
# The Django admin needs no exception: its templates load every script from a file ('self'). Only a ModelAdmin with
# both actions_on_top and actions_on_bottom False would print an inline <style> (a cosmetic column width).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],  # the DSFR stylesheet draws some icons as data: SVG images
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": env("CSP_REPORT_URI", default="") or None,
    }
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "inclusion" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Files: S3-compatible object storage when S3_BUCKET_NAME is set, local disk otherwise.
S3_BUCKET_NAME = env("S3_BUCKET_NAME", default="")
if S3_BUCKET_NAME:
    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET_NAME,
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION_NAME", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            # An object storage that stops answering fails in seconds (health check, uploads) instead of a minute.
            "client_config": BotocoreConfig(
                connect_timeout=3, read_timeout=10, retries={"max_attempts": 2, "mode": "standard"}
            ),
        },
    }
else:
    default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Plateforme de l'inclusion <noreply@inclusion.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where requests for the support go (organizations awaiting authorization...).
SUPPORT_EMAIL = env("SUPPORT_EMAIL", default="support@inclusion.localhost")

MESSAGE_TAGS = {10: "info", 20: "info", 25: "success", 30: "warning", 40: "error"}

# Pages served to anonymous visitors must say so explicitly (login_not_required).
DSFR_USE_INTEGRITY_CHECKSUMS = True

# PASS IAE numbering prefix (pass_iae.md): configurable per environment.
PASS_IAE_NUMBER_PREFIX = env("PASS_IAE_NUMBER_PREFIX", default="99999")

# organizations.md §4.1: specimen NIR printed in public documentation, refused everywhere.
NIR_DENYLIST = env.list("NIR_DENYLIST", default=["269054958815780"])


def log_format(default):
    """LOG_FORMAT: "plain" for people, "json" for a log collector (fields described in docs/operations.md)."""
    value = env("LOG_FORMAT", default=default)
    if value not in ("plain", "json"):
        raise ImproperlyConfigured(f"LOG_FORMAT doit valoir « plain » ou « json », pas « {value} ».")
    return value


# Logs go to the standard output, one line per event; prod.py switches the default to JSON.
LOG_FORMAT = log_format(default="plain")
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "inclusion.utils.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # run_huey adds a plain handler of its own to a "huey" logger without handlers: give it ours instead.
        "huey": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # WeasyPrint logs every font and stylesheet it loads at INFO level.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

SITE_NAME = "Plateforme de l'inclusion"
# Links in e-mails sent outside a request (background tasks, commands) start with this address.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
