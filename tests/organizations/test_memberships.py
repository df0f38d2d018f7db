import pytest

from inclusion.organizations.memberships import add_member
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import ProfessionalFactory


@pytest.mark.parametrize("organization_factory", [CompanyFactory, PrescriberOrganizationFactory, InstitutionFactory])
def test_first_member_becomes_admin_the_next_ones_do_not(db, organization_factory):
    organization = organization_factory()
    first = add_member(organization, ProfessionalFactory())
    second = add_member(organization, ProfessionalFactory())
    assert (first.is_admin, second.is_admin) == (True, False)


def test_an_inactive_former_member_does_not_count_as_a_first_member(db):
    company = CompanyFactory()
    CompanyMembershipFactory(organization=company, is_active=False, is_admin=False)
    assert add_member(company, ProfessionalFactory()).is_admin


def test_a_former_member_is_reactivated_not_duplicated(db):
    company = CompanyFactory(with_member=True)
    user = ProfessionalFactory()
    CompanyMembershipFactory(organization=company, user=user, is_active=False, is_admin=False)
    membership = add_member(company, user)
    assert membership.is_active and not membership.is_admin
    assert company.memberships.filter(user=user).count() == 1


def test_joining_again_changes_nothing(db):
    company = CompanyFactory()
    user = ProfessionalFactory()
    add_member(company, user)
    assert add_member(company, user).is_admin
    assert company.memberships.count() == 1
