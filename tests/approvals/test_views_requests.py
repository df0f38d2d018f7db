"""The authorized prescriber's prolongation requests: list, detail, grant, the deny wizard, the fiche bilan
(pass_iae.md §15)."""

import datetime
import uuid

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from inclusion.approvals.enums import (
    ProlongationRequestDenyProposedAction,
    ProlongationRequestDenyReason,
    ProlongationRequestStatus,
)
from inclusion.approvals.models import Prolongation
from inclusion.companies.enums import CompanyKind
from tests.approvals.factories_suspensions_prolongations import (
    ProlongationFactory,
    ProlongationRequestFactory,
    approval_ending,
)
from tests.approvals.screens import messages_of, text_of
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
NOW = timezone.make_aware(datetime.datetime(2026, 3, 10, 12))
DAY = datetime.timedelta(days=1)
PASS_END = TODAY + 30 * DAY
REQUESTED_END = PASS_END + 90 * DAY
XLSX_BYTES = b"PK\x03\x04 fiche bilan"
IAE, SIAE = ProlongationRequestDenyReason.IAE, ProlongationRequestDenyReason.SIAE


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel("2026-03-10 12:00 +01:00", tick=False):
        yield


def member_of(organization, membership_factory=PrescriberMembershipFactory):
    user = ProfessionalFactory()
    membership_factory(organization=organization, user=user, is_admin=False)
    return user


@pytest.fixture
def organization():
    return PrescriberOrganizationFactory(authorized=True, name="Mission locale du Rhône")


@pytest.fixture
def prescriber(organization):
    return member_of(organization)


@pytest.fixture
def prescriber_client(client, prescriber):
    client.force_login(prescriber)
    return client


@pytest.fixture
def company():
    return CompanyFactory(kind=CompanyKind.AI, name="Association Rebond")


@pytest.fixture
def approval(company):
    approval = approval_ending(PASS_END, hired_by=company)
    approval.user.first_name, approval.user.last_name = "Camille", "Martin"
    approval.user.save()
    return approval


def request_for(approval, organization, **fields):
    return ProlongationRequestFactory(
        approval=approval,
        prescriber_organization=organization,
        assigned_to=organization.memberships.first().user if organization.memberships.exists() else None,
        end_at=approval.end_at + 90 * DAY,
        **fields,
    )


@pytest.fixture
def prolongation_request(approval, organization, prescriber, company):
    return request_for(
        approval,
        organization,
        declared_by_siae=company,
        reason_explanation="Reconnaissance obtenue en février.",
        require_phone_interview=True,
        contact_email="rh@rebond.fr",
        contact_phone="01 02 03 04 05",
    )


def detail_url(prolongation_request):
    return reverse("prolongation_request_detail", args=[prolongation_request.public_id])


def grant_url(prolongation_request):
    return reverse("prolongation_request_grant", args=[prolongation_request.public_id])


def deny_url(prolongation_request):
    return reverse("prolongation_request_deny", args=[prolongation_request.public_id])


def report_url(prolongation_request):
    return reverse("prolongation_request_report", args=[prolongation_request.public_id])


def processed(prolongation_request, status=ProlongationRequestStatus.GRANTED):
    prolongation_request.status = status
    prolongation_request.processed_at = NOW - DAY
    prolongation_request.save()
    return prolongation_request


# List ---------------------------------------------------------------------------------------------------------------


def test_list_shows_pending_requests_first(prescriber_client, organization):
    def made(days_ago, status=ProlongationRequestStatus.PENDING):
        prolongation_request = request_for(approval_ending(PASS_END), organization, created_at=NOW - days_ago * DAY)
        return (
            processed(prolongation_request, status)
            if status != ProlongationRequestStatus.PENDING
            else prolongation_request
        )

    granted_old = made(5, ProlongationRequestStatus.GRANTED)
    pending_new = made(1)
    denied_new = made(0, ProlongationRequestStatus.DENIED)
    pending_old = made(10)
    request_for(approval_ending(PASS_END), PrescriberOrganizationFactory(authorized=True))  # another organization
    response = prescriber_client.get(reverse("prolongation_requests"))
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [pending_new, pending_old, denied_new, granted_old]
    content = text_of(response)
    assert "<strong>2</strong> demandes à traiter." in content
    assert content.count("À traiter") == 2
    assert "Acceptée" in content and "Refusée" in content


def test_list_row_content(prescriber_client, prolongation_request):
    content = text_of(prescriber_client.get(reverse("prolongation_requests")))
    approval = prolongation_request.approval
    assert "Camille MARTIN" in content
    assert approval.number_with_spaces in content
    assert "Association Rebond" in content
    assert "RQTH - Reconnaissance de la qualité de travailleur handicapé" in content
    assert "du 09/04/2026<br>au 08/07/2026" in content
    assert detail_url(prolongation_request) in content


def test_list_rows_have_a_header_and_distinct_links(prescriber_client, organization, approval):
    """RGAA: the person's cell heads the row; two requests for the same person get links that say which one."""
    processed(request_for(approval, organization, created_at=NOW - 40 * DAY), ProlongationRequestStatus.DENIED)
    request_for(approval, organization, created_at=NOW - DAY)
    content = text_of(prescriber_client.get(reverse("prolongation_requests")))
    assert content.count('<th scope="row">') == 2
    link_text = 'Camille MARTIN<span class="fr-sr-only"> : voir la demande reçue le {}</span>'
    assert link_text.format("09/03/2026 (à traiter)") in content
    assert link_text.format("29/01/2026 (refusée)") in content


def test_list_has_20_requests_per_page(prescriber_client, organization):
    for _ in range(21):
        request_for(approval_ending(PASS_END), organization)
    response = prescriber_client.get(reverse("prolongation_requests"))
    assert len(response.context["page_obj"]) == 20
    response = prescriber_client.get(reverse("prolongation_requests"), {"page": 2})
    assert len(response.context["page_obj"]) == 1
    # A bad page number shows a page, never an error.
    assert prescriber_client.get(reverse("prolongation_requests"), {"page": "abc"}).status_code == 200


def test_list_runs_a_fixed_number_of_queries(prescriber_client, organization, django_assert_num_queries):
    """ARCHITECTURE.md principle 6: the same queries for 1 or 25 requests."""
    request_for(approval_ending(PASS_END), organization)
    prescriber_client.get(reverse("prolongation_requests"))  # the first request after login writes the session
    # Session, user, current organization (memberships ×3, which also answer the role check), count, page, pending
    # count.
    with django_assert_num_queries(QUERIES):
        prescriber_client.get(reverse("prolongation_requests"))
    for _ in range(24):
        processed(request_for(approval_ending(PASS_END), organization))
    with django_assert_num_queries(QUERIES):
        response = prescriber_client.get(reverse("prolongation_requests"))
    assert len(response.context["page_obj"]) == 20


QUERIES = 8


def test_empty_list(prescriber_client):
    content = text_of(prescriber_client.get(reverse("prolongation_requests")))
    assert "Aucune demande à traiter." in content
    assert "Votre organisation n'a reçu aucune demande de prolongation." in content


def wrong_roles():
    """Every logged-in visitor who is not an authorized prescriber."""
    orienteur = ProfessionalFactory()
    PrescriberOrganizationFactory(with_member=orienteur)
    employer = ProfessionalFactory()
    CompanyFactory(with_member=employer)
    institution_member = ProfessionalFactory()
    InstitutionFactory(with_member=institution_member)
    return {
        "orienteur": orienteur,
        "employer": employer,
        "institution_member": institution_member,
        "job_seeker": JobSeekerFactory(),
        "staff": StaffFactory(),
    }


@pytest.mark.parametrize("url_name", ["list", "detail", "deny", "report", "grant"])
def test_access(client, prolongation_request, prescriber, url_name):
    prolongation_request.report_file.save("bilan.xlsx", ContentFile(XLSX_BYTES))
    url, method = {
        "list": (reverse("prolongation_requests"), client.get),
        "detail": (detail_url(prolongation_request), client.get),
        "deny": (deny_url(prolongation_request), client.get),
        "report": (report_url(prolongation_request), client.get),
        "grant": (grant_url(prolongation_request), client.post),
    }[url_name]
    assert method(url)["Location"].startswith(reverse("login"))
    for role, user in wrong_roles().items():
        login(client, user)
        assert method(url).status_code == 403, role
    # A member of another authorized organization: the request is not disclosed.
    client.force_login(member_of(PrescriberOrganizationFactory(authorized=True)))
    assert method(url).status_code == (200 if url_name == "list" else 404)
    prolongation_request.refresh_from_db()
    assert prolongation_request.status == ProlongationRequestStatus.PENDING
    client.force_login(prescriber)
    assert method(url).status_code in (200, 302)


# Detail -------------------------------------------------------------------------------------------------------------


def test_detail_of_a_pending_request(prescriber_client, prolongation_request):
    response = prescriber_client.get(detail_url(prolongation_request))
    assert response.status_code == 200
    content = text_of(response)
    assert "Camille MARTIN" in content
    assert "Du 09/04/2026 au <strong>08/07/2026</strong> (90 jours)" in content
    assert "Reconnaissance obtenue en février." in content
    assert "rh@rebond.fr" in content and "01 02 03 04 05" in content
    assert "Accepter" in content and grant_url(prolongation_request) in content
    assert deny_url(prolongation_request) in content
    assert "article R. 5132-1-8" in content
    assert report_url(prolongation_request) not in content  # no file: no download link


def test_any_member_of_the_organization_may_process(client, prolongation_request, organization):
    client.force_login(member_of(organization))
    assert "Accepter" in text_of(client.get(detail_url(prolongation_request)))


@pytest.mark.parametrize("status", [ProlongationRequestStatus.GRANTED, ProlongationRequestStatus.DENIED])
def test_processed_request_has_no_buttons(prescriber_client, prolongation_request, status):
    processed(prolongation_request, status)
    content = text_of(prescriber_client.get(detail_url(prolongation_request)))
    assert grant_url(prolongation_request) not in content
    assert deny_url(prolongation_request) not in content


def test_unknown_request(prescriber_client):
    assert prescriber_client.get(reverse("prolongation_request_detail", args=[uuid.uuid4()])).status_code == 404


# Grant --------------------------------------------------------------------------------------------------------------


def test_grant_creates_the_prolongation_and_moves_the_pass_end(
    prescriber_client, prolongation_request, prescriber, django_capture_on_commit_callbacks, mailoutbox
):
    approval = prolongation_request.approval
    with django_capture_on_commit_callbacks(execute=True):
        response = prescriber_client.post(grant_url(prolongation_request))
    assert response.status_code == 302
    assert response["Location"] == reverse("prolongation_requests")
    prolongation_request.refresh_from_db()
    assert prolongation_request.status == ProlongationRequestStatus.GRANTED
    assert prolongation_request.processed_by == prescriber
    prolongation = Prolongation.objects.get(approval=approval)
    assert (prolongation.start_at, prolongation.end_at) == (PASS_END, REQUESTED_END)
    assert prolongation.validated_by == prescriber
    assert prolongation.request == prolongation_request
    approval.refresh_from_db()
    assert approval.end_at == REQUESTED_END
    assert messages_of(response) == [
        "La demande de prolongation est acceptée : le PASS IAE de Camille MARTIN prend désormais fin le 08/07/2026. "
        "L'employeur et la personne sont prévenus par e-mail."
    ]
    assert sorted(email.to[0] for email in mailoutbox) == sorted(
        [prolongation_request.declared_by.email, approval.user.email]
    )


@pytest.mark.parametrize("status", [ProlongationRequestStatus.GRANTED, ProlongationRequestStatus.DENIED])
def test_processed_request_cannot_be_processed_again(prescriber_client, prolongation_request, status):
    processed(prolongation_request, status)
    for url in (grant_url(prolongation_request), deny_url(prolongation_request)):
        response = prescriber_client.post(url, {"step": "2", "reason": SIAE, "reason_explanation": "Non."})
        assert response.status_code == 302
        assert response["Location"] == detail_url(prolongation_request)
        message = messages_of(response)[-1]
        assert message.startswith("Cette demande de prolongation a déjà été traitée (")
        assert message.endswith(" le 09/03/2026) : elle ne peut plus être acceptée ni refusée.")
    assert not Prolongation.objects.exists()
    prolongation_request.refresh_from_db()
    assert prolongation_request.status == status


def test_grant_refused_by_the_rules_shows_why(prescriber_client, prolongation_request):
    ProlongationFactory(approval=prolongation_request.approval, start_at=PASS_END, end_at=PASS_END + 10 * DAY)
    response = prescriber_client.post(grant_url(prolongation_request))
    assert response["Location"] == detail_url(prolongation_request)
    [message] = messages_of(response)
    assert message.startswith("Cette période chevauche la prolongation du 09/04/2026 au 19/04/2026.")
    prolongation_request.refresh_from_db()
    assert prolongation_request.status == ProlongationRequestStatus.PENDING


def test_grant_needs_a_post(prescriber_client, prolongation_request):
    assert prescriber_client.get(grant_url(prolongation_request)).status_code == 405


# Deny wizard --------------------------------------------------------------------------------------------------------


def deny_step(client, prolongation_request, step, **answers):
    return client.post(deny_url(prolongation_request), {"step": str(step), **answers})


def test_deny_first_step(prescriber_client, prolongation_request):
    response = prescriber_client.get(deny_url(prolongation_request))
    assert response.status_code == 200
    content = text_of(response)
    assert "Étape 1 sur 3" in content
    assert "L’IAE ne correspond plus aux besoins / à la situation de la personne." in content
    response = deny_step(prescriber_client, prolongation_request, 1)
    assert response.context["step"] == 1
    assert response.context["form"].errors == {"reason": ["Choisissez le motif du refus."]}


def test_deny_with_reason_iae_takes_three_steps(
    prescriber_client, prolongation_request, django_capture_on_commit_callbacks
):
    response = deny_step(prescriber_client, prolongation_request, 1, reason=IAE)
    assert response.context["step"] == 2
    content = text_of(response)
    assert "Étape 2 sur 3" in content
    assert '<input type="hidden" name="reason" value="IAE">' in content
    response = deny_step(prescriber_client, prolongation_request, 2, reason=IAE)
    assert response.context["form"].errors == {
        "reason_explanation": ["Expliquez votre refus : un refus doit être motivé par écrit."]
    }
    answers = {"reason": IAE, "reason_explanation": "La personne souhaite une formation qualifiante."}
    response = deny_step(prescriber_client, prolongation_request, 2, **answers)
    assert response.context["step"] == 3
    assert "Étape 3 sur 3" in text_of(response)
    # pass_iae.md §15.3: at least one proposed action for the reason IAE.
    response = deny_step(prescriber_client, prolongation_request, 3, **answers, proposed_actions_explanation="Voir.")
    assert response.context["form"].errors == {"proposed_actions": ["Cochez au moins une action envisagée."]}
    prolongation_request.refresh_from_db()
    assert prolongation_request.status == ProlongationRequestStatus.PENDING
    actions = [ProlongationRequestDenyProposedAction.OTHER, ProlongationRequestDenyProposedAction.EXIT_IAE]
    with django_capture_on_commit_callbacks(execute=True):
        response = deny_step(
            prescriber_client,
            prolongation_request,
            3,
            **answers,
            proposed_actions=actions,
            proposed_actions_explanation="Orientation vers l'AFPA.",
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("prolongation_requests")
    prolongation_request.refresh_from_db()
    assert prolongation_request.status == ProlongationRequestStatus.DENIED
    assert prolongation_request.deny_reason == IAE
    assert prolongation_request.deny_reason_explanation == "La personne souhaite une formation qualifiante."
    assert prolongation_request.deny_proposed_actions == ["EXIT_IAE", "OTHER"]
    assert prolongation_request.deny_proposed_actions_explanation == "Orientation vers l'AFPA."
    assert not Prolongation.objects.exists()
    assert messages_of(response)[0].startswith("La demande de prolongation du PASS IAE de Camille MARTIN est refusée.")


def test_deny_with_another_reason_skips_the_actions(prescriber_client, prolongation_request):
    response = deny_step(prescriber_client, prolongation_request, 1, reason=SIAE)
    assert "Étape 2 sur 2" in text_of(response)
    assert "Refuser la demande" in text_of(response)
    response = deny_step(
        prescriber_client, prolongation_request, 2, reason=SIAE, reason_explanation="Une EI conviendrait."
    )
    assert response.status_code == 302
    prolongation_request.refresh_from_db()
    assert prolongation_request.status == ProlongationRequestStatus.DENIED
    assert prolongation_request.deny_reason == SIAE
    assert prolongation_request.deny_proposed_actions is None


def test_deny_back_keeps_the_answers(prescriber_client, prolongation_request):
    answers = {"reason": IAE, "reason_explanation": "Texte", "proposed_actions": ["OTHER"]}
    response = prescriber_client.post(deny_url(prolongation_request), {"step": "3", "back": "1", **answers})
    assert response.context["step"] == 2
    assert "Texte</textarea>" in text_of(response)
    # The later answers travel along.
    assert '<input type="hidden" name="proposed_actions" value="OTHER">' in text_of(response)
    response = prescriber_client.post(deny_url(prolongation_request), {"step": "2", "back": "1", **answers})
    assert response.context["step"] == 1
    assert 'value="IAE" dsfr="dsfr" id="id_reason_0" required checked' in response.content.decode()
    prolongation_request.refresh_from_db()
    assert prolongation_request.status == ProlongationRequestStatus.PENDING


@pytest.mark.parametrize("step", ["3", "2", "zéro", "99"])
def test_deny_tampered_answers_go_back_to_the_faulty_step(prescriber_client, prolongation_request, step):
    data = {"step": step, "reason": "PAS_UN_MOTIF", "reason_explanation": "Texte"}
    response = prescriber_client.post(deny_url(prolongation_request), data)
    assert response.status_code == 200
    assert response.context["step"] == 1
    assert response.context["form"].errors == {"reason": ["Choisissez un des motifs proposés."]}
    prolongation_request.refresh_from_db()
    assert prolongation_request.status == ProlongationRequestStatus.PENDING


def test_deny_reason_changed_from_iae_drops_the_actions(prescriber_client, prolongation_request):
    data = {
        "reason": SIAE,
        "reason_explanation": "Texte",
        "proposed_actions": ["OTHER"],
        "proposed_actions_explanation": "x",
    }
    response = deny_step(prescriber_client, prolongation_request, 3, **data)
    assert response.status_code == 302
    prolongation_request.refresh_from_db()
    assert (prolongation_request.deny_reason, prolongation_request.deny_proposed_actions) == (SIAE, None)
    assert prolongation_request.deny_proposed_actions_explanation == ""


# Fiche bilan --------------------------------------------------------------------------------------------------------


def test_report_file_is_downloaded_as_an_attachment(prescriber_client, prolongation_request):
    prolongation_request.report_file.save("c0ffee.xlsx", ContentFile(XLSX_BYTES))
    detail = text_of(prescriber_client.get(detail_url(prolongation_request)))
    assert report_url(prolongation_request) in detail
    assert prolongation_request.report_file.url not in detail  # never the storage's URL
    response = prescriber_client.get(report_url(prolongation_request))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="fiche-bilan-{prolongation_request.approval.number}.xlsx"'
    )
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert b"".join(response.streaming_content) == XLSX_BYTES


def test_no_report_file(prescriber_client, prolongation_request):
    assert prescriber_client.get(report_url(prolongation_request)).status_code == 404


def test_declaring_employer_cannot_download_the_report_file(client, prolongation_request, company):
    prolongation_request.report_file.save("c0ffee.xlsx", ContentFile(XLSX_BYTES))
    client.force_login(member_of(company, CompanyMembershipFactory))
    assert client.get(report_url(prolongation_request)).status_code == 403
