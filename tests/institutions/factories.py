import factory

from inclusion.institutions.enums import InstitutionKind
from inclusion.institutions.models import Institution, InstitutionMembership
from tests.organizations.factories import with_member
from tests.users.factories import ProfessionalFactory


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"DDETS {n}")
    kind = InstitutionKind.DDETS_IAE
    department = factory.Sequence(lambda n: f"{n % 90 + 10:02d}")

    with_member = with_member("InstitutionMembershipFactory")


class InstitutionMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstitutionMembership

    user = factory.SubFactory(ProfessionalFactory)
    organization = factory.SubFactory(InstitutionFactory)
    is_admin = True
