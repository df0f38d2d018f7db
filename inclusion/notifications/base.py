"""What every notification is: a key, a French label, who receives it, whether that person may turn it off, and its
subject and body templates (`notifications/emails/<key>_subject.txt`, `_body.txt`).

A notification is built for one event (`Notification(job_application, ...)`), chooses its recipients, drops those
who turned it off (`DisabledNotification`, one query for all of them) and those without an e-mail address, then
renders one e-mail per recipient now and leaves the sending to the task queue after commit
(`inclusion.utils.emails.send_templated_email`): nothing leaves when the transaction rolls back.
"""

from typing import ClassVar

from django.db import models
from django.urls import reverse

from inclusion.notifications.models import DisabledNotification
from inclusion.utils.emails import absolute_url, send_templated_email


class Audience(models.TextChoices):
    """Who receives a notification; the settings page shows a person the notifications of their audiences."""

    JOB_SEEKER = "job_seeker", "Candidat"
    EMPLOYER = "employer", "Membre d'une structure employeuse"
    PROXY = "proxy", "Prescripteur ou employeur qui a envoyé la candidature"


# Every concrete notification class, by key, in the order they are declared (the settings page's order).
REGISTRY = {}


class Notification:
    key: ClassVar[str] = ""
    label: ClassVar[str] = ""
    description: ClassVar[str] = ""
    audience: ClassVar[Audience]
    # False for what a person needs whatever their preferences, e.g. a PASS IAE number.
    can_be_disabled: ClassVar[bool] = True
    template_prefix: ClassVar[str] = ""  # defaults to notifications/emails/<key>

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.key:
            if cls.key in REGISTRY:
                raise ValueError(f"Deux notifications portent la clé {cls.key}.")
            REGISTRY[cls.key] = cls

    @classmethod
    def templates(cls):
        return cls.template_prefix or f"notifications/emails/{cls.key}"

    def recipients(self):
        """The users this event concerns, before preferences; `None` entries are ignored."""
        raise NotImplementedError

    def context_for(self, recipient):
        """The template context of the e-mail to `recipient`."""
        raise NotImplementedError

    def send(self):
        """Queues one e-mail per recipient who has an address and did not turn this notification off."""
        recipients = self.enabled_recipients()
        # A notification one may turn off says where (an absolute link: e-mails are read outside the site).
        settings_url = absolute_url(reverse("notification_settings")) if self.can_be_disabled else ""
        for recipient in recipients:
            context = {**self.context_for(recipient), "settings_url": settings_url}
            send_templated_email([recipient.email], self.templates(), context)
        return recipients

    def enabled_recipients(self):
        candidates = {}
        for user in self.recipients():
            # A deleted proxy (None), a deactivated account or a person without e-mail receives nothing.
            if user is not None and user.is_active and user.email:
                candidates.setdefault(user.pk, user)
        if self.can_be_disabled and candidates:
            disabled = set(
                DisabledNotification.objects.filter(user_id__in=candidates, notification=self.key).values_list(
                    "user_id", flat=True
                )
            )
            candidates = {pk: user for pk, user in candidates.items() if pk not in disabled}
        return list(candidates.values())


def notifications_for(audiences):
    """The notification classes received by someone in `audiences`, in declaration order."""
    return [cls for cls in REGISTRY.values() if cls.audience in audiences]
