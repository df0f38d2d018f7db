import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from inclusion.companies.enums import CompanyKind, CompanySource
from inclusion.companies.models import CONVENTION_GRACE_PERIOD, Convention
from inclusion.organizations.current import SESSION_KEY
from inclusion.organizations.enums import Role
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.institutions.factories import InstitutionFactory, InstitutionMembershipFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory


def dashboard(client):
    return client.get(reverse("dashboard"))


def switch(client, organization, **extra):
    return client.post(reverse("switch_organization"), {"organization": organization.switch_key, **extra})


class TestRole:
    @pytest.mark.parametrize(
        "make_membership,role",
        [
            (lambda user: CompanyMembershipFactory(user=user), Role.EMPLOYER),
            (lambda user: PrescriberMembershipFactory(user=user), Role.ORIENTEUR),
            (
                lambda user: PrescriberMembershipFactory(
                    user=user, organization=PrescriberOrganizationFactory(authorized=True)
                ),
                Role.AUTHORIZED_PRESCRIBER,
            ),
            (lambda user: InstitutionMembershipFactory(user=user), Role.INSTITUTION_MEMBER),
        ],
    )
    def test_role_follows_the_current_organization(self, client, db, make_membership, role):
        user = ProfessionalFactory()
        membership = make_membership(user)
        client.force_login(user)
        response = dashboard(client)
        assert response.wsgi_request.role == role
        assert response.wsgi_request.current_organization == membership.organization
        assert escape(membership.organization.display_name) in response.content.decode()

    def test_job_seeker_and_staff_have_a_role_without_organization(self, client, db):
        for user, role in [(JobSeekerFactory(), Role.JOB_SEEKER), (StaffFactory(), Role.STAFF)]:
            login(client, user)
            response = dashboard(client)
            assert response.wsgi_request.role == role
            assert response.wsgi_request.current_organization is None

    def test_organizations_are_read_once_per_request(self, client, db, django_assert_num_queries):
        user = ProfessionalFactory()
        CompanyMembershipFactory(user=user)
        client.force_login(user)
        # A page that reads nothing else, so that only the middleware's queries are counted.
        page = reverse("accessibility")
        client.get(page)  # stores the CSRF token in the session once
        # session + user + one query per membership table, whatever the number of organizations.
        with django_assert_num_queries(5):
            client.get(page)
        CompanyMembershipFactory(user=user)
        PrescriberMembershipFactory(user=user)
        InstitutionMembershipFactory(user=user)
        with django_assert_num_queries(5):
            client.get(page)


class TestDefaultOrganization:
    def test_companies_come_first_then_prescribers_then_institutions(self, client, db):
        user = ProfessionalFactory()
        InstitutionMembershipFactory(user=user)
        PrescriberMembershipFactory(user=user)
        company_membership = CompanyMembershipFactory(user=user)
        client.force_login(user)
        assert dashboard(client).wsgi_request.current_organization == company_membership.organization

    def test_oldest_membership_first_within_a_type(self, client, db):
        user = ProfessionalFactory()
        now = timezone.now()
        CompanyMembershipFactory(user=user, joined_at=now)
        oldest = CompanyMembershipFactory(user=user, joined_at=now - datetime.timedelta(days=1))
        client.force_login(user)
        assert dashboard(client).wsgi_request.current_organization == oldest.organization


class TestSwitch:
    def test_switch_to_another_of_my_organizations(self, client, db):
        user = ProfessionalFactory()
        CompanyMembershipFactory(user=user)
        institution = InstitutionFactory(with_member=user)
        client.force_login(user)
        response = switch(client, institution)
        assert response["Location"] == reverse("dashboard")
        assert client.session[SESSION_KEY] == institution.switch_key
        assert dashboard(client).wsgi_request.role == Role.INSTITUTION_MEMBER

    def test_switch_follows_next_inside_the_site_only(self, client, db):
        user = ProfessionalFactory()
        company = CompanyFactory(with_member=user)
        client.force_login(user)
        assert switch(client, company, next="/accessibilite/")["Location"] == "/accessibilite/"
        assert switch(client, company, next="https://evil.example.org/")["Location"] == reverse("dashboard")

    def test_switch_to_an_organization_i_am_not_member_of_is_a_404(self, client, db):
        user = ProfessionalFactory()
        CompanyMembershipFactory(user=user)
        client.force_login(user)
        assert switch(client, CompanyFactory()).status_code == 404

    def test_switch_to_an_inactive_membership_is_a_404(self, client, db):
        user = ProfessionalFactory()
        CompanyMembershipFactory(user=user)
        inactive = CompanyMembershipFactory(user=user, is_active=False, is_admin=False)
        client.force_login(user)
        assert switch(client, inactive.organization).status_code == 404

    def test_remembered_organization_is_dropped_when_membership_ends(self, client, db):
        user = ProfessionalFactory()
        first = CompanyMembershipFactory(user=user)
        second = CompanyMembershipFactory(user=user)
        client.force_login(user)
        switch(client, second.organization)
        second.is_active, second.is_admin = False, False
        second.save()
        assert dashboard(client).wsgi_request.current_organization == first.organization


class TestNoOrganization:
    def test_professional_without_active_organization_is_logged_out(self, client, db):
        user = ProfessionalFactory()
        CompanyMembershipFactory(user=user, is_active=False, is_admin=False)
        client.force_login(user)
        response = dashboard(client)
        assert response["Location"] == reverse("no_organization")
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"])
        assert "Aucune organisation active" in page.content.decode()

    def test_public_pages_stay_reachable(self, client, db):
        client.force_login(ProfessionalFactory())
        assert client.get(reverse("accessibility")).status_code == 200
        assert "_auth_user_id" in client.session


class TestFranceTravailAgents:
    def test_agent_outside_any_france_travail_agency_is_logged_out(self, client, db):
        user = ProfessionalFactory(email="agent@francetravail.fr")
        CompanyMembershipFactory(user=user)
        client.force_login(user)
        response = dashboard(client)
        assert response["Location"] == reverse("no_organization") + "?motif=france-travail"
        assert "_auth_user_id" not in client.session
        assert "aucune agence France Travail" in client.get(response["Location"]).content.decode()

    def test_agent_of_a_france_travail_agency_stays(self, client, db):
        user = ProfessionalFactory(email="agent@pole-emploi.fr")
        agency = PrescriberOrganizationFactory(kind="FT", siret="", authorization_status="VALIDATED")
        PrescriberMembershipFactory(user=user, organization=agency)
        CompanyMembershipFactory(user=user)  # may belong to other organizations too
        client.force_login(user)
        assert dashboard(client).status_code == 200


def test_switch_never_reverses_next_as_a_url_name(client, db):
    user = ProfessionalFactory()
    company = CompanyFactory(with_member=user)
    client.force_login(user)
    for next_url in ["foo", "Accueil", "logout"]:
        response = switch(client, company, next=next_url)
        assert response.status_code == 302, next_url
        assert response["Location"] == reverse("dashboard")


def test_can_switch_organization_checks_the_membership(db):
    from inclusion.organizations.perms import can_switch_organization

    user = ProfessionalFactory()
    mine, other = CompanyFactory(with_member=user), CompanyFactory()
    assert can_switch_organization(user, mine)
    assert not can_switch_organization(user, other)
    assert not can_switch_organization(JobSeekerFactory(), mine)


def _siae_deactivated_at(deactivated_at, member):
    convention = Convention.objects.create(
        asp_id=4242,
        kind=CompanyKind.ACI,
        siret_signature="81234567800012",
        is_active=False,
        deactivated_at=deactivated_at,
    )
    return CompanyFactory(kind=CompanyKind.ACI, source=CompanySource.ASP, convention=convention, with_member=member)


class TestCompanyAfterItsGracePeriod:
    """organizations.md §8.4, §11 invariant 3: members keep access during the 30-day grace period, not after."""

    DEACTIVATED_AT = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)

    @pytest.mark.parametrize(
        "elapsed,keeps_access",
        [
            (CONVENTION_GRACE_PERIOD - datetime.timedelta(minutes=1), True),
            (CONVENTION_GRACE_PERIOD, False),
            (CONVENTION_GRACE_PERIOD + datetime.timedelta(days=1), False),
        ],
        ids=["last minute of the grace period", "grace period over", "the day after"],
    )
    def test_members_are_logged_out_once_the_grace_period_is_over(self, client, db, elapsed, keeps_access):
        user = ProfessionalFactory()
        company = _siae_deactivated_at(self.DEACTIVATED_AT, user)
        client.force_login(user)
        with time_machine.travel(self.DEACTIVATED_AT + elapsed, tick=False):
            response = dashboard(client)
        if keeps_access:
            assert response.status_code == 200
            assert response.wsgi_request.current_organization == company
        else:
            assert response["Location"] == reverse("no_organization")
            assert "_auth_user_id" not in client.session

    def test_the_other_organizations_remain(self, client, db):
        user = ProfessionalFactory()
        expired = _siae_deactivated_at(self.DEACTIVATED_AT, user)
        prescriber = PrescriberMembershipFactory(user=user).organization
        client.force_login(user)
        with time_machine.travel(self.DEACTIVATED_AT + CONVENTION_GRACE_PERIOD, tick=False):
            assert switch(client, expired).status_code == 404
            response = dashboard(client)
        assert response.wsgi_request.current_organization == prescriber
        assert response.wsgi_request.organizations == [prescriber]

    def test_an_active_company_is_preferred_to_one_in_grace_period(self, client, db):
        # organizations.md §1.1: companies not in grace period first, even when joined later.
        user = ProfessionalFactory()
        with time_machine.travel(self.DEACTIVATED_AT, tick=False):
            in_grace = _siae_deactivated_at(self.DEACTIVATED_AT, user)
        active = CompanyFactory(with_member=user)
        client.force_login(user)
        with time_machine.travel(self.DEACTIVATED_AT + datetime.timedelta(days=1), tick=False):
            response = dashboard(client)
        assert response.wsgi_request.current_organization == active
        assert response.wsgi_request.organizations == [active, in_grace]
