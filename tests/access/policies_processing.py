"""Access policies: processing received applications (applications.md §5, §7, §9, §10, §14, §15).

- Pages of one application (`entreprise/candidatures/<id>/...`): the employer acting for the company that received it
  (EMPLOYER) reaches them; another company's employer does not even learn it exists (404); other roles get a 403.
- Pages of a selection (`entreprise/candidatures/actions/<selection>/...`): the selection lives in the session of the
  employer who made it (tests/applications/test_process_*.py follow them); an id this session does not hold (done,
  forgotten, or another session's) sends employers back to their inbox with a message, and is a 403 for other roles.
- The batch endpoint: employers are sent back to their inbox (another company's application is ignored and reported
  there); other roles get a 403.
- The resume: the job seeker, the sender (here the authorized prescriber, member of the sender organization) and the
  members of the target company; a 404 for everyone else (its existence is not disclosed).
"""

import datetime

from django.urls import reverse

from inclusion.applications.enums import JobApplicationState, PriorActionKind, SenderKind
from inclusion.applications.models import JobApplicationComment, PriorAction
from inclusion.companies.enums import CompanyKind
from tests.access.personas import AUTHORIZED_PRESCRIBER, EMPLOYER, JOB_SEEKER, OTHER_EMPLOYER
from tests.access.rules import FORBIDDEN, NOT_FOUND, OK, Policy, logged_in, redirect
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory

APPLICATION_PAGE = logged_in(FORBIDDEN, **{EMPLOYER: OK, OTHER_EMPLOYER: NOT_FOUND})
SELECTION_PAGE = logged_in(
    FORBIDDEN, **{EMPLOYER: redirect("applications_received"), OTHER_EMPLOYER: redirect("applications_received")}
)
UNKNOWN_SELECTION = "selection-inconnue"
REFUSED = {"state": JobApplicationState.REFUSED, "processed_at": datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)}


def _application(world, **fields):
    return JobApplicationFactory(job_seeker=world.job_seeker, to_company=world.company, **fields)


def application_url(url_name, **fields):
    return lambda world: reverse(url_name, args=[_application(world, **fields).pk])


def external_transfer_company_url(world):
    application = _application(world, **REFUSED)
    return reverse("application_external_transfer_company", args=[application.pk, world.other_company.uid])


def comment_delete_url(world):
    application = _application(world)
    comment = JobApplicationComment.objects.create(
        job_application=application, company=world.company, author=world.user(EMPLOYER), text="À rappeler lundi."
    )
    return reverse("application_comment_delete", args=[application.pk, comment.pk])


def _geiq_application(world):
    """An application to a GEIQ of the EMPLOYER persona, its oldest membership so that it is the current organization
    (organizations.md §1.1: companies first, oldest membership first)."""
    geiq = CompanyFactory(kind=CompanyKind.GEIQ)
    employer = world.user(EMPLOYER)
    oldest = employer.companymembership_set.order_by("joined_at").first().joined_at
    CompanyMembershipFactory(organization=geiq, user=employer, joined_at=oldest - datetime.timedelta(days=1))
    return JobApplicationFactory(job_seeker=world.job_seeker, to_company=geiq)


def _prior_action(world):
    application = _geiq_application(world)
    return PriorAction.objects.create(
        job_application=application,
        kind=PriorActionKind.PMSMP,
        start_at=datetime.date(2026, 3, 2),
        end_at=datetime.date(2026, 3, 6),
    )


def prior_action_add_url(world):
    return reverse("prior_action_add", args=[_geiq_application(world).pk])


def prior_action_url(url_name):
    def url(world):
        prior_action = _prior_action(world)
        return reverse(url_name, args=[prior_action.job_application_id, prior_action.pk])

    return url


def resume_url(world):
    application = _application(
        world,
        with_resume=True,
        sender=world.user(AUTHORIZED_PRESCRIBER),
        sender_kind=SenderKind.PRESCRIBER,
        sender_prescriber_organization=world.prescriber_organization,
    )
    return reverse("application_resume", args=[application.pk])


def batch_data(world):
    return {"application_ids": [str(_application(world).pk)], "action": "process"}


def selection_url(url_name, *extra):
    return lambda world: reverse(url_name, args=[UNKNOWN_SELECTION, *extra])


POLICIES = {
    "application_detail_company": Policy(APPLICATION_PAGE, url=application_url("application_detail_company")),
    "application_comment_delete": Policy(APPLICATION_PAGE, url=comment_delete_url),
    "application_external_transfer": Policy(
        APPLICATION_PAGE,
        url=application_url("application_external_transfer", **REFUSED),
    ),
    "application_external_transfer_company": Policy(APPLICATION_PAGE, url=external_transfer_company_url),
    "prior_action_add": Policy(APPLICATION_PAGE, url=prior_action_add_url),
    "prior_action_edit": Policy(APPLICATION_PAGE, url=prior_action_url("prior_action_edit")),
    "prior_action_delete": Policy(APPLICATION_PAGE, url=prior_action_url("prior_action_delete")),
    "applications_batch": Policy(
        logged_in(
            FORBIDDEN,
            **{EMPLOYER: redirect("applications_received"), OTHER_EMPLOYER: redirect("applications_received")},
        ),
        method="post",
        data=batch_data,
    ),
    "applications_postpone": Policy(SELECTION_PAGE, url=selection_url("applications_postpone")),
    "applications_add_to_pool": Policy(SELECTION_PAGE, url=selection_url("applications_add_to_pool")),
    "applications_transfer": Policy(SELECTION_PAGE, url=selection_url("applications_transfer")),
    "refusal_wizard": Policy(SELECTION_PAGE, url=selection_url("refusal_wizard", "motif")),
    "application_resume": Policy(
        logged_in(
            NOT_FOUND,
            **{JOB_SEEKER: OK, AUTHORIZED_PRESCRIBER: OK, EMPLOYER: OK},
        ),
        url=resume_url,
    ),
}
