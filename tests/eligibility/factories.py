import datetime

import factory
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from inclusion.eligibility.enums import AuthorKind
from inclusion.eligibility.models import (
    AdministrativeCriteria,
    EligibilityDiagnosis,
    GEIQAdministrativeCriteria,
    GEIQEligibilityDiagnosis,
)
from tests.companies.factories import CompanyFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory


def _creation_date(diagnosis):
    return timezone.localdate(diagnosis.created_at)


class EligibilityDiagnosisFactory(factory.django.DjangoModelFactory):
    """An authorized prescriber's IAE diagnosis by default; `from_employer=True` for an SIAE's one.

    `criteria=["RSA", "DELD"]` selects criteria by code. `expires_at` follows eligibility.md §2.3 from `created_at`
    (6 calendar months for prescribers, 92 days for employers) unless given.
    """

    class Meta:
        model = EligibilityDiagnosis
        skip_postgeneration_save = True

    class Params:
        from_employer = factory.Trait(
            author_kind=AuthorKind.EMPLOYER,
            author_prescriber_organization=None,
            author_siae=factory.SubFactory(CompanyFactory),
            expires_at=factory.LazyAttribute(lambda d: _creation_date(d) + datetime.timedelta(days=92)),
        )

    job_seeker = factory.SubFactory(JobSeekerFactory)
    author = factory.SubFactory(ProfessionalFactory)
    author_kind = AuthorKind.PRESCRIBER
    author_prescriber_organization = factory.SubFactory(PrescriberOrganizationFactory, authorized=True)
    author_siae = None
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda d: _creation_date(d) + relativedelta(months=6))

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        if create and extracted:
            for code in extracted:
                obj.selected_criteria.create(administrative_criteria=AdministrativeCriteria.objects.get(code=code))


class GEIQEligibilityDiagnosisFactory(factory.django.DjangoModelFactory):
    """A GEIQ diagnosis made by the GEIQ by default; `from_prescriber=True` for an authorized prescriber's one."""

    class Meta:
        model = GEIQEligibilityDiagnosis
        skip_postgeneration_save = True

    class Params:
        from_prescriber = factory.Trait(
            author_kind=AuthorKind.PRESCRIBER,
            author_geiq=None,
            author_prescriber_organization=factory.SubFactory(PrescriberOrganizationFactory, authorized=True),
        )

    job_seeker = factory.SubFactory(JobSeekerFactory)
    author = factory.SubFactory(ProfessionalFactory)
    author_kind = AuthorKind.GEIQ
    author_geiq = factory.SubFactory(CompanyFactory, kind="GEIQ")
    author_prescriber_organization = None
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda d: _creation_date(d) + relativedelta(months=6))

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        if create and extracted:
            for code in extracted:
                obj.selected_criteria.create(administrative_criteria=GEIQAdministrativeCriteria.objects.get(code=code))
