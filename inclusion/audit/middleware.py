"""Records the acting user of each request for the audit trail (platform_rules.md §1.4)."""

from inclusion.audit.context import acting_for_request


class AuditActorMiddleware:
    """Placed after AuthenticationMiddleware; `request.user` is read only if the request changes a tracked object."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_for_request(request):
            return self.get_response(request)
