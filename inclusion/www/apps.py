from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "inclusion.www"
    verbose_name = "Site"
