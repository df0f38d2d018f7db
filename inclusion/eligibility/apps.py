from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EligibilityConfig(AppConfig):
    name = "inclusion.eligibility"
    verbose_name = "Éligibilité"

    def ready(self):
        from inclusion.eligibility.criteria import sync_criteria_after_migrate

        # eligibility.md §3: criteria are reference data, upserted by primary key on every deployment (and after
        # every flush of a transactional test, which also sends post_migrate).
        post_migrate.connect(sync_criteria_after_migrate, sender=self)
