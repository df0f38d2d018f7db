"""Records the acting user of each request for the audit trail. Filled in by issue 6."""


class AuditActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
