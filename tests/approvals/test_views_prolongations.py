"""The employer's prolongation declaration: immediate prolongation or request to an authorized prescriber
(pass_iae.md §14.2, §15.2)."""

import datetime
import uuid

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from inclusion.approvals.enums import ProlongationReason, ProlongationRequestStatus
from inclusion.approvals.models import Prolongation, ProlongationRequest
from inclusion.companies.enums import CompanyKind
from tests.approvals.factories import SuspensionFactory
from tests.approvals.factories_suspensions_prolongations import approval_ending, xlsx_file
from tests.approvals.screens import employer_of, errors_of, messages_of, text_of
from tests.companies.factories import CompanyFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)
PASS_END = TODAY + 30 * DAY  # 09/04/2026: inside the window (from 12 months before the end)
# pass_iae.md §14.1: 365 days at most for a training or a validated reason.
MAX_END_365 = PASS_END + 365 * DAY  # 09/04/2027


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel("2026-03-10 12:00 +01:00", tick=False):
        yield


@pytest.fixture
def approval(company):
    return approval_ending(PASS_END, hired_by=company)


@pytest.fixture
def organization():
    return PrescriberOrganizationFactory(authorized=True, name="Mission locale du Rhône")


@pytest.fixture
def prescriber(organization):
    user = ProfessionalFactory(email="habilite@example.com", first_name="Dominique", last_name="Durand")
    PrescriberMembershipFactory(organization=organization, user=user)
    return user


def declare_url(approval):
    return reverse("prolongation_declare", args=[approval.public_id])


def declaration(reason=ProlongationReason.COMPLETE_TRAINING, end=MAX_END_365, **extra):
    return {"reason": reason, "end_at": end.isoformat() if end else "", "reason_explanation": "", **extra}


def request_declaration(prescriber, organization, **extra):
    return declaration(
        reason=ProlongationReason.RQTH,
        end=PASS_END + 90 * DAY,
        validator_email=prescriber.email,
        prescriber_organization=str(organization.uid),
        **extra,
    )


def assert_nothing_saved(approval):
    end_before = approval.end_at
    approval.refresh_from_db()
    assert approval.end_at == end_before
    assert not Prolongation.objects.filter(approval=approval).exists()
    assert not ProlongationRequest.objects.filter(approval=approval).exists()


# The page -----------------------------------------------------------------------------------------------------------


def test_page_shows_the_start_and_the_max_end_of_each_reason(employer_client, approval):
    response = employer_client.get(declare_url(approval))
    assert response.status_code == 200
    content = text_of(response)
    assert "La prolongation commence le <strong>09/04/2026</strong>" in content
    assert 'type="date"' in content
    assert "Fin d'une formation (fin au plus tard le 09/04/2027)" in content
    # SENIOR_CDI: 3 650 days.
    assert "CDI conclu avec une personne de plus de 57 ans (fin au plus tard le 06/04/2036)" in content
    # Not selectable since 2021 (§14.1).
    assert "Contexte sanitaire" not in content
    assert "Validation par un prescripteur habilité" in content
    # Only an AI uploads a fiche bilan.
    assert "Fiche bilan" not in content


# Immediate prolongation ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "end,allowed",
    [
        (PASS_END, False),  # at least one day
        (PASS_END + DAY, True),
        (MAX_END_365, True),
        (MAX_END_365 + DAY, False),
    ],
)
def test_end_boundaries_of_a_training_prolongation(employer_client, approval, end, allowed):
    response = employer_client.post(declare_url(approval), declaration(end=end))
    if allowed:
        assert response.status_code == 302
        assert response["Location"] == reverse("approval_detail", args=[approval.public_id])
        prolongation = Prolongation.objects.get(approval=approval)
        assert (prolongation.start_at, prolongation.end_at) == (PASS_END, end)
        approval.refresh_from_db()
        assert approval.end_at == end  # pass_iae.md §14.2: the new PASS end is the prolongation end
        assert messages_of(response) == [
            f"La prolongation est enregistrée : le PASS IAE prend désormais fin le {end:%d/%m/%Y}."
        ]
    else:
        assert response.status_code == 200
        assert errors_of(response, "end_at") == [
            "Pour le motif « Fin d'une formation », la date de fin doit être comprise entre le 10/04/2026 et le "
            "09/04/2027."
        ]
        assert "Entre le 10/04/2026 et le 09/04/2027" in text_of(response)
        assert_nothing_saved(approval)


@pytest.mark.parametrize("typed", ["31/02/2027", "bientôt", "99999-12-31", ""])
def test_bad_end_dates_get_a_french_message(employer_client, approval, typed):
    response = employer_client.post(declare_url(approval), {**declaration(), "end_at": typed})
    assert response.status_code == 200
    assert errors_of(response, "end_at") in (
        ["Saisissez une date valide, par exemple 15/03/2026."],
        ["Indiquez une date."],
    )
    assert_nothing_saved(approval)


def test_immediate_reason_ignores_the_request_fields(employer_client, approval, prescriber, organization):
    data = declaration(
        validator_email=prescriber.email, prescriber_organization=str(organization.uid), contact_phone="0102030405"
    )
    response = employer_client.post(declare_url(approval), data)
    assert response.status_code == 302
    prolongation = Prolongation.objects.get(approval=approval)
    assert prolongation.prescriber_organization is None
    assert prolongation.contact_phone == ""
    assert not ProlongationRequest.objects.exists()


def test_reason_not_selectable(client):
    """pass_iae.md §14.2: PARTICULAR_DIFFICULTIES only for an AI or an ACI."""
    company = CompanyFactory(kind=CompanyKind.EI)
    approval = approval_ending(PASS_END, hired_by=company)
    client.force_login(employer_of(company))
    assert "Difficultés particulièrement importantes" not in text_of(client.get(declare_url(approval)))
    response = client.post(declare_url(approval), declaration(reason=ProlongationReason.PARTICULAR_DIFFICULTIES))
    assert errors_of(response, "reason") == [
        "Ce motif n'est pas possible pour ce PASS IAE : choisissez un des motifs proposés."
    ]
    assert_nothing_saved(approval)


# Request to an authorized prescriber --------------------------------------------------------------------------------


def test_request_is_sent_to_the_prescriber(
    employer_client, approval, prescriber, organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = employer_client.post(
            declare_url(approval),
            request_declaration(
                prescriber,
                organization,
                require_phone_interview="on",
                contact_email="rh@siae.fr",
                contact_phone="01 02 03 04 05",
            ),
        )
    assert response.status_code == 302
    request = ProlongationRequest.objects.get(approval=approval)
    assert request.status == ProlongationRequestStatus.PENDING
    assert (request.assigned_to, request.prescriber_organization) == (prescriber, organization)
    assert (request.start_at, request.end_at) == (PASS_END, PASS_END + 90 * DAY)
    assert (request.require_phone_interview, request.contact_email, request.contact_phone) == (
        True,
        "rh@siae.fr",
        "01 02 03 04 05",
    )
    approval.refresh_from_db()
    assert approval.end_at == PASS_END  # nothing moves before the prescriber's decision
    assert not Prolongation.objects.exists()
    [message] = messages_of(response)
    assert message.startswith("Demande envoyée à Dominique DURAND (Mission locale du Rhône).")
    assert [email.to for email in mail.outbox] == [[prescriber.email]]


def test_request_with_an_invalid_end_names_the_range(employer_client, approval, prescriber, organization):
    data = {**request_declaration(prescriber, organization), "end_at": (MAX_END_365 + DAY).isoformat()}
    response = employer_client.post(declare_url(approval), data)
    assert errors_of(response, "end_at") == [
        "Pour le motif « RQTH - Reconnaissance de la qualité de travailleur handicapé », la date de fin doit être "
        "comprise entre le 10/04/2026 et le 09/04/2027."
    ]
    assert_nothing_saved(approval)


def test_validated_reason_needs_the_prescriber(employer_client, approval):
    response = employer_client.post(declare_url(approval), declaration(reason=ProlongationReason.RQTH))
    assert errors_of(response, "validator_email") == [
        "Ce motif doit être validé : indiquez l'e-mail du prescripteur habilité."
    ]
    assert_nothing_saved(approval)


@pytest.mark.parametrize("email", ["inconnu@example.com", "orienteur@example.com"])
def test_unknown_or_unauthorized_prescriber(employer_client, approval, email):
    orienteur = ProfessionalFactory(email="orienteur@example.com")
    PrescriberOrganizationFactory(with_member=orienteur)  # not authorized
    response = employer_client.post(
        declare_url(approval), declaration(reason=ProlongationReason.RQTH, end=PASS_END + DAY, validator_email=email)
    )
    [error] = errors_of(response, "validator_email")
    assert error.startswith("Aucun prescripteur habilité n'a cette adresse e-mail")
    assert_nothing_saved(approval)


def test_search_step_offers_the_prescriber_organizations(employer_client, approval, prescriber, organization):
    other = PrescriberOrganizationFactory(authorized=True, name="France Travail Lyon")
    PrescriberMembershipFactory(organization=other, user=prescriber)
    data = {
        **declaration(reason=ProlongationReason.RQTH),
        "validator_email": prescriber.email,
        "action": "find_prescriber",
    }
    response = employer_client.post(declare_url(approval), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {}
    content = text_of(response)
    assert "Les organisations habilitées de Dominique DURAND." in content
    assert "France Travail Lyon" in content and "Mission locale du Rhône" in content
    assert_nothing_saved(approval)
    # Searching first, before anything else is filled in, shows no other error.
    response = employer_client.post(
        declare_url(approval), {"validator_email": prescriber.email, "action": "find_prescriber"}
    )
    assert response.context["form"].errors == {}
    assert "France Travail Lyon" in text_of(response)
    # Sending without choosing one of the two organizations.
    data = {**request_declaration(prescriber, organization), "prescriber_organization": ""}
    response = employer_client.post(declare_url(approval), data)
    assert errors_of(response, "prescriber_organization") == ["Choisissez l'organisation du prescripteur habilité."]
    assert_nothing_saved(approval)


def test_single_organization_is_chosen_without_a_search(employer_client, approval, prescriber, organization):
    data = {**request_declaration(prescriber, organization), "prescriber_organization": ""}
    response = employer_client.post(declare_url(approval), data)
    assert response.status_code == 302
    assert ProlongationRequest.objects.get().prescriber_organization == organization


def test_phone_interview_needs_contact_details(employer_client, approval, prescriber, organization):
    response = employer_client.post(
        declare_url(approval), request_declaration(prescriber, organization, require_phone_interview="on")
    )
    assert errors_of(response, "contact_email") == [
        "Indiquez l'adresse e-mail à laquelle le prescripteur peut vous joindre."
    ]
    assert errors_of(response, "contact_phone") == ["Indiquez le téléphone auquel le prescripteur peut vous joindre."]
    assert_nothing_saved(approval)


# The AI's fiche bilan -----------------------------------------------------------------------------------------------


@pytest.fixture
def ai_company():
    return CompanyFactory(kind=CompanyKind.AI)


@pytest.fixture
def ai_approval(ai_company):
    return approval_ending(PASS_END, hired_by=ai_company)


@pytest.fixture
def ai_client(client, ai_company):
    client.force_login(employer_of(ai_company))
    return client


def test_ai_must_join_the_report_file(ai_client, ai_approval, prescriber, organization):
    assert "Fiche bilan" in text_of(ai_client.get(declare_url(ai_approval)))
    response = ai_client.post(declare_url(ai_approval), request_declaration(prescriber, organization))
    assert errors_of(response, "report_file") == [
        "Joignez la fiche bilan (fichier .xlsx) : elle est obligatoire pour ce motif."
    ]
    assert_nothing_saved(ai_approval)


def test_ai_report_file_is_stored_under_a_random_name(ai_client, ai_approval, prescriber, organization):
    data = request_declaration(prescriber, organization, report_file=xlsx_file("bilan de Camille.xlsx"))
    response = ai_client.post(declare_url(ai_approval), data)
    assert response.status_code == 302
    request = ProlongationRequest.objects.get(approval=ai_approval)
    assert request.report_file.name.startswith("prolongation_reports/")
    assert request.report_file.name.endswith(".xlsx")
    assert "Camille" not in request.report_file.name


def test_ai_report_file_checks(ai_client, ai_approval, prescriber, organization):
    uploaded = xlsx_file(padding=1024 * 1024)
    response = ai_client.post(
        declare_url(ai_approval), request_declaration(prescriber, organization, report_file=uploaded)
    )
    assert errors_of(response, "report_file") == [
        "La fiche bilan pèse un peu plus de 1 Mo : elle ne doit pas dépasser 1 Mo. Supprimez les images ou les "
        "onglets inutiles puis réessayez."
    ]
    assert_nothing_saved(ai_approval)


def test_a_renamed_file_is_not_a_report_file(ai_client, ai_approval, prescriber, organization):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("bilan.xlsx", b"%PDF-1.4 not a spreadsheet")
    response = ai_client.post(
        declare_url(ai_approval), request_declaration(prescriber, organization, report_file=fake)
    )
    [error] = errors_of(response, "report_file")
    assert error.startswith("La fiche bilan doit être un classeur Excel au format .xlsx.")
    assert_nothing_saved(ai_approval)


# Access -------------------------------------------------------------------------------------------------------------


def test_access(client, approval, company, prescriber):
    url = declare_url(approval)
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(employer_of(CompanyFactory()))
    assert client.get(url).status_code == 404
    client.force_login(approval.user)
    assert client.get(url).status_code == 403
    client.force_login(prescriber)
    assert client.get(url).status_code == 403
    client.force_login(employer_of(company))
    assert client.get(reverse("prolongation_declare", args=[uuid.uuid4()])).status_code == 404


def test_outside_the_window_the_reason_is_shown(client, company):
    """pass_iae.md §14.2: from 12 months before the end; the day before the window opens."""
    approval = approval_ending(datetime.date(2027, 3, 11), hired_by=company)
    client.force_login(employer_of(company))
    response = client.get(declare_url(approval))
    assert response.status_code == 403
    assert "Ce PASS IAE ne peut être prolongé qu'entre le 11/03/2026 et le 11/09/2027" in text_of(response)
    response = client.post(declare_url(approval), declaration())
    assert response.status_code == 403
    assert_nothing_saved(approval)


def test_window_opens_12_months_before_the_end(employer_client, company):
    approval = approval_ending(datetime.date(2027, 3, 10), hired_by=company)
    assert employer_client.get(declare_url(approval)).status_code == 200


def test_suspended_pass_cannot_be_prolonged(employer_client, approval):
    SuspensionFactory(approval=approval, start_at=TODAY - DAY, end_at=TODAY + DAY)
    response = employer_client.get(declare_url(approval))
    assert response.status_code == 403
    assert "Ce PASS IAE est suspendu" in text_of(response)


def test_a_refusal_without_a_rule_reason_still_says_why(employer_client, approval, monkeypatch):
    """When the rules have nothing to object (the refusal comes from who is acting), the 403 page is never empty."""
    monkeypatch.setattr("inclusion.approvals.views_prolongations.perms.can_prolong", lambda *args: False)
    response = employer_client.get(declare_url(approval))
    assert response.status_code == 403
    assert "Votre structure ne vous permet pas d'agir sur ce PASS IAE" in text_of(response)
