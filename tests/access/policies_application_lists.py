"""Access policies: application lists, read-only detail pages and exports (applications.md §14, §15, §16).

- The inbox is the employers' (any company: each sees its own); the sent list and the exports are the prescribers'
  and the employers'; the job seeker's list is the job seeker's. Other roles get a 403.
- The sender's detail page: an application sent by the AUTHORIZED_PRESCRIBER persona's organization to the EMPLOYER
  persona's company. Only the sender side reaches it; other professionals do not learn it exists (404), other roles
  get a 403 (the receiving employer has the company detail page).
- The job seeker's detail page: an application of `world.job_seeker`; professionals get a 403.
- The autocomplete of the filters (issue 7) follows its list: the inbox's for employers, the sent list's for
  prescribers and employers. It searches the name of `world.job_seeker`, whom the ORIENTEUR persona oriented but did
  not create; the personal-data oracle reads the JSON (that names stay masked is tested in
  tests/applications/test_lists_filters.py).
"""

from django.urls import reverse

from inclusion.applications.enums import SenderKind
from tests.access.personas import (
    AUTHORIZED_PRESCRIBER,
    EMPLOYER,
    JOB_SEEKER,
    ORIENTEUR,
    OTHER_EMPLOYER,
)
from tests.access.rules import FORBIDDEN, NOT_FOUND, OK, Policy, logged_in
from tests.applications.factories import JobApplicationFactory

PROFESSIONALS_WHO_SEND = {ORIENTEUR: OK, AUTHORIZED_PRESCRIBER: OK, EMPLOYER: OK, OTHER_EMPLOYER: OK}


def sender_detail_url(world):
    job_application = JobApplicationFactory(
        job_seeker=world.job_seeker,
        to_company=world.company,
        sender=world.user(AUTHORIZED_PRESCRIBER),
        sender_kind=SenderKind.PRESCRIBER,
        sender_prescriber_organization=world.prescriber_organization,
    )
    return reverse("application_detail_sender", args=[job_application.pk])


def job_seeker_detail_url(world):
    job_application = JobApplicationFactory(job_seeker=world.job_seeker, to_company=world.company)
    return reverse("application_detail_job_seeker", args=[job_application.pk])


def search_job_seeker(world):
    return {"term": world.job_seeker.last_name}


POLICIES = {
    "applications_received": Policy(logged_in(FORBIDDEN, **{EMPLOYER: OK, OTHER_EMPLOYER: OK})),
    "applications_sent": Policy(logged_in(FORBIDDEN, **PROFESSIONALS_WHO_SEND)),
    "application_detail_sender": Policy(
        logged_in(
            FORBIDDEN,
            **{AUTHORIZED_PRESCRIBER: OK, ORIENTEUR: NOT_FOUND, EMPLOYER: NOT_FOUND, OTHER_EMPLOYER: NOT_FOUND},
        ),
        url=sender_detail_url,
    ),
    "applications_received_filter": Policy(
        logged_in(FORBIDDEN, **{EMPLOYER: OK, OTHER_EMPLOYER: OK}),
        url=lambda world: reverse("applications_received_filter", args=["job_seeker"]),
        data=search_job_seeker,
    ),
    "applications_sent_filter": Policy(
        logged_in(FORBIDDEN, **PROFESSIONALS_WHO_SEND),
        url=lambda world: reverse("applications_sent_filter", args=["job_seeker"]),
        data=search_job_seeker,
    ),
    "applications_job_seeker": Policy(logged_in(FORBIDDEN, **{JOB_SEEKER: OK})),
    "application_detail_job_seeker": Policy(logged_in(FORBIDDEN, **{JOB_SEEKER: OK}), url=job_seeker_detail_url),
    "applications_export": Policy(logged_in(FORBIDDEN, **PROFESSIONALS_WHO_SEND)),
    "applications_export_month": Policy(
        logged_in(FORBIDDEN, **PROFESSIONALS_WHO_SEND),
        url=lambda world: reverse("applications_export_month", args=["toutes"]),
    ),
}
