from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "inclusion.companies"
    verbose_name = "Employeurs inclusifs"
