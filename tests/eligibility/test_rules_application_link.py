"""An application holds at most one diagnosis, and only once accepted (eligibility.md §1, §2.6, invariant §8.8)."""

import pytest
from django.db import IntegrityError, transaction

from inclusion.applications.enums import JobApplicationState
from tests.applications.factories import JobApplicationFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory, GEIQEligibilityDiagnosisFactory

pytestmark = pytest.mark.django_db


def test_never_both_an_iae_and_a_geiq_diagnosis():
    application = JobApplicationFactory(state=JobApplicationState.ACCEPTED)
    application.eligibility_diagnosis = EligibilityDiagnosisFactory(job_seeker=application.job_seeker)
    application.save()
    application.geiq_eligibility_diagnosis = GEIQEligibilityDiagnosisFactory(job_seeker=application.job_seeker)
    with pytest.raises(IntegrityError), transaction.atomic():
        application.save()


@pytest.mark.parametrize("state", [s for s in JobApplicationState if s != JobApplicationState.ACCEPTED])
@pytest.mark.parametrize("field", ["eligibility_diagnosis", "geiq_eligibility_diagnosis"])
def test_diagnosis_pointer_only_when_accepted(state, field):
    application = JobApplicationFactory(state=state)
    factory = EligibilityDiagnosisFactory if field == "eligibility_diagnosis" else GEIQEligibilityDiagnosisFactory
    setattr(application, field, factory(job_seeker=application.job_seeker))
    with pytest.raises(IntegrityError), transaction.atomic():
        application.save()
