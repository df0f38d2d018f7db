"""Institutions: one departmental service per department, memberships (organizations.md §6, §10)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from inclusion.institutions.enums import InstitutionKind
from inclusion.institutions.models import Institution, InstitutionMembership
from tests.institutions.factories import InstitutionFactory, InstitutionMembershipFactory
from tests.users.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", [InstitutionKind.DDETS_IAE, InstitutionKind.DDETS_GEIQ, InstitutionKind.DDETS_LOG])
def test_one_departmental_institution_of_each_kind_per_department(kind):
    InstitutionFactory(kind=kind, department="69", name="DDETS du Rhône")
    with pytest.raises(IntegrityError), transaction.atomic():
        InstitutionFactory(kind=kind, department="69", name="DDETS du Rhône (doublon)")
    InstitutionFactory(kind=kind, department="01", name="DDETS de l'Ain")
    assert Institution.objects.filter(kind=kind).count() == 2


def test_duplicate_ddets_error_is_french():
    InstitutionFactory(kind=InstitutionKind.DDETS_IAE, department="69")
    duplicate = InstitutionFactory.build(kind=InstitutionKind.DDETS_IAE, department="69")
    with pytest.raises(ValidationError, match="Ce département a déjà une institution de ce type"):
        duplicate.full_clean()


def test_other_kinds_may_share_the_department():
    InstitutionFactory(kind=InstitutionKind.DDETS_IAE, department="69")
    InstitutionFactory(kind=InstitutionKind.DDETS_GEIQ, department="69")
    InstitutionFactory(kind=InstitutionKind.DREETS_IAE, department="69", name="DREETS Auvergne-Rhône-Alpes")
    InstitutionFactory(kind=InstitutionKind.DREETS_GEIQ, department="69")
    # Non-departmental kinds are not limited by department.
    InstitutionFactory(kind=InstitutionKind.OTHER, department="69")
    InstitutionFactory(kind=InstitutionKind.OTHER, department="69")
    assert Institution.objects.filter(department="69").count() == 6


def test_membership_is_unique_per_user_and_institution():
    membership = InstitutionMembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        InstitutionMembershipFactory(user=membership.user, organization=membership.organization, is_admin=False)


def test_inactive_membership_cannot_be_admin():
    with pytest.raises(IntegrityError), transaction.atomic():
        InstitutionMembershipFactory(is_active=False, is_admin=True)
    membership = InstitutionMembershipFactory(is_admin=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        InstitutionMembership.objects.filter(pk=membership.pk).update(is_active=False)


def test_active_memberships_exclude_inactive_memberships_and_users():
    institution = InstitutionFactory()
    admin = InstitutionMembershipFactory(organization=institution, is_admin=True)
    InstitutionMembershipFactory(organization=institution, is_active=False, is_admin=False)
    InstitutionMembershipFactory(organization=institution, user=ProfessionalFactory(is_active=False))
    assert list(institution.memberships.active()) == [admin]
    assert list(institution.memberships.admins()) == [admin]
