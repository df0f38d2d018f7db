"""Session lifetime (platform_rules.md §3): sessions expire at browser close and after 7 days (settings); once a week
every active session is shortened to one more hour, so that nobody stays logged in for ever on a shared computer."""

import datetime
from importlib import import_module

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

# platform_rules.md §3: "a weekly job shortens every active session to 1 hour".
SHORTENED_SESSION_AGE = datetime.timedelta(hours=1)


def shorten_active_sessions(*, dry_run: bool, now: datetime.datetime | None = None) -> int:
    """Sessions expiring later than in one hour now expire in one hour: people at work carry on, the others log in
    again. Returns how many sessions are (or would be) shortened.

    A session saved again in the hour (a message, a choice of organization) gets a full lifetime back, like any
    session Django saves.
    """
    engine = import_module(settings.SESSION_ENGINE)
    expire_date = (now or timezone.now()) + SHORTENED_SESSION_AGE
    sessions = engine.SessionStore.get_model_class().objects.filter(expire_date__gt=expire_date)
    if dry_run:
        return sessions.count()
    # The cached_db engine (production) reads the cache before the database: the cached copies are forgotten, so that
    # the next request reloads the session with its new expiry date.
    cache_key_prefix = getattr(engine.SessionStore, "cache_key_prefix", None)
    keys = list(sessions.values_list("session_key", flat=True)) if cache_key_prefix else []
    count = sessions.update(expire_date=expire_date)
    cache = caches[settings.SESSION_CACHE_ALIAS]
    for start in range(0, len(keys), 1000):
        cache.delete_many([cache_key_prefix + key for key in keys[start : start + 1000]])
    return count
