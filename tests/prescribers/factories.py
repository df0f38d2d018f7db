import factory

from inclusion.prescribers.enums import AuthorizationStatus, PrescriberOrganizationKind
from inclusion.prescribers.models import PrescriberMembership, PrescriberOrganization
from tests.geo.factories import CommuneFactory
from tests.organizations.factories import with_member
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
    latitude = factory.SelfAttribute("commune.latitude")
    longitude = factory.SelfAttribute("commune.longitude")

    with_member = with_member("PrescriberMembershipFactory")


class PrescriberMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrescriberMembership

    user = factory.SubFactory(ProfessionalFactory)
    organization = factory.SubFactory(PrescriberOrganizationFactory)
    is_admin = True
