"""The employer's application counters (applications.md §14, §17), shared by the inbox and the dashboard.

One aggregate query: "À traiter" (new, processing, plus prior_to_hire for a GEIQ), "En attente" (postponed) and
"Vivier" (pool), counted on the non-archived applications the company sees in its inbox (§11 visibility window), and
`active`, all of them: the number of applications of the unfiltered inbox.
"""

from django.db.models import Count, Q

from inclusion.applications import perms
from inclusion.applications.enums import JobApplicationState
from inclusion.companies.enums import CompanyKind


def to_process_states(company):
    """applications.md §9, §17: `prior_to_hire` counts as "À traiter" only for a GEIQ."""
    states = [JobApplicationState.NEW, JobApplicationState.PROCESSING]
    if company.kind == CompanyKind.GEIQ:
        states.append(JobApplicationState.PRIOR_TO_HIRE)
    return states


def company_counters(company, *, now=None):
    """Returns dict(to_process=…, postponed=…, pool=…, active=…) in a single query. It counts the (never null)
    state, not the id: every column it reads is in the (company, state) index, which holds the dates and the
    archiving, so PostgreSQL counts from the index alone."""
    return (
        perms.received_by(company, now=now)
        .filter(archived_at__isnull=True)
        .aggregate(
            to_process=Count("state", filter=Q(state__in=to_process_states(company))),
            postponed=Count("state", filter=Q(state=JobApplicationState.POSTPONED)),
            pool=Count("state", filter=Q(state=JobApplicationState.POOL)),
            active=Count("state"),
        )
    )
