"""Factories and helpers for the suspension and prolongation tests (pass_iae.md §13–§15)."""

import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from inclusion.applications.enums import JobApplicationState
from inclusion.approvals.enums import ProlongationReason, ProlongationRequestStatus
from inclusion.approvals.models import Prolongation, ProlongationRequest
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory
from tests.companies.factories import CompanyFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.factories import ProfessionalFactory
from tests.utils.upload_samples import xlsx_bytes


def hire(approval, company, *, hiring_start_at=None, accepted_at=None):
    """An accepted application of `company` carrying `approval` (the hiring that gives the company its rights)."""
    return JobApplicationFactory(
        job_seeker=approval.user,
        to_company=company,
        state=JobApplicationState.ACCEPTED,
        hiring_start_at=hiring_start_at or approval.start_at,
        accepted_at=accepted_at,
        approval=approval,
        eligibility_diagnosis=approval.eligibility_diagnosis,
    )


def approval_ending(end_at, *, hired_by=None):
    """A 730-day PASS ending on `end_at`, hired with by `hired_by` (a company) on its first day."""
    return ApprovalFactory(start_at=end_at - datetime.timedelta(days=729), end_at=end_at, with_hiring=hired_by)


def xlsx_file(name="bilan.xlsx", *, padding=0):
    """A real .xlsx (one sheet, no macros, opened by openpyxl); `padding` bytes of stored noise make it bigger."""
    return SimpleUploadedFile(name, xlsx_bytes(padding=padding), content_type="application/octet-stream")


class ProlongationFactory(factory.django.DjangoModelFactory):
    """A bare prolongation row starting at the PASS end: it does not move the PASS end (the rules do)."""

    class Meta:
        model = Prolongation

    approval = factory.SubFactory(ApprovalFactory)
    start_at = factory.LazyAttribute(lambda p: p.approval.end_at)
    end_at = factory.LazyAttribute(lambda p: p.start_at + datetime.timedelta(days=30))
    reason = ProlongationReason.COMPLETE_TRAINING
    declared_by_siae = factory.SubFactory(CompanyFactory)
    declared_by = factory.SubFactory(ProfessionalFactory)


class ProlongationRequestFactory(factory.django.DjangoModelFactory):
    """A pending request addressed to an authorized organization whose admin member is the assignee."""

    class Meta:
        model = ProlongationRequest
        skip_postgeneration_save = True

    approval = factory.SubFactory(ApprovalFactory)
    start_at = factory.LazyAttribute(lambda r: r.approval.end_at)
    end_at = factory.LazyAttribute(lambda r: r.start_at + datetime.timedelta(days=90))
    reason = ProlongationReason.RQTH
    status = ProlongationRequestStatus.PENDING
    declared_by_siae = factory.SubFactory(CompanyFactory)
    declared_by = factory.SubFactory(ProfessionalFactory)
    created_by = factory.SelfAttribute("declared_by")
    assigned_to = factory.SubFactory(ProfessionalFactory)
    prescriber_organization = factory.SubFactory(PrescriberOrganizationFactory, authorized=True)
    created_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def assignee_is_a_member(obj, create, extracted, **kwargs):
        organization, assignee = obj.prescriber_organization, obj.assigned_to
        if create and organization and assignee and not organization.memberships.filter(user=assignee).exists():
            PrescriberMembershipFactory(organization=organization, user=assignee, is_admin=True)
