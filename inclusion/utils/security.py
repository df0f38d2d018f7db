"""Security headers that Django's settings do not cover (platform_rules.md §4); the others are in config/settings."""

from django.utils.cache import patch_cache_control, patch_vary_headers


class PrivateCacheMiddleware:
    """Pages shown to a logged-in user are never kept by a shared cache, and the browser asks again before reusing
    them (the back button after a logout, a shared computer): `Cache-Control: no-cache, private` and `Vary: Cookie`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Read after the view: a login makes the user authenticated, a logout anonymous.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if "no-store" in response.get("Cache-Control", ""):
                # Set by a view serving a file or a secret: not even stored says more than no-cache.
                patch_cache_control(response, private=True)
            else:
                patch_cache_control(response, no_cache=True, private=True)
            patch_vary_headers(response, ["Cookie"])
        return response
