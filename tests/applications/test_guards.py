"""applications.md §12: guards at submission (sender, company, jobs, sanction, PASS IAE, 24 h, 10 s)."""

import datetime

import pytest
from django.utils import timezone

from inclusion.applications import guards
from inclusion.applications.enums import SenderKind
from inclusion.approvals.enums import SuspensionReason
from inclusion.companies.enums import CompanyKind, CompanySource
from inclusion.utils.dates import today
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory, JobDescriptionFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory

NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
ONE_DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def employer():
    return ProfessionalFactory()


@pytest.fixture
def company(employer):
    company = CompanyFactory(kind=CompanyKind.ACI, with_member=employer)
    company.open_spontaneous_applications()
    return company


@pytest.fixture
def job(company):
    return JobDescriptionFactory(company=company)


@pytest.fixture
def job_seeker():
    return JobSeekerFactory()


def refusal(job_seeker, company, *, sender=None, sender_kind=SenderKind.JOB_SEEKER, selected_jobs=(), **kwargs):
    return guards.submission_refusal_reason(
        job_seeker=job_seeker,
        company=company,
        sender=job_seeker if sender is None else sender,
        sender_kind=sender_kind,
        selected_jobs=selected_jobs,
        **kwargs,
    )


def authorized_prescriber():
    prescriber = ProfessionalFactory()
    organization = PrescriberOrganizationFactory(authorized=True, with_member=prescriber)
    return prescriber, organization


def expired_pass(job_seeker, *, ended_on):
    """A PASS that ended on `ended_on`, whose prescriber diagnosis expired long ago."""
    diagnosis = EligibilityDiagnosisFactory(job_seeker=job_seeker, created_at=NOW - datetime.timedelta(days=3 * 365))
    return ApprovalFactory(
        user=job_seeker,
        start_at=ended_on - datetime.timedelta(days=729),
        end_at=ended_on,
        eligibility_diagnosis=diagnosis,
    )


# Sender (applications.md §12).


def test_job_seeker_applying_for_himself_is_allowed(job_seeker, company, job):
    assert refusal(job_seeker, company, selected_jobs=[job]) is None


def test_job_seeker_cannot_apply_for_another_job_seeker(job_seeker, company, job):
    assert refusal(job_seeker, company, sender=JobSeekerFactory(), selected_jobs=[job]) == guards.SENDER_NOT_ALLOWED


def test_a_professional_cannot_be_the_applicant(company, job):
    professional = ProfessionalFactory()
    assert refusal(professional, company, selected_jobs=[job]) == guards.SENDER_NOT_ALLOWED


def test_employer_of_another_company_is_allowed(job_seeker, company, job):
    other_employer = ProfessionalFactory()
    other_company = CompanyFactory(with_member=other_employer)
    reason = refusal(
        job_seeker,
        company,
        sender=other_employer,
        sender_kind=SenderKind.EMPLOYER,
        sender_company=other_company,
        selected_jobs=[job],
    )
    assert reason is None


@pytest.mark.parametrize("sender_company", [None, "not_member"])
def test_employer_must_act_for_a_company_he_belongs_to(job_seeker, company, job, sender_company):
    sender_company = CompanyFactory(with_member=True) if sender_company else None
    reason = refusal(
        job_seeker,
        company,
        sender=ProfessionalFactory(),
        sender_kind=SenderKind.EMPLOYER,
        sender_company=sender_company,
        selected_jobs=[job],
    )
    assert reason == guards.SENDER_NOT_ALLOWED


def test_authorized_prescriber_is_allowed(job_seeker, company, job):
    prescriber, organization = authorized_prescriber()
    reason = refusal(
        job_seeker,
        company,
        sender=prescriber,
        sender_kind=SenderKind.PRESCRIBER,
        sender_prescriber_organization=organization,
        selected_jobs=[job],
    )
    assert reason is None


def test_orienteur_without_organization_is_allowed(job_seeker, company, job):
    reason = refusal(
        job_seeker, company, sender=ProfessionalFactory(), sender_kind=SenderKind.PRESCRIBER, selected_jobs=[job]
    )
    assert reason is None


def test_prescriber_must_belong_to_the_sender_organization(job_seeker, company, job):
    reason = refusal(
        job_seeker,
        company,
        sender=ProfessionalFactory(),
        sender_kind=SenderKind.PRESCRIBER,
        sender_prescriber_organization=PrescriberOrganizationFactory(authorized=True, with_member=True),
        selected_jobs=[job],
    )
    assert reason == guards.SENDER_NOT_ALLOWED


def test_staff_cannot_apply(job_seeker, company, job):
    reason = refusal(
        job_seeker, company, sender=StaffFactory(), sender_kind=SenderKind.PRESCRIBER, selected_jobs=[job]
    )
    assert reason == guards.SENDER_NOT_ALLOWED


@pytest.mark.parametrize("sender_kind", ["institution", "", None])
def test_institution_members_and_unknown_kinds_cannot_apply(job_seeker, company, job, sender_kind):
    reason = refusal(job_seeker, company, sender=ProfessionalFactory(), sender_kind=sender_kind, selected_jobs=[job])
    assert reason == guards.SENDER_NOT_ALLOWED


# Company (applications.md §12, organizations.md §8.7).


def test_inactive_company_refuses(job_seeker):
    company = CompanyFactory(kind=CompanyKind.ACI, source=CompanySource.ASP, convention=None, with_member=True)
    company.open_spontaneous_applications()
    assert refusal(job_seeker, company) == guards.COMPANY_INACTIVE


def test_company_without_active_member_refuses(job_seeker):
    company = CompanyFactory()
    CompanyMembershipFactory(organization=company, is_active=False, is_admin=False)
    company.open_spontaneous_applications()
    assert refusal(job_seeker, company) == guards.COMPANY_WITHOUT_MEMBERS


def test_blocked_company_refuses_non_members(job_seeker, company, job):
    company.block_applications()
    assert refusal(job_seeker, company, selected_jobs=[job]) == guards.COMPANY_BLOCKED


def test_blocked_company_takes_applications_of_its_members(job_seeker, company, job, employer):
    company.block_applications()
    reason = refusal(
        job_seeker,
        company,
        sender=employer,
        sender_kind=SenderKind.EMPLOYER,
        sender_company=company,
        selected_jobs=[job],
    )
    assert reason is None


# Selected jobs or spontaneous application (applications.md §12).


def test_spontaneous_application_to_an_open_company_is_allowed(job_seeker, company):
    assert refusal(job_seeker, company) is None


def test_spontaneous_application_needs_the_company_open_to_them(job_seeker, company, job):
    company.close_spontaneous_applications()
    assert refusal(job_seeker, company) == guards.SPONTANEOUS_CLOSED
    assert refusal(job_seeker, company, selected_jobs=[job]) is None


def test_selected_jobs_given_by_pk_are_allowed(job_seeker, company, job):
    other_job = JobDescriptionFactory(company=company)
    assert refusal(job_seeker, company, selected_jobs=[job.pk, other_job.pk]) is None


def test_a_closed_selected_job_refuses(job_seeker, company, job):
    closed_job = JobDescriptionFactory(company=company)
    closed_job.close_recruitment()
    assert refusal(job_seeker, company, selected_jobs=[job, closed_job]) == guards.JOB_NOT_OPEN


def test_a_job_of_another_company_refuses(job_seeker, company):
    assert refusal(job_seeker, company, selected_jobs=[JobDescriptionFactory()]) == guards.JOB_NOT_OPEN


# Self-prescription under sanction (control_a_posteriori.md §9).


def test_sanctioned_company_cannot_self_prescribe(job_seeker, company, job, employer, monkeypatch):
    monkeypatch.setattr(guards, "siae_self_prescription_withdrawn", lambda sanctioned, on: sanctioned == company)
    kwargs = {"selected_jobs": [job], "sender": employer, "sender_kind": SenderKind.EMPLOYER}
    assert refusal(job_seeker, company, sender_company=company, **kwargs) == guards.SELF_PRESCRIPTION_WITHDRAWN
    # The sanction targets self-prescription only: the same company still receives other applications.
    assert refusal(job_seeker, company, selected_jobs=[job]) is None


def test_self_prescription_is_allowed_without_sanction(job_seeker, company, job, employer):
    kwargs = {"selected_jobs": [job], "sender": employer, "sender_kind": SenderKind.EMPLOYER}
    assert refusal(job_seeker, company, sender_company=company, **kwargs) is None


# Legacy suspension (pass_iae.md §13.6).


@pytest.mark.parametrize("kind", [CompanyKind.ACI, CompanyKind.GEIQ])
def test_legacy_suspension_in_progress_blocks_applying_anywhere(job_seeker, kind):
    company = CompanyFactory(kind=kind, with_member=True)
    company.open_spontaneous_applications()
    approval = ApprovalFactory(user=job_seeker, start_at=today() - datetime.timedelta(days=100))
    SuspensionFactory(approval=approval, start_at=today(), end_at=today(), reason=SuspensionReason.SICKNESS)
    assert refusal(job_seeker, company) == guards.PASS_IAE_SUSPENDED


@pytest.mark.parametrize(
    ("start_at", "end_at"),
    [(-10, -1), (1, 10)],
    ids=["ended_yesterday", "starts_tomorrow"],
)
def test_legacy_suspension_not_in_progress_does_not_block(job_seeker, company, start_at, end_at):
    approval = ApprovalFactory(user=job_seeker, start_at=today() - datetime.timedelta(days=100))
    SuspensionFactory(
        approval=approval,
        start_at=today() + datetime.timedelta(days=start_at),
        end_at=today() + datetime.timedelta(days=end_at),
        reason=SuspensionReason.SICKNESS,
    )
    assert refusal(job_seeker, company) is None


def test_current_reason_suspension_does_not_block(job_seeker, company):
    approval = ApprovalFactory(user=job_seeker, start_at=today() - datetime.timedelta(days=100))
    SuspensionFactory(approval=approval, reason=SuspensionReason.CONTRACT_SUSPENDED)
    assert refusal(job_seeker, company) is None


# Waiting period (pass_iae.md §8).


def test_waiting_period_blocks_a_job_seeker_applying_to_an_siae(job_seeker, company):
    expired_pass(job_seeker, ended_on=today() - ONE_DAY)
    reason = refusal(job_seeker, company)
    assert "délai de carence" in reason
    assert "09/03/2028" in reason


def test_waiting_period_starts_the_day_after_the_pass_end(job_seeker, company):
    expired_pass(job_seeker, ended_on=today())
    assert refusal(job_seeker, company) is None


def test_waiting_period_elapsed_does_not_block(job_seeker, company):
    expired_pass(job_seeker, ended_on=today() - datetime.timedelta(days=731))
    assert refusal(job_seeker, company) is None


def test_waiting_period_lifted_by_an_authorized_sender_organization(job_seeker, company):
    expired_pass(job_seeker, ended_on=today() - ONE_DAY)
    prescriber, organization = authorized_prescriber()
    reason = refusal(
        job_seeker,
        company,
        sender=prescriber,
        sender_kind=SenderKind.PRESCRIBER,
        sender_prescriber_organization=organization,
    )
    assert reason is None


def test_waiting_period_not_lifted_by_an_orienteur_organization(job_seeker, company):
    expired_pass(job_seeker, ended_on=today() - ONE_DAY)
    prescriber = ProfessionalFactory()
    organization = PrescriberOrganizationFactory(with_member=prescriber)
    reason = refusal(
        job_seeker,
        company,
        sender=prescriber,
        sender_kind=SenderKind.PRESCRIBER,
        sender_prescriber_organization=organization,
    )
    assert "délai de carence" in reason


def test_waiting_period_lifted_by_a_valid_prescriber_diagnosis(job_seeker, company):
    expired_pass(job_seeker, ended_on=today() - ONE_DAY)
    EligibilityDiagnosisFactory(job_seeker=job_seeker)
    assert refusal(job_seeker, company) is None


def test_waiting_period_not_lifted_by_an_employer_diagnosis(job_seeker, company):
    expired_pass(job_seeker, ended_on=today() - ONE_DAY)
    EligibilityDiagnosisFactory(job_seeker=job_seeker, from_employer=True)
    assert "délai de carence" in refusal(job_seeker, company)


@pytest.mark.parametrize("kind", [CompanyKind.GEIQ, CompanyKind.EA])
def test_waiting_period_does_not_apply_outside_siae(job_seeker, kind):
    company = CompanyFactory(kind=kind, with_member=True)
    company.open_spontaneous_applications()
    expired_pass(job_seeker, ended_on=today() - ONE_DAY)
    assert refusal(job_seeker, company) is None


# Same job seeker, same company within 24 h (applications.md §12).


def test_previous_application_less_than_24_hours_ago_refuses(job_seeker, company):
    JobApplicationFactory(
        job_seeker=job_seeker, to_company=company, created_at=NOW - ONE_DAY + datetime.timedelta(seconds=1)
    )
    assert refusal(job_seeker, company) == guards.APPLIED_WITHIN_24_HOURS


def test_previous_application_exactly_24_hours_ago_is_allowed(job_seeker, company):
    JobApplicationFactory(job_seeker=job_seeker, to_company=company, created_at=NOW - ONE_DAY)
    assert refusal(job_seeker, company) is None


def test_recent_applications_elsewhere_or_of_someone_else_do_not_refuse(job_seeker, company):
    JobApplicationFactory(job_seeker=job_seeker, created_at=NOW)
    JobApplicationFactory(to_company=company, created_at=NOW)
    assert refusal(job_seeker, company) is None


def test_self_prescription_is_exempt_from_the_24_hours_rule(job_seeker, company, job, employer):
    JobApplicationFactory(job_seeker=job_seeker, to_company=company, created_at=NOW - datetime.timedelta(hours=1))
    kwargs = {"selected_jobs": [job], "sender": employer, "sender_kind": SenderKind.EMPLOYER}
    assert refusal(job_seeker, company, sender_company=company, **kwargs) is None
    # The same employer acting for another company is not self-prescribing.
    other_company = CompanyFactory(with_member=employer)
    assert refusal(job_seeker, company, sender_company=other_company, **kwargs) == guards.APPLIED_WITHIN_24_HOURS


# Previous application warning (applications.md §12, §13.4).


def test_previous_application_warning_returns_the_latest_previous_application(job_seeker, company):
    JobApplicationFactory(job_seeker=job_seeker, to_company=company, created_at=NOW - datetime.timedelta(days=40))
    latest = JobApplicationFactory(job_seeker=job_seeker, to_company=company, created_at=NOW - ONE_DAY)
    assert guards.previous_application_warning(job_seeker=job_seeker, company=company) == latest


def test_no_previous_application_warning_without_previous_application_to_this_company(job_seeker, company):
    JobApplicationFactory(job_seeker=job_seeker, created_at=NOW - datetime.timedelta(days=3))
    JobApplicationFactory(to_company=company, created_at=NOW - datetime.timedelta(days=3))
    assert guards.previous_application_warning(job_seeker=job_seeker, company=company) is None


# Double submit within 10 s (applications.md §12).


def test_recent_duplicate_within_10_seconds_is_reused(job_seeker, company):
    just_created = JobApplicationFactory(
        job_seeker=job_seeker, to_company=company, created_at=NOW - datetime.timedelta(seconds=9, microseconds=999999)
    )
    assert guards.recent_duplicate(job_seeker=job_seeker, company=company, sender=job_seeker) == just_created


def test_application_exactly_10_seconds_old_is_not_a_duplicate(job_seeker, company):
    JobApplicationFactory(job_seeker=job_seeker, to_company=company, created_at=NOW - datetime.timedelta(seconds=10))
    assert guards.recent_duplicate(job_seeker=job_seeker, company=company, sender=job_seeker) is None


def test_application_by_another_sender_is_not_a_duplicate(job_seeker, company):
    JobApplicationFactory(job_seeker=job_seeker, to_company=company, sent_by_prescriber=True, created_at=NOW)
    assert guards.recent_duplicate(job_seeker=job_seeker, company=company, sender=job_seeker) is None


def test_guards_take_an_explicit_now(job_seeker, company):
    JobApplicationFactory(job_seeker=job_seeker, to_company=company, created_at=NOW)
    later = timezone.now() + ONE_DAY
    assert refusal(job_seeker, company, now=later) is None
    assert guards.recent_duplicate(job_seeker=job_seeker, company=company, sender=job_seeker, now=later) is None
