"""Rate limits (platform_rules.md §5) and the login throttle, counted in the Django cache (Redis in production: the
counts are shared by every app server; the local-memory cache of development counts per process).

- Every page: 30 requests per minute per IP address for anonymous visitors, 60 per minute per user when logged in,
  in fixed one-minute windows.
- The login: ten failed logins in a row from one address block the next attempts for 15 minutes.

Over a limit: HTTP 429 with Retry-After and the French page 429.html. Limits fail open: a cache outage is logged and
never breaks a request (platform_rules.md §5).
"""

import ipaddress
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

logger = logging.getLogger(__name__)

# platform_rules.md §5: "HTML views, anonymous | 30 requests/min per IP; authenticated | 60 requests/min per user".
ANONYMOUS_REQUESTS_PER_WINDOW = 30
AUTHENTICATED_REQUESTS_PER_WINDOW = 60
WINDOW_SECONDS = 60
# Issue 6: "ten failed logins in a row from one address are throttled", for 15 minutes.
LOGIN_FAILURES_LIMIT = 10
LOGIN_BLOCK_SECONDS = 15 * 60


def client_ip(request) -> str:
    """The address of the person: REMOTE_ADDR, or behind TRUSTED_PROXY_HOPS reverse proxies the address the first of
    them saw, which is the n-th from the right of X-Forwarded-For (each proxy appends the address it received the
    request from; anything further left was written by the client and proves nothing)."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote_addr  # the request did not come through every proxy: only the peer address is known
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        logger.warning("Unreadable X-Forwarded-For address %r: using REMOTE_ADDR", candidate)
        return remote_addr


def wait_in_words(seconds: int) -> str:
    """ "45 secondes", "1 minute", "15 minutes": minutes rounded up, so that the wait is never shorter than said."""
    if seconds < 60:
        return f"{seconds} seconde{'s' if seconds > 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


def too_many_requests(request, retry_after: int, *, heading="Trop de requêtes", explanation=None):
    """The French 429 page, with the Retry-After header."""
    retry_after = max(1, math.ceil(retry_after))
    context = {
        "title": heading,
        "heading": heading,
        "explanation": explanation
        or "Vous avez envoyé beaucoup de requêtes en peu de temps : par sécurité, le site fait une courte pause.",
        "wait": wait_in_words(retry_after),
    }
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


# Requests per minute -----------------------------------------------------------------------------------------------


def _exempt_paths():
    """Static files and media are parts of pages already counted; the health check is polled by the load balancer."""
    prefixes = tuple(prefix for prefix in (settings.STATIC_URL, settings.MEDIA_URL) if prefix)
    try:
        health_check = reverse("health_check")
    except NoReverseMatch:
        health_check = None
    return prefixes, health_check


def is_exempt(request) -> bool:
    prefixes, health_check = _exempt_paths()
    return request.path.startswith(prefixes) or request.path == health_check


def count_request(key: str, now: float) -> int | None:
    """The number of requests in the current window, this one included; None when the cache cannot say."""
    window_key = f"ratelimit:{key}:{int(now // WINDOW_SECONDS)}"
    try:
        cache.add(window_key, 0, timeout=WINDOW_SECONDS)
        return cache.incr(window_key)
    except ValueError:  # the window expired between add and incr: this request opens the next one
        return 1
    except Exception:
        logger.warning("Rate limit not applied: the cache is unavailable", exc_info=True)
        return None


class RateLimitMiddleware:
    """platform_rules.md §5: per-user limit when logged in, per-IP limit otherwise (settings.RATE_LIMITS_ENABLED)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.RATE_LIMITS_ENABLED and not is_exempt(request):
            if request.user.is_authenticated:
                key, limit = f"user:{request.user.pk}", AUTHENTICATED_REQUESTS_PER_WINDOW
            else:
                key, limit = f"ip:{client_ip(request)}", ANONYMOUS_REQUESTS_PER_WINDOW
            now = time.time()
            count = count_request(key, now)
            if count is not None and count > limit:
                return too_many_requests(request, WINDOW_SECONDS - now % WINDOW_SECONDS)
        return self.get_response(request)


# Login throttle ----------------------------------------------------------------------------------------------------


def _login_keys(request):
    ip = client_ip(request)
    return f"login-failures:{ip}", f"login-blocked:{ip}"


def login_retry_after(request) -> int | None:
    """Seconds before this address may try to log in again, or None if it may now."""
    _, blocked_key = _login_keys(request)
    try:
        blocked_until = cache.get(blocked_key)
    except Exception:
        logger.warning("Login throttle not applied: the cache is unavailable", exc_info=True)
        return None
    if blocked_until is None:
        return None
    left = math.ceil(blocked_until - time.time())
    return left if left > 0 else None


def login_failed(request) -> None:
    """One more failure in a row; the tenth blocks the address for 15 minutes and starts a new count after them.

    Failures are forgotten 15 minutes after the last one, so that a few typos spread over weeks never add up.
    """
    failures_key, blocked_key = _login_keys(request)
    try:
        cache.add(failures_key, 0, timeout=LOGIN_BLOCK_SECONDS)
        failures = cache.incr(failures_key)
        cache.touch(failures_key, timeout=LOGIN_BLOCK_SECONDS)
        if failures >= LOGIN_FAILURES_LIMIT:
            cache.set(blocked_key, time.time() + LOGIN_BLOCK_SECONDS, timeout=LOGIN_BLOCK_SECONDS)
            cache.delete(failures_key)
    except ValueError:  # the count expired between add and incr: start again
        return
    except Exception:
        logger.warning("Login failure not counted: the cache is unavailable", exc_info=True)


def login_succeeded(request) -> None:
    failures_key, _ = _login_keys(request)
    try:
        cache.delete(failures_key)
    except Exception:
        logger.warning("Login failures not reset: the cache is unavailable", exc_info=True)


LOGIN_BLOCKED_HEADING = "Trop de tentatives de connexion"
LOGIN_BLOCKED_EXPLANATION = (
    f"{LOGIN_FAILURES_LIMIT} connexions ont échoué de suite depuis votre adresse : par sécurité, la connexion est "
    "suspendue un moment. Si vous avez oublié votre mot de passe, vous pourrez en choisir un nouveau."
)
