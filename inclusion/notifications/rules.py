"""Which notifications concern a person, and their choices (the settings page, `DisabledNotification`)."""

from django.db import transaction

from inclusion.notifications.base import Audience, notifications_for
from inclusion.notifications.models import DisabledNotification

# The heading of each group on the settings page, in the page's order.
AUDIENCE_HEADINGS = {
    Audience.JOB_SEEKER: "Vos candidatures",
    Audience.EMPLOYER: "Candidatures reçues par votre structure",
    Audience.PROXY: "Candidatures que vous envoyez pour des candidats",
}


def audiences_for(user, organizations):
    """The audiences `user` belongs to: a job seeker hears about their applications; a member of a company about
    the applications it receives and, like prescribers, about those they send for someone (applications.md §4).

    Preferences belong to the person, not to one organization: a professional sees the notifications of all their
    active organizations, whichever one they currently act for. Institution members and staff receive none.
    """
    if user.is_job_seeker:
        return [Audience.JOB_SEEKER]
    types = {organization.organization_type for organization in organizations}
    audiences = []
    if "company" in types:
        audiences.append(Audience.EMPLOYER)
    if types & {"company", "prescriber"}:
        audiences.append(Audience.PROXY)
    return audiences


def notifications_concerning(user, organizations):
    return notifications_for(audiences_for(user, organizations))


def disabled_keys(user):
    return set(user.disabled_notifications.values_list("notification", flat=True))


def notification_preferences_save(*, user, notifications, enabled):
    """Records the choices of `user` for `notifications` (the ones shown to him): `enabled` maps a key to True / False.

    Notifications that may not be turned off and those not shown (another audience) are left as they are.
    """
    manageable = [cls.key for cls in notifications if cls.can_be_disabled]
    turned_off = [key for key in manageable if not enabled.get(key, True)]
    with transaction.atomic():
        user.disabled_notifications.filter(notification__in=manageable).exclude(notification__in=turned_off).delete()
        DisabledNotification.objects.bulk_create(
            [DisabledNotification(user=user, notification=key) for key in turned_off], ignore_conflicts=True
        )
