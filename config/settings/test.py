"""Test suite settings: `make test` (SQLite by default, DATABASE_URL=postgres://... for PostgreSQL)."""

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

# Fast hashing: tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
HUEY = {"huey_class": "huey.MemoryHuey", "name": "inclusion-test", "immediate": True, "results": False}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default="test_inclusion")}
# Rate limits have their own tests (tests/utils/test_ratelimit.py); the rest of the suite sends many requests.
RATE_LIMITS_ENABLED = False
# Searches read fresh results in each test; tests/search/test_cache.py turns the cache on.
SEARCH_CACHE_SECONDS = 0
