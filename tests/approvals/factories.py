import datetime

import factory
from django.conf import settings

from inclusion.applications.enums import JobApplicationState
from inclusion.approvals.enums import Origin, SuspensionReason
from inclusion.approvals.models import Approval, Suspension
from inclusion.utils.dates import today
from tests.applications.factories import JobApplicationFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.users.factories import JobSeekerFactory


class ApprovalFactory(factory.django.DjangoModelFactory):
    """A 730-day PASS starting today, with a prescriber diagnosis (origin `default`).

    `with_hiring=company` also creates the accepted application of that company carrying the PASS (the hiring that
    gives the company its rights on it).
    """

    class Meta:
        model = Approval
        skip_postgeneration_save = True

    user = factory.SubFactory(JobSeekerFactory)
    number = factory.Sequence(lambda n: f"{settings.PASS_IAE_NUMBER_PREFIX}{n + 1:07d}")
    start_at = factory.LazyFunction(today)
    end_at = factory.LazyAttribute(lambda a: a.start_at + datetime.timedelta(days=729))
    origin = Origin.DEFAULT
    eligibility_diagnosis = factory.SubFactory(EligibilityDiagnosisFactory, job_seeker=factory.SelfAttribute("..user"))

    @factory.post_generation
    def with_hiring(obj, create, extracted, **kwargs):
        if create and extracted:
            JobApplicationFactory(
                job_seeker=obj.user,
                to_company=extracted,
                state=JobApplicationState.ACCEPTED,
                hiring_start_at=obj.start_at,
                approval=obj,
                eligibility_diagnosis=obj.eligibility_diagnosis,
            )


class SuspensionFactory(factory.django.DjangoModelFactory):
    """A bare suspension row: it does not move the PASS end (use the rules to get the arithmetic)."""

    class Meta:
        model = Suspension

    approval = factory.SubFactory(ApprovalFactory)
    start_at = factory.LazyFunction(today)
    end_at = factory.LazyAttribute(lambda s: s.start_at + datetime.timedelta(days=30))
    reason = SuspensionReason.CONTRACT_SUSPENDED
