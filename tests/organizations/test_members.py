"""Members page, promotion, demotion and deactivation (organizations.md §6, §8.4)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from inclusion.companies.enums import CompanyKind, CompanySource
from inclusion.companies.models import Convention
from inclusion.organizations.models import MAX_PENDING_INVITATIONS
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.institutions.factories import InstitutionFactory, InstitutionMembershipFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory

ORGANIZATION_TYPES = [
    (CompanyFactory, CompanyMembershipFactory),
    (PrescriberOrganizationFactory, PrescriberMembershipFactory),
    (InstitutionFactory, InstitutionMembershipFactory),
]
MEMBERS_URL = reverse("members")


def invite(organization, *, email, sender=None, sent_at=None):
    return organization.invitations.create(
        email=email, first_name="Camille", last_name="Martin", sender=sender, sent_at=sent_at or timezone.now()
    )


def company_with_convention(*, active, deactivated_days_ago=None):
    convention = Convention.objects.create(
        asp_id=Convention.objects.count() + 1,
        kind=CompanyKind.ACI,
        siret_signature="81234567800011",
        is_active=active,
        deactivated_at=None if active else timezone.now() - datetime.timedelta(days=deactivated_days_ago),
    )
    return CompanyFactory(source=CompanySource.ASP, convention=convention)


def set_admin_url(membership):
    return reverse("member_set_admin", args=[membership.pk])


def deactivate_url(membership):
    return reverse("member_deactivate", args=[membership.pk])


@pytest.fixture
def company(db):
    return CompanyFactory()


@pytest.fixture
def admin(company):
    return CompanyMembershipFactory(organization=company, is_admin=True).user


@pytest.fixture
def member(company):
    return CompanyMembershipFactory(organization=company, is_admin=False)


class TestMembersPageAccess:
    @pytest.mark.parametrize("organization_factory,membership_factory", ORGANIZATION_TYPES)
    def test_any_active_member_sees_the_members_of_each_organization_type(
        self, client, db, organization_factory, membership_factory
    ):
        organization = organization_factory()
        admin = membership_factory(organization=organization, is_admin=True)
        member = membership_factory(organization=organization, is_admin=False)
        client.force_login(member.user)
        response = client.get(MEMBERS_URL)
        assert response.status_code == 200
        content = response.content.decode()
        assert escape(admin.user.get_inverted_full_name()) in content
        assert escape(member.user.get_inverted_full_name()) in content

    def test_a_member_of_another_organization_sees_only_their_own(self, client, company, member):
        outsider = CompanyMembershipFactory().user
        client.force_login(outsider)
        response = client.get(MEMBERS_URL)
        assert response.status_code == 200
        assert member.user.email not in response.content.decode()

    @pytest.mark.parametrize("user_factory", [JobSeekerFactory, StaffFactory])
    def test_wrong_role_is_forbidden(self, client, db, user_factory):
        login(client, user_factory())
        assert client.get(MEMBERS_URL).status_code == 403

    def test_anonymous_is_sent_to_login(self, client, db):
        response = client.get(MEMBERS_URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_company_in_grace_period_blocks_member_management_and_says_why(self, client, db):
        company = company_with_convention(active=False, deactivated_days_ago=10)
        admin = CompanyMembershipFactory(organization=company, is_admin=True)
        other = CompanyMembershipFactory(organization=company, is_admin=False)
        client.force_login(admin.user)
        response = client.get(MEMBERS_URL)
        assert response.status_code == 403
        assert "délai de grâce" in response.content.decode()
        assert client.get(reverse("members_invite")).status_code == 403
        assert client.post(set_admin_url(other), {"is_admin": "1"}).status_code == 403
        assert client.post(deactivate_url(other)).status_code == 403
        other.refresh_from_db()
        assert other.is_active and not other.is_admin

    def test_company_with_an_active_convention_is_managed(self, client, db):
        company = company_with_convention(active=True)
        client.force_login(CompanyMembershipFactory(organization=company).user)
        assert client.get(MEMBERS_URL).status_code == 200


class TestMembersPageContent:
    def test_counts_members_and_admins_and_sorts_by_name(self, client, company, admin):
        for last_name in ["Zola", "adam", "Martin"]:
            CompanyMembershipFactory(organization=company, is_admin=False, user__last_name=last_name)
        CompanyMembershipFactory(organization=company, is_admin=False, is_active=False, user__last_name="Ancien")
        client.force_login(admin)
        response = client.get(MEMBERS_URL)
        members = [m.user.last_name for m in response.context["page_obj"]]
        assert members.index("adam") < members.index("Martin") < members.index("Zola")
        assert "Ancien" not in members
        assert (response.context["members_count"], response.context["admins_count"]) == (4, 1)
        assert "<strong>4</strong> membres actifs" in response.content.decode()

    def test_fifty_members_per_page(self, client, company, admin):
        CompanyMembershipFactory.create_batch(50, organization=company, is_admin=False)
        client.force_login(admin)
        assert len(client.get(MEMBERS_URL).context["page_obj"]) == 50
        assert len(client.get(MEMBERS_URL, {"page": 2}).context["page_obj"]) == 1

    def test_pending_invitations_are_listed_expired_and_accepted_ones_are_not(self, client, company, admin):
        invite(company, email="pending@example.com", sender=admin)
        invite(company, email="expired@example.com", sent_at=timezone.now() - datetime.timedelta(days=15))
        accepted = invite(company, email="accepted@example.com")
        accepted.accepted_at = timezone.now()
        accepted.save()
        client.force_login(admin)
        content = client.get(MEMBERS_URL).content.decode()
        assert "pending@example.com" in content
        assert "expired@example.com" not in content
        assert "accepted@example.com" not in content

    @pytest.mark.parametrize(
        "pending,link_shown", [(MAX_PENDING_INVITATIONS - 1, True), (MAX_PENDING_INVITATIONS, False)]
    )
    def test_invite_link_is_hidden_when_fifty_invitations_are_pending(
        self, client, company, admin, pending, link_shown
    ):
        for index in range(pending):
            invite(company, email=f"invite{index}@example.com")
        client.force_login(admin)
        content = client.get(MEMBERS_URL).content.decode()
        assert (reverse("members_invite") in content) is link_shown

    def test_only_admins_see_the_actions_and_never_on_themselves(self, client, company, admin, member):
        client.force_login(admin)
        content = client.get(MEMBERS_URL).content.decode()
        assert set_admin_url(member) in content
        assert deactivate_url(member) in content
        assert set_admin_url(company.memberships.get(user=admin)) not in content
        client.force_login(member.user)
        content = client.get(MEMBERS_URL).content.decode()
        assert "member_set_admin" not in content and "/administrateur/" not in content

    def test_query_count_does_not_grow_with_members(self, client, company, admin, django_assert_num_queries):
        client.force_login(admin)
        client.get(MEMBERS_URL)  # stores the CSRF token in the session once

        def count_queries():
            # The membership check is answered by the memberships the middleware has read (no query of its own).
            with django_assert_num_queries(10) as captured:
                assert client.get(MEMBERS_URL).status_code == 200
            return len(captured)

        CompanyMembershipFactory.create_batch(5, organization=company, is_admin=False)
        invite(company, email="one@example.com", sender=admin)
        few = count_queries()
        CompanyMembershipFactory.create_batch(60, organization=company, is_admin=False)
        for index in range(10):
            invite(company, email=f"more{index}@example.com", sender=ProfessionalFactory())
        assert count_queries() == few


class TestSetAdmin:
    def test_admin_promotes_another_member_who_is_told_by_email(
        self, client, company, admin, member, mailoutbox, django_capture_on_commit_callbacks
    ):
        client.force_login(admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(set_admin_url(member), {"is_admin": "1"})
        assert response.status_code == 302
        assert response["Location"] == MEMBERS_URL
        member.refresh_from_db()
        assert member.is_admin and member.updated_by == admin
        assert [mail.to for mail in mailoutbox] == [[member.user.email]]
        assert "Vous êtes administrateur" in mailoutbox[0].subject

    def test_admin_demotes_another_admin_who_is_told_by_email(
        self, client, company, admin, mailoutbox, django_capture_on_commit_callbacks
    ):
        other_admin = CompanyMembershipFactory(organization=company, is_admin=True)
        client.force_login(admin)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(set_admin_url(other_admin), {"is_admin": "0"})
        other_admin.refresh_from_db()
        assert not other_admin.is_admin and other_admin.is_active
        assert "n'êtes plus administrateur" in mailoutbox[0].subject

    def test_self_demotion_is_forbidden(self, client, company, admin, mailoutbox):
        own = company.memberships.get(user=admin)
        client.force_login(admin)
        assert client.post(set_admin_url(own), {"is_admin": "0"}).status_code == 403
        own.refresh_from_db()
        assert own.is_admin
        assert mailoutbox == []

    def test_non_admin_member_is_forbidden(self, client, company, admin, member):
        other = CompanyMembershipFactory(organization=company, is_admin=False)
        client.force_login(member.user)
        assert client.post(set_admin_url(other), {"is_admin": "1"}).status_code == 403
        other.refresh_from_db()
        assert not other.is_admin

    def test_member_of_another_organization_is_not_found(self, client, company, member):
        outsider_admin = CompanyMembershipFactory(is_admin=True).user
        client.force_login(outsider_admin)
        assert client.post(set_admin_url(member), {"is_admin": "1"}).status_code == 404

    def test_an_inactive_member_is_not_found(self, client, company, admin):
        former = CompanyMembershipFactory(organization=company, is_admin=False, is_active=False)
        client.force_login(admin)
        assert client.post(set_admin_url(former), {"is_admin": "1"}).status_code == 404

    @pytest.mark.parametrize("user_factory", [JobSeekerFactory, StaffFactory])
    def test_wrong_role_is_forbidden(self, client, member, user_factory):
        login(client, user_factory())
        assert client.post(set_admin_url(member), {"is_admin": "1"}).status_code == 403

    def test_anonymous_is_sent_to_login(self, client, member):
        response = client.post(set_admin_url(member), {"is_admin": "1"})
        assert response["Location"].startswith(reverse("login"))

    def test_bad_value_gets_a_french_message(self, client, company, admin, member):
        client.force_login(admin)
        response = client.post(set_admin_url(member), {"is_admin": "peut-être"}, follow=True)
        assert "Choix invalide" in response.content.decode()
        member.refresh_from_db()
        assert not member.is_admin

    def test_get_is_not_allowed(self, client, company, admin, member):
        client.force_login(admin)
        assert client.get(set_admin_url(member)).status_code == 405


class TestDeactivate:
    def test_get_shows_a_confirmation_page(self, client, company, admin, member):
        client.force_login(admin)
        response = client.get(deactivate_url(member))
        assert response.status_code == 200
        assert escape(member.user.get_full_name()) in response.content.decode()
        member.refresh_from_db()
        assert member.is_active

    def test_deactivation_removes_admin_expires_invitations_keeps_history(
        self, client, company, admin, mailoutbox, django_capture_on_commit_callbacks
    ):
        leaving = CompanyMembershipFactory(organization=company, is_admin=True)
        by_leaving = invite(company, email="by-leaving@example.com", sender=leaving.user)
        to_leaving = invite(company, email=leaving.user.email)
        unrelated = invite(company, email="unrelated@example.com", sender=admin)
        other_organization = CompanyFactory()
        elsewhere = invite(other_organization, email="elsewhere@example.com", sender=leaving.user)
        client.force_login(admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(deactivate_url(leaving))
        assert response["Location"] == MEMBERS_URL
        leaving.refresh_from_db()
        assert (leaving.is_active, leaving.is_admin, leaving.updated_by) == (False, False, admin)
        for invitation in [by_leaving, to_leaving, unrelated, elsewhere]:
            invitation.refresh_from_db()
        assert by_leaving.is_expired() and to_leaving.is_expired()
        assert unrelated.is_pending() and elsewhere.is_pending()
        assert [mail.to for mail in mailoutbox] == [[leaving.user.email]]
        assert company.memberships.filter(user=leaving.user).exists()  # history kept

    def test_deactivated_member_loses_access(self, client, company, admin, member):
        client.force_login(admin)
        client.post(deactivate_url(member))
        client.force_login(member.user)
        response = client.get(MEMBERS_URL)
        assert response.status_code == 302
        assert response["Location"] == reverse("no_organization")

    def test_self_deactivation_is_forbidden(self, client, company, admin):
        own = company.memberships.get(user=admin)
        client.force_login(admin)
        assert client.get(deactivate_url(own)).status_code == 403
        assert client.post(deactivate_url(own)).status_code == 403
        own.refresh_from_db()
        assert own.is_active and own.is_admin

    def test_non_admin_member_is_forbidden(self, client, company, admin, member):
        client.force_login(member.user)
        target = company.memberships.get(user=admin)
        assert client.post(deactivate_url(target)).status_code == 403
        target.refresh_from_db()
        assert target.is_active

    def test_member_of_another_organization_is_not_found(self, client, company, member):
        client.force_login(CompanyMembershipFactory(is_admin=True).user)
        assert client.post(deactivate_url(member)).status_code == 404

    @pytest.mark.parametrize("user_factory", [JobSeekerFactory, StaffFactory])
    def test_wrong_role_is_forbidden(self, client, member, user_factory):
        login(client, user_factory())
        assert client.post(deactivate_url(member)).status_code == 403

    def test_anonymous_is_sent_to_login(self, client, member):
        assert client.post(deactivate_url(member))["Location"].startswith(reverse("login"))
