from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "inclusion.geo"
    verbose_name = "Géographie"
