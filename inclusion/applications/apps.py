from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "inclusion.applications"
    verbose_name = "Candidatures"
