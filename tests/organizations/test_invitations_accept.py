"""Following an invitation link: joining, new accounts, expired or reused links, login hook (organizations.md §7)."""

import datetime
import functools
import uuid
from html import unescape

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from inclusion.companies.enums import CompanyKind, CompanySource
from inclusion.companies.models import Convention
from inclusion.organizations import invitations
from inclusion.organizations.current import SESSION_KEY
from inclusion.users.enums import UserKind
from inclusion.users.models import User
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.institutions.factories import InstitutionFactory, InstitutionMembershipFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import DEFAULT_PASSWORD, JobSeekerFactory, ProfessionalFactory, StaffFactory

ORGANIZATION_TYPES = [
    pytest.param(CompanyFactory, CompanyMembershipFactory, id="company"),
    pytest.param(PrescriberOrganizationFactory, PrescriberMembershipFactory, id="prescriber"),
    pytest.param(InstitutionFactory, InstitutionMembershipFactory, id="institution"),
]
NEW_PASSWORD = "Un-mot-de-passe-solide-2026"
NOW = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)


def invite(organization, *, email="camille.martin@example.com", sender=None, sent_at=None):
    return organization.invitations.create(
        email=email, first_name="Camille", last_name="Martin", sender=sender, sent_at=sent_at or timezone.now()
    )


def accept_url(invitation):
    return reverse(
        "invitation_accept",
        kwargs={
            "organization_type": invitation.organization.organization_type,
            "invitation_uid": invitation.uid,
        },
    )


def signup_data(**overrides):
    return {
        "title": "MME",
        "first_name": "Camille",
        "last_name": "Martin",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }


def inactive_company(*, deactivated_days_ago):
    convention = Convention.objects.create(
        asp_id=Convention.objects.count() + 1,
        kind=CompanyKind.ACI,
        siret_signature="81234567800011",
        is_active=False,
        deactivated_at=timezone.now() - datetime.timedelta(days=deactivated_days_ago),
    )
    return CompanyFactory(source=CompanySource.ASP, convention=convention)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Runs the e-mails queued after commit (the test's transaction never commits)."""
    return functools.partial(django_capture_on_commit_callbacks, execute=True)


class TestJoinWithANewAccount:
    """Done when: an invited person who follows the link joins; an expired or reused link gets a clear French page."""

    @pytest.mark.parametrize("organization_factory,membership_factory", ORGANIZATION_TYPES)
    def test_new_person_signs_up_joins_and_the_link_cannot_be_reused(
        self, client, db, mailoutbox, on_commit, organization_factory, membership_factory
    ):
        organization = organization_factory()
        sender = membership_factory(organization=organization).user
        invitation = invite(organization, sender=sender)

        response = client.get(accept_url(invitation))
        assert response.status_code == 200
        content = response.content.decode()
        assert 'value="camille.martin@example.com" readonly' in content
        assert 'value="Camille"' in content and 'value="Martin"' in content

        with on_commit():
            response = client.post(accept_url(invitation), signup_data())
        assert response.status_code == 302
        assert response["Location"] == reverse("dashboard")
        user = User.objects.get(email="camille.martin@example.com")
        assert user.kind == UserKind.PROFESSIONAL
        assert user.email_verified_at is not None  # the person followed a link mailed to this address
        assert user.check_password(NEW_PASSWORD)
        membership = organization.memberships.get(user=user)
        assert membership.is_active and not membership.is_admin
        invitation.refresh_from_db()
        assert invitation.accepted_at is not None
        assert client.session[SESSION_KEY] == organization.switch_key
        assert [mail.to for mail in mailoutbox] == [[sender.email]]
        assert "a rejoint" in mailoutbox[0].subject
        dashboard = client.get(response["Location"])
        assert dashboard.wsgi_request.current_organization == organization
        assert "Bienvenue" in dashboard.content.decode()

        client.logout()
        response = client.get(accept_url(invitation))
        assert response.status_code == 410
        assert "Cette invitation a déjà été utilisée" in response.content.decode()
        assert client.post(accept_url(invitation), signup_data()).status_code == 410

    @pytest.mark.parametrize("organization_factory,membership_factory", ORGANIZATION_TYPES)
    def test_expired_link_gets_a_clear_french_page(self, client, db, organization_factory, membership_factory):
        organization = organization_factory()
        invitation = invite(organization, sender=membership_factory(organization=organization).user)
        with time_machine.travel(invitation.sent_at + datetime.timedelta(days=14), tick=False):
            response = client.get(accept_url(invitation))
            assert response.status_code == 410
            assert "Cette invitation a expiré" in response.content.decode()
            response = client.post(accept_url(invitation), signup_data())
            assert response.status_code == 410
        assert not User.objects.filter(email=invitation.email).exists()

    @pytest.mark.parametrize(
        "age,status",
        [(datetime.timedelta(days=14) - datetime.timedelta(seconds=1), 200), (datetime.timedelta(days=14), 410)],
    )
    def test_validity_boundary(self, client, db, age, status):
        invitation = invite(CompanyFactory(), sent_at=NOW - age)
        with time_machine.travel(NOW, tick=False):
            assert client.get(accept_url(invitation)).status_code == status

    def test_password_rules_and_mismatch_get_french_errors(self, client, db):
        invitation = invite(InstitutionFactory())
        response = client.post(accept_url(invitation), signup_data(password1="court", password2="court"))
        assert response.status_code == 200
        assert "trop court" in response.content.decode()
        response = client.post(accept_url(invitation), signup_data(password2="Un-autre-mot-de-passe-2026"))
        assert "ne sont pas identiques" in response.content.decode()
        response = client.post(accept_url(invitation), signup_data(title=""))
        assert "Ce champ est obligatoire" in response.content.decode()
        assert not User.objects.filter(email=invitation.email).exists()
        invitation.refresh_from_db()
        assert invitation.accepted_at is None

    def test_the_email_cannot_be_changed(self, client, db):
        invitation = invite(CompanyFactory())
        client.post(accept_url(invitation), signup_data(email="autre@example.com"))
        assert User.objects.filter(email=invitation.email).exists()
        assert not User.objects.filter(email="autre@example.com").exists()


class TestJoinWithAnExistingAccount:
    @pytest.mark.parametrize("organization_factory,membership_factory", ORGANIZATION_TYPES)
    def test_existing_professional_logs_in_then_joins(self, client, db, organization_factory, membership_factory):
        organization = organization_factory()
        invitee = CompanyMembershipFactory().user  # already member of another company
        invitation = invite(
            organization, email=invitee.email, sender=membership_factory(organization=organization).user
        )

        response = client.get(accept_url(invitation))
        login_url = f"{reverse('login')}?next={accept_url(invitation)}"
        assert response.status_code == 302
        assert response["Location"] == login_url

        response = client.post(login_url, {"username": invitee.email, "password": DEFAULT_PASSWORD}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("dashboard")
        assert organization.memberships.active().filter(user=invitee).exists()
        assert client.session[SESSION_KEY] == organization.switch_key
        assert response.wsgi_request.current_organization == organization
        assert escape(f"Vous avez rejoint « {organization.display_name} »") in response.content.decode()

    def test_logged_in_invitee_confirms_before_joining(self, client, db, mailoutbox, on_commit):
        institution = InstitutionFactory()
        invitee = CompanyMembershipFactory().user
        client.force_login(invitee)
        invitation = invite(institution, email=invitee.email, sender=ProfessionalFactory())  # sent after the login
        response = client.get(accept_url(invitation))
        assert response.status_code == 200
        assert "Rejoindre l'organisation" in response.content.decode()
        assert not institution.memberships.exists()  # GET changes nothing
        with on_commit():
            response = client.post(accept_url(invitation))
        assert response["Location"] == reverse("dashboard")
        assert institution.memberships.active().filter(user=invitee).exists()
        assert client.session[SESSION_KEY] == institution.switch_key
        assert len(mailoutbox) == 1

    def test_former_member_is_reactivated(self, client, db):
        company = CompanyFactory(with_member=True)
        former = CompanyMembershipFactory(organization=company, is_active=False, is_admin=False)
        client.force_login(former.user)
        invitation = invite(company, email=former.user.email)
        client.post(accept_url(invitation))
        former.refresh_from_db()
        assert former.is_active and company.memberships.filter(user=former.user).count() == 1

    def test_logged_in_with_another_email_is_asked_before_being_logged_out(self, client, db):
        other = CompanyMembershipFactory().user
        invitation = invite(PrescriberOrganizationFactory())
        client.force_login(other)

        response = client.get(accept_url(invitation))
        assert response.status_code == 200
        content = unescape(response.content.decode())
        assert f"Vous êtes connecté(e) avec <strong>{other.email}</strong> ; cette invitation" in content
        assert "est adressée à <strong>camille.martin@example.com</strong>" in content
        assert "Me déconnecter et continuer" in content
        assert client.session["_auth_user_id"] == str(other.pk)  # a GET logs nobody out

        response = client.post(accept_url(invitation), {"action": "logout"})
        assert response.status_code == 302
        assert response["Location"] == accept_url(invitation)
        assert "_auth_user_id" not in client.session
        response = client.get(response["Location"])
        content = response.content.decode()
        assert "vous avez été déconnecté(e)" in content
        assert 'value="camille.martin@example.com" readonly' in content  # on with the signup form
        assert not response.wsgi_request.user.is_authenticated

    def test_a_post_without_the_logout_action_logs_nobody_out(self, client, db):
        other = CompanyMembershipFactory().user
        invitation = invite(CompanyFactory())
        client.force_login(other)
        response = client.post(accept_url(invitation), signup_data())
        assert response.status_code == 200
        assert "Me déconnecter et continuer" in response.content.decode()
        assert client.session["_auth_user_id"] == str(other.pk)
        assert not User.objects.filter(email=invitation.email).exists()

    def test_the_logout_is_csrf_protected(self, db):
        other = CompanyMembershipFactory().user
        invitation = invite(CompanyFactory())
        client = Client(enforce_csrf_checks=True)
        client.force_login(other)
        assert client.post(accept_url(invitation), {"action": "logout"}).status_code == 403
        assert client.session["_auth_user_id"] == str(other.pk)

    def test_logged_in_with_another_email_when_the_invitee_has_an_account(self, client, db):
        invitee = ProfessionalFactory()
        invitation = invite(CompanyFactory(), email=invitee.email)
        client.force_login(CompanyMembershipFactory().user)
        assert client.get(accept_url(invitation)).status_code == 200
        assert "_auth_user_id" in client.session
        response = client.post(accept_url(invitation), {"action": "logout"}, follow=True)
        assert response.redirect_chain[-1][0] == f"{reverse('login')}?next={accept_url(invitation)}"
        assert "_auth_user_id" not in client.session

    @pytest.mark.parametrize("user_factory", [JobSeekerFactory, StaffFactory])
    def test_a_non_professional_account_cannot_join(self, client, db, user_factory):
        user = user_factory()
        company = CompanyFactory()
        invitation = invite(company, email=user.email)
        response = client.get(accept_url(invitation))
        assert response.status_code == 403
        assert "seul un compte professionnel" in response.content.decode()
        login(client, user)
        assert client.post(accept_url(invitation)).status_code == 403
        assert not company.memberships.exists()


class TestRefusedLinks:
    def test_unknown_invitation_is_not_found(self, client, db):
        url = reverse("invitation_accept", kwargs={"organization_type": "company", "invitation_uid": uuid.uuid4()})
        assert client.get(url).status_code == 404

    def test_wrong_organization_type_is_not_found(self, client, db):
        invitation = invite(CompanyFactory())
        for organization_type in ["prescriber", "entreprise"]:
            url = reverse(
                "invitation_accept",
                kwargs={"organization_type": organization_type, "invitation_uid": invitation.uid},
            )
            assert client.get(url).status_code == 404

    @pytest.mark.parametrize("deactivated_days_ago", [10, 40])
    def test_employer_invitation_needs_an_active_company(self, client, db, deactivated_days_ago):
        company = inactive_company(deactivated_days_ago=deactivated_days_ago)  # in grace period, then after it
        invitation = invite(company)
        response = client.get(accept_url(invitation))
        assert response.status_code == 410
        assert "Cette structure n'est plus active" in response.content.decode()
        assert client.post(accept_url(invitation), signup_data()).status_code == 410
        assert not User.objects.filter(email=invitation.email).exists()

    def test_expired_page_does_not_log_anyone_out(self, client, db):
        user = CompanyMembershipFactory().user
        invitation = invite(CompanyFactory(), sent_at=timezone.now() - datetime.timedelta(days=20))
        client.force_login(user)
        assert client.get(accept_url(invitation)).status_code == 410
        assert client.session["_auth_user_id"] == str(user.pk)


class TestLoginHook:
    def test_all_pending_invitations_are_accepted_at_login(self, client, db, mailoutbox, on_commit):
        user = ProfessionalFactory()
        company, prescriber, institution = CompanyFactory(), PrescriberOrganizationFactory(), InstitutionFactory()
        sender = ProfessionalFactory()
        for organization in [company, prescriber, institution]:
            invite(organization, email=user.email.upper(), sender=sender)
        expired = invite(CompanyFactory(), email=user.email, sent_at=timezone.now() - datetime.timedelta(days=14))
        closed = invite(inactive_company(deactivated_days_ago=40), email=user.email)

        with on_commit():
            client.post(reverse("login"), {"username": user.email, "password": DEFAULT_PASSWORD})

        for organization in [company, prescriber, institution]:
            assert organization.memberships.active().filter(user=user).exists()
        assert len(mailoutbox) == 3
        for invitation in [expired, closed]:
            invitation.refresh_from_db()
            assert invitation.accepted_at is None
            assert not invitation.organization.memberships.filter(user=user).exists()
        assert client.session[SESSION_KEY] in {o.switch_key for o in [company, prescriber, institution]}

    def test_job_seekers_join_nothing_at_login(self, client, db):
        user = JobSeekerFactory()
        invitation = invite(CompanyFactory(), email=user.email)
        client.post(reverse("login"), {"username": user.email, "password": DEFAULT_PASSWORD})
        invitation.refresh_from_db()
        assert invitation.accepted_at is None


class TestAcceptService:
    def test_refuses_twice_another_person_and_an_expired_invitation(self, db):
        invitee = ProfessionalFactory()
        company = CompanyFactory()
        invitation = invite(company, email=invitee.email)
        with pytest.raises(ValueError):
            invitations.invitation_accept(invitation=invitation, user=ProfessionalFactory())
        invitations.invitation_accept(invitation=invitation, user=invitee)
        with pytest.raises(ValueError):  # a double click
            invitations.invitation_accept(invitation=invitation, user=invitee)
        expired = invite(CompanyFactory(), email=invitee.email, sent_at=timezone.now() - datetime.timedelta(days=14))
        with pytest.raises(ValueError):
            invitations.invitation_accept(invitation=expired, user=invitee)
        assert company.memberships.filter(user=invitee).count() == 1
