"""Prescriber organizations: authorization, SIRET, SAFIR and memberships (organizations.md §6, §9)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from inclusion.prescribers.enums import AuthorizationStatus, PrescriberOrganizationKind
from inclusion.prescribers.models import PrescriberMembership, PrescriberOrganization
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db

Kind = PrescriberOrganizationKind
Status = AuthorizationStatus


# Authorization --------------------------------------------------------------------------------------------------


def test_other_kind_cannot_be_validated():
    with pytest.raises(IntegrityError), transaction.atomic():
        PrescriberOrganizationFactory(kind=Kind.OTHER, authorization_status=Status.VALIDATED)
    organization = PrescriberOrganizationFactory(kind=Kind.OTHER, authorization_status=Status.NOT_SET)
    with pytest.raises(IntegrityError), transaction.atomic():
        PrescriberOrganization.objects.filter(pk=organization.pk).update(authorization_status=Status.VALIDATED)
    organization.refresh_from_db()
    assert organization.authorization_status == Status.NOT_SET
    assert not organization.is_authorized


def test_other_kind_validation_error_is_french():
    organization = PrescriberOrganizationFactory.build(kind=Kind.OTHER, authorization_status=Status.VALIDATED)
    with pytest.raises(ValidationError, match="« Autre » ne peut pas être habilitée"):
        organization.full_clean()


@pytest.mark.parametrize("status", [Status.NOT_SET, Status.REFUSED, Status.NOT_REQUIRED])
def test_other_kind_accepts_the_other_statuses(status):
    organization = PrescriberOrganizationFactory(kind=Kind.OTHER, authorization_status=status)
    organization.full_clean()
    assert not organization.is_authorized


@pytest.mark.parametrize("kind", [Kind.ML, Kind.FT, Kind.ORIENTEUR, Kind.SPIP])
def test_not_required_is_only_for_other_kind(kind):
    siret = "" if kind == Kind.FT else "12345678900011"
    with pytest.raises(IntegrityError), transaction.atomic():
        PrescriberOrganizationFactory(kind=kind, siret=siret, authorization_status=Status.NOT_REQUIRED)


@pytest.mark.parametrize("status", [Status.NOT_SET, Status.VALIDATED, Status.REFUSED])
def test_listed_kind_accepts_the_authorization_statuses(status):
    organization = PrescriberOrganizationFactory(kind=Kind.ML, authorization_status=status)
    assert organization.is_authorized == (status == Status.VALIDATED)


def test_only_validated_organizations_are_authorized():
    validated = PrescriberOrganizationFactory(authorized=True)
    PrescriberOrganizationFactory(kind=Kind.ML, authorization_status=Status.NOT_SET)
    PrescriberOrganizationFactory(kind=Kind.ML, authorization_status=Status.REFUSED)
    PrescriberOrganizationFactory(kind=Kind.OTHER, authorization_status=Status.NOT_REQUIRED)
    assert list(PrescriberOrganization.objects.authorized()) == [validated]


def test_validated_odc_is_forced_brsa():
    organization = PrescriberOrganizationFactory(kind=Kind.ODC, authorization_status=Status.VALIDATED, is_brsa=False)
    organization.refresh_from_db()
    assert organization.is_brsa is True

    pending = PrescriberOrganizationFactory(kind=Kind.ODC, authorization_status=Status.NOT_SET, is_brsa=False)
    pending.refresh_from_db()
    assert pending.is_brsa is False
    pending.authorization_status = Status.VALIDATED
    pending.save()
    pending.refresh_from_db()
    assert pending.is_brsa is True

    # Other validated kinds keep what was chosen.
    ml = PrescriberOrganizationFactory(kind=Kind.ML, authorization_status=Status.VALIDATED, is_brsa=False)
    ml.refresh_from_db()
    assert ml.is_brsa is False


# SIRET and SAFIR ----------------------------------------------------------------------------------------------


def test_siret_is_required_except_for_france_travail():
    with pytest.raises(IntegrityError), transaction.atomic():
        PrescriberOrganizationFactory(kind=Kind.ML, authorization_status=Status.NOT_SET, siret="")
    with pytest.raises(IntegrityError), transaction.atomic():
        PrescriberOrganizationFactory(kind=Kind.OTHER, siret="")
    agency = PrescriberOrganizationFactory(kind=Kind.FT, authorization_status=Status.VALIDATED, siret="")
    agency.full_clean()


def test_missing_siret_error_is_french():
    organization = PrescriberOrganizationFactory.build(kind=Kind.ML, authorization_status=Status.NOT_SET, siret="")
    with pytest.raises(ValidationError, match="Le SIRET est obligatoire"):
        organization.full_clean()


def test_several_france_travail_agencies_without_siret():
    PrescriberOrganizationFactory(kind=Kind.FT, authorization_status=Status.VALIDATED, siret="", name="FT Lyon")
    PrescriberOrganizationFactory(kind=Kind.FT, authorization_status=Status.VALIDATED, siret="", name="FT Paris")
    assert PrescriberOrganization.objects.filter(kind=Kind.FT, siret="").count() == 2


def test_safir_code_is_only_for_france_travail():
    agency = PrescriberOrganizationFactory(
        kind=Kind.FT, authorization_status=Status.VALIDATED, siret="", code_safir_pole_emploi="69031"
    )
    agency.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        PrescriberOrganizationFactory(
            kind=Kind.ML, authorization_status=Status.NOT_SET, code_safir_pole_emploi="69032"
        )


def test_safir_code_is_unique():
    PrescriberOrganizationFactory(
        kind=Kind.FT, authorization_status=Status.VALIDATED, siret="", code_safir_pole_emploi="69031"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PrescriberOrganizationFactory(
            kind=Kind.FT, authorization_status=Status.VALIDATED, siret="", code_safir_pole_emploi="69031"
        )
    duplicate = PrescriberOrganizationFactory.build(
        kind=Kind.FT, authorization_status=Status.VALIDATED, siret="", code_safir_pole_emploi="69031"
    )
    with pytest.raises(ValidationError, match="a déjà ce code SAFIR"):
        duplicate.full_clean()


def test_invalid_safir_code_fails_validation():
    agency = PrescriberOrganizationFactory.build(
        kind=Kind.FT, authorization_status=Status.VALIDATED, siret="", code_safir_pole_emploi="6903"
    )
    with pytest.raises(ValidationError, match="Le code SAFIR doit comporter 5 chiffres"):
        agency.full_clean()


def test_siret_and_kind_are_unique_together():
    PrescriberOrganizationFactory(kind=Kind.ML, authorization_status=Status.VALIDATED, siret="12345678900011")
    with pytest.raises(IntegrityError), transaction.atomic():
        PrescriberOrganizationFactory(kind=Kind.ML, authorization_status=Status.NOT_SET, siret="12345678900011")
    # The same SIRET with another kind is allowed.
    PrescriberOrganizationFactory(kind=Kind.OTHER, authorization_status=Status.NOT_REQUIRED, siret="12345678900011")
    assert PrescriberOrganization.objects.filter(siret="12345678900011").count() == 2


def test_duplicate_siret_and_kind_error_is_french():
    PrescriberOrganizationFactory(kind=Kind.ML, authorization_status=Status.VALIDATED, siret="12345678900011")
    duplicate = PrescriberOrganizationFactory.build(
        kind=Kind.ML, authorization_status=Status.NOT_SET, siret="12345678900011"
    )
    with pytest.raises(ValidationError, match="existe déjà avec ce SIRET"):
        duplicate.full_clean()


# Memberships ----------------------------------------------------------------------------------------------------


def test_membership_is_unique_per_user_and_organization():
    membership = PrescriberMembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PrescriberMembershipFactory(user=membership.user, organization=membership.organization, is_admin=False)
    # The same person may belong to another organization.
    PrescriberMembershipFactory(user=membership.user)
    assert membership.user.prescriber_organizations.count() == 2


def test_inactive_membership_cannot_be_admin():
    with pytest.raises(IntegrityError), transaction.atomic():
        PrescriberMembershipFactory(is_active=False, is_admin=True)
    membership = PrescriberMembershipFactory(is_admin=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PrescriberMembership.objects.filter(pk=membership.pk).update(is_active=False)
    PrescriberMembership.objects.filter(pk=membership.pk).update(is_active=False, is_admin=False)


def test_active_memberships_exclude_inactive_memberships_and_users():
    organization = PrescriberOrganizationFactory()
    active = PrescriberMembershipFactory(organization=organization, is_admin=True)
    member = PrescriberMembershipFactory(organization=organization, is_admin=False)
    PrescriberMembershipFactory(organization=organization, is_active=False, is_admin=False)
    PrescriberMembershipFactory(organization=organization, user=ProfessionalFactory(is_active=False))
    assert set(organization.memberships.active()) == {active, member}
    assert list(organization.memberships.admins()) == [active]
    assert organization.memberships.count() == 4


def test_database_refuses_a_validated_odc_without_brsa():
    organization = PrescriberOrganizationFactory(
        kind=PrescriberOrganizationKind.ODC, authorization_status=AuthorizationStatus.VALIDATED
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PrescriberOrganization.objects.filter(pk=organization.pk).update(is_brsa=False)
