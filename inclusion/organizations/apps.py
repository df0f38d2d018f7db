from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "inclusion.organizations"
    verbose_name = "Organisations"

    def ready(self):
        # Connects the login hook that accepts pending invitations (organizations.md §7).
        from inclusion.organizations import invitations  # noqa: F401
