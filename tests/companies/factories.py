import factory

from inclusion.companies.enums import CompanyKind, CompanySource, ContractType
from inclusion.companies.models import Company, CompanyMembership, JobDescription
from tests.geo.factories import CommuneFactory
from tests.jobs.factories import AppellationFactory
from tests.organizations.factories import with_member
from tests.users.factories import ProfessionalFactory


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Structure d'insertion {n}")
    siret = factory.Sequence(lambda n: f"{81234567800000 + n:014d}")
    kind = CompanyKind.ACI
    source = CompanySource.STAFF_CREATED
    post_code = "69001"
    commune = factory.SubFactory(CommuneFactory)
    city = factory.SelfAttribute("commune.name")
    department = factory.SelfAttribute("commune.department_code")
    latitude = factory.SelfAttribute("commune.latitude")
    longitude = factory.SelfAttribute("commune.longitude")

    with_member = with_member("CompanyMembershipFactory")


class CompanyMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyMembership

    user = factory.SubFactory(ProfessionalFactory)
    organization = factory.SubFactory(CompanyFactory)
    is_admin = True


class JobDescriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobDescription

    company = factory.SubFactory(CompanyFactory)
    appellation = factory.SubFactory(AppellationFactory)
    contract_type = ContractType.FIXED_TERM_I
    location = factory.SelfAttribute("company.commune")
