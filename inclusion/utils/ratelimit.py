"""Per-IP and per-user rate limits (platform_rules.md §5). Filled in by issue 6."""


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
