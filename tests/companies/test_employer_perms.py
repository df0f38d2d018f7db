"""Who may act in the employer space (inclusion/companies/perms.py): allowed actor, wrong role, outsider, anonymous."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from inclusion.companies.enums import CompanyKind, CompanySource
from inclusion.companies.models import CONVENTION_GRACE_PERIOD, Convention
from inclusion.companies.perms import can_edit_company, can_manage_job_descriptions
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory

PREDICATES = [can_manage_job_descriptions, can_edit_company]


@pytest.fixture
def company(db):
    return CompanyFactory()


def member(company, *, is_admin):
    return CompanyMembershipFactory(organization=company, is_admin=is_admin).user


def asp_company(*, deactivated_since):
    """An ASP-listed SIAE whose convention was deactivated `deactivated_since` ago."""
    convention = Convention.objects.create(
        asp_id=4242,
        kind=CompanyKind.ACI,
        siret_signature="81234567800999",
        is_active=False,
        deactivated_at=timezone.now() - deactivated_since,
    )
    return CompanyFactory(source=CompanySource.ASP, convention=convention)


def test_any_active_member_manages_job_descriptions_only_admins_edit_the_company(company):
    admin, employee = member(company, is_admin=True), member(company, is_admin=False)
    assert can_manage_job_descriptions(admin, company) and can_edit_company(admin, company)
    assert can_manage_job_descriptions(employee, company)
    assert not can_edit_company(employee, company)


@pytest.mark.parametrize("predicate", PREDICATES)
def test_deactivated_member_is_refused(company, predicate):
    membership = CompanyMembershipFactory(organization=company, is_admin=False, is_active=False)
    assert not predicate(membership.user, company)


@pytest.mark.parametrize("predicate", PREDICATES)
def test_deactivated_user_is_refused(company, predicate):
    user = member(company, is_admin=True)
    user.is_active = False
    user.save()
    assert not predicate(user, company)


@pytest.mark.parametrize("predicate", PREDICATES)
def test_admin_of_another_company_is_refused(company, predicate):
    outsider = member(CompanyFactory(), is_admin=True)
    assert not predicate(outsider, company)


@pytest.mark.parametrize("predicate", PREDICATES)
@pytest.mark.parametrize(
    "make_user",
    [
        lambda: PrescriberOrganizationFactory(authorized=True, with_member=True).memberships.get().user,
        lambda: InstitutionFactory(with_member=True).memberships.get().user,
        JobSeekerFactory,
        StaffFactory,
        ProfessionalFactory,  # a professional of no organization
    ],
    ids=["prescriber", "institution_member", "job_seeker", "staff", "no_organization"],
)
def test_wrong_role_is_refused(company, predicate, make_user):
    assert not predicate(make_user(), company)


@pytest.mark.parametrize("predicate", PREDICATES)
def test_anonymous_is_refused(company, predicate):
    assert not predicate(AnonymousUser(), company)


@pytest.mark.parametrize("predicate", PREDICATES)
def test_not_a_company(db, predicate):
    organization = PrescriberOrganizationFactory(with_member=True)
    assert not predicate(organization.memberships.get().user, organization)
    assert not predicate(organization.memberships.get().user, None)


@pytest.mark.parametrize("predicate", PREDICATES)
def test_grace_period_keeps_the_employer_space_open(db, predicate):
    # organizations.md §8.4: member management is blocked during the grace period, not editing.
    in_grace = asp_company(deactivated_since=CONVENTION_GRACE_PERIOD - datetime.timedelta(minutes=1))
    assert in_grace.is_in_grace_period()
    assert predicate(member(in_grace, is_admin=True), in_grace)


@pytest.mark.parametrize("predicate", PREDICATES)
def test_after_the_grace_period_the_employer_space_is_closed(db, predicate):
    expired = asp_company(deactivated_since=CONVENTION_GRACE_PERIOD + datetime.timedelta(minutes=1))
    assert not expired.is_active_or_in_grace_period()
    assert not predicate(member(expired, is_admin=True), expired)
