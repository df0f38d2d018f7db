"""Companies: identity, display name and memberships (organizations.md §6, §8.2)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from inclusion.companies.enums import CompanyKind
from inclusion.companies.models import Company, CompanyMembership
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.users.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db


def test_siret_and_kind_are_unique_together():
    CompanyFactory(siret="81234567800011", kind=CompanyKind.ACI)
    with pytest.raises(IntegrityError), transaction.atomic():
        CompanyFactory(siret="81234567800011", kind=CompanyKind.ACI)
    # The same SIRET may host a structure of another kind (an ACI and an EI of the same association).
    CompanyFactory(siret="81234567800011", kind=CompanyKind.EI)
    assert Company.objects.filter(siret="81234567800011").count() == 2


def test_duplicate_siret_and_kind_error_is_french():
    CompanyFactory(siret="81234567800011", kind=CompanyKind.ACI)
    duplicate = CompanyFactory.build(siret="81234567800011", kind=CompanyKind.ACI)
    with pytest.raises(ValidationError, match="existe déjà avec ce SIRET"):
        duplicate.full_clean()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("siret", "8123456780001", "Le numéro SIRET doit comporter 14 chiffres"),
        ("naf", "8810c", "Le code NAF doit comporter 4 chiffres suivis d'une lettre majuscule"),
    ],
)
def test_invalid_identifiers_fail_validation(field, value, message):
    company = CompanyFactory(naf="8810C")
    company.full_clean()
    setattr(company, field, value)
    with pytest.raises(ValidationError, match=message):
        company.full_clean()


def test_display_name_uses_the_brand():
    company = CompanyFactory(name="Association Tremplin Emploi", brand="")
    assert company.display_name == "Association Tremplin Emploi"
    assert str(company) == "Association Tremplin Emploi"
    company.brand = "La Recyclerie"
    assert company.display_name == "La Recyclerie"
    assert str(company) == "La Recyclerie"


def test_siren_is_the_start_of_the_siret():
    assert CompanyFactory.build(siret="81234567800011").siren == "812345678"


def test_membership_is_unique_per_user_and_company():
    membership = CompanyMembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CompanyMembershipFactory(user=membership.user, organization=membership.organization, is_admin=False)
    CompanyMembershipFactory(user=membership.user)
    assert membership.user.companies.count() == 2


def test_inactive_membership_cannot_be_admin():
    with pytest.raises(IntegrityError), transaction.atomic():
        CompanyMembershipFactory(is_active=False, is_admin=True)
    membership = CompanyMembershipFactory(is_admin=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        CompanyMembership.objects.filter(pk=membership.pk).update(is_active=False)
    membership.is_active = False
    membership.is_admin = True
    with pytest.raises(ValidationError, match="Un membre désactivé ne peut pas être administrateur"):
        membership.full_clean()


def test_active_memberships_exclude_inactive_memberships_and_users():
    company = CompanyFactory()
    admin = CompanyMembershipFactory(organization=company, is_admin=True)
    member = CompanyMembershipFactory(organization=company, is_admin=False)
    CompanyMembershipFactory(organization=company, is_active=False, is_admin=False)
    CompanyMembershipFactory(organization=company, user=ProfessionalFactory(is_active=False), is_admin=True)
    assert set(company.memberships.active()) == {admin, member}
    assert list(company.memberships.admins()) == [admin]
    assert set(CompanyMembership.objects.active()) == {admin, member}
