"""Creating IAE diagnoses: prescriber "update", employer refusals, side effects (eligibility.md §2.2, §2.4)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from inclusion.eligibility import rules
from inclusion.eligibility.enums import AuthorKind
from inclusion.eligibility.models import EligibilityDiagnosis
from inclusion.users.enums import AssignmentAction
from inclusion.users.models import JobSeekerAssignment
from tests.approvals.factories import ApprovalFactory
from tests.companies.factories import CompanyFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.eligibility.factories_rules import certifiable_job_seeker
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-10 12:00 +01:00", tick=False):
        yield


def _codes(diagnosis):
    return set(diagnosis.selected_criteria.values_list("administrative_criteria_id", flat=True))


class TestPrescriberDiagnosis:
    def _save(self, job_seeker, codes, organization=None, author=None):
        return rules.save_prescriber_diagnosis(
            job_seeker=job_seeker,
            author=author or ProfessionalFactory(),
            organization=organization or PrescriberOrganizationFactory(authorized=True),
            codes=codes,
        )

    def test_creation(self):
        job_seeker, author = JobSeekerFactory(), ProfessionalFactory()
        organization = PrescriberOrganizationFactory(authorized=True)
        diagnosis = self._save(job_seeker, ["PM", "CAP_BEP"], organization=organization, author=author)
        diagnosis.refresh_from_db()
        assert diagnosis.author_kind == AuthorKind.PRESCRIBER
        assert diagnosis.author == author
        assert diagnosis.author_prescriber_organization == organization
        assert diagnosis.author_siae is None
        assert diagnosis.expires_at == datetime.date(2026, 9, 10)
        assert _codes(diagnosis) == {"PM", "CAP_BEP"}

    def test_zero_criteria_is_accepted(self):
        diagnosis = self._save(JobSeekerFactory(), [])
        assert _codes(diagnosis) == set()
        assert rules.diagnosis_is_valid(diagnosis)

    def test_the_author_joins_the_follow_up(self):
        job_seeker, author = JobSeekerFactory(), ProfessionalFactory()
        organization = PrescriberOrganizationFactory(authorized=True)
        self._save(job_seeker, [], organization=organization, author=author)
        assignment = JobSeekerAssignment.objects.get(job_seeker=job_seeker)
        assert (assignment.professional, assignment.prescriber_organization, assignment.company) == (
            author,
            organization,
            None,
        )
        assert assignment.last_action == AssignmentAction.IAE_ELIGIBILITY

    def test_certification_runs_after_commit(self, django_capture_on_commit_callbacks):
        job_seeker = certifiable_job_seeker(last_name="Martin")
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            diagnosis = self._save(job_seeker, ["RSA", "PM"])
            selected = diagnosis.selected_criteria.get(administrative_criteria="RSA")
            assert selected.last_certification_attempt_at is None  # nothing before the commit
        assert len(callbacks) == 1
        selected.refresh_from_db()
        assert selected.certified_at is not None
        assert selected.certification_period_start is not None
        assert diagnosis.selected_criteria.get(administrative_criteria="PM").last_certification_attempt_at is None

    def test_an_orienteur_cannot_make_one(self):
        with pytest.raises(rules.EligibilityError) as error:
            self._save(JobSeekerFactory(), [], organization=PrescriberOrganizationFactory())
        assert error.value.messages == ["Seul un prescripteur habilité peut valider l'éligibilité IAE d'un candidat."]
        assert not EligibilityDiagnosis.objects.exists()

    def test_exclusions_are_refused(self):
        with pytest.raises(ValidationError) as error:
            self._save(JobSeekerFactory(), ["SENIOR", "JEUNE"])
        assert "ne peuvent pas être sélectionnés ensemble" in error.value.messages[0]
        assert not EligibilityDiagnosis.objects.exists()

    def test_update_creates_a_new_diagnosis_and_expires_the_old_one_the_same_day(self):
        job_seeker = JobSeekerFactory()
        with time_machine.travel("2026-01-05 10:00 +01:00", tick=False):
            old = self._save(job_seeker, ["PM"])
        older = EligibilityDiagnosisFactory(job_seeker=job_seeker, expires_at=datetime.date(2025, 12, 1))
        siae = CompanyFactory(kind="AI")
        employer = EligibilityDiagnosisFactory(job_seeker=job_seeker, from_employer=True, author_siae=siae)

        new = self._save(job_seeker, ["PM", "FLE"])

        assert new.pk != old.pk
        assert new.expires_at == datetime.date(2026, 9, 10)
        old.refresh_from_db()
        assert old.expires_at == TODAY
        assert not rules.diagnosis_is_valid(old)
        assert rules.diagnosis_is_valid(old, on=TODAY - datetime.timedelta(days=1))
        assert _codes(old) == {"PM"}  # the old record is otherwise untouched
        # An already expired diagnosis is not brought back to life, an employer one is not touched.
        older.refresh_from_db()
        assert older.expires_at == datetime.date(2025, 12, 1)
        employer.refresh_from_db()
        assert employer.expires_at == TODAY + datetime.timedelta(days=92)
        assert rules.last_considered_valid_diagnosis(job_seeker, for_siae=siae) == new

    def test_unchanged_resubmission_writes_nothing(self, django_capture_on_commit_callbacks):
        job_seeker = certifiable_job_seeker(last_name="Martin")
        with time_machine.travel("2026-01-05 10:00 +01:00", tick=False):
            old = self._save(job_seeker, ["RSA", "PM"])
        assignments = list(JobSeekerAssignment.objects.values_list("pk", "updated_at"))
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            assert self._save(job_seeker, ["PM", "RSA"]) is None
        assert callbacks == []
        assert list(EligibilityDiagnosis.objects.all()) == [old]
        old.refresh_from_db()
        assert old.expires_at == datetime.date(2026, 7, 5)
        assert list(JobSeekerAssignment.objects.values_list("pk", "updated_at")) == assignments

    def test_same_criteria_as_an_expired_diagnosis_creates_a_new_one(self):
        job_seeker = JobSeekerFactory()
        EligibilityDiagnosisFactory(job_seeker=job_seeker, expires_at=TODAY, criteria=["PM"])
        assert self._save(job_seeker, ["PM"]) is not None
        assert EligibilityDiagnosis.objects.count() == 2


class TestEmployerDiagnosis:
    def _create(self, job_seeker, siae, codes=("RSA",), author=None):
        return rules.create_employer_diagnosis(
            job_seeker=job_seeker, author=author or ProfessionalFactory(), siae=siae, codes=codes
        )

    def test_creation(self):
        job_seeker, author, siae = JobSeekerFactory(), ProfessionalFactory(), CompanyFactory(kind="ETTI")
        diagnosis = self._create(job_seeker, siae, codes=["CAP_BEP", "ASE"], author=author)
        diagnosis.refresh_from_db()
        assert diagnosis.author_kind == AuthorKind.EMPLOYER
        assert diagnosis.author_siae == siae
        assert diagnosis.author_prescriber_organization is None
        assert diagnosis.expires_at == datetime.date(2026, 6, 10)
        assert _codes(diagnosis) == {"CAP_BEP", "ASE"}
        assignment = JobSeekerAssignment.objects.get(job_seeker=job_seeker)
        assert (assignment.professional, assignment.company, assignment.last_action) == (
            author,
            siae,
            AssignmentAction.IAE_ELIGIBILITY,
        )

    @pytest.mark.parametrize("kind", ["GEIQ", "EA", "EATT", "OPCS"])
    def test_only_siae(self, kind):
        with pytest.raises(rules.EligibilityError) as error:
            self._create(JobSeekerFactory(), CompanyFactory(kind=kind))
        assert error.value.messages == [rules.NOT_AN_SIAE]

    def test_refused_with_a_valid_pass(self):
        job_seeker = JobSeekerFactory()
        approval = ApprovalFactory(user=job_seeker, start_at=datetime.date(2024, 3, 11), end_at=TODAY)
        approval.eligibility_diagnosis.expires_at = datetime.date(2025, 1, 1)
        approval.eligibility_diagnosis.save()
        with pytest.raises(rules.EligibilityError) as error:
            self._create(job_seeker, CompanyFactory(kind="AI"))
        assert error.value.messages == [
            "Ce candidat a un PASS IAE valide : aucun diagnostic d'éligibilité n'est nécessaire."
        ]

    def test_accepted_the_day_after_the_pass_end(self):
        job_seeker = JobSeekerFactory()
        approval = ApprovalFactory(
            user=job_seeker, start_at=datetime.date(2024, 3, 10), end_at=TODAY - datetime.timedelta(days=1)
        )
        approval.eligibility_diagnosis.expires_at = datetime.date(2025, 1, 1)
        approval.eligibility_diagnosis.save()
        assert self._create(job_seeker, CompanyFactory(kind="AI")) is not None

    def test_refused_with_a_valid_prescriber_diagnosis(self):
        job_seeker = JobSeekerFactory()
        EligibilityDiagnosisFactory(job_seeker=job_seeker, expires_at=TODAY + datetime.timedelta(days=1))
        with pytest.raises(rules.EligibilityError, match="Un diagnostic d'éligibilité valide existe déjà"):
            self._create(job_seeker, CompanyFactory(kind="AI"))

    def test_accepted_on_the_expiry_day_of_the_prescriber_diagnosis(self):
        job_seeker = JobSeekerFactory()
        EligibilityDiagnosisFactory(job_seeker=job_seeker, expires_at=TODAY)
        assert self._create(job_seeker, CompanyFactory(kind="AI")) is not None

    def test_own_valid_diagnosis_blocks_another_siae_s_does_not(self):
        job_seeker, siae, other = JobSeekerFactory(), CompanyFactory(kind="AI"), CompanyFactory(kind="AI")
        self._create(job_seeker, siae)
        with pytest.raises(rules.EligibilityError):
            self._create(job_seeker, siae)
        assert self._create(job_seeker, other).author_siae == other

    def test_counts_are_enforced(self):
        with pytest.raises(rules.EligibilityError) as error:
            self._create(JobSeekerFactory(), CompanyFactory(kind="ACI"), codes=["CAP_BEP", "ASE"])
        assert "au moins 3 critères de niveau 2" in error.value.messages[0]
        assert not EligibilityDiagnosis.objects.exists()

    def test_not_sanctioned_until_the_control_exists(self):
        assert rules.siae_self_prescription_withdrawn(CompanyFactory(kind="AI")) is False

    def test_refused_under_a_sanction(self, monkeypatch):
        monkeypatch.setattr(rules, "siae_self_prescription_withdrawn", lambda company, on=None: True)
        with pytest.raises(rules.EligibilityError, match="sanction du contrôle a posteriori"):
            self._create(JobSeekerFactory(), CompanyFactory(kind="AI"))
        assert not EligibilityDiagnosis.objects.exists()
