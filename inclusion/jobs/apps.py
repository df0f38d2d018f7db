from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "inclusion.jobs"
    verbose_name = "Métiers (ROME)"
