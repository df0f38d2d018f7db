from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "inclusion.search"
    verbose_name = "Recherche"
