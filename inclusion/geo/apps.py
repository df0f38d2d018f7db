from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class GeoConfig(AppConfig):
    name = "inclusion.geo"
    verbose_name = "Géographie"

    def ready(self):
        from inclusion.geo import reference
        from inclusion.geo.models import Department

        # The cached department list follows any department saved one by one (the reference import forgets it too).
        for signal in (post_save, post_delete):
            signal.connect(
                reference.forget_departments, sender=Department, dispatch_uid=f"forget_departments_{signal}"
            )
