"""Second factor (TOTP) for staff accounts (platform_rules.md §3). Filled in by issue 6."""


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
