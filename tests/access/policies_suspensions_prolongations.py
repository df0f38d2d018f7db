"""Access policies: suspensions, prolongations and prolongation requests (pass_iae.md §13, §14, §15).

- Suspension and prolongation pages are for employers: every other role gets a 403 whatever the PASS; the EMPLOYER
  persona's company hired world.job_seeker with the PASS and may act; the OTHER_EMPLOYER persona's company never
  heard of the person, so the PASS is not disclosed (404).
- Prolongation request pages are for authorized prescribers: every other role gets a 403; the requests are addressed
  to world.prescriber_organization, whose admin is the AUTHORIZED_PRESCRIBER persona.
"""

import datetime

from django.core.files.base import ContentFile
from django.urls import reverse

from inclusion.approvals import suspensions
from inclusion.approvals.enums import SuspensionReason
from inclusion.utils.dates import today
from tests.access.personas import AUTHORIZED_PRESCRIBER, EMPLOYER, OTHER_EMPLOYER
from tests.access.rules import FORBIDDEN, NOT_FOUND, OK, Policy, logged_in, redirect
from tests.approvals.factories import ApprovalFactory
from tests.approvals.factories_suspensions_prolongations import ProlongationRequestFactory

# pass_iae.md §14.2: a PASS may be prolonged from 12 months before its end; this one ends in 100 days.
DAYS_BEFORE_PROLONGABLE_END = 100
SUSPENSION_DAYS = 30

EMPLOYER_ONLY = logged_in(FORBIDDEN, **{EMPLOYER: OK, OTHER_EMPLOYER: NOT_FOUND})
AUTHORIZED_PRESCRIBER_ONLY = logged_in(FORBIDDEN, **{AUTHORIZED_PRESCRIBER: OK})


def hired_approval(world, **fields):
    """A PASS of world.job_seeker hired by world.company."""
    return ApprovalFactory(user=world.job_seeker, with_hiring=world.company, **fields)


def approval_url(url_name):
    return lambda world: reverse(url_name, args=[hired_approval(world).public_id])


def prolongable_approval_url(world):
    end_at = today() + datetime.timedelta(days=DAYS_BEFORE_PROLONGABLE_END)
    approval = hired_approval(world, start_at=end_at - datetime.timedelta(days=729), end_at=end_at)
    return reverse("prolongation_declare", args=[approval.public_id])


def suspension_url(url_name):
    """An ongoing suspension made through the rules by world.company, the last hiring SIAE."""

    def url(world):
        suspension = suspensions.suspension_create(
            approval=hired_approval(world),
            siae=world.company,
            start_at=today(),
            end_at=today() + datetime.timedelta(days=SUSPENSION_DAYS),
            reason=SuspensionReason.CONTRACT_SUSPENDED,
            by_user=world.user(EMPLOYER),
        )
        return reverse(url_name, args=[suspension.public_id])

    return url


def request_url(url_name, *, with_report_file=False):
    """A pending request from world.company addressed to world.prescriber_organization."""

    def url(world):
        prolongation_request = ProlongationRequestFactory(
            approval=hired_approval(world),
            declared_by_siae=world.company,
            declared_by=world.user(EMPLOYER),
            prescriber_organization=world.prescriber_organization,
            assigned_to=world.user(AUTHORIZED_PRESCRIBER),
        )
        if with_report_file:
            prolongation_request.report_file.save("fiche.xlsx", ContentFile(b"PK\x03\x04"))
        return reverse(url_name, args=[prolongation_request.public_id])

    return url


POLICIES = {
    "suspension_create": Policy(EMPLOYER_ONLY, url=approval_url("suspension_create")),
    "suspension_update": Policy(EMPLOYER_ONLY, url=suspension_url("suspension_update")),
    "suspension_end_early": Policy(EMPLOYER_ONLY, url=suspension_url("suspension_end_early")),
    "suspension_delete": Policy(EMPLOYER_ONLY, url=suspension_url("suspension_delete")),
    "prolongation_declare": Policy(EMPLOYER_ONLY, url=prolongable_approval_url),
    "prolongation_requests": Policy(AUTHORIZED_PRESCRIBER_ONLY),
    "prolongation_request_detail": Policy(AUTHORIZED_PRESCRIBER_ONLY, url=request_url("prolongation_request_detail")),
    "prolongation_request_grant": Policy(
        logged_in(FORBIDDEN, **{AUTHORIZED_PRESCRIBER: redirect("prolongation_requests")}),
        url=request_url("prolongation_request_grant"),
        method="post",
    ),
    "prolongation_request_deny": Policy(AUTHORIZED_PRESCRIBER_ONLY, url=request_url("prolongation_request_deny")),
    "prolongation_request_report": Policy(
        AUTHORIZED_PRESCRIBER_ONLY, url=request_url("prolongation_request_report", with_report_file=True)
    ),
}
