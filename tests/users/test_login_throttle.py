"""Ten failed logins in a row from one address are throttled for 15 minutes (issue 6, platform_rules.md §5)."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from inclusion.utils import ratelimit
from tests.users.factories import DEFAULT_PASSWORD, JobSeekerFactory, StaffFactory
from tests.utils.broken_cache import BrokenCache

NOW = datetime.datetime(2026, 3, 10, 9, 0, 0, tzinfo=datetime.UTC)
LOGIN_URL = reverse("login")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def user(db):
    return JobSeekerFactory(email="sophie@example.com")


def attempt(client, password, *, email="sophie@example.com", **headers):
    return client.post(LOGIN_URL, {"username": email, "password": password}, **headers)


def fail(client, times, **headers):
    for _ in range(times):
        response = attempt(client, "mauvais-mot-de-passe", **headers)
        assert response.status_code == 200, "the failures before the limit get the form and its error"
        assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()


def logged_in(client):
    return "_auth_user_id" in client.session


def test_nine_failures_then_the_right_password(client, user):
    fail(client, 9)
    assert attempt(client, DEFAULT_PASSWORD)["Location"] == reverse("dashboard")
    assert logged_in(client)


def test_ten_failures_then_even_the_right_password_waits_15_minutes(client, user):
    fail(client, 10)
    response = attempt(client, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    page = response.content.decode()
    assert "<h1>Trop de tentatives de connexion</h1>" in page
    assert "10 connexions ont échoué de suite depuis votre adresse" in page
    assert "Réessayez dans 15 minutes." in page
    assert not logged_in(client)


def test_the_block_ends_after_15_minutes(client, user, frozen_time):
    fail(client, 10)
    frozen_time.shift(datetime.timedelta(minutes=15) - datetime.timedelta(seconds=1))
    response = attempt(client, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    assert "Réessayez dans 1 seconde." in response.content.decode()
    frozen_time.shift(datetime.timedelta(seconds=1))
    assert attempt(client, DEFAULT_PASSWORD)["Location"] == reverse("dashboard")


def test_after_the_block_the_count_starts_again(client, user, frozen_time):
    fail(client, 10)
    frozen_time.shift(datetime.timedelta(minutes=15))
    fail(client, 9)
    assert attempt(client, DEFAULT_PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, user):
    fail(client, 9)
    attempt(client, DEFAULT_PASSWORD)
    client.post(reverse("logout"))
    fail(client, 9)
    assert attempt(client, DEFAULT_PASSWORD).status_code == 302


def test_failures_are_forgotten_15_minutes_after_the_last_one(client, user, frozen_time):
    fail(client, 9)
    frozen_time.shift(datetime.timedelta(minutes=15) - datetime.timedelta(seconds=1))
    fail(client, 1)  # the tenth in a row
    assert attempt(client, DEFAULT_PASSWORD).status_code == 429

    frozen_time.shift(datetime.timedelta(minutes=15))
    fail(client, 9)
    frozen_time.shift(datetime.timedelta(minutes=15))
    fail(client, 1)  # the first of a new series
    assert attempt(client, DEFAULT_PASSWORD).status_code == 302


def test_another_address_is_not_affected(client, user):
    fail(client, 10)
    assert attempt(client, DEFAULT_PASSWORD, REMOTE_ADDR="192.0.2.7")["Location"] == reverse("dashboard")


def test_any_account_counts_from_one_address(client, user):
    """The throttle slows down guessing across many accounts, not only one."""
    for n in range(10):
        attempt(client, "mauvais-mot-de-passe", email=f"inconnu{n}@example.com")
    assert attempt(client, DEFAULT_PASSWORD).status_code == 429


def test_behind_a_proxy_the_client_address_counts(client, user, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    fail(client, 10, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert attempt(client, DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 429
    # A header written by the client does not change the address counted.
    spoofed = attempt(client, DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5", **proxy)
    assert spoofed.status_code == 429
    assert attempt(client, DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code == 302


@pytest.mark.parametrize("email", ["pas-une-adresse", ""])
def test_malformed_forms_are_not_guesses(client, user, email):
    for _ in range(12):
        client.post(LOGIN_URL, {"username": email, "password": "x"})
    assert attempt(client, DEFAULT_PASSWORD).status_code == 302


def test_the_admin_login_is_no_way_around(client, db):
    staff = StaffFactory(email="support@example.com")
    fail(client, 10, email=staff.email)
    response = client.post(reverse("admin:login"), {"username": staff.email, "password": DEFAULT_PASSWORD})
    assert response["Location"].startswith(LOGIN_URL)
    assert not logged_in(client)
    assert attempt(client, DEFAULT_PASSWORD, email=staff.email).status_code == 429


def test_the_throttle_is_on_even_when_rate_limits_are_off(client, user, settings):
    settings.RATE_LIMITS_ENABLED = False
    fail(client, 10)
    assert attempt(client, DEFAULT_PASSWORD).status_code == 429


def test_a_cache_outage_never_prevents_logging_in(client, user, monkeypatch, caplog):
    monkeypatch.setattr(ratelimit, "cache", BrokenCache())
    for _ in range(11):
        attempt(client, "mauvais-mot-de-passe")
    assert attempt(client, DEFAULT_PASSWORD)["Location"] == reverse("dashboard")
    assert "Login throttle not applied: the cache is unavailable" in caplog.text
    assert "Login failure not counted: the cache is unavailable" in caplog.text
    assert "Login failures not reset: the cache is unavailable" in caplog.text
