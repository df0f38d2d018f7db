"""Sending invitations: who may be invited, batches, limits, e-mails (organizations.md §7)."""

import datetime
import functools

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from inclusion.organizations import invitations
from inclusion.organizations.models import MAX_PENDING_INVITATIONS
from inclusion.prescribers.enums import PrescriberOrganizationKind
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.institutions.factories import InstitutionFactory, InstitutionMembershipFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory, StaffFactory

INVITE_URL = reverse("members_invite")
NOW = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)


def invite(organization, *, email, sender=None, sent_at=None):
    return organization.invitations.create(
        email=email, first_name="Camille", last_name="Martin", sender=sender, sent_at=sent_at or timezone.now()
    )


def batch(*rows, total=None):
    """POST data of the invitation formset: rows of (email, first name, last name)."""
    data = {"form-TOTAL_FORMS": str(total or len(rows)), "form-INITIAL_FORMS": "0"}
    for index, (email, first_name, last_name) in enumerate(rows):
        data |= {
            f"form-{index}-email": email,
            f"form-{index}-first_name": first_name,
            f"form-{index}-last_name": last_name,
        }
    return data


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Runs the e-mails queued after commit (the test's transaction never commits)."""
    return functools.partial(django_capture_on_commit_callbacks, execute=True)


@pytest.fixture
def company(db):
    return CompanyFactory()


@pytest.fixture
def member(company):
    """A plain member (not admin): any active member may invite."""
    CompanyMembershipFactory(organization=company, is_admin=True)
    return CompanyMembershipFactory(organization=company, is_admin=False).user


class TestValidity:
    """README.md §2.2: expired ⇔ now ≥ sent_at + validity days (14 by default)."""

    @pytest.mark.parametrize(
        "age,pending",
        [
            (datetime.timedelta(days=14) - datetime.timedelta(seconds=1), True),
            (datetime.timedelta(days=14), False),
            (datetime.timedelta(days=14, seconds=1), False),
        ],
    )
    def test_boundaries(self, company, age, pending):
        invitation = invite(company, email="camille@example.com", sent_at=NOW - age)
        with time_machine.travel(NOW, tick=False):
            assert invitation.is_pending() is pending
            assert company.invitations.pending().exists() is pending
            assert invitations.invitation_problem(invitation) == (None if pending else invitations.EXPIRED)

    def test_default_validity_is_fourteen_days(self, client, company, member):
        client.force_login(member)
        with time_machine.travel(NOW, tick=False):
            client.post(INVITE_URL, batch(("camille@example.com", "Camille", "Martin")))
        invitation = company.invitations.get()
        assert invitation.validity_days == 14
        assert invitation.expires_at == NOW + datetime.timedelta(days=14)


class TestWhoCanBeInvited:
    def test_unknown_address_and_professional_of_another_organization(self, company):
        assert invitations.invitee_email_error(company, "nouveau@example.com") is None
        assert invitations.invitee_email_error(company, CompanyMembershipFactory().user.email) is None

    @pytest.mark.parametrize("user_factory", [JobSeekerFactory, StaffFactory])
    def test_non_professional_account_is_refused(self, company, user_factory):
        user = user_factory()
        assert "seul un professionnel" in invitations.invitee_email_error(company, user.email.upper())

    def test_active_member_is_refused_former_member_is_welcome(self, company):
        active = CompanyMembershipFactory(organization=company)
        former = CompanyMembershipFactory(organization=company, is_active=False, is_admin=False)
        assert "déjà membre" in invitations.invitee_email_error(company, active.user.email)
        assert invitations.invitee_email_error(company, former.user.email) is None

    @pytest.mark.parametrize(
        "email,accepted",
        [
            ("agent@francetravail.fr", True),
            ("agent@pole-emploi.fr", True),
            ("agent@gmail.com", False),
            ("agent@francetravail.fr.example.com", False),
        ],
    )
    def test_france_travail_agency_requires_a_france_travail_address(self, db, email, accepted):
        agency = PrescriberOrganizationFactory(authorized=True, kind=PrescriberOrganizationKind.FT)
        assert (invitations.invitee_email_error(agency, email) is None) is accepted

    def test_other_organizations_accept_any_address(self, db):
        for organization in [PrescriberOrganizationFactory(authorized=True), InstitutionFactory(), CompanyFactory()]:
            assert invitations.invitee_email_error(organization, "agent@gmail.com") is None


class TestInviteView:
    @pytest.mark.parametrize(
        "membership_factory",
        [CompanyMembershipFactory, PrescriberMembershipFactory, InstitutionMembershipFactory],
    )
    def test_a_member_invites_several_people_at_once(self, client, db, mailoutbox, on_commit, membership_factory):
        membership = membership_factory(is_admin=False)
        client.force_login(membership.user)
        assert client.get(INVITE_URL).status_code == 200
        with on_commit():
            response = client.post(
                INVITE_URL,
                batch(("Camille@Example.com", "Camille", "Martin"), ("dominique@example.com", "Dominique", "Petit")),
            )
        assert response.status_code == 302
        assert response["Location"] == reverse("members")
        organization = membership.organization
        sent = {invitation.email: invitation for invitation in organization.invitations.all()}
        assert set(sent) == {"camille@example.com", "dominique@example.com"}
        assert all(invitation.sender == membership.user for invitation in sent.values())
        assert sorted(mail.to[0] for mail in mailoutbox) == ["camille@example.com", "dominique@example.com"]
        mail = next(mail for mail in mailoutbox if mail.to == ["camille@example.com"])
        assert organization.display_name in mail.subject
        accept_path = reverse(
            "invitation_accept",
            kwargs={"organization_type": organization.organization_type, "invitation_uid": sent[mail.to[0]].uid},
        )
        assert accept_path in mail.body

    def test_empty_rows_are_ignored_but_one_person_is_required(self, client, company, member):
        client.force_login(member)
        response = client.post(INVITE_URL, batch(("", "", ""), ("", "", "")))
        assert response.status_code == 200
        assert "Renseignez au moins une personne" in response.content.decode()
        response = client.post(INVITE_URL, batch(("", "", ""), ("camille@example.com", "Camille", "Martin")))
        assert response.status_code == 302
        assert company.invitations.count() == 1

    def test_incomplete_row_gets_french_errors(self, client, company, member, mailoutbox):
        client.force_login(member)
        response = client.post(INVITE_URL, batch(("pas-une-adresse", "", "Martin")))
        content = response.content.decode()
        assert "Saisissez une adresse e-mail valide" in content
        assert "Ce champ est obligatoire" in content
        assert not company.invitations.exists() and mailoutbox == []

    def test_duplicate_emails_in_one_batch_are_rejected(self, client, company, member, mailoutbox):
        client.force_login(member)
        response = client.post(
            INVITE_URL,
            batch(("camille@example.com", "Camille", "Martin"), ("CAMILLE@example.com ", "Camille", "Martin")),
        )
        assert response.status_code == 200
        assert "figure plusieurs fois" in response.content.decode()
        assert not company.invitations.exists() and mailoutbox == []

    @pytest.mark.parametrize("user_factory", [JobSeekerFactory, StaffFactory])
    def test_non_professional_address_is_rejected(self, client, company, member, user_factory):
        client.force_login(member)
        response = client.post(INVITE_URL, batch((user_factory().email, "Camille", "Martin")))
        assert "seul un professionnel" in response.content.decode()
        assert not company.invitations.exists()

    def test_active_member_address_is_rejected(self, client, company, member):
        client.force_login(member)
        response = client.post(INVITE_URL, batch((member.email, "Camille", "Martin")))
        assert "déjà membre" in response.content.decode()

    def test_france_travail_agency_rejects_other_addresses(self, client, db):
        agency = PrescriberOrganizationFactory(authorized=True, kind=PrescriberOrganizationKind.FT)
        agent = PrescriberMembershipFactory(organization=agency).user
        client.force_login(agent)
        response = client.post(INVITE_URL, batch(("agent@gmail.com", "Camille", "Martin")))
        assert "adresse e-mail France Travail" in response.content.decode()
        response = client.post(INVITE_URL, batch(("camille.martin@francetravail.fr", "Camille", "Martin")))
        assert response.status_code == 302
        assert agency.invitations.get().email == "camille.martin@francetravail.fr"

    @pytest.mark.parametrize("already_pending,batch_size,accepted", [(48, 2, True), (49, 1, True), (49, 2, False)])
    def test_at_most_fifty_pending_invitations(self, client, company, member, already_pending, batch_size, accepted):
        for index in range(already_pending):
            invite(company, email=f"pending{index}@example.com")
        # Expired and accepted invitations do not count.
        invite(company, email="old@example.com", sent_at=timezone.now() - datetime.timedelta(days=30))
        client.force_login(member)
        rows = [(f"new{index}@example.com", "Camille", "Martin") for index in range(batch_size)]
        response = client.post(INVITE_URL, batch(*rows))
        assert (response.status_code == 302) is accepted
        assert company.invitations.pending().count() == (already_pending + batch_size if accepted else already_pending)
        if not accepted:
            assert "plus de 50 invitations en attente" in response.content.decode()

    def test_at_fifty_pending_the_page_explains_instead_of_showing_the_form(self, client, company, member):
        for index in range(MAX_PENDING_INVITATIONS):
            invite(company, email=f"pending{index}@example.com")
        client.force_login(member)
        response = client.get(INVITE_URL)
        assert response.status_code == 200
        content = response.content.decode()
        assert "déjà 50 invitations en attente" in content
        assert "Envoyer les invitations" not in content

    def test_inviting_again_a_pending_address_renews_the_invitation(
        self, client, company, member, mailoutbox, on_commit
    ):
        old = invite(company, email="camille@example.com", sent_at=timezone.now() - datetime.timedelta(days=10))
        client.force_login(member)
        with on_commit():
            client.post(INVITE_URL, batch(("camille@example.com", "Camille", "Martin")))
        renewed = company.invitations.get()
        assert renewed.pk == old.pk
        assert renewed.sent_at > old.sent_at and renewed.sender == member
        assert len(mailoutbox) == 1

    def test_add_a_row_keeps_what_was_typed(self, client, company, member):
        client.force_login(member)
        data = batch(("camille@example.com", "Camille", "Martin")) | {"ajouter": "1"}
        response = client.post(INVITE_URL, data)
        assert response.status_code == 200
        formset = response.context["formset"]
        assert formset.total_form_count() == 2
        assert 'value="camille@example.com"' in response.content.decode()
        assert not company.invitations.exists()
        # The rows shown again are submitted like typed ones.
        response = client.post(
            INVITE_URL,
            batch(("camille@example.com", "Camille", "Martin"), ("dominique@example.com", "Dominique", "Petit")),
        )
        assert company.invitations.count() == 2

    def test_tampered_management_form_is_a_french_error_not_a_500(self, client, company, member):
        client.force_login(member)
        response = client.post(INVITE_URL, {"form-TOTAL_FORMS": "beaucoup"})
        assert response.status_code == 200
        response = client.post(INVITE_URL, {"form-TOTAL_FORMS": "abc", "ajouter": "1"})
        assert response.status_code == 200

    @pytest.mark.parametrize("user_factory", [JobSeekerFactory, StaffFactory])
    def test_wrong_role_is_forbidden(self, client, db, user_factory):
        login(client, user_factory())
        assert client.get(INVITE_URL).status_code == 403
        assert client.post(INVITE_URL, batch(("camille@example.com", "Camille", "Martin"))).status_code == 403

    def test_anonymous_is_sent_to_login(self, client, db):
        assert client.get(INVITE_URL)["Location"].startswith(reverse("login"))
