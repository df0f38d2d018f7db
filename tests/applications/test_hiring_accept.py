"""The accept wizard (applications.md §6, §8.4; pass_iae.md §5, §6, §8) at the HTTP level."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from inclusion.applications import hiring
from inclusion.applications.enums import JobApplicationState, JobApplicationTransition
from inclusion.applications.models import JobApplicationTransitionLog
from inclusion.approvals.models import Approval
from inclusion.approvals.rules import ApprovalError
from inclusion.users.enums import AssignmentAction, LackOfFranceTravailIdReason, LackOfNIRReason
from inclusion.users.models import JobSeekerAssignment
from inclusion.utils.french import de
from tests.applications.factories import JobApplicationFactory, _foreign_birth_country
from tests.approvals.factories import ApprovalFactory
from tests.approvals.factories_approvals_core import noon
from tests.companies.factories import CompanyFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory, GEIQEligibilityDiagnosisFactory
from tests.jobs.factories import AppellationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db

State = JobApplicationState
TODAY = datetime.date(2026, 3, 10)
START = TODAY + datetime.timedelta(days=5)


@pytest.fixture(autouse=True)
def frozen_today(time_machine, settings):
    time_machine.move_to(noon(TODAY), tick=False)
    settings.PASS_IAE_NUMBER_PREFIX = "99999"


def ready_job_seeker():
    """A job seeker whose data is complete (the accept wizard goes straight to the contract)."""
    return JobSeekerFactory(
        address_line_1="12 rue de la République",
        post_code="69001",
        city="Lyon",
        profile__lack_of_pole_emploi_id_reason="NOT_REGISTERED",
        profile__birth_country=_foreign_birth_country(),
    )


def received(kind="ACI", *, diagnosis=True, **fields):
    """An application to a company of `kind`, of a job seeker whose data is complete; with an authorized
    prescriber's IAE diagnosis for an SIAE unless `diagnosis=False`. `application.employer` is a member."""
    employer = ProfessionalFactory()
    company = CompanyFactory(kind=kind, with_member=employer)
    AppellationFactory()  # the "new job" of the GEIQ contract data
    fields.setdefault("state", State.PROCESSING)
    application = JobApplicationFactory(to_company=company, job_seeker_ready_to_hire=True, **fields)
    if diagnosis and company.is_siae:
        EligibilityDiagnosisFactory(job_seeker=application.job_seeker, criteria=["RSA"])
    application.employer = employer
    return application


def accept_url(application):
    return reverse("application_accept", args=[application.pk])


def open_wizard(client, application):
    """Logs the employer in, opens the wizard; returns the wizard URL (with its random id)."""
    client.force_login(application.employer)
    response = client.get(accept_url(application))
    assert response.status_code == 200
    return response.context["wizard_url"]


def contract_data(application, **overrides):
    data = {"action": "contract", "hiring_start_at": START.isoformat(), "advisor": str(application.employer.pk)}
    if application.to_company.kind == "GEIQ":
        data |= {
            "hired_job": "nouveau",
            "new_job_appellation": "10571",
            "new_job_location": "lyon-69",
            "geiq_contract_type": "PROFESSIONAL_TRAINING",
            "geiq_hours_per_week": "35",
            "geiq_qualification_type": "CQP",
            "geiq_qualification_level": "LEVEL_3",
            "geiq_planned_training_hours": "150",
        }
    return {**data, **overrides}


def post_contract(client, wizard_url, application, **overrides):
    return client.post(wizard_url, contract_data(application, **overrides))


def confirm(client, wizard_url):
    return client.post(wizard_url, {"action": "confirm"})


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def detail_url(application):
    from inclusion.applications.views_hiring import detail_url

    return detail_url(application)


class TestStart:
    def test_missing_job_seeker_data_sends_to_the_completer_page_and_back(self, client):
        application = received()
        profile = application.job_seeker.jobseeker_profile
        profile.lack_of_pole_emploi_id_reason = ""
        profile.save()
        client.force_login(application.employer)

        response = client.get(accept_url(application))

        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == f"/candidats/{application.job_seeker.public_id}/completer/"
        next_url = parse_qs(location.query)["next"][0]
        assert next_url.startswith(accept_url(application) + "?w=")

    def test_complete_data_opens_the_contract_step(self, client):
        application = received()
        client.force_login(application.employer)

        response = client.get(accept_url(application))

        assert response.status_code == 200
        assert "applications/hiring/accept_contract.html" in [t.name for t in response.templates]
        assert response.context["stepper"]["title"] == "Contrat de travail"

    def test_an_accepted_application_says_so(self, client):
        application = received(state=State.ACCEPTED, hiring_start_at=START)
        client.force_login(application.employer)

        response = client.get(accept_url(application))

        assert response.status_code == 302
        assert response["Location"] == detail_url(application)
        assert messages_of(response) == ["Cette candidature a déjà été acceptée : l'embauche est enregistrée."]

    def test_only_from_the_receiving_company_as_current_organization(self, client):
        application = received()
        outsider = ProfessionalFactory()
        CompanyFactory(with_member=outsider)
        client.force_login(outsider)
        assert client.get(accept_url(application)).status_code == 404
        client.force_login(application.job_seeker)
        assert client.get(accept_url(application)).status_code == 403


class TestHiringDates:
    """pass_iae.md §5, applications.md §8.1: every boundary of the start date."""

    @pytest.mark.parametrize(
        "start,accepted",
        [
            (TODAY - datetime.timedelta(days=1), False),
            (TODAY, True),
            (TODAY + relativedelta(months=6), True),
            (TODAY + relativedelta(months=6) + datetime.timedelta(days=1), False),
        ],
    )
    def test_siae_start_between_today_and_six_months(self, client, start, accepted):
        application = received()
        wizard_url = open_wizard(client, application)
        response = post_contract(client, wizard_url, application, hiring_start_at=start.isoformat())
        if accepted:
            assert response.status_code == 302
            assert response["Location"] == wizard_url
        else:
            assert response.status_code == 200
            assert response.context["form"].errors["hiring_start_at"] == [
                "La date de début du contrat doit être comprise entre le 10/03/2026 et le 10/09/2026."
            ]

    @pytest.mark.parametrize(
        "start,accepted",
        [
            (TODAY - relativedelta(years=1), True),
            (TODAY - datetime.timedelta(days=1), True),
            (TODAY + relativedelta(months=6), True),
            (TODAY + relativedelta(months=6) + datetime.timedelta(days=1), False),
        ],
    )
    def test_geiq_may_start_in_the_past(self, client, start, accepted):
        application = received("GEIQ")
        wizard_url = open_wizard(client, application)
        response = post_contract(client, wizard_url, application, hiring_start_at=start.isoformat())
        assert (response.status_code == 302) == accepted
        if not accepted:
            assert response.context["form"].errors["hiring_start_at"] == [
                "La date de début du contrat doit être au plus tard le 10/09/2026."
            ]

    @pytest.mark.parametrize("days_after_pass_end,accepted", [(0, True), (1, False)])
    def test_siae_start_not_after_the_pass_end(self, client, days_after_pass_end, accepted):
        pass_end = TODAY + datetime.timedelta(days=40)
        approval = ApprovalFactory(
            user=ready_job_seeker(), start_at=pass_end - datetime.timedelta(days=729), end_at=pass_end
        )
        application = received(job_seeker=approval.user, diagnosis=False)
        wizard_url = open_wizard(client, application)
        start = pass_end + datetime.timedelta(days=days_after_pass_end)

        response = post_contract(client, wizard_url, application, hiring_start_at=start.isoformat())

        assert (response.status_code == 302) == accepted
        if not accepted:
            assert response.context["form"].errors["hiring_start_at"] == [
                "La date de début du contrat doit être comprise entre le 10/03/2026 et le 19/04/2026."
            ]

    @pytest.mark.parametrize("days,accepted", [(-1, False), (0, True), (1, True)])
    def test_end_not_before_start(self, client, days, accepted):
        application = received()
        wizard_url = open_wizard(client, application)
        end = START + datetime.timedelta(days=days)
        response = post_contract(client, wizard_url, application, hiring_end_at=end.isoformat())
        assert (response.status_code == 302) == accepted
        if not accepted:
            assert response.context["form"].errors == {
                "hiring_end_at": ["La date de fin du contrat ne peut pas être antérieure à la date de début."]
            }

    def test_missing_or_garbled_start_is_a_french_error_and_keeps_what_was_typed(self, client):
        application = received()
        wizard_url = open_wizard(client, application)
        response = post_contract(client, wizard_url, application, hiring_start_at="32/13/2026", answer="Bienvenue")
        assert response.status_code == 200
        assert response.context["form"].errors["hiring_start_at"] == [
            "Saisissez une date valide, par exemple 15/03/2026."
        ]
        assert "Bienvenue" in response.content.decode()
        response = post_contract(client, wizard_url, application, hiring_start_at="")
        assert response.context["form"].errors["hiring_start_at"] == ["Indiquez une date."]


class TestGEIQContract:
    """applications.md §8.2."""

    @pytest.mark.parametrize(
        "overrides,field,error",
        [
            ({"geiq_contract_type": ""}, "geiq_contract_type", "Choisissez le type de contrat."),
            (
                {"geiq_contract_type": "OTHER"},
                "geiq_contract_type_details",
                "Précisez le type de contrat : c'est obligatoire pour « Autre ».",
            ),
            ({"geiq_hours_per_week": "0"}, "geiq_hours_per_week", "entre 1 et 48"),
            ({"geiq_hours_per_week": "49"}, "geiq_hours_per_week", "entre 1 et 48"),
            ({"geiq_hours_per_week": "trente"}, "geiq_hours_per_week", "Saisissez un nombre entier."),
            ({"geiq_qualification_type": ""}, "geiq_qualification_type", "Choisissez le type de qualification"),
            (
                {"geiq_qualification_type": "STATE_DIPLOMA", "geiq_qualification_level": "NOT_RELEVANT"},
                "geiq_qualification_level",
                "« Non pertinent » n'est pas possible",
            ),
            ({"geiq_planned_training_hours": "-1"}, "geiq_planned_training_hours", "0 si aucune"),
            # More than the database holds: a French error on the field, never a server error at the confirmation.
            ({"geiq_planned_training_hours": str(10**20)}, "geiq_planned_training_hours", "trop grand"),
            (
                {"geiq_contract_type": "APPRENTICESHIP", "geiq_inverted_vae_contract": "on"},
                "geiq_inverted_vae_contract",
                "La VAE inversée n'est possible qu'avec un contrat de professionnalisation.",
            ),
            ({"hired_job": ""}, "hired_job", "Choisissez le poste retenu"),
        ],
    )
    def test_refusals(self, client, overrides, field, error):
        application = received("GEIQ")
        wizard_url = open_wizard(client, application)
        response = post_contract(client, wizard_url, application, **overrides)
        assert response.status_code == 200
        assert error in " ".join(response.context["form"].errors[field])

    @pytest.mark.parametrize(
        "overrides",
        [
            {"geiq_hours_per_week": "1"},
            {"geiq_hours_per_week": "48"},
            {"geiq_contract_type": "OTHER", "geiq_contract_type_details": "CDI"},
            {"geiq_qualification_type": "CQP", "geiq_qualification_level": "NOT_RELEVANT"},
            {"geiq_inverted_vae_contract": "on"},
        ],
    )
    def test_accepted_values(self, client, overrides):
        application = received("GEIQ")
        wizard_url = open_wizard(client, application)
        assert post_contract(client, wizard_url, application, **overrides).status_code == 302

    def test_geiq_fields_exist_only_for_a_geiq(self, client):
        application = received()
        open_wizard(client, application)
        form = client.get(accept_url(application)).context["form"]
        assert not any(name.startswith("geiq_") for name in form.fields)

    def test_the_geiq_contract_is_saved_and_no_pass_is_issued(self, client):
        application = received("GEIQ")
        diagnosis = GEIQEligibilityDiagnosisFactory(
            job_seeker=application.job_seeker, author_geiq=application.to_company
        )
        wizard_url = open_wizard(client, application)
        post_contract(
            client,
            wizard_url,
            application,
            geiq_contract_type="OTHER",
            geiq_contract_type_details="  CDD de droit commun ",
            geiq_hours_per_week="30",
        )

        # The optional GEIQ step shows the diagnosis, then the employer continues.
        response = client.get(wizard_url)
        assert response.context["stepper"]["title"] == "Éligibilité"
        assert "Diagnostic GEIQ valide" in response.content.decode()
        assert client.post(wizard_url, {"action": "geiq_continue"})["Location"] == wizard_url
        assert client.get(wizard_url).context["stepper"]["title"] == "Confirmation"
        response = confirm(client, wizard_url)

        assert response.status_code == 302
        application.refresh_from_db()
        assert application.state == State.ACCEPTED
        assert application.approval is None
        assert application.geiq_eligibility_diagnosis == diagnosis
        assert (application.geiq_contract_type, application.geiq_contract_type_details) == (
            "OTHER",
            "CDD de droit commun",
        )
        assert (application.geiq_hours_per_week, application.geiq_planned_training_hours) == (30, 150)
        assert (application.geiq_qualification_type, application.geiq_qualification_level) == ("CQP", "LEVEL_3")
        assert application.hired_job.appellation.code == "10571"
        assert messages_of(response) == [
            f"L'embauche {de(application.job_seeker.get_full_name())} est enregistrée à partir du 15/03/2026."
        ]

    def test_a_geiq_may_hire_without_diagnosis(self, client):
        application = received("GEIQ")
        wizard_url = open_wizard(client, application)
        post_contract(client, wizard_url, application)
        assert "Continuer sans diagnostic" in client.get(wizard_url).content.decode()
        client.post(wizard_url, {"action": "geiq_continue"})
        confirm(client, wizard_url)
        application.refresh_from_db()
        assert application.state == State.ACCEPTED
        assert application.geiq_eligibility_diagnosis is None


class TestHiredJob:
    """applications.md §8.1: an existing job description (open or closed), or a new one found or created."""

    def test_an_existing_closed_job_description(self, client):
        from tests.companies.factories import JobDescriptionFactory

        application = received()
        job = JobDescriptionFactory(company=application.to_company, is_active=False)
        wizard_url = open_wizard(client, application)
        form = client.get(wizard_url).context["form"]
        assert [group for group, _ in form.fields["hired_job"].choices[1:-1]] == ["Fiches de poste fermées"]

        post_contract(client, wizard_url, application, hired_job=str(job.uid))
        confirm(client, wizard_url)

        application.refresh_from_db()
        assert application.hired_job == job

    def test_another_company_job_description_is_refused(self, client):
        from tests.companies.factories import JobDescriptionFactory

        application = received()
        foreign = JobDescriptionFactory()
        wizard_url = open_wizard(client, application)
        response = post_contract(client, wizard_url, application, hired_job=str(foreign.uid))
        assert response.context["form"].errors["hired_job"] == ["Choisissez un des postes proposés."]

    def test_a_new_job_reuses_the_identical_job_description(self, client):
        from tests.companies.factories import JobDescriptionFactory

        application = received()
        identical = JobDescriptionFactory(company=application.to_company, is_active=False)
        wizard_url = open_wizard(client, application)

        post_contract(
            client, wizard_url, application, hired_job="nouveau", new_job_appellation="10571", new_job_location="69001"
        )
        confirm(client, wizard_url)

        application.refresh_from_db()
        assert application.hired_job == identical
        assert application.to_company.job_descriptions.count() == 1

    def test_a_new_job_creates_an_inactive_job_description_from_the_hiring(self, client):
        from inclusion.companies.enums import ContractType, JobDescriptionSource
        from tests.companies.factories import JobDescriptionFactory
        from tests.geo.factories import CommuneFactory
        from tests.jobs.factories import AppellationFactory

        application = received()
        open_job = JobDescriptionFactory(company=application.to_company)  # same appellation, elsewhere
        villeurbanne = CommuneFactory(code_insee="69266", name="Villeurbanne", postal_codes="69100")
        mason = AppellationFactory(code="11564", name="Maçon / Maçonne")
        wizard_url = open_wizard(client, application)

        response = post_contract(
            client,
            wizard_url,
            application,
            hired_job="nouveau",
            # Built from the objects: with the full reference data loaded, code 11564 is another real appellation.
            new_job_appellation=f"{mason.name} ({mason.rome.code})",
            new_job_appellation_code=mason.code,
            new_job_location="Villeurbanne (69)",
            new_job_location_slug=villeurbanne.slug,
        )
        assert response.status_code == 302
        confirm(client, wizard_url)

        application.refresh_from_db()
        created = application.hired_job
        assert created != open_job
        assert (created.appellation, created.location, created.company) == (
            mason,
            villeurbanne,
            application.to_company,
        )
        assert created.is_active is False
        assert created.creation_source == JobDescriptionSource.HIRING
        assert created.contract_type == ContractType.FIXED_TERM_I

    def test_a_new_job_needs_a_known_appellation_and_commune(self, client):
        application = received()
        wizard_url = open_wizard(client, application)
        response = post_contract(
            client, wizard_url, application, hired_job="nouveau", new_job_appellation="", new_job_location="Nulle part"
        )
        errors = response.context["form"].errors
        assert errors["new_job_appellation"][0].startswith("Métier inconnu")
        assert errors["new_job_location"][0].startswith("Commune inconnue")

    def test_no_hired_job_for_an_siae(self, client):
        application = received()
        wizard_url = open_wizard(client, application)
        post_contract(client, wizard_url, application)
        confirm(client, wizard_url)
        application.refresh_from_db()
        assert application.state == State.ACCEPTED
        assert application.hired_job is None


class TestIAEEligibility:
    def test_an_siae_without_diagnosis_must_make_one_with_enough_criteria(self, client):
        application = received(diagnosis=False, sent_by_prescriber=True)
        wizard_url = open_wizard(client, application)
        post_contract(client, wizard_url, application)

        response = client.get(wizard_url)
        assert response.context["stepper"]["title"] == "Éligibilité"
        diagnosis_url = response.context["diagnosis_url"]
        assert diagnosis_url.startswith(reverse("eligibility_iae_employer", args=[application.pk]) + "?next=")
        assert "Établir le diagnostic d'éligibilité" in response.content.decode()
        # The confirmation is not reachable before: confirming sends back to the missing step.
        assert confirm(client, wizard_url)["Location"] == wizard_url

        # ACI: 2 level-2 criteria are too few; the eligibility page says so.
        response = client.post(diagnosis_url, {"criteria": ["CAP_BEP", "SENIOR"]})
        assert response.status_code == 200
        assert "au moins 1 critère de niveau 1 ou au moins 3 critères de niveau 2" in response.content.decode()
        assert client.get(wizard_url).context["stepper"]["title"] == "Éligibilité"

        response = client.post(diagnosis_url, {"criteria": ["CAP_BEP", "SENIOR", "DELD"]})
        assert response["Location"] == wizard_url
        response = client.get(wizard_url)
        assert response.context["stepper"]["title"] == "Confirmation"
        assert response.context["stepper"]["steps"] == 3

        response = confirm(client, wizard_url)

        application.refresh_from_db()
        approval = application.approval
        assert application.state == State.ACCEPTED
        assert application.eligibility_diagnosis.author_siae == application.to_company
        assert (approval.start_at, approval.end_at) == (START, START + datetime.timedelta(days=729))
        assert messages_of(response) == [
            f"L'embauche {de(application.job_seeker.get_full_name())} est enregistrée à partir du 15/03/2026. "
            f"PASS IAE n° {approval.number_with_spaces} délivré : il est valable du 15/03/2026 au 13/03/2028."
        ]
        assert approval.number_with_spaces == "99999 00 00001"

    def test_with_a_prescriber_diagnosis_the_employer_accepts_directly(self, client):
        application = received(sent_by_authorized_prescriber=True)
        wizard_url = open_wizard(client, application)
        assert client.get(wizard_url).context["stepper"]["steps"] == 2
        post_contract(client, wizard_url, application)
        response = client.get(wizard_url)
        assert response.context["stepper"]["title"] == "Confirmation"
        assert "Un PASS IAE de 730 jours sera délivré" in response.content.decode()

        response = confirm(client, wizard_url)

        assert response["Location"] == detail_url(application)
        application.refresh_from_db()
        assert application.state == State.ACCEPTED
        assert application.accepted_by == application.employer
        assert "PASS IAE n° 99999 00 00001 délivré" in messages_of(response)[0]

    def test_a_valid_pass_is_reused_and_its_number_shown(self, client):
        approval = ApprovalFactory(user=ready_job_seeker(), start_at=TODAY - datetime.timedelta(days=100))
        application = received(job_seeker=approval.user, diagnosis=False)
        wizard_url = open_wizard(client, application)
        post_contract(client, wizard_url, application)
        assert f"Le PASS IAE n° {approval.number_with_spaces}" in client.get(wizard_url).content.decode()

        response = confirm(client, wizard_url)

        application.refresh_from_db()
        assert application.approval == approval
        assert Approval.objects.count() == 1
        assert f"PASS IAE n° {approval.number_with_spaces} repris" in messages_of(response)[0]

    def test_manual_delivery_without_nir_nor_france_travail_data(self, client):
        application = received()
        profile = application.job_seeker.jobseeker_profile
        profile.nir, profile.lack_of_nir_reason = "", LackOfNIRReason.NO_NIR
        profile.lack_of_pole_emploi_id_reason = LackOfFranceTravailIdReason.FORGOTTEN
        profile.save()
        wizard_url = open_wizard(client, application)
        post_contract(client, wizard_url, application)
        page = client.get(wizard_url).content.decode()
        assert "le PASS IAE sera délivré par le support" in page and "Son numéro s'affichera" not in page
        response = confirm(client, wizard_url)
        application.refresh_from_db()
        assert (application.state, application.approval, application.approval_delivery_mode) == (
            State.ACCEPTED,
            None,
            "manual",
        )
        assert "Le PASS IAE sera délivré par le support" in messages_of(response)[0]

    def test_sanctioned_siae_without_diagnosis_cannot_hire(self, client, monkeypatch):
        monkeypatch.setattr(hiring, "siae_self_prescription_withdrawn", lambda company, on=None: True)
        application = received(diagnosis=False)
        wizard_url = open_wizard(client, application)
        post_contract(client, wizard_url, application)

        response = client.get(wizard_url)

        assert response.status_code == 403
        assert "Auto-prescription suspendue" in response.content.decode()
        assert confirm(client, wizard_url)["Location"] == wizard_url
        application.refresh_from_db()
        assert application.state == State.PROCESSING

    def test_sanctioned_siae_still_hires_on_a_prescriber_diagnosis(self, client, monkeypatch):
        monkeypatch.setattr(hiring, "siae_self_prescription_withdrawn", lambda company, on=None: True)
        application = received()
        wizard_url = open_wizard(client, application)
        post_contract(client, wizard_url, application)
        confirm(client, wizard_url)
        application.refresh_from_db()
        assert application.state == State.ACCEPTED

    @pytest.mark.parametrize("kind", ["EA", "EATT", "OPCS"])
    def test_no_eligibility_step_nor_pass_for_other_kinds(self, client, kind):
        application = received(kind)
        wizard_url = open_wizard(client, application)
        post_contract(client, wizard_url, application)
        assert client.get(wizard_url).context["stepper"] == {
            "title": "Confirmation",
            "step": 2,
            "steps": 2,
            "next_title": "",
        }
        confirm(client, wizard_url)
        application.refresh_from_db()
        assert (application.state, application.approval, application.eligibility_diagnosis) == (
            State.ACCEPTED,
            None,
            None,
        )


def _waiting_period_person():
    """A person whose PASS ended 100 days ago: in the waiting period (pass_iae.md §8)."""
    job_seeker = JobSeekerFactory(address_line_1="1 rue", post_code="69001", city="Lyon")
    ended = TODAY - datetime.timedelta(days=100)
    old = EligibilityDiagnosisFactory(job_seeker=job_seeker, created_at=noon(TODAY) - relativedelta(years=3))
    ApprovalFactory(
        user=job_seeker, start_at=ended - datetime.timedelta(days=729), end_at=ended, eligibility_diagnosis=old
    )
    return job_seeker


class TestWaitingPeriod:
    def _application(self, **fields):
        job_seeker = _waiting_period_person()
        profile = job_seeker.jobseeker_profile
        profile.lack_of_pole_emploi_id_reason, profile.birth_country = "NOT_REGISTERED", _foreign_birth_country()
        profile.save()
        employer = ProfessionalFactory()
        application = JobApplicationFactory(
            job_seeker=job_seeker, to_company=CompanyFactory(with_member=employer), state=State.NEW, **fields
        )
        application.employer = employer
        return application

    def test_blocks_at_the_start(self, client):
        application = self._application(sent_by_prescriber=True)
        client.force_login(application.employer)

        response = client.get(accept_url(application))

        assert response.status_code == 403
        assert "délai de carence" in response.content.decode()

    def test_blocks_at_every_step(self, client):
        application = self._application()
        lifting = EligibilityDiagnosisFactory(job_seeker=application.job_seeker)  # prescriber: lifts the block
        wizard_url = open_wizard(client, application)
        post_contract(client, wizard_url, application)
        lifting.delete()

        for response in (client.get(wizard_url), confirm(client, wizard_url)):
            assert response.status_code == 403
            assert "délai de carence" in response.content.decode()
        application.refresh_from_db()
        assert application.state == State.NEW

    def test_an_authorized_prescriber_sender_lifts_it(self, client):
        application = self._application(sent_by_authorized_prescriber=True)
        EligibilityDiagnosisFactory(job_seeker=application.job_seeker, criteria=["RSA"])
        wizard_url = open_wizard(client, application)
        post_contract(client, wizard_url, application)
        confirm(client, wizard_url)
        application.refresh_from_db()
        assert application.state == State.ACCEPTED


class TestConfirmation:
    def test_summary_shows_the_checked_data_and_the_contract(self, client):
        application = received()
        wizard_url = open_wizard(client, application)
        post_contract(client, wizard_url, application, answer="Rendez-vous lundi à 9 h.")
        content = client.get(wizard_url).content.decode()
        assert application.job_seeker.jobseeker_profile.nir in content
        assert "15/03/2026" in content
        assert "Rendez-vous lundi à 9 h." in content
        assert "Non inscrit auprès de France Travail" in content  # ready_job_seeker's France Travail situation

    def test_only_the_other_pending_applications_of_the_person_become_obsolete(self, client):
        application = received()
        others = {
            state: JobApplicationFactory(job_seeker=application.job_seeker, state=state)
            for state in State.values
            if state != State.ACCEPTED
        }
        someone_else = JobApplicationFactory(state=State.NEW)
        wizard_url = open_wizard(client, application)
        post_contract(client, wizard_url, application)
        confirm(client, wizard_url)

        for state, other in others.items():
            other.refresh_from_db()
            expected = State.OBSOLETE if state in (State.NEW, State.PROCESSING, State.POSTPONED) else state
            assert other.state == expected, state
        someone_else.refresh_from_db()
        assert someone_else.state == State.NEW

    def test_everything_is_saved_and_the_data_marked_checked(self, client):
        application = received()
        job_seeker = application.job_seeker
        job_seeker.last_checked_at = timezone.now() - relativedelta(years=1)
        job_seeker.save()
        wizard_url = open_wizard(client, application)
        post_contract(
            client, wizard_url, application, hiring_end_at="2026-09-14", answer="Bienvenue !", advisor="non-reference"
        )
        confirm(client, wizard_url)

        application.refresh_from_db()
        job_seeker.refresh_from_db()
        assert (application.hiring_start_at, application.hiring_end_at) == (START, datetime.date(2026, 9, 14))
        assert application.answer == "Bienvenue !"
        assert application.accepted_by == application.employer
        assert job_seeker.last_checked_at == timezone.now()
        assignment = JobSeekerAssignment.objects.get(job_seeker=job_seeker, company=application.to_company)
        assert (assignment.last_action, assignment.is_unknown_advisor) == (AssignmentAction.ACCEPT, True)
        # The wizard is over: its id now starts a new one.
        assert client.get(wizard_url).status_code == 302

    def test_the_chosen_advisor_follows_the_person(self, client):
        application = received()
        colleague = ProfessionalFactory()
        application.to_company.memberships.create(user=colleague)
        wizard_url = open_wizard(client, application)
        post_contract(client, wizard_url, application, advisor=str(colleague.pk))
        confirm(client, wizard_url)
        assignment = JobSeekerAssignment.objects.get(job_seeker=application.job_seeker)
        assert assignment.professional == colleague

    def test_a_form_posted_twice_accepts_once(self, client):
        application = received()
        wizard_url = open_wizard(client, application)
        post_contract(client, wizard_url, application)

        first, second = confirm(client, wizard_url), confirm(client, wizard_url)

        assert first.status_code == second.status_code == 302
        assert JobApplicationTransitionLog.objects.filter(transition=JobApplicationTransition.ACCEPT).count() == 1
        assert Approval.objects.count() == 1
        assert messages_of(second)[-1] == "Cette candidature a déjà été acceptée : l'embauche est enregistrée."

    def test_accepted_meanwhile_in_another_tab(self, client):
        application = received()
        first_tab = open_wizard(client, application)
        post_contract(client, first_tab, application)
        second_tab = client.get(accept_url(application)).context["wizard_url"]
        assert second_tab != first_tab
        post_contract(client, second_tab, application, hiring_start_at=TODAY.isoformat())
        confirm(client, first_tab)

        response = confirm(client, second_tab)

        assert messages_of(response)[-1] == "Cette candidature a déjà été acceptée : l'embauche est enregistrée."
        application.refresh_from_db()
        assert application.hiring_start_at == START  # the first tab's contract

    def test_a_refusal_of_the_rules_is_shown_on_the_page(self, client, monkeypatch):
        def refuse(**kwargs):
            raise ApprovalError("Le PASS IAE de ce candidat ne peut pas être repris.")

        monkeypatch.setattr("inclusion.approvals.rules.approval_issue_or_reuse", refuse)
        application = received()
        wizard_url = open_wizard(client, application)
        post_contract(client, wizard_url, application)

        response = confirm(client, wizard_url)

        assert response.status_code == 400
        assert "Le PASS IAE de ce candidat ne peut pas être repris." in response.content.decode()
        application.refresh_from_db()
        assert application.state == State.PROCESSING
        assert not JobApplicationTransitionLog.objects.exists()

    def test_a_contract_no_longer_valid_is_shown_again(self, client, time_machine):
        application = received()
        wizard_url = open_wizard(client, application)
        post_contract(client, wizard_url, application, hiring_start_at=TODAY.isoformat())
        time_machine.move_to(noon(TODAY + datetime.timedelta(days=1)), tick=False)

        response = confirm(client, wizard_url)

        assert response.status_code == 200
        assert "hiring_start_at" in response.context["form"].errors
        application.refresh_from_db()
        assert application.state == State.PROCESSING
