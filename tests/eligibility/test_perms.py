"""Who may make, update and see diagnoses (eligibility.md §2.2, §2.5, §7.1): allowed actor, wrong role, outsider,
anonymous."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from inclusion.applications.enums import JobApplicationState
from inclusion.eligibility import perms, rules
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory, GEIQEligibilityDiagnosisFactory
from tests.eligibility.factories_rules import accepted_application
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-10 12:00 +01:00", tick=False):
        yield


class World:
    def __init__(self):
        self.job_seeker = JobSeekerFactory()
        self.prescriber = ProfessionalFactory()
        self.authorized = PrescriberOrganizationFactory(authorized=True, with_member=self.prescriber)
        self.orienteur = ProfessionalFactory()
        self.orienteur_organization = PrescriberOrganizationFactory(with_member=self.orienteur)
        self.employer = ProfessionalFactory()
        self.siae = CompanyFactory(kind="AI", with_member=self.employer)
        self.other_employer = ProfessionalFactory()
        self.other_siae = CompanyFactory(kind="ACI", with_member=self.other_employer)
        self.geiq_employer = ProfessionalFactory()
        self.geiq = CompanyFactory(kind="GEIQ", with_member=self.geiq_employer)
        self.other_geiq_employer = ProfessionalFactory()
        self.other_geiq = CompanyFactory(kind="GEIQ", with_member=self.other_geiq_employer)
        self.institution_member = ProfessionalFactory()
        self.institution = InstitutionFactory(with_member=self.institution_member)
        self.outsider = ProfessionalFactory()


@pytest.fixture
def world():
    return World()


class TestPrescriberDiagnosis:
    def test_authorized_prescriber(self, world):
        assert perms.can_make_prescriber_diagnosis(world.prescriber, world.authorized, world.job_seeker)

    def test_wrong_roles(self, world):
        assert not perms.can_make_prescriber_diagnosis(world.orienteur, world.orienteur_organization, world.job_seeker)
        assert not perms.can_make_prescriber_diagnosis(world.employer, world.siae, world.job_seeker)
        assert not perms.can_make_prescriber_diagnosis(world.institution_member, world.institution, world.job_seeker)
        assert not perms.can_make_prescriber_diagnosis(world.job_seeker, None, world.job_seeker)
        assert not perms.can_make_prescriber_diagnosis(StaffFactory(), None, world.job_seeker)

    def test_outsider_and_anonymous(self, world):
        assert not perms.can_make_prescriber_diagnosis(world.outsider, world.authorized, world.job_seeker)
        assert not perms.can_make_prescriber_diagnosis(AnonymousUser(), world.authorized, world.job_seeker)

    def test_inactive_membership(self, world):
        world.authorized.memberships.update(is_active=False, is_admin=False)
        assert not perms.can_make_prescriber_diagnosis(world.prescriber, world.authorized, world.job_seeker)

    def test_only_for_a_job_seeker(self, world):
        assert not perms.can_make_prescriber_diagnosis(world.prescriber, world.authorized, world.employer)

    def test_impartiality(self, world):
        CompanyMembershipFactory(user=world.prescriber, organization=world.siae, is_admin=False)
        assert not perms.can_make_prescriber_diagnosis(
            world.prescriber, world.authorized, world.job_seeker, for_siae=world.siae
        )
        assert perms.can_make_prescriber_diagnosis(
            world.prescriber, world.authorized, world.job_seeker, for_siae=world.other_siae
        )
        assert perms.can_make_prescriber_diagnosis(world.prescriber, world.authorized, world.job_seeker)


class TestEmployerDiagnosis:
    def test_siae_member(self, world):
        assert perms.can_make_employer_diagnosis(world.employer, world.siae, world.job_seeker)

    def test_wrong_roles(self, world):
        assert not perms.can_make_employer_diagnosis(world.geiq_employer, world.geiq, world.job_seeker)
        assert not perms.can_make_employer_diagnosis(world.prescriber, world.authorized, world.job_seeker)
        assert not perms.can_make_employer_diagnosis(world.job_seeker, world.siae, world.job_seeker)
        ea_employer = ProfessionalFactory()
        ea = CompanyFactory(kind="EA", with_member=ea_employer)
        assert not perms.can_make_employer_diagnosis(ea_employer, ea, world.job_seeker)

    def test_outsider_and_anonymous(self, world):
        assert not perms.can_make_employer_diagnosis(world.other_employer, world.siae, world.job_seeker)
        assert not perms.can_make_employer_diagnosis(AnonymousUser(), world.siae, world.job_seeker)

    def test_not_with_a_considered_valid_diagnosis(self, world):
        diagnosis = EligibilityDiagnosisFactory(job_seeker=world.job_seeker, expires_at=TODAY + datetime.timedelta(1))
        assert not perms.can_make_employer_diagnosis(world.employer, world.siae, world.job_seeker)
        assert perms.can_make_employer_diagnosis(world.employer, world.siae, world.job_seeker, on=diagnosis.expires_at)

    def test_not_with_a_valid_pass(self, world):
        ApprovalFactory(user=world.job_seeker, origin="pe_approval", eligibility_diagnosis=None)
        assert not perms.can_make_employer_diagnosis(world.employer, world.siae, world.job_seeker)

    def test_not_under_a_sanction(self, world, monkeypatch):
        monkeypatch.setattr(rules, "siae_self_prescription_withdrawn", lambda company, on=None: True)
        assert not perms.can_make_employer_diagnosis(world.employer, world.siae, world.job_seeker)


class TestGEIQDiagnosis:
    def test_allowed(self, world):
        assert perms.can_make_geiq_diagnosis(world.prescriber, world.authorized, world.job_seeker)
        assert perms.can_make_geiq_diagnosis(world.geiq_employer, world.geiq, world.job_seeker)

    def test_wrong_roles(self, world):
        assert not perms.can_make_geiq_diagnosis(world.employer, world.siae, world.job_seeker)
        assert not perms.can_make_geiq_diagnosis(world.orienteur, world.orienteur_organization, world.job_seeker)
        assert not perms.can_make_geiq_diagnosis(world.institution_member, world.institution, world.job_seeker)
        assert not perms.can_make_geiq_diagnosis(world.job_seeker, None, world.job_seeker)

    def test_outsider_and_anonymous(self, world):
        assert not perms.can_make_geiq_diagnosis(world.outsider, world.geiq, world.job_seeker)
        assert not perms.can_make_geiq_diagnosis(AnonymousUser(), world.geiq, world.job_seeker)

    def test_update_by_the_authoring_geiq_while_valid(self, world):
        diagnosis = GEIQEligibilityDiagnosisFactory(author_geiq=world.geiq, expires_at=TODAY + datetime.timedelta(1))
        assert perms.can_update_geiq_diagnosis(world.geiq_employer, world.geiq, diagnosis)
        assert not perms.can_update_geiq_diagnosis(world.geiq_employer, world.geiq, diagnosis, on=diagnosis.expires_at)
        assert not perms.can_update_geiq_diagnosis(world.other_geiq_employer, world.other_geiq, diagnosis)
        assert not perms.can_update_geiq_diagnosis(world.outsider, world.geiq, diagnosis)
        assert not perms.can_update_geiq_diagnosis(world.prescriber, world.authorized, diagnosis)
        assert not perms.can_update_geiq_diagnosis(AnonymousUser(), world.geiq, diagnosis)

    def test_never_a_prescriber_diagnosis(self, world):
        diagnosis = GEIQEligibilityDiagnosisFactory(from_prescriber=True)
        assert not perms.can_update_geiq_diagnosis(world.geiq_employer, world.geiq, diagnosis)


class TestViewDiagnosis:
    def test_prescriber_diagnosis(self, world):
        diagnosis = EligibilityDiagnosisFactory(job_seeker=world.job_seeker)
        assert perms.can_view_diagnosis(world.prescriber, world.authorized, diagnosis)
        assert perms.can_view_diagnosis(world.employer, world.siae, diagnosis)
        assert perms.can_view_diagnosis(world.other_employer, world.other_siae, diagnosis)
        assert perms.can_view_diagnosis(world.job_seeker, None, diagnosis)
        assert not perms.can_view_diagnosis(JobSeekerFactory(), None, diagnosis)
        assert not perms.can_view_diagnosis(world.orienteur, world.orienteur_organization, diagnosis)
        assert not perms.can_view_diagnosis(world.institution_member, world.institution, diagnosis)
        assert not perms.can_view_diagnosis(world.geiq_employer, world.geiq, diagnosis)
        assert not perms.can_view_diagnosis(world.outsider, world.siae, diagnosis)
        assert not perms.can_view_diagnosis(AnonymousUser(), None, diagnosis)
        assert not perms.can_view_diagnosis(StaffFactory(), None, diagnosis)

    def test_employer_diagnosis_only_for_its_siae(self, world):
        diagnosis = EligibilityDiagnosisFactory(
            job_seeker=world.job_seeker, from_employer=True, author_siae=world.siae
        )
        assert perms.can_view_diagnosis(world.employer, world.siae, diagnosis)
        assert not perms.can_view_diagnosis(world.other_employer, world.other_siae, diagnosis)
        assert not perms.can_view_diagnosis(world.prescriber, world.authorized, diagnosis)
        assert not perms.can_view_diagnosis(world.employer, world.other_siae, diagnosis)  # not a member there
        assert not perms.can_view_diagnosis(world.job_seeker, None, diagnosis)
        # Once it carries a PASS, the job seeker sees it (eligibility.md §2.5, own view).
        ApprovalFactory(user=world.job_seeker, eligibility_diagnosis=diagnosis)
        assert perms.can_view_diagnosis(world.job_seeker, None, diagnosis)

    def test_employer_diagnosis_linked_to_a_reused_pass_is_seen_by_the_job_seeker(self, world):
        # eligibility.md §2.6: a PASS reused by a later hiring is linked through the accepted application.
        diagnosis = EligibilityDiagnosisFactory(
            job_seeker=world.job_seeker, from_employer=True, author_siae=world.siae
        )
        approval = ApprovalFactory(user=world.job_seeker)  # issued earlier, on another diagnosis
        assert not perms.can_view_diagnosis(world.job_seeker, None, diagnosis)
        accepted_application(
            job_seeker=world.job_seeker,
            company=world.siae,
            hiring_start_at=TODAY,
            approval=approval,
            eligibility_diagnosis=diagnosis,
        )
        assert perms.can_view_diagnosis(world.job_seeker, None, diagnosis)

    def test_geiq_diagnoses(self, world):
        by_prescriber = GEIQEligibilityDiagnosisFactory(job_seeker=world.job_seeker, from_prescriber=True)
        by_geiq = GEIQEligibilityDiagnosisFactory(job_seeker=world.job_seeker, author_geiq=world.geiq)
        assert perms.can_view_diagnosis(world.geiq_employer, world.geiq, by_prescriber)
        assert perms.can_view_diagnosis(world.geiq_employer, world.geiq, by_geiq)
        assert perms.can_view_diagnosis(world.prescriber, world.authorized, by_prescriber)
        assert not perms.can_view_diagnosis(world.prescriber, world.authorized, by_geiq)
        assert not perms.can_view_diagnosis(world.other_geiq_employer, world.other_geiq, by_geiq)
        assert not perms.can_view_diagnosis(world.employer, world.siae, by_geiq)
        assert perms.can_view_diagnosis(world.job_seeker, None, by_geiq)
        assert not perms.can_view_diagnosis(JobSeekerFactory(), None, by_geiq)
        assert not perms.can_view_diagnosis(AnonymousUser(), None, by_prescriber)


class TestApplicationAwaitsHiring:
    """eligibility.md §2.2, §7.1: an employer diagnoses only while hiring; applications.md §3: `accept` starts from
    every state but `accepted`."""

    @pytest.mark.parametrize("state", sorted(set(JobApplicationState) - {JobApplicationState.ACCEPTED}))
    def test_every_state_acceptance_starts_from(self, state):
        assert perms.application_awaits_hiring(JobApplicationFactory(state=state))

    def test_not_once_accepted(self):
        assert not perms.application_awaits_hiring(
            JobApplicationFactory(state=JobApplicationState.ACCEPTED, hiring_start_at=TODAY)
        )
