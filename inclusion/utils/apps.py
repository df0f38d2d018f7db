from django.apps import AppConfig


class UtilsConfig(AppConfig):
    name = "inclusion.utils"
    verbose_name = "Outils"
