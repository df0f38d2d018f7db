"""The benchmark's server (make bench, docs/performance.md): production settings on plain HTTP over loopback.

Everything a production request costs stays (DEBUG off, WhiteNoise, cached sessions in Redis, JSON logs, CSP, the
audit trail, statement timeouts); only what loopback cannot do is changed: no HTTPS redirect, no rate limit (one
address sends every request), and the benchmark's floor page is served.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-" + "0123456789abcdefghijklmnopqrstuvwxyz0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")

from .prod import *  # noqa: E402, F403

ROOT_URLCONF = "inclusion.bench.urls"
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
RATE_LIMITS_ENABLED = False
