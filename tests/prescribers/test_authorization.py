"""The authorization workflow: validation, refusal, kind changes, in functions and in the back-office (§9.2)."""

import datetime
from html import unescape

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from inclusion.prescribers import authorization
from inclusion.prescribers.enums import AuthorizationStatus, PrescriberOrganizationKind
from inclusion.prescribers.models import PrescriberOrganization
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import ProfessionalFactory, StaffFactory

pytestmark = pytest.mark.django_db

Kind = PrescriberOrganizationKind
Status = AuthorizationStatus


@pytest.fixture
def superuser():
    return StaffFactory()


@pytest.fixture
def support():
    """A support agent: staff, not super-admin, allowed to change prescriber organizations."""
    user = StaffFactory(is_superuser=False)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["change_prescriberorganization", "view_prescriberorganization", "add_prescriberorganization"]
        )
    )
    return type(user).objects.get(pk=user.pk)  # fresh permission cache


def organization(kind=Kind.ML, status=Status.NOT_SET, **kwargs):
    return PrescriberOrganizationFactory(kind=kind, authorization_status=status, **kwargs)


# Validation -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status,support_may,superuser_may",
    [
        (Status.NOT_SET, True, True),
        (Status.REFUSED, True, True),
        (Status.VALIDATED, False, True),
    ],
)
def test_validation_from_each_status(support, superuser, status, support_may, superuser_may):
    for user, allowed in [(support, support_may), (superuser, superuser_may)]:
        target = organization(status=status)
        if allowed:
            authorization.validate(target, user)
            target.refresh_from_db()
            assert target.authorization_status == Status.VALIDATED
        else:
            with pytest.raises(authorization.AuthorizationError, match="ne peut être validée que si"):
                authorization.validate(target, user)
            target.refresh_from_db()
            assert target.authorization_status == status


@pytest.mark.parametrize("status", [Status.NOT_SET, Status.REFUSED, Status.NOT_REQUIRED])
def test_other_kind_cannot_be_validated_even_by_a_superuser(support, superuser, status):
    for user in [support, superuser]:
        target = organization(kind=Kind.OTHER, status=status)
        with pytest.raises(authorization.AuthorizationError, match="« Autre » ne peut pas être habilitée"):
            authorization.validate(target, user)
        target.refresh_from_db()
        assert target.authorization_status == status


def test_validation_records_who_and_when_and_mails_active_members(
    support, mailoutbox, django_capture_on_commit_callbacks
):
    target = organization(name="CCAS d'Arles", kind=Kind.CCAS)
    PrescriberMembershipFactory(organization=target, user__email="a@example.com")
    PrescriberMembershipFactory(organization=target, user__email="b@example.com", is_admin=False)
    PrescriberMembershipFactory(organization=target, user__email="gone@example.com", is_admin=False, is_active=False)
    PrescriberMembershipFactory(
        organization=target, user__email="off@example.com", is_admin=False, user__is_active=False
    )
    with time_machine.travel("2026-03-02 10:00 +01:00", tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            authorization.validate(target, support)
    target.refresh_from_db()
    assert target.authorization_updated_by == support
    assert target.authorization_updated_at == datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    [mail] = mailoutbox
    assert sorted(mail.to) == ["a@example.com", "b@example.com"]
    assert mail.subject == "L'habilitation de CCAS d'Arles est validée"
    assert "prescripteurs habilités" in mail.body


def test_validated_odc_follows_rsa_beneficiaries(support):
    target = organization(kind=Kind.ODC, is_brsa=False)
    authorization.validate(target, support)
    target.refresh_from_db()
    assert target.is_brsa


def test_members_become_authorized_prescribers_after_validation(client, support):
    member = ProfessionalFactory()
    target = organization(with_member=member)
    client.force_login(member)
    assert client.get(reverse("dashboard")).wsgi_request.role == "orienteur"
    authorization.validate(target, support)
    assert client.get(reverse("dashboard")).wsgi_request.role == "authorized_prescriber"
    authorization.refuse(target, StaffFactory())  # a super-admin takes it back
    assert client.get(reverse("dashboard")).wsgi_request.role == "orienteur"


# Refusal ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind,status,support_may",
    [
        (Kind.ML, Status.NOT_SET, True),
        (Kind.OTHER, Status.NOT_SET, True),
        (Kind.ML, Status.VALIDATED, False),
        (Kind.ML, Status.REFUSED, False),
        (Kind.OTHER, Status.REFUSED, False),
        (Kind.OTHER, Status.NOT_REQUIRED, False),
    ],
)
def test_refusal_from_each_status(support, superuser, kind, status, support_may):
    for user, allowed in [(support, support_may), (superuser, True)]:
        target = organization(kind=kind, status=status)
        if allowed:
            authorization.refuse(target, user)
            target.refresh_from_db()
            assert (target.kind, target.authorization_status) == (Kind.OTHER, Status.REFUSED)
            assert target.authorization_updated_by == user
        else:
            with pytest.raises(authorization.AuthorizationError, match="ne peut être refusée que si"):
                authorization.refuse(target, user)
            target.refresh_from_db()
            assert (target.kind, target.authorization_status) == (kind, status)


def test_refusal_is_blocked_by_another_other_kind_organization_with_the_same_siret(superuser):
    organization(kind=Kind.OTHER, status=Status.NOT_REQUIRED, siret="12345678900012", name="Jumelle")
    target = organization(kind=Kind.CCAS, siret="12345678900012")
    with pytest.raises(authorization.AuthorizationError, match="« Jumelle » est déjà de type « Autre »"):
        authorization.refuse(target, superuser)
    target.refresh_from_db()
    assert (target.kind, target.authorization_status) == (Kind.CCAS, Status.NOT_SET)


def test_refusal_mails_active_members(support, mailoutbox, django_capture_on_commit_callbacks):
    target = organization(name="Asso", with_member=ProfessionalFactory(email="a@example.com"))
    with django_capture_on_commit_callbacks(execute=True):
        authorization.refuse(target, support)
    [mail] = mailoutbox
    assert mail.to == ["a@example.com"]
    assert mail.subject == "L'habilitation d'Asso n'a pas été validée"


@pytest.mark.parametrize("function", [authorization.validate, authorization.refuse])
def test_only_staff_with_the_change_permission_decide(function):
    target = organization()
    staff_without_permission = StaffFactory(is_superuser=False)
    for user in [ProfessionalFactory(), staff_without_permission, None]:
        with pytest.raises(authorization.AuthorizationError, match="Vous n'avez pas le droit"):
            function(target, user)
    target.refresh_from_db()
    assert target.authorization_status == Status.NOT_SET


def test_nothing_is_mailed_when_a_decision_is_refused(support, mailoutbox, django_capture_on_commit_callbacks):
    target = organization(status=Status.VALIDATED, with_member=True)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(authorization.AuthorizationError):
        authorization.refuse(target, support)
    assert mailoutbox == []


# Kind changes and signup ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "choice,decision,expected",
    [
        ("ML", None, (Kind.ML, Status.NOT_SET)),
        ("NOT_FOUND", True, (Kind.OTHER, Status.NOT_SET)),
        ("NOT_FOUND", False, (Kind.OTHER, Status.NOT_REQUIRED)),
        ("UNAUTHORIZED", None, (Kind.OTHER, Status.NOT_REQUIRED)),
    ],
)
def test_kind_and_status_at_signup(choice, decision, expected):
    assert authorization.kind_and_status_at_signup(choice, has_prefectoral_decision=decision) == expected


@pytest.mark.parametrize("kind,expected", [(Kind.OTHER, Status.NOT_REQUIRED), (Kind.CAF, Status.NOT_SET)])
def test_status_follows_a_kind_change(kind, expected, support):
    target = organization(status=Status.VALIDATED)
    target.kind = kind
    authorization.apply_kind_change(target, support)
    target.save()
    target.refresh_from_db()
    assert target.authorization_status == expected
    assert target.authorization_updated_by == support


# Back-office ------------------------------------------------------------------------------------------------------


def changelist_url():
    return reverse("admin:prescribers_prescriberorganization_changelist")


def change_url(target):
    return reverse("admin:prescribers_prescriberorganization_change", args=[target.pk])


def decision_url(target, decision):
    return reverse("admin:prescribers_prescriberorganization_authorization", args=[target.pk, decision])


@pytest.mark.parametrize(
    "action,expected",
    [
        ("validate_authorization", (Kind.ML, Status.VALIDATED)),
        ("refuse_authorization", (Kind.OTHER, Status.REFUSED)),
    ],
)
def test_list_actions(client, support, action, expected):
    pending, other = organization(), organization()
    login(client, support)
    response = client.post(changelist_url(), {"action": action, "_selected_action": [pending.pk]}, follow=True)
    assert response.status_code == 200
    pending.refresh_from_db()
    other.refresh_from_db()
    assert (pending.kind, pending.authorization_status) == expected
    assert other.authorization_status == Status.NOT_SET
    assert "ses membres sont prévenus" in unescape(response.content.decode())


def test_list_action_reports_each_refused_decision(client, support):
    validated = organization(status=Status.VALIDATED, name="Déjà habilitée")
    pending = organization(name="En attente")
    login(client, support)
    response = client.post(
        changelist_url(),
        {"action": "validate_authorization", "_selected_action": [validated.pk, pending.pk]},
        follow=True,
    )
    content = unescape(response.content.decode())
    assert "L'habilitation de « Déjà habilitée » ne peut être validée que si" in content
    assert "L'habilitation de « En attente » est validée" in content


def test_change_page_buttons(client, support):
    target = organization()
    login(client, support)
    content = client.get(change_url(target)).content.decode()
    assert decision_url(target, "validate") in content
    assert decision_url(target, "refuse") in content

    response = client.post(decision_url(target, "validate"))
    assert response["Location"] == change_url(target)
    target.refresh_from_db()
    assert target.authorization_status == Status.VALIDATED

    # Validated: a support agent can neither validate again nor refuse; the page says why.
    content = unescape(client.get(change_url(target)).content.decode())
    assert decision_url(target, "validate") not in content
    assert "Refuser l'habilitation : impossible." in content
    client.post(decision_url(target, "refuse"))
    target.refresh_from_db()
    assert target.authorization_status == Status.VALIDATED


def test_decision_url_refuses_get_and_unknown_decisions(client, support):
    target = organization()
    login(client, support)
    assert client.get(decision_url(target, "validate")).status_code == 405
    assert client.post(decision_url(target, "supprimer")).status_code == 404
    target.refresh_from_db()
    assert target.authorization_status == Status.NOT_SET


def test_decision_url_is_for_staff_only(client):
    target = organization()
    client.force_login(ProfessionalFactory())
    response = client.post(decision_url(target, "validate"))
    assert response.status_code == 302  # to a login page
    target.refresh_from_db()
    assert target.authorization_status == Status.NOT_SET


def admin_form_data(target, **overrides):
    data = {
        "kind": target.kind,
        "siret": target.siret,
        "code_safir_pole_emploi": "",
        "name": target.name,
        "phone": "",
        "email": "",
        "website": "",
        "description": "",
        "address_line_1": "",
        "address_line_2": "",
        "post_code": target.post_code,
        "commune": target.commune_id,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    return data | overrides


@pytest.mark.parametrize("new_kind,expected", [(Kind.CAF, Status.NOT_SET), (Kind.OTHER, Status.NOT_REQUIRED)])
def test_changing_the_kind_in_the_admin_resets_the_status(client, superuser, new_kind, expected):
    target = organization(status=Status.VALIDATED)
    login(client, superuser)
    response = client.post(change_url(target), admin_form_data(target, kind=new_kind))
    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert (target.kind, target.authorization_status) == (new_kind, expected)
    assert target.authorization_updated_by == superuser


def test_editing_without_changing_the_kind_keeps_the_status(client, superuser):
    target = organization(status=Status.VALIDATED)
    login(client, superuser)
    response = client.post(change_url(target), admin_form_data(target, name="Nouveau nom"))
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.name, target.authorization_status) == ("Nouveau nom", Status.VALIDATED)


def test_status_is_not_editable_in_the_admin(client, superuser):
    target = organization()
    login(client, superuser)
    client.post(change_url(target), admin_form_data(target, authorization_status=Status.VALIDATED))
    target.refresh_from_db()
    assert target.authorization_status == Status.NOT_SET


@pytest.mark.parametrize("kind,expected", [(Kind.OTHER, Status.NOT_REQUIRED), (Kind.ML, Status.NOT_SET)])
def test_organizations_added_in_the_admin_start_with_the_status_of_their_kind(client, superuser, kind, expected):
    login(client, superuser)
    template = organization()
    data = admin_form_data(template, kind=kind, siret="99999999900011", name="Ajoutée")
    response = client.post(reverse("admin:prescribers_prescriberorganization_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert PrescriberOrganization.objects.get(name="Ajoutée").authorization_status == expected


def test_list_shows_pending_organizations_first_and_filters_by_status(client, support):
    organization(status=Status.VALIDATED, name="A validée")
    organization(kind=Kind.OTHER, status=Status.NOT_REQUIRED, name="B sans habilitation")
    organization(name="C en attente")
    organization(name="D en attente")
    login(client, support)
    response = client.get(changelist_url())
    names = [o.name for o in response.context["cl"].result_list]
    assert names == ["C en attente", "D en attente", "A validée", "B sans habilitation"]
    response = client.get(changelist_url(), {"authorization_status__exact": Status.VALIDATED})
    assert [o.name for o in response.context["cl"].result_list] == ["A validée"]
