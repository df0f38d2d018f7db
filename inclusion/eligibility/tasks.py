"""Background certification of the selected criteria (eligibility.md §6.2, §6.4).

One task per selected criterion, with the retry budget of its source. A temporary failure (conflict, rate limit) is
retried sooner — after the provider's Retry-After, else 60 s — and uses one retry of the same budget, so that a source
that keeps refusing cannot loop forever: the daily retry job picks the criterion up again a week later.
"""

import logging

from huey.contrib.djhuey import db_periodic_task, db_task, lock_task
from huey.exceptions import RetryTask

from inclusion.audit import acting_as
from inclusion.companies.tasks import paris_daily_at
from inclusion.eligibility import certification
from inclusion.eligibility.enums import CertificationSource

logger = logging.getLogger(__name__)

# eligibility.md §6.4: API Particulier 2 retries 12 h apart; France Travail 18 retries 10 min apart.
API_PARTICULIER_RETRIES = 2
API_PARTICULIER_RETRY_DELAY_SECONDS = 12 * 60 * 60
FRANCE_TRAVAIL_RETRIES = 18
FRANCE_TRAVAIL_RETRY_DELAY_SECONDS = 10 * 60

# platform_rules.md §9: "daily, night".
RETRY_CERTIFICATIONS_SCHEDULE = paris_daily_at(4, 0)


def run_certification(task, kind, pk):
    """Certifies one selected criterion; on a temporary failure, asks huey to retry after the provider's delay."""
    selected = certification.load_selected_criterion(kind, pk)
    if selected is None:  # the diagnosis was deleted or its criteria replaced meanwhile
        return None
    answer = certification.certify_selected_criterion(selected)
    if answer is None or answer.outcome != certification.Outcome.TEMPORARY_FAILURE:
        return answer and answer.outcome.value
    if task is None or task.retries <= 0:
        logger.warning("Certification %s/%s: temporary failure, no retry left", kind, pk)
        return answer.outcome.value
    # RetryTask does not consume the retry budget by itself (huey adds one back): take one here.
    task.retries -= 1
    raise RetryTask(delay=answer.retry_after or certification.TEMPORARY_FAILURE_RETRY_SECONDS)


@db_task(retries=API_PARTICULIER_RETRIES, retry_delay=API_PARTICULIER_RETRY_DELAY_SECONDS, context=True)
@acting_as("tâche : certify_with_api_particulier")
def certify_with_api_particulier(kind, pk, task=None):
    return run_certification(task, kind, pk)


@db_task(retries=FRANCE_TRAVAIL_RETRIES, retry_delay=FRANCE_TRAVAIL_RETRY_DELAY_SECONDS, context=True)
@acting_as("tâche : certify_with_france_travail")
def certify_with_france_travail(kind, pk, task=None):
    return run_certification(task, kind, pk)


TASKS_BY_SOURCE = {
    CertificationSource.API_PARTICULIER: certify_with_api_particulier,
    CertificationSource.FRANCE_TRAVAIL: certify_with_france_travail,
}


def enqueue_certification(*, kind, pk, source):
    TASKS_BY_SOURCE[CertificationSource(source)](kind, pk)


# The lock keeps the job on one instance at a time (platform_rules.md §9).
@db_periodic_task(RETRY_CERTIFICATIONS_SCHEDULE)
@lock_task("retry-certifications")
@acting_as("tâche : retry_certifications")
def retry_certifications_task():
    return certification.retry_certifications(dry_run=False).total
