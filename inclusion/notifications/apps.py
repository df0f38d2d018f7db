from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "inclusion.notifications"
    verbose_name = "Notifications"

    def ready(self):
        # Declares every notification class in the registry the settings page reads.
        from inclusion.notifications import applications  # noqa: F401
