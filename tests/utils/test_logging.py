"""Structured logs (platform_rules.md §9, docs/operations.md): the JSON lines, the request id, one line per request."""

import datetime
import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.urls import reverse

from inclusion.utils.logging import JsonFormatter, request_id_var
from tests.users.factories import JobSeekerFactory

ROOT = Path(__file__).resolve().parents[2]
NIR = "180077508812345"


def record(message="Import terminé : %d lignes", args=(3,), level=logging.INFO, **extra):
    entry = logging.LogRecord("inclusion.jobs", level, __file__, 10, message, args, None)
    entry.__dict__.update(extra)
    return entry


def formatted(entry):
    line = JsonFormatter().format(entry)
    assert "\n" not in line
    return json.loads(line)


# The JSON formatter --------------------------------------------------------------------------------------------------


def test_a_line_has_the_time_in_utc_the_level_the_logger_and_the_message():
    entry = record()
    entry.created = datetime.datetime(2026, 3, 10, 12, 30, 5, 250000, tzinfo=datetime.UTC).timestamp()
    assert formatted(entry) == {
        "time": "2026-03-10T12:30:05.250+00:00",
        "level": "INFO",
        "logger": "inclusion.jobs",
        "message": "Import terminé : 3 lignes",
        "request_id": None,
    }


def test_plain_values_given_in_extra_are_fields_objects_are_left_out():
    class Request:
        def __str__(self):
            return f"<WSGIRequest: GET '/recherche/?nir={NIR}'>"

    line = formatted(record(rows=3, job="import", dry_run=True, ratio=0.5, user_id=None, request=Request()))
    assert {key: line[key] for key in ["rows", "job", "dry_run", "ratio", "user_id"]} == {
        "rows": 3,
        "job": "import",
        "dry_run": True,
        "ratio": 0.5,
        "user_id": None,
    }
    assert "request" not in line
    assert NIR not in json.dumps(line)


def test_an_extra_field_cannot_replace_a_base_field():
    line = formatted(record(time="forged", request_id="forged"))
    assert line["time"] != "forged" and line["request_id"] is None


def test_an_exception_stays_on_the_same_line():
    try:
        raise ValueError("première ligne\nseconde ligne")
    except ValueError:
        entry = logging.LogRecord("inclusion", logging.ERROR, __file__, 1, "Échec", (), sys.exc_info())
    line = formatted(entry)
    assert line["level"] == "ERROR"
    assert "Traceback" in line["exception"] and "seconde ligne" in line["exception"]


def test_the_request_id_of_the_current_request_is_on_every_line():
    token = request_id_var.set("abc-123")
    try:
        assert formatted(record())["request_id"] == "abc-123"
    finally:
        request_id_var.reset(token)
    assert formatted(record())["request_id"] is None


# The request middleware ----------------------------------------------------------------------------------------------


class JsonLines(logging.Handler):
    """Formats each record when it is emitted, while the request id of its request is current."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.lines = []

    def emit(self, record):
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def json_lines():
    handler = JsonLines()
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield handler.lines
    root.removeHandler(handler)
    root.setLevel(previous_level)


def request_lines(lines):
    return [line for line in lines if line["logger"] == "inclusion.request"]


@pytest.mark.django_db
def test_one_line_per_request_without_the_query_string(client, json_lines):
    response = client.get(reverse("search_companies"), {"city_name": "Lyon", "nir": NIR})
    [line] = request_lines(json_lines)
    assert line["method"] == "GET"
    assert line["path"] == reverse("search_companies")
    assert line["status"] == 200
    assert line["message"] == f"GET {reverse('search_companies')} 200"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["user_id"] is None
    assert line["request_id"] == response["X-Request-ID"]
    assert NIR not in json.dumps(json_lines)


@pytest.mark.django_db
def test_a_logged_in_user_is_logged_by_id_only(client, json_lines):
    user = JobSeekerFactory(first_name="Camille", last_name="Martin", email="camille.martin@example.com")
    client.force_login(user)
    client.get(reverse("accessibility"))
    [line] = request_lines(json_lines)
    assert line["user_id"] == user.pk
    assert "camille" not in json.dumps(line).lower() and "martin" not in json.dumps(line).lower()


@pytest.mark.django_db
def test_the_logs_of_a_request_share_its_id(client, json_lines):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    [not_found] = [line for line in json_lines if line["logger"] == "django.request"]
    [line] = request_lines(json_lines)
    assert not_found["request_id"] == line["request_id"] == response["X-Request-ID"]
    assert line["status"] == 404
    assert request_id_var.get() is None  # nothing leaks to what runs after the request


@pytest.mark.django_db
def test_each_request_gets_a_new_id(client):
    first, second = client.get(reverse("home"))["X-Request-ID"], client.get(reverse("home"))["X-Request-ID"]
    assert first != second
    assert uuid.UUID(first).version == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    "incoming,kept",
    [
        ("a" * 64, True),
        ("f0e1d2c3-b4a5-4697-8899-aabbccddeeff", True),
        ("req_01HV.abc-DEF", True),
        ("a" * 65, False),
        ("", False),
        ("abc def", False),
        ('abc"}, {"forged": true', False),
        ("é" * 10, False),
    ],
)
def test_a_valid_incoming_request_id_is_kept(client, json_lines, incoming, kept):
    response = client.get(reverse("home"), headers={"X-Request-ID": incoming})
    assert (response["X-Request-ID"] == incoming) is kept
    [line] = request_lines(json_lines)
    assert line["request_id"] == response["X-Request-ID"]


# LOG_FORMAT ----------------------------------------------------------------------------------------------------------


def console_formatter(settings_module, **environ):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.LOGGING['handlers']['console']['formatter'])"
    )
    env = {name: value for name, value in os.environ.items() if name != "LOG_FORMAT"}
    env.update(DJANGO_SETTINGS_MODULE=settings_module, SECRET_KEY="s" * 50, ALLOWED_HOSTS="emplois.example.org")
    env.update(environ)
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize(
    "settings_module,environ,expected",
    [
        ("config.settings.prod", {}, "json"),
        ("config.settings.prod", {"LOG_FORMAT": "plain"}, "plain"),
        ("config.settings.dev", {}, "plain"),
        ("config.settings.dev", {"LOG_FORMAT": "json"}, "json"),
    ],
)
def test_log_format(settings_module, environ, expected):
    result = console_formatter(settings_module, **environ)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_an_unknown_log_format_is_refused_in_french():
    result = console_formatter("config.settings.prod", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT doit valoir « plain » ou « json », pas « xml »." in result.stderr
