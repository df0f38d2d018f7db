from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "inclusion.organizations"
    verbose_name = "Organisations"
