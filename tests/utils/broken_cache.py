"""A cache whose every call fails, like a Redis that went away: limits must fail open (platform_rules.md §5)."""


class BrokenCache:
    def __getattr__(self, name):
        def broken(*args, **kwargs):
            raise ConnectionError("cache unavailable")

        return broken
