"""Business situations the PASS IAE screens need beyond `tests/approvals/factories.py`."""

import datetime

from django.utils import timezone

from inclusion.applications.enums import JobApplicationState
from inclusion.approvals.enums import ProlongationReason
from inclusion.approvals.models import ProlongationRequest
from tests.applications.factories import JobApplicationFactory


def hire(approval, company, *, accepted_at=None, hiring_start_at=None):
    """An accepted application of `company` carrying `approval` (the hiring that gives the company its rights)."""
    return JobApplicationFactory(
        job_seeker=approval.user,
        to_company=company,
        state=JobApplicationState.ACCEPTED,
        hiring_start_at=hiring_start_at or approval.start_at,
        accepted_at=accepted_at or timezone.now(),
        approval=approval,
        eligibility_diagnosis=approval.eligibility_diagnosis,
    )


def pending_request(approval, *, siae, organization, days=90, reason=ProlongationReason.RQTH):
    """A pending prolongation request from `siae` addressed to `organization` (a bare row, no rule applied)."""
    return ProlongationRequest.objects.create(
        approval=approval,
        start_at=approval.end_at,
        end_at=approval.end_at + datetime.timedelta(days=days),
        reason=reason,
        declared_by_siae=siae,
        prescriber_organization=organization,
    )
