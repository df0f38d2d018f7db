"""Who may see and act on a PASS IAE (pass_iae.md §17, §13.3, §14.2, §15.3): inclusion/approvals/perms.py."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from inclusion.applications.enums import SenderKind
from inclusion.approvals import perms
from inclusion.approvals.models import Prolongation
from inclusion.companies.enums import CompanyKind, CompanySource
from inclusion.companies.models import Convention
from inclusion.users.enums import AssignmentAction
from inclusion.users.models import upsert_assignment
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.approvals.factories_approval_screens import hire, pending_request
from tests.approvals.screens import LOADINGS, as_loaded_by, employer_of
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel("2026-03-10 12:00 +01:00", tick=False):
        yield


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def prescriber_of(organization):
    user = ProfessionalFactory()
    PrescriberMembershipFactory(organization=organization, user=user, is_admin=False)
    return user


@pytest.fixture
def approval(company):
    """A PASS in progress (started 100 days ago) of a person hired by `company`."""
    approval = ApprovalFactory(start_at=TODAY - 100 * DAY)
    hire(approval, company, accepted_at=at(TODAY - 100 * DAY))
    return approval


@pytest.fixture
def ending_approval(company):
    """A PASS ending in 200 days: inside the prolongation window (pass_iae.md §14.2, 12 months before its end)."""
    approval = ApprovalFactory(start_at=TODAY - 529 * DAY)
    hire(approval, company, accepted_at=at(TODAY - 529 * DAY))
    return approval


# can_view_approval ---------------------------------------------------------------------------------------------------


class TestCanViewApproval:
    def test_holder(self, approval):
        assert perms.can_view_approval(approval.user, None, approval)

    def test_another_job_seeker(self, approval):
        assert not perms.can_view_approval(JobSeekerFactory(), None, approval)

    def test_anonymous(self, approval):
        assert not perms.can_view_approval(AnonymousUser(), None, approval)

    def test_staff_outside_the_back_office(self, approval):
        assert not perms.can_view_approval(StaffFactory(), None, approval)

    def test_member_of_the_hiring_company(self, approval, company):
        assert perms.can_view_approval(employer_of(company), company, approval)

    def test_company_that_received_an_application_without_hiring(self, approval):
        other = CompanyFactory(kind=CompanyKind.EI)
        JobApplicationFactory(job_seeker=approval.user, to_company=other)
        assert perms.can_view_approval(employer_of(other), other, approval)

    def test_company_that_sent_an_application(self, approval):
        sender = CompanyFactory(kind=CompanyKind.GEIQ)
        JobApplicationFactory(
            job_seeker=approval.user,
            sender_kind=SenderKind.EMPLOYER,
            sender_company=sender,
            sender=ProfessionalFactory(),
        )
        assert perms.can_view_approval(employer_of(sender), sender, approval)

    @pytest.mark.parametrize("loading", LOADINGS)
    def test_the_same_answers_when_the_page_prefetched_the_hirings(self, approval, company, loading):
        """The PASS pages know the hiring companies from their prefetch; the others still ask the database."""
        received_only = CompanyFactory(kind=CompanyKind.EI)
        JobApplicationFactory(job_seeker=approval.user, to_company=received_only)
        stranger = CompanyFactory()
        loaded = as_loaded_by(loading, approval)
        assert perms.can_view_approval(employer_of(company), company, loaded)
        assert perms.can_view_approval(employer_of(received_only), received_only, loaded)
        assert not perms.can_view_approval(employer_of(stranger), stranger, loaded)

    def test_company_without_application_for_the_person(self, approval):
        other = CompanyFactory()
        JobApplicationFactory(to_company=other)  # someone else's application
        assert not perms.can_view_approval(employer_of(other), other, approval)

    def test_rights_come_from_the_current_organization_only(self, approval, company):
        user = employer_of(company)
        other = CompanyFactory()
        CompanyMembershipFactory(organization=other, user=user)
        assert not perms.can_view_approval(user, other, approval)
        assert perms.can_view_approval(user, company, approval)

    def test_not_a_member_of_the_company_given(self, approval, company):
        assert not perms.can_view_approval(ProfessionalFactory(), company, approval)

    def test_inactive_member(self, approval, company):
        user = ProfessionalFactory()
        CompanyMembershipFactory(organization=company, user=user, is_admin=False, is_active=False)
        assert not perms.can_view_approval(user, company, approval)

    def test_company_after_its_grace_period(self, approval):
        # organizations.md §8.4: usable 30 days after the convention ends, not after.
        convention = Convention.objects.create(
            asp_id=1234, kind=CompanyKind.ACI, siret_signature="81234567800011", is_active=False
        )
        company = CompanyFactory(kind=CompanyKind.ACI, source=CompanySource.ASP, convention=convention)
        hire(approval, company)
        user = employer_of(company)
        convention.deactivated_at = timezone.now() - datetime.timedelta(days=29)
        convention.save()
        assert perms.can_view_approval(user, company, approval)
        convention.deactivated_at = timezone.now() - datetime.timedelta(days=31)
        convention.save()
        assert not perms.can_view_approval(user, company, approval)

    def test_authorized_prescriber_with_an_assignment_to_this_person(self, approval):
        organization = PrescriberOrganizationFactory(authorized=True)
        user = prescriber_of(organization)
        upsert_assignment(
            job_seeker=approval.user,
            professional=user,
            action=AssignmentAction.CREATE,
            prescriber_organization=organization,
        )
        assert perms.can_view_approval(user, organization, approval)

    def test_assignment_of_a_colleague_counts_for_the_organization(self, approval):
        organization = PrescriberOrganizationFactory(authorized=True)
        upsert_assignment(
            job_seeker=approval.user,
            professional=prescriber_of(organization),
            action=AssignmentAction.APPLY,
            prescriber_organization=organization,
        )
        assert perms.can_view_approval(prescriber_of(organization), organization, approval)

    def test_authorized_prescriber_that_sent_an_application_for_this_person(self, approval):
        organization = PrescriberOrganizationFactory(authorized=True)
        JobApplicationFactory(
            job_seeker=approval.user,
            sender_kind=SenderKind.PRESCRIBER,
            sender=ProfessionalFactory(),
            sender_prescriber_organization=organization,
        )
        assert perms.can_view_approval(prescriber_of(organization), organization, approval)

    def test_authorized_prescriber_that_made_the_diagnosis(self, approval):
        organization = approval.eligibility_diagnosis.author_prescriber_organization
        assert perms.can_view_approval(prescriber_of(organization), organization, approval)

    def test_authorized_prescriber_following_another_person(self, approval):
        # pass_iae.md §17 "Reference differs": following some job seeker is not enough.
        organization = PrescriberOrganizationFactory(authorized=True)
        user = prescriber_of(organization)
        upsert_assignment(
            job_seeker=JobSeekerFactory(),
            professional=user,
            action=AssignmentAction.CREATE,
            prescriber_organization=organization,
        )
        assert not perms.can_view_approval(user, organization, approval)

    def test_assignment_in_another_organization_does_not_count(self, approval):
        organization = PrescriberOrganizationFactory(authorized=True)
        user = prescriber_of(organization)
        upsert_assignment(job_seeker=approval.user, professional=user, action=AssignmentAction.CREATE)
        assert not perms.can_view_approval(user, organization, approval)

    def test_orienteur_following_the_person(self, approval):
        organization = PrescriberOrganizationFactory()  # not authorized
        user = prescriber_of(organization)
        upsert_assignment(
            job_seeker=approval.user,
            professional=user,
            action=AssignmentAction.CREATE,
            prescriber_organization=organization,
        )
        assert not perms.can_view_approval(user, organization, approval)

    def test_institution_member(self, approval):
        user = ProfessionalFactory()
        institution = InstitutionFactory(with_member=user)
        assert not perms.can_view_approval(user, institution, approval)


# can_suspend / can_edit_suspension -----------------------------------------------------------------------------------


class TestCanSuspend:
    def test_member_of_the_last_hiring_siae(self, approval, company):
        assert perms.can_suspend(employer_of(company), company, approval)

    def test_company_that_received_an_application_but_did_not_hire(self, approval):
        other = CompanyFactory(kind=CompanyKind.EI)
        JobApplicationFactory(job_seeker=approval.user, to_company=other)
        user = employer_of(other)
        assert perms.can_view_approval(user, other, approval)
        assert not perms.can_suspend(user, other, approval)

    def test_earlier_hiring_siae_cannot(self, approval, company):
        later = CompanyFactory(kind=CompanyKind.EI)
        hire(approval, later, accepted_at=at(TODAY - 10 * DAY), hiring_start_at=TODAY - 10 * DAY)
        assert not perms.can_suspend(employer_of(company), company, approval)
        assert perms.can_suspend(employer_of(later), later, approval)

    def test_not_a_member(self, approval, company):
        assert not perms.can_suspend(ProfessionalFactory(), company, approval)

    def test_holder_and_prescriber_cannot(self, approval):
        organization = approval.eligibility_diagnosis.author_prescriber_organization
        assert not perms.can_suspend(approval.user, None, approval)
        assert not perms.can_suspend(prescriber_of(organization), organization, approval)

    def test_not_while_already_suspended(self, approval, company):
        SuspensionFactory(approval=approval, start_at=TODAY - 5 * DAY, end_at=TODAY + 5 * DAY)
        assert not perms.can_suspend(employer_of(company), company, approval)

    def test_not_a_pass_not_yet_started(self, company):
        approval = ApprovalFactory(start_at=TODAY + DAY)
        hire(approval, company)
        assert not perms.can_suspend(employer_of(company), company, approval)


class TestCanEditSuspension:
    def test_in_progress_suspension_by_the_last_hiring_siae(self, approval, company):
        suspension = SuspensionFactory(approval=approval, siae=company, start_at=TODAY - 5 * DAY, end_at=TODAY)
        assert perms.can_edit_suspension(employer_of(company), company, suspension)

    def test_finished_suspension(self, approval, company):
        suspension = SuspensionFactory(approval=approval, siae=company, start_at=TODAY - 9 * DAY, end_at=TODAY - DAY)
        assert not perms.can_edit_suspension(employer_of(company), company, suspension)

    def test_other_company(self, approval, company):
        suspension = SuspensionFactory(approval=approval, siae=company, start_at=TODAY - 5 * DAY, end_at=TODAY)
        other = CompanyFactory(kind=CompanyKind.EI)
        JobApplicationFactory(job_seeker=approval.user, to_company=other)
        assert not perms.can_edit_suspension(employer_of(other), other, suspension)


# can_prolong -------------------------------------------------------------------------------------------------------


class TestCanProlong:
    def test_hiring_siae_inside_the_window(self, ending_approval, company):
        assert perms.can_prolong(employer_of(company), company, ending_approval)

    def test_earlier_hiring_siae_can_prolong_but_not_suspend(self, ending_approval, company):
        later = CompanyFactory(kind=CompanyKind.EI)
        hire(ending_approval, later, accepted_at=at(TODAY - 10 * DAY), hiring_start_at=TODAY - 10 * DAY)
        user = employer_of(company)
        assert perms.can_prolong(user, company, ending_approval)
        assert not perms.can_suspend(user, company, ending_approval)

    def test_company_that_did_not_hire(self, ending_approval):
        other = CompanyFactory(kind=CompanyKind.EI)
        JobApplicationFactory(job_seeker=ending_approval.user, to_company=other)
        assert not perms.can_prolong(employer_of(other), other, ending_approval)

    def test_outside_the_window(self, approval, company):
        # Ends in 629 days: more than 12 months ahead.
        assert not perms.can_prolong(employer_of(company), company, approval)

    def test_not_a_member(self, ending_approval, company):
        assert not perms.can_prolong(ProfessionalFactory(), company, ending_approval)

    def test_holder_cannot(self, ending_approval):
        assert not perms.can_prolong(ending_approval.user, None, ending_approval)


# Prolongation requests ----------------------------------------------------------------------------------------------


class TestProlongationRequests:
    def test_authorized_member_processes(self):
        organization = PrescriberOrganizationFactory(authorized=True)
        assert perms.can_process_prolongation_requests(prescriber_of(organization), organization)

    def test_orienteur_employer_and_job_seeker_do_not(self, company):
        orienteur_organization = PrescriberOrganizationFactory()
        assert not perms.can_process_prolongation_requests(
            prescriber_of(orienteur_organization), orienteur_organization
        )
        assert not perms.can_process_prolongation_requests(employer_of(company), company)
        assert not perms.can_process_prolongation_requests(JobSeekerFactory(), None)
        assert not perms.can_process_prolongation_requests(AnonymousUser(), None)

    def test_any_member_of_the_addressed_organization(self, ending_approval, company):
        organization = PrescriberOrganizationFactory(authorized=True)
        request = pending_request(ending_approval, siae=company, organization=organization)
        assert perms.can_process_request(prescriber_of(organization), organization, request)

    def test_another_authorized_organization(self, ending_approval, company):
        organization, other = (
            PrescriberOrganizationFactory(authorized=True),
            PrescriberOrganizationFactory(authorized=True),
        )
        request = pending_request(ending_approval, siae=company, organization=organization)
        assert not perms.can_process_request(prescriber_of(other), other, request)

    def test_member_acting_for_another_organization(self, ending_approval, company):
        organization, other = (
            PrescriberOrganizationFactory(authorized=True),
            PrescriberOrganizationFactory(authorized=True),
        )
        request = pending_request(ending_approval, siae=company, organization=organization)
        user = prescriber_of(organization)
        PrescriberMembershipFactory(organization=other, user=user)
        assert not perms.can_process_request(user, other, request)


class TestCanDownloadReportFile:
    def test_member_of_the_addressed_organization(self, ending_approval, company):
        organization = PrescriberOrganizationFactory(authorized=True)
        request = pending_request(ending_approval, siae=company, organization=organization)
        assert perms.can_download_report_file(prescriber_of(organization), organization, request)

    def test_granted_prolongation_too(self, ending_approval, company):
        organization = PrescriberOrganizationFactory(authorized=True)
        prolongation = Prolongation.objects.create(
            approval=ending_approval,
            start_at=ending_approval.end_at,
            end_at=ending_approval.end_at + 30 * DAY,
            reason="RQTH",
            declared_by_siae=company,
            prescriber_organization=organization,
        )
        assert perms.can_download_report_file(prescriber_of(organization), organization, prolongation)

    def test_declaring_employer_and_other_prescribers_cannot(self, ending_approval, company):
        organization = PrescriberOrganizationFactory(authorized=True)
        request = pending_request(ending_approval, siae=company, organization=organization)
        other = PrescriberOrganizationFactory(authorized=True)
        assert not perms.can_download_report_file(employer_of(company), company, request)
        assert not perms.can_download_report_file(prescriber_of(other), other, request)
        assert not perms.can_download_report_file(ending_approval.user, None, request)


# Lists --------------------------------------------------------------------------------------------------------------


class TestApprovalsVisibleTo:
    def test_siae_lists_only_the_pass_of_its_accepted_applications(self, approval, company):
        received_only = ApprovalFactory()
        JobApplicationFactory(job_seeker=received_only.user, to_company=company)
        someone_else = ApprovalFactory(with_hiring=CompanyFactory())
        visible = perms.approvals_visible_to(employer_of(company), company)
        assert list(visible) == [approval]
        assert someone_else not in visible

    def test_one_row_per_pass_hired_twice_by_the_same_company(self, approval, company):
        hire(approval, company, accepted_at=at(TODAY - DAY))
        assert list(perms.approvals_visible_to(employer_of(company), company)) == [approval]

    def test_non_member(self, approval, company):
        assert list(perms.approvals_visible_to(ProfessionalFactory(), company)) == []

    def test_job_seeker_sees_their_own(self, approval):
        ApprovalFactory()
        assert list(perms.approvals_visible_to(approval.user, None)) == [approval]

    def test_authorized_prescriber_sees_the_pass_of_the_people_it_follows(self, approval):
        organization = approval.eligibility_diagnosis.author_prescriber_organization
        ApprovalFactory()
        assert list(perms.approvals_visible_to(prescriber_of(organization), organization)) == [approval]

    def test_orienteur_and_institution_see_none(self, approval):
        orienteur_organization = PrescriberOrganizationFactory()
        JobApplicationFactory(
            job_seeker=approval.user,
            sender_kind=SenderKind.PRESCRIBER,
            sender=ProfessionalFactory(),
            sender_prescriber_organization=orienteur_organization,
        )
        institution_member = ProfessionalFactory()
        institution = InstitutionFactory(with_member=institution_member)
        assert list(perms.approvals_visible_to(prescriber_of(orienteur_organization), orienteur_organization)) == []
        assert list(perms.approvals_visible_to(institution_member, institution)) == []

    def test_can_list_approvals(self, company):
        geiq = CompanyFactory(kind=CompanyKind.GEIQ)
        assert perms.can_list_approvals(employer_of(company), company)
        assert not perms.can_list_approvals(employer_of(geiq), geiq)
        assert not perms.can_list_approvals(ProfessionalFactory(), company)
        assert not perms.can_list_approvals(JobSeekerFactory(), None)


def test_the_membership_answer_is_remembered_per_user_not_per_organization(db):
    member, outsider = ProfessionalFactory(), ProfessionalFactory()
    company = CompanyFactory(with_member=member)
    approval = ApprovalFactory(with_hiring=company)
    assert perms.can_view_approval(member, company, approval)
    assert not perms.can_view_approval(outsider, company, approval)  # same organization object, another person
