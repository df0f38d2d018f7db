from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "inclusion.approvals"
    verbose_name = "PASS IAE"
