from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "inclusion.institutions"
    verbose_name = "Institutions"
