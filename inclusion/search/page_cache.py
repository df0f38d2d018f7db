"""The rendered content of the public search pages, kept in the cache (search_and_jobs.md §4, §5).

A search page shows the same content to every visitor: everything below the site's header depends only on the query
string (the visitor's name, menu, CSRF token and CSP nonce are in the layout around it). Large cities are searched
all day with the same criteria, so the content is rendered once and kept SEARCH_CACHE_SECONDS.

The key holds a version that any saved or deleted company, job description, membership or prescriber organization
bumps: a company closed or a job description edited shows at the next search, in the page and in the results it
is rendered from (rules.py `_cached`). What the version does not follow (recent applications behind the
« Soyez parmi les premiers à postuler » badge, bulk updates) shows within the delay.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.http import urlencode

VERSION_KEY = "search:version"
# A longer query string is not a search a person typed: it is served, not kept.
MAX_CACHED_QUERY_LENGTH = 1000


def content(kind, request, render):
    """(title, html) of the page `kind` for this query string: from the cache, or `render()`.

    `render()` returns (title, html, cacheable): only a valid search is kept, never a form with errors.
    """
    seconds = settings.SEARCH_CACHE_SECONDS
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    if not seconds or len(query) > MAX_CACHED_QUERY_LENGTH:
        title, html, _ = render()
        return title, html
    # The version is read before rendering: a change saved meanwhile bumps it, and this rendering is never served.
    key = f"search:page:{kind}:{version()}:{hashlib.sha256(query.encode()).hexdigest()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    title, html, cacheable = render()
    if cacheable:
        cache.set(key, (title, html), seconds)
    return title, html


def version():
    """The current version of the search results, started at 1 the first time."""
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, 1, timeout=None)  # another process may have started it meanwhile: add() keeps theirs
        current = cache.get(VERSION_KEY, 1)
    return current


def bump_version(**signal_kwargs):
    """Signal receiver: the pages rendered so far are no longer served."""
    if not settings.SEARCH_CACHE_SECONDS:
        return
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # never searched since the cache started: the next search starts a version
        pass
