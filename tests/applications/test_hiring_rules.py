"""The hiring rules without HTTP: the hired job (applications.md §8.1), the GEIQ contract (§8.2), the extended
`transitions.accept` and `cancel`, the eligibility step and the direct hire's previous applications."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from inclusion.applications import hiring, transitions
from inclusion.applications.enums import JobApplicationState
from inclusion.applications.hiring import EligibilityStep
from inclusion.companies.enums import ContractType, JobDescriptionSource
from inclusion.companies.models import JobDescription
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory
from tests.approvals.factories_approvals_core import noon
from tests.companies.factories import CompanyFactory, JobDescriptionFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.geo.factories import CommuneFactory
from tests.jobs.factories import AppellationFactory
from tests.users.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db

State = JobApplicationState
TODAY = datetime.date(2026, 3, 10)
VALID_GEIQ_CONTRACT = {
    "geiq_contract_type": "PROFESSIONAL_TRAINING",
    "geiq_contract_type_details": "",
    "geiq_hours_per_week": 35,
    "geiq_qualification_type": "CQP",
    "geiq_qualification_level": "LEVEL_3",
    "geiq_planned_training_hours": 0,
    "geiq_inverted_vae_contract": False,
}


@pytest.fixture(autouse=True)
def frozen_today(time_machine, settings):
    time_machine.move_to(noon(TODAY), tick=False)
    settings.PASS_IAE_NUMBER_PREFIX = "99999"


class TestHiredJob:
    def test_reuses_an_identical_job_description_open_or_closed(self):
        closed = JobDescriptionFactory(is_active=False)
        found = hiring.find_or_create_hired_job(
            company=closed.company, appellation=closed.appellation, location=closed.location
        )
        assert found == closed
        assert JobDescription.objects.count() == 1

    def test_prefers_the_open_one(self):
        company = CompanyFactory()
        JobDescriptionFactory(company=company, is_active=False)
        open_job = JobDescriptionFactory(company=company)
        assert (
            hiring.find_or_create_hired_job(
                company=company, appellation=open_job.appellation, location=open_job.location
            )
            == open_job
        )

    @pytest.mark.parametrize("differs", ["company", "appellation", "location"])
    def test_creates_an_inactive_hiring_job_description_otherwise(self, differs):
        existing = JobDescriptionFactory()
        values = {"company": existing.company, "appellation": existing.appellation, "location": existing.location}
        values[differs] = {
            "company": CompanyFactory(),
            "appellation": AppellationFactory(code="11564", name="Maçon / Maçonne"),
            "location": CommuneFactory(code_insee="69266", name="Villeurbanne", postal_codes="69100"),
        }[differs]

        created = hiring.find_or_create_hired_job(**values)

        assert created != existing
        assert (created.is_active, created.creation_source) == (False, JobDescriptionSource.HIRING)
        assert (created.company, created.appellation, created.location) == (
            values["company"],
            values["appellation"],
            values["location"],
        )

    @pytest.mark.parametrize(
        "kind,geiq_type,details,expected",
        [
            ("ACI", "", "", (ContractType.FIXED_TERM_I, "")),
            ("EITI", "", "", (ContractType.BUSINESS_CREATION, "")),
            ("EA", "", "", (ContractType.PERMANENT, "")),
            ("GEIQ", "APPRENTICESHIP", "", (ContractType.APPRENTICESHIP, "")),
            ("GEIQ", "PROFESSIONAL_TRAINING", "", (ContractType.PROFESSIONAL_TRAINING, "")),
            ("GEIQ", "OTHER", " CDI ", (ContractType.OTHER, "CDI")),
        ],
    )
    def test_contract_type_of_a_new_job(self, kind, geiq_type, details, expected):
        company = CompanyFactory(kind=kind)
        assert (
            hiring.new_job_contract_type(company, geiq_contract_type=geiq_type, geiq_contract_type_details=details)
            == expected
        )

    def test_a_cdi_inclusion_has_no_end(self):
        job = JobDescriptionFactory.build(contract_type=ContractType.PERMANENT_I)
        assert hiring.contract_end_error(job, TODAY) is not None
        assert hiring.contract_end_error(job, None) is None
        assert hiring.contract_end_error(JobDescriptionFactory.build(), TODAY) is None


class TestGEIQContractRules:
    def test_a_valid_contract(self):
        assert transitions.geiq_contract_errors(VALID_GEIQ_CONTRACT) == {}

    @pytest.mark.parametrize(
        "changes,field",
        [
            ({"geiq_contract_type": "CDI"}, "geiq_contract_type"),
            ({"geiq_contract_type": "OTHER", "geiq_contract_type_details": "   "}, "geiq_contract_type_details"),
            ({"geiq_hours_per_week": None}, "geiq_hours_per_week"),
            ({"geiq_hours_per_week": 0}, "geiq_hours_per_week"),
            ({"geiq_hours_per_week": 49}, "geiq_hours_per_week"),
            ({"geiq_qualification_type": ""}, "geiq_qualification_type"),
            ({"geiq_qualification_level": ""}, "geiq_qualification_level"),
            (
                {"geiq_qualification_type": "STATE_DIPLOMA", "geiq_qualification_level": "NOT_RELEVANT"},
                "geiq_qualification_level",
            ),
            ({"geiq_planned_training_hours": -1}, "geiq_planned_training_hours"),
            # Beyond what the column holds: refused here rather than failing in the database.
            ({"geiq_planned_training_hours": 2**31}, "geiq_planned_training_hours"),
            (
                {"geiq_contract_type": "OTHER", "geiq_contract_type_details": "x", "geiq_inverted_vae_contract": True},
                "geiq_inverted_vae_contract",
            ),
        ],
    )
    def test_each_rule(self, changes, field):
        assert list(transitions.geiq_contract_errors({**VALID_GEIQ_CONTRACT, **changes})) == [field]

    @pytest.mark.parametrize("hours", [0, 2**31 - 1])
    def test_training_hours_bounds_are_included(self, hours):
        contract = {**VALID_GEIQ_CONTRACT, "geiq_planned_training_hours": hours}
        assert transitions.geiq_contract_errors(contract) == {}

    @pytest.mark.parametrize("hours", [1, 48])
    def test_hours_bounds_are_included(self, hours):
        assert transitions.geiq_contract_errors({**VALID_GEIQ_CONTRACT, "geiq_hours_per_week": hours}) == {}


def _received(kind="ACI", **fields):
    employer = ProfessionalFactory()
    application = JobApplicationFactory(
        to_company=CompanyFactory(kind=kind, with_member=employer), state=State.PROCESSING, **fields
    )
    application.employer = employer
    return application


class TestAccept:
    def test_records_who_accepted_the_hired_job_and_the_geiq_contract(self):
        application = _received("GEIQ")
        job = JobDescriptionFactory(company=application.to_company)
        contract = {**VALID_GEIQ_CONTRACT, "geiq_contract_type": "OTHER", "geiq_contract_type_details": "CDD"}

        transitions.accept(
            application, user=application.employer, hiring_start_at=TODAY, hired_job=job, geiq_contract=contract
        )

        application.refresh_from_db()
        assert (application.accepted_by, application.hired_job) == (application.employer, job)
        assert (application.geiq_contract_type, application.geiq_contract_type_details) == ("OTHER", "CDD")

    def test_geiq_fields_are_forbidden_elsewhere(self):
        application = _received("ACI")
        EligibilityDiagnosisFactory(job_seeker=application.job_seeker)
        with pytest.raises(ValidationError, match="ne concernent que les embauches en GEIQ"):
            transitions.accept(
                application, user=application.employer, hiring_start_at=TODAY, geiq_contract=VALID_GEIQ_CONTRACT
            )
        application.refresh_from_db()
        assert application.state == State.PROCESSING

    def test_an_invalid_geiq_contract_is_refused_field_by_field(self):
        application = _received("GEIQ")
        contract = {**VALID_GEIQ_CONTRACT, "geiq_hours_per_week": 60}
        with pytest.raises(ValidationError) as error:
            transitions.accept(application, user=application.employer, hiring_start_at=TODAY, geiq_contract=contract)
        assert list(error.value.error_dict) == ["geiq_hours_per_week"]

    def test_the_job_description_of_another_company_is_refused(self):
        application = _received("EA")
        with pytest.raises(ValidationError) as error:
            transitions.accept(
                application, user=application.employer, hiring_start_at=TODAY, hired_job=JobDescriptionFactory()
            )
        assert list(error.value.error_dict) == ["hired_job"]

    def test_cancel_forgets_who_accepted(self):
        application = _received("EA")
        transitions.accept(application, user=application.employer, hiring_start_at=TODAY)
        transitions.cancel(application, user=application.employer)
        application.refresh_from_db()
        assert (application.state, application.accepted_by, application.accepted_at) == (State.CANCELLED, None, None)


class TestHire:
    def test_a_failed_hiring_saves_nothing_not_even_the_new_job(self):
        application = _received("ACI", sent_by_prescriber=True)  # no diagnosis: no PASS can be issued
        application.job_seeker.jobseeker_profile.save()
        contract = hiring.HiringContract(
            hiring_start_at=TODAY, new_job_appellation=AppellationFactory(), new_job_location=CommuneFactory()
        )
        with pytest.raises(ValidationError):
            hiring.hire(application, user=application.employer, contract=contract, direct_hire=True)
        assert not JobDescription.objects.exists()
        application.refresh_from_db()
        assert application.state == State.PROCESSING
        assert not application.logs.exists()


class TestEligibilityStep:
    def test_siae_without_diagnosis(self):
        assert hiring.eligibility_step(_received("ACI")) == EligibilityStep.IAE_DIAGNOSIS_REQUIRED

    def test_siae_with_a_prescriber_diagnosis_or_a_pass(self):
        with_diagnosis = _received("ACI")
        EligibilityDiagnosisFactory(job_seeker=with_diagnosis.job_seeker)
        with_pass = _received("ACI", job_seeker=ApprovalFactory().user)
        assert hiring.eligibility_step(with_diagnosis) == EligibilityStep.NONE
        assert hiring.eligibility_step(with_pass) == EligibilityStep.NONE

    def test_another_siae_diagnosis_does_not_count(self):
        application = _received("ACI")
        EligibilityDiagnosisFactory(job_seeker=application.job_seeker, from_employer=True)
        assert hiring.eligibility_step(application) == EligibilityStep.IAE_DIAGNOSIS_REQUIRED

    def test_under_sanction(self, monkeypatch):
        monkeypatch.setattr(hiring, "siae_self_prescription_withdrawn", lambda company, on=None: True)
        assert hiring.eligibility_step(_received("ACI")) == EligibilityStep.IAE_SANCTIONED

    @pytest.mark.parametrize("kind,step", [("GEIQ", EligibilityStep.GEIQ_OPTIONAL), ("EA", EligibilityStep.NONE)])
    def test_other_kinds(self, kind, step):
        assert hiring.eligibility_step(_received(kind)) == step


class TestDirectHire:
    @pytest.mark.parametrize(
        "kind,allowed",
        [
            ("ACI", True),
            ("AI", True),
            ("EI", True),
            ("EITI", True),
            ("ETTI", True),
            ("GEIQ", True),
            ("EA", False),
            ("EATT", False),
            ("OPCS", False),
        ],
    )
    def test_kinds(self, kind, allowed):
        assert hiring.can_hire_directly(CompanyFactory(kind=kind)) is allowed

    def test_previous_applications_window(self):
        application = _received("ACI")
        company, job_seeker, now = application.to_company, application.job_seeker, timezone.now()
        application.created_at = now - relativedelta(months=12) + datetime.timedelta(seconds=1)
        application.save()
        exactly = JobApplicationFactory(
            job_seeker=job_seeker, to_company=company, created_at=now - relativedelta(months=12)
        )
        assert list(hiring.direct_hire_previous_applications(job_seeker=job_seeker, company=company)) == [application]
        assert exactly.pk  # exactly 12 months ago is outside (created_at > now − 12 months)
