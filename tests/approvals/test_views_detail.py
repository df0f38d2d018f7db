"""The PASS IAE detail page and the job seeker's "Mon PASS IAE" page (pass_iae.md §11, §12, §17)."""

import datetime
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from inclusion.approvals.enums import Origin, ProlongationReason, SuspensionReason
from inclusion.approvals.models import Prolongation
from inclusion.companies.enums import CompanyKind
from inclusion.users.enums import AssignmentAction
from inclusion.users.models import upsert_assignment
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.approvals.factories_approval_screens import hire, pending_request
from tests.approvals.screens import employer_of, text_of
from tests.companies.factories import CompanyFactory
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel("2026-03-10 12:00 +01:00", tick=False):
        yield


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def prescriber_of(organization):
    user = ProfessionalFactory()
    PrescriberMembershipFactory(organization=organization, user=user, is_admin=False)
    return user


@pytest.fixture
def company():
    return CompanyFactory(kind=CompanyKind.ACI, name="Atelier du Rhône")


@pytest.fixture
def approval(company):
    """A PASS started 100 days ago, ending in 629 days, of Camille Martin hired by `company`."""
    job_seeker = JobSeekerFactory(first_name="Camille", last_name="Martin")
    approval = ApprovalFactory(user=job_seeker, start_at=TODAY - 100 * DAY, origin_siae_siret=company.siret)
    hire(approval, company, accepted_at=at(TODAY - 100 * DAY))
    return approval


def detail_url(approval):
    return reverse("approval_detail", args=[approval.public_id])


def suspend_url(approval):
    return reverse("suspension_create", args=[approval.public_id])


def prolong_url(approval):
    return reverse("prolongation_declare", args=[approval.public_id])


class TestWhoSeesTheDetailPage:
    def test_holder(self, client, approval):
        client.force_login(approval.user)
        response = client.get(detail_url(approval))
        assert response.status_code == 200
        page = text_of(response)
        assert f"PASS IAE n° {approval.number[:5]} {approval.number[5:7]} {approval.number[7:]}" in page
        assert reverse("approval_attestation", args=[approval.public_id]) in page
        # The holder neither suspends nor prolongs.
        assert suspend_url(approval) not in page
        assert prolong_url(approval) not in page

    def test_member_of_the_last_hiring_siae_may_suspend(self, client, approval, company):
        client.force_login(employer_of(company))
        page = text_of(client.get(detail_url(approval)))
        assert "Suspendre" in page and suspend_url(approval) in page
        # Ends in 629 days: more than 12 months ahead, no prolongation yet (pass_iae.md §14.2).
        assert prolong_url(approval) not in page

    def test_earlier_hiring_siae_may_prolong_but_not_suspend(self, client, company):
        approval = ApprovalFactory(start_at=TODAY - 529 * DAY)  # ends in 200 days
        hire(approval, company, accepted_at=at(TODAY - 529 * DAY))
        later = CompanyFactory(kind=CompanyKind.EI)
        hire(approval, later, accepted_at=at(TODAY - 10 * DAY), hiring_start_at=TODAY - 10 * DAY)
        client.force_login(employer_of(company))
        page = text_of(client.get(detail_url(approval)))
        assert "Prolonger" in page and prolong_url(approval) in page
        assert suspend_url(approval) not in page

    def test_company_that_received_an_application_without_hiring(self, client, approval):
        other = CompanyFactory(kind=CompanyKind.EI)
        JobApplicationFactory(job_seeker=approval.user, to_company=other)
        client.force_login(employer_of(other))
        response = client.get(detail_url(approval))
        assert response.status_code == 200
        assert suspend_url(approval) not in text_of(response)
        assert prolong_url(approval) not in text_of(response)

    def test_authorized_prescriber_following_the_person(self, client, approval):
        organization = PrescriberOrganizationFactory(authorized=True)
        user = prescriber_of(organization)
        upsert_assignment(
            job_seeker=approval.user,
            professional=user,
            action=AssignmentAction.APPLY,
            prescriber_organization=organization,
        )
        client.force_login(user)
        response = client.get(detail_url(approval))
        assert response.status_code == 200
        assert suspend_url(approval) not in text_of(response)

    @pytest.mark.parametrize(
        "outsider",
        [
            "other_job_seeker",
            "other_employer",
            "authorized_prescriber_of_someone_else",
            "orienteur",
            "institution",
            "staff",
        ],
    )
    def test_outsiders_get_a_404(self, client, approval, outsider):
        match outsider:
            case "other_job_seeker":
                user = JobSeekerFactory()
            case "other_employer":
                user = employer_of(CompanyFactory())
            case "authorized_prescriber_of_someone_else":
                organization = PrescriberOrganizationFactory(authorized=True)
                user = prescriber_of(organization)
                upsert_assignment(
                    job_seeker=JobSeekerFactory(),
                    professional=user,
                    action=AssignmentAction.CREATE,
                    prescriber_organization=organization,
                )
            case "orienteur":
                organization = PrescriberOrganizationFactory()
                user = prescriber_of(organization)
                upsert_assignment(
                    job_seeker=approval.user,
                    professional=user,
                    action=AssignmentAction.CREATE,
                    prescriber_organization=organization,
                )
            case "institution":
                user = ProfessionalFactory()
                InstitutionFactory(with_member=user)
            case "staff":
                user = StaffFactory()
        login(client, user)
        assert client.get(detail_url(approval)).status_code == 404

    def test_unknown_pass(self, client, approval):
        client.force_login(approval.user)
        assert client.get(reverse("approval_detail", args=[uuid.uuid4()])).status_code == 404

    def test_anonymous_goes_to_login(self, client, approval):
        response = client.get(detail_url(approval))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")

    def test_post_is_refused(self, client, approval):
        client.force_login(approval.user)
        assert client.post(detail_url(approval)).status_code == 405


class TestWhatTheDetailPageShows:
    def test_facts_of_a_pass_in_progress(self, client, approval, company):
        client.force_login(approval.user)
        page = text_of(client.get(detail_url(approval)))
        assert "Camille MARTIN" in page
        assert "15/03/1990" in page  # birthdate from the profile
        assert "Valide</p>" in page
        assert "30/11/2025" in page and "29/11/2027" in page  # start, end = start + 729 days
        # pass_iae.md §12: 629 days ahead plus today.
        assert "630 jours" in page
        assert "décompté en jours calendaires" in page
        assert "Date de fin estimée" not in page  # equal to the end without a suspension to come
        assert "Atelier du Rhône" in page and company.siret in page
        diagnosis = approval.eligibility_diagnosis
        assert diagnosis.author_prescriber_organization.display_name in page
        assert diagnosis.author.get_full_name() in page
        assert "Aucune suspension." in page and "Aucune prolongation." in page

    def test_future_pass(self, client):
        approval = ApprovalFactory(start_at=TODAY + DAY)
        client.force_login(approval.user)
        page = text_of(client.get(detail_url(approval)))
        assert "Valide (non démarré)" in page
        assert "730 jours" in page

    def test_expired_pass(self, client):
        approval = ApprovalFactory(start_at=TODAY - 730 * DAY)  # ended yesterday
        client.force_login(approval.user)
        page = text_of(client.get(detail_url(approval)))
        assert "Expiré" in page
        assert "0 jour" in page

    def test_last_day_is_still_valid(self, client):
        approval = ApprovalFactory(start_at=TODAY - 729 * DAY)  # ends today
        client.force_login(approval.user)
        page = text_of(client.get(detail_url(approval)))
        assert "Valide</p>" in page and "1 jour" in page

    def test_suspended_pass_with_its_suspension(self, client, approval, company):
        SuspensionFactory(
            approval=approval,
            siae=company,
            start_at=TODAY - 5 * DAY,
            end_at=TODAY + 4 * DAY,
            reason=SuspensionReason.CONTRACT_BROKEN,
            reason_explanation="Départ à l'initiative du salarié",
        )
        client.force_login(employer_of(company))
        page = text_of(client.get(detail_url(approval)))
        assert "Valide (suspendu)" in page
        assert "05/03/2026" in page and "14/03/2026" in page
        assert "Contrat de travail rompu" in page and "Départ à l'initiative du salarié" in page
        # 630 days of PASS minus the 5 suspended days to come (today included).
        assert "625 jours" in page
        assert "Date de fin estimée" in page
        # The last hiring SIAE manages the suspension in progress, and cannot suspend again.
        suspension = approval.suspensions.get()
        assert reverse("suspension_update", args=[suspension.public_id]) in page
        assert reverse("suspension_end_early", args=[suspension.public_id]) in page
        assert reverse("suspension_delete", args=[suspension.public_id]) in page
        assert suspend_url(approval) not in page

    def test_holder_does_not_get_the_suspension_actions(self, client, approval, company):
        suspension = SuspensionFactory(approval=approval, siae=company, start_at=TODAY - DAY, end_at=TODAY + DAY)
        client.force_login(approval.user)
        page = text_of(client.get(detail_url(approval)))
        assert reverse("suspension_update", args=[suspension.public_id]) not in page

    def test_finished_suspension_has_no_action(self, client, approval, company):
        suspension = SuspensionFactory(approval=approval, siae=company, start_at=TODAY - 9 * DAY, end_at=TODAY - DAY)
        client.force_login(employer_of(company))
        page = text_of(client.get(detail_url(approval)))
        assert "01/03/2026" in page
        assert reverse("suspension_update", args=[suspension.public_id]) not in page
        assert suspend_url(approval) in page

    def test_prolongations_and_pending_request(self, client, approval, company):
        organization = PrescriberOrganizationFactory(authorized=True, name="Mission locale de Lyon")
        validator = ProfessionalFactory(first_name="Inès", last_name="Bernard")
        Prolongation.objects.create(
            approval=approval,
            start_at=approval.end_at,
            end_at=approval.end_at + 60 * DAY,
            reason=ProlongationReason.RQTH,
            declared_by_siae=company,
            prescriber_organization=organization,
            validated_by=validator,
        )
        pending_request(approval, siae=company, organization=organization, reason=ProlongationReason.SENIOR)
        client.force_login(approval.user)
        page = text_of(client.get(detail_url(approval)))
        assert "RQTH - Reconnaissance de la qualité de travailleur handicapé" in page
        assert "28/01/2028" in page  # 29/11/2027 + 60 days
        assert "Inès BERNARD" in page
        assert "Demande de prolongation en attente" in page
        assert "50 ans et plus" in page and "Mission locale de Lyon" in page

    def test_issuing_structure_without_hiring_on_the_platform(self, client):
        approval = ApprovalFactory(origin_siae_siret="81234567800999", origin_siae_kind=CompanyKind.AI)
        client.force_login(approval.user)
        page = text_of(client.get(detail_url(approval)))
        assert "81234567800999" in page and "Association intermédiaire" in page

    def test_issuing_structure_is_the_origin_siae_not_a_later_one(self, client, approval, company):
        later = CompanyFactory(kind=CompanyKind.EI, name="Entreprise Suivante")
        hire(approval, later, accepted_at=at(TODAY - DAY))
        client.force_login(approval.user)
        response = client.get(detail_url(approval))
        assert response.context["issuing_structure"].name == "Atelier du Rhône"

    def test_legacy_pass_without_diagnosis(self, client):
        approval = ApprovalFactory(origin=Origin.AI_STOCK, eligibility_diagnosis=None)
        client.force_login(approval.user)
        page = text_of(client.get(detail_url(approval)))
        assert "Aucun — Stock des salariés d'AI (30 novembre 2021)" in page
        assert "Non renseignée : PASS IAE délivré hors d'une embauche enregistrée sur la plateforme" in page

    @pytest.mark.parametrize("past_suspensions", [0, 6])
    def test_query_count(self, client, approval, company, past_suspensions, django_assert_num_queries):
        for index in range(past_suspensions):
            start = TODAY - (100 - 10 * index) * DAY
            SuspensionFactory(approval=approval, siae=company, start_at=start, end_at=start + 5 * DAY)
        SuspensionFactory(approval=approval, siae=company, start_at=TODAY - DAY, end_at=TODAY + DAY)
        Prolongation.objects.create(
            approval=approval, start_at=approval.end_at, end_at=approval.end_at + 30 * DAY, reason="SENIOR_CDI"
        )
        client.force_login(employer_of(company))
        # Session (read, then saved in a savepoint: 4), user, the 3 membership tables (middleware: they also answer
        # the membership checks), the PASS and its 4 prefetches, then 1 for the rules: the person's last SIAE hiring
        # (once for who suspends and who edits the suspension in progress). The company's hirings with this PASS (who
        # sees it, who prolongs, who reads the reasons) and the suspension covering today come from the prefetches;
        # outside its prolongation window, the PASS needs no reading of the person's latest PASS. The same with 1 or
        # 7 suspensions: nothing per suspension or prolongation.
        with django_assert_num_queries(14):
            assert client.get(detail_url(approval)).status_code == 200


class TestJobSeekerPage:
    url = reverse("job_seeker_approval")

    def test_shows_the_latest_pass(self, client, approval):
        ApprovalFactory(user=approval.user, start_at=TODAY - 3000 * DAY, eligibility_diagnosis=None, origin="ai_stock")
        client.force_login(approval.user)
        response = client.get(self.url)
        assert response.status_code == 200
        page = text_of(response)
        assert approval.number_with_spaces in page
        assert "630 jours" in page
        assert reverse("approval_attestation", args=[approval.public_id]) in page
        assert "délai de carence" not in page

    def test_no_pass(self, client):
        user = JobSeekerFactory()
        client.force_login(user)
        page = text_of(client.get(self.url))
        assert "Vous n'avez pas de PASS IAE" in page

    def test_waiting_period(self, client):
        approval = ApprovalFactory(start_at=TODAY - 800 * DAY)  # ended 71 days ago
        client.force_login(approval.user)
        page = text_of(client.get(self.url))
        assert f"Votre PASS IAE a expiré le {approval.end_at:%d/%m/%Y}" in page
        assert "jusqu'au 29/12/2027 inclus" in page  # end (29/12/2025) + 2 years
        assert "Expiré" in page

    def test_waiting_period_elapsed_means_no_pass(self, client):
        # pass_iae.md §8: ended more than 2 years ago, the person is treated as having no PASS.
        approval = ApprovalFactory(start_at=datetime.date(2024, 3, 9) - 729 * DAY)  # ended 09/03/2024
        client.force_login(approval.user)
        page = text_of(client.get(self.url))
        assert "Vous n'avez pas de PASS IAE" in page

    def test_last_day_of_the_waiting_period(self, client):
        approval = ApprovalFactory(start_at=datetime.date(2024, 3, 10) - 729 * DAY)  # ended 10/03/2024
        client.force_login(approval.user)
        page = text_of(client.get(self.url))
        assert "jusqu'au 10/03/2026 inclus" in page

    @pytest.mark.parametrize("who", ["employer", "prescriber", "staff"])
    def test_other_roles_are_refused(self, client, company, who):
        user = {
            "employer": lambda: employer_of(company),
            "prescriber": lambda: prescriber_of(PrescriberOrganizationFactory(authorized=True)),
            "staff": StaffFactory,
        }[who]()
        login(client, user)
        assert client.get(self.url).status_code == 403

    def test_anonymous_goes_to_login(self, client):
        response = client.get(self.url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
