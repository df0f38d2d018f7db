from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "inclusion.audit"
    verbose_name = "Journal des modifications"

    def ready(self):
        from inclusion.audit import recorder

        recorder.connect()
