import factory

from inclusion.institutions.enums import InstitutionKind
from inclusion.institutions.models import Institution, InstitutionMembership
from tests.users.factories import ProfessionalFactory


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"DDETS {n}")
    kind = InstitutionKind.DDETS_IAE
    department = factory.Sequence(lambda n: f"{n % 90 + 10:02d}")

    @factory.post_generation
    def with_member(obj, create, extracted, **kwargs):
        if create and extracted:
            user = extracted if extracted is not True else ProfessionalFactory()
            InstitutionMembershipFactory(organization=obj, user=user, is_admin=True)


class InstitutionMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstitutionMembership

    user = factory.SubFactory(ProfessionalFactory)
    organization = factory.SubFactory(InstitutionFactory)
    is_admin = True
