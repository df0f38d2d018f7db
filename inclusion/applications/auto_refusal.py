"""Auto-refusal of the applications left unanswered (applications.md §11, §3, §7).

Non-archived `new` or `processing` applications not updated for 60 days are refused by the system (no user), with
the reason `auto` shared with the job seeker and a standard message, through the state machine (`transitions.refuse`:
logged, `processed_at` set). Handled job seeker by job seeker, at most 40 job seekers per run, the longest waiting
first; the run repeats every 5 minutes on weekdays (management command `auto_refuse_applications`, huey task in
`tasks.py`).

The refusal e-mails of applications.md §4 are sent by `transitions.refuse` through
`inclusion/notifications/applications.py`: the job seeker is told (with the reason, shared); the proxy e-mail is
suppressed for automatic refusals (`user=None`, reason `auto`).

README.md §2.1: "not updated for N days" ⇔ `updated_at ≤ now − N days`.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from inclusion.applications import transitions
from inclusion.applications.enums import JobApplicationState as State
from inclusion.applications.enums import RefusalReason
from inclusion.applications.models import JobApplication

logger = logging.getLogger(__name__)

# applications.md §11: "not updated for 60 days" (about 2 months).
AUTO_REFUSAL_DELAY = datetime.timedelta(days=60)
# applications.md §11.
AUTO_REFUSABLE_STATES = (State.NEW, State.PROCESSING)
# applications.md §11: "at most 40 job seekers per run".
AUTO_REFUSAL_MAX_JOB_SEEKERS = 40

# applications.md §11: the standard message to the job seeker, written once.
AUTO_REFUSAL_ANSWER = (
    "Bonjour,\n\n"
    "Votre candidature n'a pas reçu de réponse de l'employeur depuis deux mois : elle a donc été déclinée "
    "automatiquement.\n\n"
    "Ce refus ne porte pas sur votre profil. Vous pouvez postuler auprès d'autres structures, seul ou avec "
    "l'aide de la personne qui vous accompagne.\n\n"
    "Cordialement,\n"
    "L'équipe de la Plateforme de l'inclusion"
)


def applications_to_auto_refuse(*, now=None):
    """applications.md §11: non-archived `new` or `processing` applications not updated for 60 days."""
    cutoff = (now or timezone.now()) - AUTO_REFUSAL_DELAY
    return JobApplication.objects.filter(
        state__in=AUTO_REFUSABLE_STATES, archived_at__isnull=True, updated_at__lte=cutoff
    )


def job_seekers_to_auto_refuse(*, now=None, max_job_seekers=AUTO_REFUSAL_MAX_JOB_SEEKERS):
    """The ids of the job seekers handled by the next run: those waiting the longest first (their oldest
    application to refuse), the id breaking ties so that two runs agree."""
    return list(
        applications_to_auto_refuse(now=now)
        .values("job_seeker_id")
        .annotate(oldest_update=Min("updated_at"))
        .order_by("oldest_update", "job_seeker_id")
        .values_list("job_seeker_id", flat=True)[:max_job_seekers]
    )


def auto_refuse(*, now=None, max_job_seekers=AUTO_REFUSAL_MAX_JOB_SEEKERS, dry_run=True) -> int:
    """applications.md §11: refuses the unanswered applications of at most `max_job_seekers` job seekers.

    Returns how many applications were refused (or would be, in a dry run). One transaction per job seeker: the
    applications are locked and filtered again, so one updated since the ids were read is left alone. Idempotent.
    """
    now = now or timezone.now()
    refused = 0
    for job_seeker_id in job_seekers_to_auto_refuse(now=now, max_job_seekers=max_job_seekers):
        with transaction.atomic():
            applications = list(
                applications_to_auto_refuse(now=now)
                .filter(job_seeker_id=job_seeker_id)
                .select_for_update()
                .order_by("updated_at", "pk")
            )
            if not dry_run:
                for job_application in applications:
                    transitions.refuse(
                        job_application,
                        user=None,
                        reason=RefusalReason.AUTO,
                        shared=True,
                        answer=AUTO_REFUSAL_ANSWER,
                    )
            refused += len(applications)
    logger.info("auto_refuse dry_run=%s job_applications=%d", dry_run, refused)
    return refused
