from django.conf import settings
from django.db import models
from django.utils import timezone


class DisabledNotification(models.Model):
    """A notification a person turned off on their settings page; every other one is sent.

    Stored as the opt-outs so that a new notification is on by default, without a migration.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="disabled_notifications",
    )
    notification = models.CharField("notification", max_length=100)
    disabled_at = models.DateTimeField("désactivée le", default=timezone.now)

    class Meta:
        verbose_name = "notification désactivée"
        verbose_name_plural = "notifications désactivées"
        constraints = [
            models.UniqueConstraint(fields=["user", "notification"], name="disabled_notification_unique"),
        ]

    def __str__(self):
        return f"{self.notification} désactivée pour {self.user}"
