"""Helpers of the robustness tests: per-example rollback, frozen days, and what a page must look like."""

import contextlib
import datetime
import zoneinfo

import time_machine
from django.db import transaction
from hypothesis import settings

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# The max_examples of the "robust" profile (conftest.py).
DEFAULT_PROFILE_EXAMPLES = 60


@contextlib.contextmanager
def rolled_back():
    """Runs one hypothesis example in a savepoint rolled back at the end: the examples of a test share one world
    (built once by the test's fixtures) without seeing each other's writes."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@contextlib.contextmanager
def frozen_on(day, at=datetime.time(12)):
    """Today is `day` in Europe/Paris (at noon unless told), for the rules and for the default timestamps."""
    with time_machine.travel(datetime.datetime.combine(day, at, tzinfo=PARIS), tick=False):
        yield


def assert_french_page(response, *, allowed=(200, 302, 400, 403, 404, 405)):
    """Never a server error; an HTML page is in French (`lang="fr"`), and an error page says what went wrong."""
    assert response.status_code in allowed, response.status_code
    if response.status_code == 302:
        return
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/html"):
        html = response.content.decode()
        assert 'lang="fr"' in html
    if response.status_code == 400:
        assert "Requête incorrecte" in html or "requête" in html.lower()


def examples(count):
    """`@settings` of a test whose examples render pages or write rows: `count` examples in the default profile
    ("robust", 60 for the quick properties), proportionally more in "robust-deep"."""
    return settings(max_examples=max(1, count * settings.default.max_examples // DEFAULT_PROFILE_EXAMPLES))
