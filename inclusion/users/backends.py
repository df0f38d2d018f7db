from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """E-mail + password login, case-insensitive on the e-mail (the manager lower-cases it)."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        return super().authenticate(request, username=email or username, password=password, **kwargs)
