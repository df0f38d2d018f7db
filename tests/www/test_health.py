"""The health check of the load balancer (platform_rules.md §4): each service probed, bounded in time, and the reason
of a failure logged but never shown."""

import json
import logging
import socket
import time

import pytest
import redis
from django.db import OperationalError
from django.urls import reverse
from huey import RedisHuey

from inclusion.www import health

pytestmark = pytest.mark.django_db

URL = reverse("health_check")
SECRET = "mot-de-passe-secret@db-interne.example"


def answer(client):
    response = client.get(URL)
    return response, json.loads(response.content)


@pytest.fixture
def closed_port():
    """A local port nobody listens on: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_port():
    """A local port that accepts connections and never answers: only a timeout ends the wait."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield server.getsockname()[1]
    server.close()


def redis_cache(settings, port):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


def failed_checks(body):
    return sorted(name for name, check in body["checks"].items() if not check["ok"])


def test_everything_answers(client):
    response, body = answer(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert body["status"] == "ok"
    assert list(body["checks"]) == ["database", "cache", "queue", "storage"]
    for check in body["checks"].values():
        assert check["ok"] is True
        assert isinstance(check["ms"], float) and 0 <= check["ms"] < 2000
    # The test settings run the tasks in the calling process: no queue to ping.
    assert body["checks"]["queue"]["mode"] == "immédiat"


def test_anonymous_without_cookies_and_head(client):
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405


def assert_only_failing(client, caplog, name):
    """The check fails alone, the answer is a 503 that does not tell why, and the reason is in the logs."""
    with caplog.at_level(logging.ERROR, logger="inclusion.www.health"):
        response, body = answer(client)
    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    assert body["status"] == "erreur"
    assert failed_checks(body) == [name]
    assert set(body["checks"][name]) == {"ok", "ms"}
    assert SECRET not in response.content.decode()
    [record] = [record for record in caplog.records if record.name == "inclusion.www.health"]
    assert record.getMessage() == f"Health check: the {name} probe failed"
    assert record.exc_info is not None
    return body


def test_the_database_fails(client, caplog, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError(f"connection to server at {SECRET} failed")

    monkeypatch.setattr(health.connection, "cursor", refused)
    assert_only_failing(client, caplog, "database")
    assert SECRET in caplog.text


def test_the_cache_is_unreachable(client, caplog, settings, closed_port):
    redis_cache(settings, closed_port)
    assert_only_failing(client, caplog, "cache")


def test_a_cache_that_hangs_fails_after_its_socket_timeout(client, caplog, settings, silent_port):
    redis_cache(settings, silent_port)
    started = time.perf_counter()
    body = assert_only_failing(client, caplog, "cache")
    assert 200 <= body["checks"]["cache"]["ms"] < 1500
    assert time.perf_counter() - started < 3


def test_a_cache_that_loses_what_it_was_given(client, caplog, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert_only_failing(client, caplog, "cache")


def redis_queue(monkeypatch, port):
    monkeypatch.setattr(health, "HUEY", RedisHuey("inclusion-test", url=f"redis://127.0.0.1:{port}/0"))


def test_a_redis_queue_is_pinged(client, monkeypatch, closed_port):
    pinged = []
    monkeypatch.setattr(redis.Redis, "ping", lambda self: pinged.append(self.connection_pool.connection_kwargs))
    redis_queue(monkeypatch, closed_port)
    response, body = answer(client)
    assert response.status_code == 200
    assert body["checks"]["queue"] == {"ok": True, "ms": body["checks"]["queue"]["ms"], "mode": "redis"}
    [kwargs] = pinged
    assert kwargs["port"] == closed_port
    assert kwargs["socket_timeout"] == kwargs["socket_connect_timeout"] == health.PROBE_TIMEOUT_SECONDS


def test_the_queue_is_unreachable(client, caplog, monkeypatch, closed_port):
    redis_queue(monkeypatch, closed_port)
    assert_only_failing(client, caplog, "queue")


def test_a_queue_that_hangs_fails_after_the_probe_timeout(client, caplog, monkeypatch, silent_port):
    monkeypatch.setattr(health, "PROBE_TIMEOUT_SECONDS", 0.2)
    redis_queue(monkeypatch, silent_port)
    body = assert_only_failing(client, caplog, "queue")
    assert 200 <= body["checks"]["queue"]["ms"] < 1500


def test_the_storage_fails(client, caplog, monkeypatch):
    def unreachable(name):
        raise OSError(f"Could not connect to the endpoint URL: https://{SECRET}/bucket/{name}")

    monkeypatch.setattr(health.default_storage, "exists", unreachable)
    assert_only_failing(client, caplog, "storage")


def test_several_failures_are_all_reported(client, settings, monkeypatch, closed_port):
    redis_cache(settings, closed_port)
    redis_queue(monkeypatch, closed_port)
    response, body = answer(client)
    assert response.status_code == 503
    assert failed_checks(body) == ["cache", "queue"]
