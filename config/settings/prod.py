"""Production: every secret comes from the environment; nothing falls back to a development value.

`manage.py check --deploy --fail-level WARNING` passes with these settings (.ci/run); the variables are in .env.example
and docs/operations.md.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING, MIDDLEWARE, STORAGES, env, log_format

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY doit être une valeur aléatoire d'au moins 50 caractères en production.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

STORAGES["staticfiles"] = {"BACKEND": "inclusion.utils.static_storage.StaticFilesStorage"}

# HTTPS only (platform_rules.md §4). TLS ends at the load balancer, which must set X-Forwarded-Proto (and overwrite
# any value sent by the client).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The load balancer probes the app servers over plain HTTP: a redirect would read as a failure.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60  # platform_rules.md §4: HSTS one year, subdomains included
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# platform_rules.md §4: a web request may not run a statement longer than 10 s nor wait more than 5 s for a lock.
# Scripts take longer: the huey consumer, cron jobs and `migrate` run with DATABASE_STATEMENT_TIMEOUT=300 and
# DATABASE_LOCK_TIMEOUT=150 (seconds; 0 lifts the limit). Through PgBouncer in transaction mode, which refuses
# start-up options, set them on the database roles instead (docs/operations.md).
DATABASE_STATEMENT_TIMEOUT = env.int("DATABASE_STATEMENT_TIMEOUT", default=10)
DATABASE_LOCK_TIMEOUT = env.int("DATABASE_LOCK_TIMEOUT", default=5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"]["options"] = (
        f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000} -c lock_timeout={DATABASE_LOCK_TIMEOUT * 1000}"
    )

# One JSON object per line on the standard output, for the log collector.
LOG_FORMAT = log_format(default="json")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT

# Static files served by the app servers themselves (compressed, cache-busted names), right after the security
# middleware as WhiteNoise asks.
_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
MIDDLEWARE = [*MIDDLEWARE[: _security + 1], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[_security + 1 :]]
