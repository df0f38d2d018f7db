"""`submission.submit` (applications.md §4, §12, §18.10): the one way to create an application, the guards run again
under a lock, the 10-second double submit, the 24-hour rule, the follow-up assignment and the resume."""

import datetime

import pytest

from inclusion.applications import guards, submission
from inclusion.applications.enums import JobApplicationState, SenderKind
from inclusion.applications.models import JobApplication
from inclusion.companies.enums import CompanyKind
from inclusion.users.enums import AssignmentAction
from inclusion.users.models import JobSeekerAssignment
from tests.applications.factories import JobApplicationFactory, pdf_upload
from tests.companies.factories import CompanyFactory, JobDescriptionFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
SECOND = datetime.timedelta(seconds=1)
DAY = datetime.timedelta(hours=24)

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
def job_seeker():
    return JobSeekerFactory()


@pytest.fixture
def prescriber():
    return ProfessionalFactory()


@pytest.fixture
def organization(prescriber):
    return PrescriberOrganizationFactory(authorized=True, with_member=prescriber)


def apply_as_job_seeker(job_seeker, company, *, now=None, **kwargs):
    return submission.submit(
        job_seeker=job_seeker,
        company=company,
        sender=job_seeker,
        sender_kind=SenderKind.JOB_SEEKER,
        message="Bonjour",
        now=now,
        **kwargs,
    )


def apply_as_prescriber(job_seeker, company, prescriber, organization, **kwargs):
    return submission.submit(
        job_seeker=job_seeker,
        company=company,
        sender=prescriber,
        sender_kind=SenderKind.PRESCRIBER,
        sender_prescriber_organization=organization,
        message="Je vous présente une candidate motivée.",
        **kwargs,
    )


def self_prescribe(job_seeker, company, employer, *, now=None):
    return submission.submit(
        job_seeker=job_seeker,
        company=company,
        sender=employer,
        sender_kind=SenderKind.EMPLOYER,
        sender_company=company,
        now=now,
    )


class TestCreation:
    def test_a_job_seeker_applies_for_themselves(self, job_seeker, company):
        job = JobDescriptionFactory(company=company)
        result = apply_as_job_seeker(job_seeker, company, selected_jobs=[job])
        job_application = result.job_application
        assert result.created
        assert job_application.state == JobApplicationState.NEW
        assert job_application.sender == job_seeker
        assert job_application.sender_kind == SenderKind.JOB_SEEKER
        assert job_application.sender_company is None
        assert job_application.sender_prescriber_organization is None
        assert list(job_application.selected_jobs.all()) == [job]
        assert job_application.message == "Bonjour"
        assert job_application.created_at == NOW
        # applications.md §4: only proxy submissions record who follows the person.
        assert not JobSeekerAssignment.objects.exists()

    def test_a_prescriber_orients_for_their_organization(self, job_seeker, company, prescriber, organization):
        job_application = apply_as_prescriber(job_seeker, company, prescriber, organization).job_application
        assert job_application.sender_kind == SenderKind.PRESCRIBER
        assert job_application.sender_prescriber_organization == organization
        assert job_application.sender_company is None
        assert job_application.selected_jobs.count() == 0  # spontaneous

    def test_an_employer_applies_for_a_person_to_another_company(self, job_seeker, company):
        other_employer = ProfessionalFactory()
        other_company = CompanyFactory(with_member=other_employer)
        job_application = submission.submit(
            job_seeker=job_seeker,
            company=company,
            sender=other_employer,
            sender_kind=SenderKind.EMPLOYER,
            sender_company=other_company,
            message="Candidature transmise par notre structure.",
        ).job_application
        assert job_application.sender_company == other_company
        assert job_application.sender_prescriber_organization is None

    def test_the_resume_is_stored_under_a_random_name(self, job_seeker, company):
        job_application = apply_as_job_seeker(
            job_seeker, company, resume=pdf_upload("CV Sophie Durand.pdf")
        ).job_application
        job_application.refresh_from_db()
        assert job_application.resume.name.startswith("resumes/")
        assert job_application.resume.name.endswith(".pdf")
        assert "Durand" not in job_application.resume.name
        assert job_application.resume.read().startswith(b"%PDF-")

    def test_two_resumes_never_share_a_name(self, company):
        first = apply_as_job_seeker(JobSeekerFactory(), company, resume=pdf_upload()).job_application
        second = apply_as_job_seeker(JobSeekerFactory(), company, resume=pdf_upload()).job_application
        assert first.resume.name != second.resume.name

    def test_no_resume_leaves_the_field_empty(self, job_seeker, company):
        assert not apply_as_job_seeker(job_seeker, company).job_application.resume


class TestDoubleSubmit:
    """applications.md §12, §18.10: a double submit within 10 s returns the application created by the first."""

    def test_a_second_submit_9_seconds_later_returns_the_first_application(self, job_seeker, company):
        first = apply_as_job_seeker(job_seeker, company, now=NOW - 9 * SECOND)
        second = apply_as_job_seeker(job_seeker, company)
        assert second.created is False
        assert second.job_application == first.job_application
        assert JobApplication.objects.count() == 1

    def test_at_10_seconds_it_is_no_double_submit_and_the_24_hours_rule_refuses(self, job_seeker, company):
        apply_as_job_seeker(job_seeker, company, now=NOW - 10 * SECOND)
        with pytest.raises(submission.SubmissionRefused) as refusal:
            apply_as_job_seeker(job_seeker, company)
        assert refusal.value.messages == [guards.APPLIED_WITHIN_24_HOURS]
        assert JobApplication.objects.count() == 1

    def test_a_self_prescription_10_seconds_later_creates_a_second_application(self, job_seeker, company, employer):
        self_prescribe(job_seeker, company, employer, now=NOW - 10 * SECOND)
        assert self_prescribe(job_seeker, company, employer).created
        assert JobApplication.objects.count() == 2

    def test_a_double_submit_returns_the_first_even_when_the_guards_would_now_refuse(self, job_seeker, company):
        first = apply_as_job_seeker(job_seeker, company, now=NOW - 2 * SECOND)
        company.block_applications()
        assert apply_as_job_seeker(job_seeker, company).job_application == first.job_application

    def test_another_sender_within_10_seconds_is_not_a_double_submit(
        self, job_seeker, company, prescriber, organization
    ):
        apply_as_job_seeker(job_seeker, company, now=NOW - 2 * SECOND)
        with pytest.raises(submission.SubmissionRefused):
            apply_as_prescriber(job_seeker, company, prescriber, organization)


class TestTwentyFourHours:
    """applications.md §12, §18.10: no second application of the same person to the same company within 24 h."""

    @pytest.mark.parametrize(
        "age,refused",
        [(DAY - SECOND, True), (DAY, False), (DAY + SECOND, False)],
        ids=["24h-minus-1s", "exactly-24h", "24h-plus-1s"],
    )
    def test_boundaries(self, job_seeker, company, age, refused):
        JobApplicationFactory(job_seeker=job_seeker, to_company=company, created_at=NOW - age)
        if refused:
            with pytest.raises(submission.SubmissionRefused) as refusal:
                apply_as_job_seeker(job_seeker, company)
            assert refusal.value.messages == [guards.APPLIED_WITHIN_24_HOURS]
        else:
            assert apply_as_job_seeker(job_seeker, company).created

    def test_another_company_is_not_concerned(self, job_seeker, company):
        JobApplicationFactory(job_seeker=job_seeker, created_at=NOW - SECOND * 60)
        assert apply_as_job_seeker(job_seeker, company).created

    def test_a_self_prescription_is_exempt(self, job_seeker, company, employer):
        JobApplicationFactory(job_seeker=job_seeker, to_company=company, created_at=NOW - DAY / 2)
        assert self_prescribe(job_seeker, company, employer).created


class TestGuardsAtSubmission:
    """The wizard checked step by step; `submit` checks again at the moment of creation (applications.md §12)."""

    def test_a_company_blocked_meanwhile_refuses(self, job_seeker, company):
        company.block_applications()
        with pytest.raises(submission.SubmissionRefused) as refusal:
            apply_as_job_seeker(job_seeker, company)
        assert refusal.value.messages == [guards.COMPANY_BLOCKED]
        assert not JobApplication.objects.exists()

    def test_a_blocked_company_still_takes_its_own_self_prescription(self, job_seeker, company, employer):
        job = JobDescriptionFactory(company=company)
        company.block_applications()  # organizations.md §8.7: refuses non-members only (and spontaneous ones)
        result = submission.submit(
            job_seeker=job_seeker,
            company=company,
            sender=employer,
            sender_kind=SenderKind.EMPLOYER,
            sender_company=company,
            selected_jobs=[job],
        )
        assert result.created

    def test_a_job_closed_meanwhile_refuses(self, job_seeker, company):
        job = JobDescriptionFactory(company=company)
        job.close_recruitment()
        with pytest.raises(submission.SubmissionRefused) as refusal:
            apply_as_job_seeker(job_seeker, company, selected_jobs=[job])
        assert refusal.value.messages == [guards.JOB_NOT_OPEN]

    def test_spontaneous_applications_closed_meanwhile_refuse(self, job_seeker, company):
        company.close_spontaneous_applications()
        with pytest.raises(submission.SubmissionRefused) as refusal:
            apply_as_job_seeker(job_seeker, company)
        assert refusal.value.messages == [guards.SPONTANEOUS_CLOSED]

    def test_a_company_without_members_refuses(self, job_seeker):
        company = CompanyFactory()
        company.open_spontaneous_applications()
        with pytest.raises(submission.SubmissionRefused) as refusal:
            apply_as_job_seeker(job_seeker, company)
        assert refusal.value.messages == [guards.COMPANY_WITHOUT_MEMBERS]

    def test_a_sanctioned_siae_cannot_self_prescribe(self, job_seeker, company, employer, monkeypatch):
        monkeypatch.setattr(guards, "siae_self_prescription_withdrawn", lambda sanctioned, on: sanctioned == company)
        with pytest.raises(submission.SubmissionRefused) as refusal:
            self_prescribe(job_seeker, company, employer)
        assert refusal.value.messages == [guards.SELF_PRESCRIPTION_WITHDRAWN]

    def test_someone_applying_for_another_job_seeker_is_refused(self, job_seeker, company):
        with pytest.raises(submission.SubmissionRefused) as refusal:
            submission.submit(
                job_seeker=job_seeker, company=company, sender=JobSeekerFactory(), sender_kind=SenderKind.JOB_SEEKER
            )
        assert refusal.value.messages == [guards.SENDER_NOT_ALLOWED]

    def test_a_prescriber_outside_the_organization_is_refused(self, job_seeker, company, organization):
        with pytest.raises(submission.SubmissionRefused):
            apply_as_prescriber(job_seeker, company, ProfessionalFactory(), organization)


class TestFollowUp:
    """applications.md §4, organizations.md §5.5: a proxy submission upserts an `APPLY` assignment for the sender's
    organization, to the chosen advisor or the sender; "non référencé" flags the unknown advisor."""

    def test_the_sender_is_assigned_by_default(self, job_seeker, company, prescriber, organization):
        apply_as_prescriber(job_seeker, company, prescriber, organization)
        assignment = JobSeekerAssignment.objects.get()
        assert assignment.professional == prescriber
        assert assignment.prescriber_organization == organization
        assert assignment.company is None
        assert assignment.last_action == AssignmentAction.APPLY
        assert assignment.is_unknown_advisor is False
        assert assignment.updated_at == NOW

    def test_a_chosen_coworker_is_assigned(self, job_seeker, company, prescriber, organization):
        coworker = PrescriberMembershipFactory(organization=organization, is_admin=False).user
        apply_as_prescriber(job_seeker, company, prescriber, organization, advisor=coworker)
        assignment = JobSeekerAssignment.objects.get()
        assert assignment.professional == coworker
        assert assignment.last_action == AssignmentAction.APPLY

    def test_an_unknown_advisor_is_flagged_on_the_senders_assignment(
        self, job_seeker, company, prescriber, organization
    ):
        apply_as_prescriber(job_seeker, company, prescriber, organization, advisor_unknown=True)
        assignment = JobSeekerAssignment.objects.get()
        assert assignment.professional == prescriber
        assert assignment.is_unknown_advisor is True

    def test_choosing_a_known_advisor_later_clears_the_flag(self, job_seeker, prescriber, organization):
        first_company, second_company = CompanyFactory(with_member=True), CompanyFactory(with_member=True)
        for company in (first_company, second_company):
            company.open_spontaneous_applications()
        apply_as_prescriber(job_seeker, first_company, prescriber, organization, advisor_unknown=True)
        apply_as_prescriber(job_seeker, second_company, prescriber, organization)
        assert JobSeekerAssignment.objects.get().is_unknown_advisor is False

    def test_an_existing_assignment_is_refreshed(self, job_seeker, company, prescriber, organization):
        earlier = NOW - datetime.timedelta(days=30)
        JobSeekerAssignment.objects.create(
            job_seeker=job_seeker,
            professional=prescriber,
            prescriber_organization=organization,
            last_action=AssignmentAction.CREATE,
            created_at=earlier,
            updated_at=earlier,
        )
        apply_as_prescriber(job_seeker, company, prescriber, organization)
        assignment = JobSeekerAssignment.objects.get()
        assert (assignment.last_action, assignment.created_at, assignment.updated_at) == (
            AssignmentAction.APPLY,
            earlier,
            NOW,
        )

    def test_an_employer_sender_is_assigned_for_its_company(self, job_seeker, company):
        other_employer = ProfessionalFactory()
        other_company = CompanyFactory(with_member=other_employer)
        submission.submit(
            job_seeker=job_seeker,
            company=company,
            sender=other_employer,
            sender_kind=SenderKind.EMPLOYER,
            sender_company=other_company,
            advisor_unknown=True,
        )
        assignment = JobSeekerAssignment.objects.get()
        assert (assignment.company, assignment.prescriber_organization) == (other_company, None)
        assert assignment.is_unknown_advisor is True

    def test_an_orienteur_without_organization_is_never_flagged_unknown(self, job_seeker, company):
        alone = ProfessionalFactory()
        submission.submit(
            job_seeker=job_seeker,
            company=company,
            sender=alone,
            sender_kind=SenderKind.PRESCRIBER,
            advisor_unknown=True,
        )
        assignment = JobSeekerAssignment.objects.get()
        assert assignment.professional == alone
        assert assignment.is_unknown_advisor is False  # organizations.md §5.5: the flag requires an organization


class TestEarlyChecks:
    """What the wizard asks before the jobs are chosen (applications.md §13.1, §13.4)."""

    def test_start_refuses_a_company_with_nothing_open(self, job_seeker, company):
        company.close_spontaneous_applications()
        reason = submission.start_refusal_reason(company=company, sender=job_seeker, sender_kind=SenderKind.JOB_SEEKER)
        assert reason == submission.NOTHING_TO_APPLY_TO

    def test_start_accepts_a_company_with_one_open_job_only(self, job_seeker, company):
        company.close_spontaneous_applications()
        JobDescriptionFactory(company=company)
        assert (
            submission.start_refusal_reason(company=company, sender=job_seeker, sender_kind=SenderKind.JOB_SEEKER)
            is None
        )

    def test_start_refuses_a_sanctioned_self_prescription(self, company, employer, monkeypatch):
        monkeypatch.setattr(submission, "siae_self_prescription_withdrawn", lambda sanctioned, on: True)
        reason = submission.start_refusal_reason(
            company=company, sender=employer, sender_kind=SenderKind.EMPLOYER, sender_company=company
        )
        assert reason == guards.SELF_PRESCRIPTION_WITHDRAWN

    def test_start_refuses_a_blocked_company_to_outsiders(self, job_seeker, company):
        company.block_applications()
        reason = submission.start_refusal_reason(company=company, sender=job_seeker, sender_kind=SenderKind.JOB_SEEKER)
        assert reason == guards.COMPANY_BLOCKED

    def test_before_jobs_the_24_hours_rule_already_refuses(self, job_seeker, company):
        JobApplicationFactory(job_seeker=job_seeker, to_company=company, created_at=NOW - DAY + SECOND)
        company.close_spontaneous_applications()
        JobDescriptionFactory(company=company)
        reason = submission.refusal_reason_before_jobs(
            job_seeker=job_seeker, company=company, sender=job_seeker, sender_kind=SenderKind.JOB_SEEKER
        )
        assert reason == guards.APPLIED_WITHIN_24_HOURS

    def test_before_jobs_nothing_open_is_said_plainly(self, job_seeker, company):
        company.close_spontaneous_applications()
        reason = submission.refusal_reason_before_jobs(
            job_seeker=job_seeker, company=company, sender=job_seeker, sender_kind=SenderKind.JOB_SEEKER
        )
        assert reason == submission.NOTHING_TO_APPLY_TO
