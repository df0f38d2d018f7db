"""Freshness of what employers publish (search_and_jobs.md §3.4, organizations.md §8.7).

- After 60 days without an update, the employer's dashboard asks for one (`freshness_warning`).
- After 90 days, daily jobs close what was not updated and tell the members of the company
  (`close_stale_job_descriptions`, `close_stale_spontaneous_applications`), called by the management commands
  and by the huey periodic tasks (inclusion/companies/tasks.py).

README.md §2.1: "not updated for N days" ⇔ timestamp ≤ now − N days.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from inclusion.companies.enums import JobDescriptionSource
from inclusion.companies.models import Company, JobDescription
from inclusion.utils.emails import absolute_url, send_templated_email

logger = logging.getLogger(__name__)

# search_and_jobs.md §3.4.
FRESHNESS_WARNING_DELAY = datetime.timedelta(days=60)
AUTO_CLOSING_DELAY = datetime.timedelta(days=90)
AUTO_CLOSING_BATCH_SIZE = 200
# How many stale job descriptions the dashboard names before "et N autres".
WARNING_NAMED_JOB_DESCRIPTIONS = 5


def not_updated_since(delay, now=None):
    """The cut-off timestamp: anything updated at or before it is stale (README.md §2.1)."""
    return (now or timezone.now()) - delay


# ---------------------------------------------------------------------------------------------------------------
# The 60-day warning (dashboard).


@dataclass(frozen=True)
class FreshnessWarning:
    stale_job_descriptions_count: int
    named_job_descriptions: list  # the first few stale job descriptions, oldest first
    spontaneous_applications_stale: bool

    def __bool__(self):
        return bool(self.stale_job_descriptions_count or self.spontaneous_applications_stale)

    @property
    def unnamed_job_descriptions_count(self):
        return self.stale_job_descriptions_count - len(self.named_job_descriptions)


def stale_job_descriptions(company, *, delay=FRESHNESS_WARNING_DELAY, now=None):
    """Open job descriptions of `company` not updated by the employer for `delay`, oldest first."""
    return company.job_descriptions.filter(
        is_active=True, last_employer_update_at__lte=not_updated_since(delay, now)
    ).order_by("last_employer_update_at", "pk")


def needs_refresh(last_update, now=None):
    """search_and_jobs.md §3.4: not refreshed for 60 days, the 60th day included."""
    return last_update is not None and last_update <= not_updated_since(FRESHNESS_WARNING_DELAY, now)


def spontaneous_applications_need_refresh(company, now=None):
    """Open (organizations.md §8.7: not blocked) and not refreshed for 60 days."""
    return company.is_open_to_spontaneous_applications and needs_refresh(
        company.spontaneous_applications_open_since, now
    )


def freshness_warning(company, now=None):
    """What the employer's dashboard asks to refresh (search_and_jobs.md §3.4: 60 days). One or two queries."""
    stale = stale_job_descriptions(company, now=now)
    named = list(stale.select_related("appellation")[:WARNING_NAMED_JOB_DESCRIPTIONS])
    count = stale.count() if named else 0
    return FreshnessWarning(
        stale_job_descriptions_count=count,
        named_job_descriptions=named,
        spontaneous_applications_stale=spontaneous_applications_need_refresh(company, now),
    )


# ---------------------------------------------------------------------------------------------------------------
# The 90-day daily jobs.


@dataclass
class ClosingReport:
    """What a daily job closed (or would close, in a dry run): company → names of the closed job descriptions."""

    dry_run: bool = False
    closed: dict = field(default_factory=dict)

    @property
    def companies_count(self):
        return len(self.closed)

    @property
    def items_count(self):
        return sum(len(items) for items in self.closed.values())


def _stale_internal_job_descriptions(cutoff):
    # search_and_jobs.md §3.4: only internal job descriptions (created by the employer) are closed automatically.
    # Every open one is closed, even in an inactive company, so that a company coming back does not republish
    # job descriptions nobody looked at for months.
    return JobDescription.objects.filter(
        is_active=True,
        creation_source=JobDescriptionSource.MANUALLY,
        last_employer_update_at__lte=cutoff,
    )


def _company_batches(rows_per_company, size):
    """Groups company ids so that each batch holds about `size` rows and no company is split across batches.

    A company is never split so that its members get one e-mail listing everything that was closed.
    """
    batch, rows = [], 0
    for company_id, count in rows_per_company:
        batch.append(company_id)
        rows += count
        if rows >= size:
            yield batch
            batch, rows = [], 0
    if batch:
        yield batch


def _members_emails(company):
    return list(company.memberships.active().values_list("user__email", flat=True))


def close_stale_job_descriptions(*, now=None, dry_run=False, batch_size=AUTO_CLOSING_BATCH_SIZE):
    """search_and_jobs.md §3.4: closes the internal job descriptions not updated for 90 days; one e-mail per company.

    Idempotent: a second run finds nothing left to close. Each batch is its own transaction, so e-mails leave only
    for what was committed.
    """
    now = now or timezone.now()
    cutoff = not_updated_since(AUTO_CLOSING_DELAY, now)
    report = ClosingReport(dry_run=dry_run)
    rows_per_company = (
        _stale_internal_job_descriptions(cutoff)
        .values_list("company_id")
        .annotate(count=Count("pk"))
        .order_by("company_id")
    )
    for company_ids in _company_batches(list(rows_per_company), batch_size):
        with transaction.atomic():
            job_descriptions = list(
                _stale_internal_job_descriptions(cutoff)
                .filter(company_id__in=company_ids)
                .select_related("company", "appellation")
                .select_for_update(of=("self",))
                .order_by("company_id", "last_employer_update_at", "pk")
            )
            by_company = {}
            for job_description in job_descriptions:
                by_company.setdefault(job_description.company, []).append(job_description)
            if not dry_run:
                JobDescription.objects.filter(pk__in=[jd.pk for jd in job_descriptions]).update(
                    is_active=False, updated_at=now
                )
            for company, closed in by_company.items():
                report.closed[company] = [jd.display_name for jd in closed]
                if not dry_run:
                    _notify_job_descriptions_closed(company, closed)
    logger.info(
        "close_stale_job_descriptions dry_run=%s job_descriptions=%d companies=%d",
        dry_run,
        report.items_count,
        report.companies_count,
    )
    return report


def _notify_job_descriptions_closed(company, job_descriptions):
    send_templated_email(
        _members_emails(company),
        "companies/emails/stale_job_descriptions_closed",
        {
            "company": company,
            "job_descriptions": job_descriptions,
            "delay_days": AUTO_CLOSING_DELAY.days,
            "job_descriptions_url": absolute_url(reverse("job_description_list")),
        },
    )


def close_stale_spontaneous_applications(*, now=None, dry_run=False, batch_size=AUTO_CLOSING_BATCH_SIZE):
    """search_and_jobs.md §3.4, organizations.md §8.7: spontaneous applications open for 90 days are closed.

    Idempotent: a closed company has no `spontaneous_applications_open_since` any more.
    """
    now = now or timezone.now()
    cutoff = not_updated_since(AUTO_CLOSING_DELAY, now)
    report = ClosingReport(dry_run=dry_run)
    stale = Company.objects.filter(spontaneous_applications_open_since__lte=cutoff)
    company_ids = list(stale.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(company_ids), batch_size):
        with transaction.atomic():
            companies = list(
                stale.filter(pk__in=company_ids[start : start + batch_size]).select_for_update().order_by("pk")
            )
            if not dry_run:
                Company.objects.filter(pk__in=[company.pk for company in companies]).update(
                    spontaneous_applications_open_since=None, updated_at=now
                )
            for company in companies:
                report.closed[company] = []
                if not dry_run:
                    _notify_spontaneous_applications_closed(company)
    logger.info("close_stale_spontaneous_applications dry_run=%s companies=%d", dry_run, report.companies_count)
    return report


def _notify_spontaneous_applications_closed(company):
    send_templated_email(
        _members_emails(company),
        "companies/emails/stale_spontaneous_applications_closed",
        {
            "company": company,
            "delay_days": AUTO_CLOSING_DELAY.days,
            "job_descriptions_url": absolute_url(reverse("job_description_list")),
        },
    )
