"""Archiving job applications (applications.md §1, §3, §11).

Archiving hides an application from the default lists; it is not a state change, so it goes through no transition
and writes no transition log. Any later transition unarchives (applications.md §3, done by `apply_transition`).

- `archive` / `unarchive`: the employer's manual actions (single or batch);
- `archive_stale`: the nightly job (management command `archive_applications`, huey task in `tasks.py`).

README.md §2.1: "not updated for N days" ⇔ `updated_at ≤ now − N days`.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inclusion.applications.enums import JobApplicationState as State
from inclusion.applications.models import JobApplication

logger = logging.getLogger(__name__)

# applications.md §11: manual archive only of these states.
MANUALLY_ARCHIVABLE_STATES = (State.REFUSED, State.CANCELLED, State.OBSOLETE)
# applications.md §11: the nightly job archives these states (never accepted, prior_to_hire or pool).
AUTO_ARCHIVABLE_STATES = (
    State.NEW,
    State.PROCESSING,
    State.POSTPONED,
    State.REFUSED,
    State.CANCELLED,
    State.OBSOLETE,
)
# applications.md §11: "not updated for 180 days".
AUTO_ARCHIVING_DELAY = datetime.timedelta(days=180)
# Rows per UPDATE statement: keeps each statement (and its `IN (...)` list) small.
AUTO_ARCHIVING_BATCH_SIZE = 1000


class ArchivingError(ValidationError):
    """Archiving refused; the message is French and shown to the user."""


def archive(job_application, *, user):
    """applications.md §11: archives a refused, cancelled or obsolete application for `user`.

    The state is re-read under a row lock, so an application accepted in the meantime is not archived.
    Saving bumps `updated_at`, which keeps the "not updated for N days" clocks honest.
    """
    with transaction.atomic():
        locked = JobApplication.objects.select_for_update().only("state", "archived_at").get(pk=job_application.pk)
        if locked.state not in MANUALLY_ARCHIVABLE_STATES:
            raise ArchivingError(
                f"Impossible d'archiver une candidature à l'état « {State(locked.state).label} » : seules les "
                "candidatures déclinées, dont l'embauche est annulée ou embauchées ailleurs peuvent être archivées."
            )
        if locked.archived_at is not None:
            raise ArchivingError("Cette candidature est déjà archivée.")
        job_application.state = locked.state
        job_application.archived_at = timezone.now()
        job_application.archived_by = user
        job_application.save(update_fields=["archived_at", "archived_by", "updated_at"])
    return job_application


def unarchive(job_application):
    """applications.md §11: any archived application may be unarchived (no-op otherwise).

    Saving bumps `updated_at`: the nightly job then leaves the application alone for another 180 days instead of
    archiving it again the next night.
    """
    if job_application.archived_at is None:
        return job_application
    job_application.archived_at = None
    job_application.archived_by = None
    job_application.save(update_fields=["archived_at", "archived_by", "updated_at"])
    return job_application


def stale_applications_to_archive(*, now=None):
    """applications.md §11: non-archived applications in an auto-archivable state not updated for 180 days."""
    cutoff = (now or timezone.now()) - AUTO_ARCHIVING_DELAY
    return JobApplication.objects.filter(
        state__in=AUTO_ARCHIVABLE_STATES, archived_at__isnull=True, updated_at__lte=cutoff
    )


def archive_stale(*, now=None, dry_run=True, progress=None) -> int:
    """applications.md §11, nightly: archives the stale applications by batches; returns how many (or would be).

    Archived by nobody (`archived_by` null: the system). `update()` leaves `updated_at` as it was: the application
    was not worked on. Each batch re-applies the whole filter inside its UPDATE, so an application that moved (for
    instance accepted) since the ids were read is skipped. Idempotent. `progress(n)` is called after each batch.
    """
    now = now or timezone.now()
    ids = list(stale_applications_to_archive(now=now).order_by("pk").values_list("pk", flat=True))
    if dry_run:
        archived = len(ids)
    else:
        archived = 0
        for start in range(0, len(ids), AUTO_ARCHIVING_BATCH_SIZE):
            batch = ids[start : start + AUTO_ARCHIVING_BATCH_SIZE]
            count = (
                stale_applications_to_archive(now=now).filter(pk__in=batch).update(archived_at=now, archived_by=None)
            )
            archived += count
            if progress is not None:
                progress(len(batch))
    logger.info("archive_stale dry_run=%s job_applications=%d", dry_run, archived)
    return archived
