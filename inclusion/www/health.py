"""Health check for the load balancer and the monitoring (platform_rules.md §4): GET /sante/.

Each probe touches one service the app servers need and is bounded by a short timeout (the connection settings of
config/settings/base.py, or PROBE_TIMEOUT_SECONDS below), so that a service that stops answering shows as an error
within seconds. The answer says which service fails, never why: the reason is logged, it may name hosts or accounts.
"""

import logging
import time
import uuid

import redis
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.http import JsonResponse
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage

from inclusion.www.views import public_page

logger = logging.getLogger(__name__)

PROBE_TIMEOUT_SECONDS = 2


def probe_database():
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # SET takes no bind parameter; the value is our own integer.
            cursor.execute(f"SET LOCAL statement_timeout = {int(PROBE_TIMEOUT_SECONDS * 1000)}")
        cursor.execute("SELECT 1")
        cursor.fetchone()


def probe_cache():
    key = f"health-check:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=30)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not give back the value just written")
    cache.delete(key)


def probe_queue():
    """Pings the Redis of the task queue; a queue that runs tasks in the calling process has nothing to ping."""
    if HUEY.immediate or not isinstance(HUEY.storage, RedisStorage):
        return {"mode": "immédiat"}
    # A client of its own, with timeouts: the queue's connections wait without limit for the consumer's sake.
    pool = HUEY.storage.conn.connection_pool
    client = redis.Redis(
        connection_pool=redis.ConnectionPool(
            connection_class=pool.connection_class,
            **{
                **pool.connection_kwargs,
                "socket_connect_timeout": PROBE_TIMEOUT_SECONDS,
                "socket_timeout": PROBE_TIMEOUT_SECONDS,
            },
        )
    )
    try:
        client.ping()
    finally:
        client.connection_pool.disconnect()
    return {"mode": "redis"}


def probe_storage():
    # Any key will do: the question is whether the storage answers, not whether the file exists.
    default_storage.exists(f"health-check/{uuid.uuid4().hex}")


PROBES = {
    "database": probe_database,
    "cache": probe_cache,
    "queue": probe_queue,
    "storage": probe_storage,
}


def run_probe(name, probe):
    started = time.perf_counter()
    try:
        details = probe() or {}
        ok = True
    except Exception:
        logger.exception("Health check: the %s probe failed", name)
        details, ok = {}, False
    return {"ok": ok, "ms": round((time.perf_counter() - started) * 1000, 1), **details}


@public_page
def health_check(request):
    checks = {name: run_probe(name, probe) for name, probe in PROBES.items()}
    healthy = all(check["ok"] for check in checks.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "erreur", "checks": checks},
        status=200 if healthy else 503,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "no-store"  # a cached "ok" would hide an outage
    return response
