"""Sessions (platform_rules.md §3): server-side, HttpOnly cookie, expire at browser close and after 7 days at most;
a weekly job shortens every active session to one hour."""

import datetime
from importlib import import_module
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse

from inclusion.users import sessions, tasks
from tests.users.factories import DEFAULT_PASSWORD, JobSeekerFactory

NOW = datetime.datetime(2026, 3, 9, 4, 0, tzinfo=datetime.UTC)  # Monday 05:00 in Paris
PAGE = reverse("notification_settings")


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def logged_in(client):
    return client.get(PAGE).status_code == 200


def login_and_browse(client):
    """Logged in, and one page seen: the session holds its CSRF token, and further pages leave it unchanged (a page
    that changes the session saves it with a full lifetime, as Django does)."""
    client.force_login(JobSeekerFactory())
    assert logged_in(client)


class TestLoginSession:
    def test_the_cookie_is_http_only_and_ends_with_the_browser(self, client, db):
        user = JobSeekerFactory()
        response = client.post(reverse("login"), {"username": user.email, "password": DEFAULT_PASSWORD})
        cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        assert cookie["httponly"] is True
        assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
        assert Session.objects.get().expire_date == NOW + datetime.timedelta(days=7)

    def test_a_session_lasts_7_days_at_most(self, client, db, frozen_time):
        login_and_browse(client)
        frozen_time.shift(datetime.timedelta(days=7) - datetime.timedelta(seconds=1))
        assert logged_in(client)
        frozen_time.shift(datetime.timedelta(seconds=1))
        assert client.get(PAGE)["Location"].startswith(reverse("login"))


def session_expiring_in(delta):
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["marker"] = str(delta)
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=NOW + delta)
    return store.session_key


def expire_date(session_key):
    return Session.objects.get(session_key=session_key).expire_date


class TestShortenActiveSessions:
    @pytest.fixture
    def keys(self, db):
        return {
            "7 days": session_expiring_in(datetime.timedelta(days=7)),
            "1 hour 1 second": session_expiring_in(datetime.timedelta(hours=1, seconds=1)),
            "1 hour": session_expiring_in(datetime.timedelta(hours=1)),
            "30 minutes": session_expiring_in(datetime.timedelta(minutes=30)),
            "expired": session_expiring_in(-datetime.timedelta(minutes=1)),
        }

    def test_every_session_ends_within_the_hour(self, keys):
        assert sessions.shorten_active_sessions(dry_run=False) == 2
        in_one_hour = NOW + datetime.timedelta(hours=1)
        assert expire_date(keys["7 days"]) == in_one_hour
        assert expire_date(keys["1 hour 1 second"]) == in_one_hour
        assert expire_date(keys["1 hour"]) == in_one_hour
        assert expire_date(keys["30 minutes"]) == NOW + datetime.timedelta(minutes=30)
        assert expire_date(keys["expired"]) == NOW - datetime.timedelta(minutes=1)

    def test_people_at_work_carry_on_for_an_hour_the_others_log_in_again(self, client, db, frozen_time):
        login_and_browse(client)
        sessions.shorten_active_sessions(dry_run=False)
        frozen_time.shift(datetime.timedelta(minutes=59, seconds=59))
        assert logged_in(client)
        frozen_time.shift(datetime.timedelta(seconds=1))
        assert not logged_in(client)

    def test_the_cached_copies_are_forgotten(self, db, settings, frozen_time):
        """The cached_db engine (production) reads the cache first: the new expiry date must win there too."""
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
        cached_db = import_module(settings.SESSION_ENGINE)
        store = cached_db.SessionStore()
        store["marker"] = "in the cache"
        store.create()
        assert caches[settings.SESSION_CACHE_ALIAS].get(store.cache_key) is not None

        assert sessions.shorten_active_sessions(dry_run=False) == 1
        assert caches[settings.SESSION_CACHE_ALIAS].get(store.cache_key) is None
        frozen_time.shift(datetime.timedelta(minutes=59))
        assert cached_db.SessionStore(store.session_key).load() == {"marker": "in the cache"}
        frozen_time.shift(datetime.timedelta(minutes=1))
        assert cached_db.SessionStore(store.session_key).load() == {}

    def test_command_dry_run(self, keys):
        out = StringIO()
        call_command("shorten_active_sessions", stdout=out)
        assert "Simulation : 2 session(s) à raccourcir, rien n'a changé." in out.getvalue()
        assert expire_date(keys["7 days"]) == NOW + datetime.timedelta(days=7)

    def test_command_wet_run_twice(self, keys):
        out = StringIO()
        call_command("shorten_active_sessions", "--wet-run", stdout=out)
        assert "2 session(s) raccourcie(s) à une heure." in out.getvalue()
        out = StringIO()
        call_command("shorten_active_sessions", "--wet-run", stdout=out)
        assert "Aucune session à raccourcir." in out.getvalue()

    def test_periodic_task_applies(self, keys):
        assert tasks.shorten_active_sessions_task.call_local() == 2
        assert expire_date(keys["7 days"]) == NOW + datetime.timedelta(hours=1)

    @pytest.mark.parametrize(
        "utc,runs",
        [
            (datetime.datetime(2026, 3, 9, 4, 0), True),  # Monday 05:00 in winter (UTC+1)
            (datetime.datetime(2026, 7, 13, 3, 0), True),  # Monday 05:00 in summer (UTC+2)
            (datetime.datetime(2026, 3, 9, 5, 0), False),  # Monday 06:00 in winter
            (datetime.datetime(2026, 3, 10, 4, 0), False),  # Tuesday 05:00
            (datetime.datetime(2026, 3, 9, 4, 1), False),  # Monday 05:01
        ],
    )
    def test_weekly_on_monday_at_5_paris_time(self, utc, runs):
        assert tasks.SHORTEN_SESSIONS_SCHEDULE(utc) is runs
