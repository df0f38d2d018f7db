"""Rate limits of the pages (platform_rules.md §5): 30 requests per minute per IP for anonymous visitors, 60 per
minute per user when logged in; HTTP 429 with Retry-After and a French page beyond; fail open."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import NoReverseMatch, path, reverse

from config import urls as project_urls
from inclusion.utils import ratelimit
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory, StaffFactory
from tests.utils.broken_cache import BrokenCache

# 10 seconds into a one-minute window.
NOW = datetime.datetime(2026, 3, 10, 9, 0, 10, tzinfo=datetime.UTC)


def health_check(request):
    return HttpResponse("ok")


# The project's URLs, with a stand-in health check while the real one (issue 6, operations) is not there.
urlpatterns = list(project_urls.urlpatterns)
try:
    reverse("health_check")
except NoReverseMatch:
    urlpatterns.append(path("sante/", health_check, name="health_check"))


@pytest.fixture(autouse=True)
def rate_limits(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.ROOT_URLCONF = __name__
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def get_many(client, url, count, **headers):
    return [client.get(url, **headers).status_code for _ in range(count)]


class TestAnonymousVisitors:
    def test_the_30th_request_of_a_minute_is_served_the_31st_gets_429(self, client, db):
        assert get_many(client, reverse("home"), 30) == [200] * 30
        response = client.get(reverse("home"))
        assert response.status_code == 429
        assert response["Retry-After"] == "50"
        page = response.content.decode()
        assert "<h1>Trop de requêtes</h1>" in page
        assert "Erreur 429" in page
        assert "Réessayez dans 50 secondes." in page
        assert f'<a class="fr-btn" href="{reverse("home")}">Retour à l\'accueil</a>' in page

    def test_every_page_counts_together(self, client, db):
        get_many(client, reverse("home"), 15)
        get_many(client, reverse("login"), 15)
        assert client.get(reverse("legal_notice")).status_code == 429

    def test_the_next_window_is_served(self, client, db, frozen_time):
        get_many(client, reverse("home"), 31)
        frozen_time.shift(datetime.timedelta(seconds=49))  # 09:00:59, last second of the window
        assert client.get(reverse("home")).status_code == 429
        frozen_time.shift(datetime.timedelta(seconds=1))  # 09:01:00
        assert get_many(client, reverse("home"), 30) == [200] * 30
        assert client.get(reverse("home")).status_code == 429

    def test_the_wait_is_said_in_seconds_then_minutes(self, client, db, frozen_time):
        frozen_time.shift(datetime.timedelta(seconds=49))
        get_many(client, reverse("home"), 30)
        response = client.get(reverse("home"))
        assert response["Retry-After"] == "1"
        assert "Réessayez dans 1 seconde." in response.content.decode()

    def test_another_address_is_not_affected(self, client, db):
        get_many(client, reverse("home"), 31)
        assert client.get(reverse("home"), REMOTE_ADDR="192.0.2.7").status_code == 200

    def test_behind_a_proxy_each_client_counts_apart(self, client, db, settings):
        settings.TRUSTED_PROXY_HOPS = 1
        first = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
        second = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.6"}
        get_many(client, reverse("home"), 30, **first)
        assert client.get(reverse("home"), **first).status_code == 429
        assert client.get(reverse("home"), **second).status_code == 200

    def test_static_files_media_and_health_check_are_not_counted(self, client, db):
        # Static files and media are not served by Django in tests (404): they must not be counted either.
        assert 429 not in get_many(client, "/static/css/inclusion.css", 40)
        assert 429 not in get_many(client, "/media/some-file.pdf", 40)
        assert get_many(client, reverse("health_check"), 40) == [200] * 40
        assert get_many(client, reverse("home"), 30) == [200] * 30

    def test_off_when_disabled(self, client, db, settings):
        settings.RATE_LIMITS_ENABLED = False
        assert get_many(client, reverse("home"), 40) == [200] * 40


class TestLoggedInUsers:
    def test_the_60th_request_of_a_minute_is_served_the_61st_gets_429(self, client, db):
        client.force_login(JobSeekerFactory())
        url = reverse("notification_settings")
        assert get_many(client, url, 60) == [200] * 60
        response = client.get(url)
        assert response.status_code == 429
        assert response["Retry-After"] == "50"
        assert "Trop de requêtes" in response.content.decode()

    def test_counted_per_user_not_per_address(self, client, db):
        client.force_login(JobSeekerFactory())
        url = reverse("notification_settings")
        get_many(client, url, 61)
        colleague = client.__class__()
        colleague.force_login(JobSeekerFactory())
        assert get_many(colleague, url, 60) == [200] * 60  # same address, another person
        anonymous = client.__class__()
        assert get_many(anonymous, reverse("home"), 30) == [200] * 30
        assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 429  # same person, another address

    def test_staff_are_limited_too(self, client, db):
        login(client, StaffFactory())
        assert get_many(client, reverse("admin:index"), 60) == [200] * 60
        assert client.get(reverse("admin:index")).status_code == 429


def test_a_cache_outage_never_breaks_a_page(client, db, monkeypatch, caplog):
    monkeypatch.setattr(ratelimit, "cache", BrokenCache())
    assert get_many(client, reverse("home"), 40) == [200] * 40
    assert "Rate limit not applied: the cache is unavailable" in caplog.text


class TestClientIp:
    def request(self, **meta):
        return RequestFactory().get("/", **meta)

    def test_without_proxies_the_peer_address(self, settings):
        settings.TRUSTED_PROXY_HOPS = 0
        request = self.request(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
        assert ratelimit.client_ip(request) == "192.0.2.1"

    @pytest.mark.parametrize(
        "hops,forwarded,expected",
        [
            (1, "203.0.113.5", "203.0.113.5"),
            (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # the left part was written by the client
            (2, "198.51.100.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
            (2, "203.0.113.5", "10.0.0.1"),  # fewer addresses than proxies: only the peer is known
            (1, "", "10.0.0.1"),
            (1, "pas-une-adresse", "10.0.0.1"),
            (1, "2001:db8::1", "2001:db8::1"),
        ],
    )
    def test_behind_proxies_the_nth_address_from_the_right(self, settings, hops, forwarded, expected):
        settings.TRUSTED_PROXY_HOPS = hops
        request = self.request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        assert ratelimit.client_ip(request) == expected


@pytest.mark.parametrize(
    "seconds,words",
    [
        (1, "1 seconde"),
        (59, "59 secondes"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (120, "2 minutes"),
        (900, "15 minutes"),
    ],
)
def test_wait_in_words(seconds, words):
    assert ratelimit.wait_in_words(seconds) == words
