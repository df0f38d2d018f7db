import importlib

import factory

from tests.users.factories import ProfessionalFactory


def with_member(membership_factory_name):
    """`OrganizationFactory(with_member=True)` adds an admin member; pass a user to choose who.

    The membership factory is named, not passed: it is declared after the organization factory, beside it.
    """

    @factory.post_generation
    def add_member(organization, create, extracted, **kwargs):
        if create and extracted:
            user = extracted if extracted is not True else ProfessionalFactory()
            factories = importlib.import_module(f"tests.{organization._meta.app_label}.factories")
            getattr(factories, membership_factory_name)(organization=organization, user=user, is_admin=True)

    return add_member
