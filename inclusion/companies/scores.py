"""The job application score that orders the employer search (search_and_jobs.md §4.2, §9 invariant 4).

`job_app_score` = applications received in the last 3 weeks ÷ max(1, active job descriptions + 1 if the company is
open to spontaneous applications). The lower, the higher in the search: employers who receive few applications for
what they offer come first. Recomputed hourly (platform_rules.md §9) by `update_job_app_scores`.
"""

import datetime

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from inclusion.applications.models import JobApplication
from inclusion.companies.models import Company, JobDescription

# search_and_jobs.md §4.2: "applications received in the last 3 weeks" (README.md §2.1: timestamp > now − 3 weeks).
RECENT_APPLICATIONS_WINDOW = datetime.timedelta(weeks=3)
# Companies written back per UPDATE statement.
SCORE_UPDATE_BATCH_SIZE = 500


def job_app_score(*, recent_applications, active_job_descriptions, open_to_spontaneous_applications):
    """search_and_jobs.md §4.2: open spontaneous applications count as one more job description."""
    offers = active_job_descriptions + (1 if open_to_spontaneous_applications else 0)
    return recent_applications / max(1, offers)


def _count(queryset, field):
    return Coalesce(
        Subquery(queryset.order_by().values(field).annotate(count=Count("pk")).values("count"), IntegerField()),
        Value(0),
    )


def update_job_app_scores(now=None):
    """Recomputes the score of every company; writes only the changed ones. Returns how many changed."""
    since = (now or timezone.now()) - RECENT_APPLICATIONS_WINDOW
    companies = Company.objects.annotate(
        recent_applications=_count(
            JobApplication.objects.filter(to_company=OuterRef("pk"), created_at__gt=since), "to_company"
        ),
        active_job_descriptions=_count(
            JobDescription.objects.filter(company=OuterRef("pk"), is_active=True), "company"
        ),
    ).only("pk", "job_app_score", "block_job_applications", "spontaneous_applications_open_since")
    changed = []
    for company in companies.iterator(chunk_size=SCORE_UPDATE_BATCH_SIZE):
        score = job_app_score(
            recent_applications=company.recent_applications,
            active_job_descriptions=company.active_job_descriptions,
            open_to_spontaneous_applications=company.is_open_to_spontaneous_applications,
        )
        if company.job_app_score != score:
            company.job_app_score = score
            changed.append(company)
    Company.objects.bulk_update(changed, ["job_app_score"], batch_size=SCORE_UPDATE_BATCH_SIZE)
    return len(changed)
