import factory

from inclusion.prescribers.enums import AuthorizationStatus, PrescriberOrganizationKind
from inclusion.prescribers.models import PrescriberMembership, PrescriberOrganization
from tests.geo.factories import CommuneFactory
from tests.users.factories import ProfessionalFactory


class PrescriberOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrescriberOrganization
        skip_postgeneration_save = True

    class Params:
        authorized = factory.Trait(
            kind=PrescriberOrganizationKind.ML, authorization_status=AuthorizationStatus.VALIDATED
        )

    name = factory.Sequence(lambda n: f"Organisation prescriptrice {n}")
    kind = PrescriberOrganizationKind.OTHER
    authorization_status = AuthorizationStatus.NOT_REQUIRED
    siret = factory.Sequence(lambda n: f"{71234567800000 + n:014d}")
    post_code = "69001"
    commune = factory.SubFactory(CommuneFactory)
    city = factory.SelfAttribute("commune.name")
    department = factory.SelfAttribute("commune.department_code")

    @factory.post_generation
    def with_member(obj, create, extracted, **kwargs):
        if create and extracted:
            user = extracted if extracted is not True else ProfessionalFactory()
            PrescriberMembershipFactory(organization=obj, user=user, is_admin=True)


class PrescriberMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrescriberMembership

    user = factory.SubFactory(ProfessionalFactory)
    organization = factory.SubFactory(PrescriberOrganizationFactory)
    is_admin = True
