from django.apps import AppConfig


class PrescribersConfig(AppConfig):
    name = "inclusion.prescribers"
    verbose_name = "Prescripteurs"
