"""Direct hire, "Déclarer une embauche" (applications.md §12, §13 "Direct hire"; pass_iae.md §8)."""

import datetime
import html
from urllib.parse import parse_qs, urlsplit

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse

from inclusion.applications.enums import JobApplicationState, JobApplicationTransition, SenderKind
from inclusion.applications.models import JobApplication
from inclusion.users.enums import AssignmentAction
from inclusion.users.models import JobSeekerAssignment
from inclusion.utils.french import de
from tests.applications.factories import JobApplicationFactory, _foreign_birth_country
from tests.approvals.factories import ApprovalFactory
from tests.approvals.factories_approvals_core import noon
from tests.companies.factories import CompanyFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.jobs.factories import AppellationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db

State = JobApplicationState
TODAY = datetime.date(2026, 3, 10)
START = TODAY + datetime.timedelta(days=3)
URL = "/entreprise/declarer-une-embauche/"


@pytest.fixture(autouse=True)
def frozen_today(time_machine, settings):
    time_machine.move_to(noon(TODAY), tick=False)
    settings.PASS_IAE_NUMBER_PREFIX = "99999"


def employer_of(client, kind="ACI"):
    employer = ProfessionalFactory()
    # Closed to spontaneous applications and without any job description: a direct hire chooses no job (§13).
    company = CompanyFactory(kind=kind, with_member=employer)
    assert not company.is_open_to_spontaneous_applications and not company.job_descriptions.exists()
    client.force_login(employer)
    return employer, company


def ready_job_seeker(**fields):
    return JobSeekerFactory(
        address_line_1="12 rue de la République",
        post_code="69001",
        city="Lyon",
        profile__lack_of_pole_emploi_id_reason="NOT_REGISTERED",
        profile__birth_country=_foreign_birth_country(),
        **fields,
    )


def text(response):
    return html.unescape(response.content.decode())


def choose(client, job_seeker):
    """What `job_seeker_find` does at its end: back to `next` with `job_seeker=<public_id>`."""
    page = client.get(URL)
    wizard_url = page.context["wizard_url"]
    response = client.get(f"{wizard_url}&job_seeker={job_seeker.public_id}")
    assert response["Location"] == wizard_url
    return wizard_url


@pytest.mark.parametrize("kind", ["EA", "EATT", "OPCS"])
def test_refused_to_ea_eatt_and_opcs(client, kind):
    employer_of(client, kind)
    response = client.get(URL)
    assert response.status_code == 403


@pytest.mark.parametrize("kind", ["ACI", "AI", "EI", "EITI", "ETTI", "GEIQ"])
def test_the_first_page_sends_to_the_job_seeker_search(client, kind):
    employer_of(client, kind)
    response = client.get(URL)
    assert response.status_code == 200
    find_url = urlsplit(response.context["find_url"])
    assert find_url.path == reverse("job_seeker_find")
    assert parse_qs(find_url.query)["next"] == [response.context["wizard_url"]]


@pytest.mark.parametrize("value", ["pas-un-uuid", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_job_seeker_is_not_found(client, value):
    employer_of(client)
    assert client.get(f"{URL}?job_seeker={value}").status_code == 404


def test_a_professional_is_no_job_seeker(client):
    employer, _ = employer_of(client)
    assert client.get(f"{URL}?job_seeker={employer.public_id}").status_code == 404


def test_missing_data_is_completed_first(client):
    employer_of(client)
    job_seeker = JobSeekerFactory()  # no address, no France Travail situation
    wizard_url = choose(client, job_seeker)
    response = client.get(wizard_url)
    location = urlsplit(response["Location"])
    assert location.path == f"/candidats/{job_seeker.public_id}/completer/"
    assert parse_qs(location.query)["next"] == [wizard_url]


def test_siae_direct_hire_end_to_end(client):
    employer, company = employer_of(client)
    job_seeker = ready_job_seeker()
    pending_elsewhere = JobApplicationFactory(job_seeker=job_seeker, state=State.NEW)
    wizard_url = choose(client, job_seeker)
    page = client.get(wizard_url)
    assert page.status_code == 200
    assert job_seeker.jobseeker_profile.nir in page.content.decode()

    response = client.post(wizard_url)

    application = JobApplication.objects.get(to_company=company)
    assert (application.sender, application.sender_kind, application.sender_company, application.state) == (
        employer,
        SenderKind.EMPLOYER,
        company,
        State.NEW,
    )
    accept_url = response["Location"]
    assert accept_url.startswith(reverse("application_accept", args=[application.pk]) + "?w=")
    page = client.get(accept_url)
    assert page.context["title"] == f"Déclarer l'embauche {de(job_seeker.get_full_name())}"
    assert page.context["stepper"] == {
        "title": "Contrat de travail",
        "step": 2,
        "steps": 4,
        "next_title": "Éligibilité",
    }

    client.post(accept_url, {"action": "contract", "hiring_start_at": START.isoformat(), "advisor": str(employer.pk)})
    # No diagnosis: the SIAE makes its own, on the application the declaration created.
    diagnosis_url = client.get(accept_url).context["diagnosis_url"]
    assert client.post(diagnosis_url, {"criteria": ["RSA"]})["Location"] == accept_url
    client.post(accept_url, {"action": "confirm"})

    application.refresh_from_db()
    assert application.state == State.ACCEPTED
    assert application.approval is not None
    assert [log.transition for log in application.logs.all()] == [
        JobApplicationTransition.PROCESS,
        JobApplicationTransition.ACCEPT,
    ]
    assignment = JobSeekerAssignment.objects.get(job_seeker=job_seeker, company=company)
    assert assignment.last_action == AssignmentAction.HIRE
    pending_elsewhere.refresh_from_db()
    assert pending_elsewhere.state == State.OBSOLETE
    # The declaration is over: its page starts a new one.
    assert client.get(wizard_url)["Location"] == URL


def test_geiq_direct_hire(client):
    employer, company = employer_of(client, "GEIQ")
    AppellationFactory()
    job_seeker = ready_job_seeker()
    wizard_url = choose(client, job_seeker)
    accept_url = client.post(wizard_url)["Location"]
    response = client.post(
        accept_url,
        {
            "action": "contract",
            "hiring_start_at": (TODAY - datetime.timedelta(days=7)).isoformat(),
            "advisor": str(employer.pk),
            "hired_job": "nouveau",
            "new_job_appellation": "10571",
            "new_job_location": "lyon-69",
            "geiq_contract_type": "APPRENTICESHIP",
            "geiq_hours_per_week": "35",
            "geiq_qualification_type": "STATE_DIPLOMA",
            "geiq_qualification_level": "LEVEL_4",
            "geiq_planned_training_hours": "400",
        },
    )
    assert response["Location"] == accept_url
    client.post(accept_url, {"action": "geiq_continue"})
    client.post(accept_url, {"action": "confirm"})

    application = JobApplication.objects.get(to_company=company)
    assert application.state == State.ACCEPTED
    assert application.hiring_start_at == TODAY - datetime.timedelta(days=7)
    assert application.hired_job.is_active is False
    assert application.hired_job.contract_type == "APPRENTICESHIP"
    assert application.approval is None


def test_a_second_click_does_not_create_a_second_application(client):
    _, company = employer_of(client)
    wizard_url = choose(client, ready_job_seeker())
    first, second = client.post(wizard_url), client.post(wizard_url)
    assert first["Location"] == second["Location"]
    assert JobApplication.objects.filter(to_company=company).count() == 1


class TestPreviousApplications:
    """applications.md §12: the non-accepted applications of the last 12 months to this company are listed."""

    def test_listed_and_confirmed(self, client):
        from django.utils import timezone

        employer, company = employer_of(client)
        job_seeker = ready_job_seeker()
        now = timezone.now()
        within = JobApplicationFactory(
            job_seeker=job_seeker,
            to_company=company,
            state=State.REFUSED,
            created_at=now - relativedelta(months=12) + datetime.timedelta(days=1),
        )
        recent = JobApplicationFactory(  # one hour ago: no 24 h refusal for an employer's own company
            job_seeker=job_seeker, to_company=company, state=State.NEW, created_at=now - datetime.timedelta(hours=1)
        )
        JobApplicationFactory(  # too old
            job_seeker=job_seeker,
            to_company=company,
            state=State.REFUSED,
            created_at=now - relativedelta(months=12) - datetime.timedelta(days=1),
        )
        JobApplicationFactory(job_seeker=job_seeker, state=State.REFUSED)  # another company
        wizard_url = choose(client, job_seeker)

        page = client.get(wizard_url)

        assert [application for application, _, _ in page.context["previous_with_urls"]] == [recent, within]
        response = client.post(wizard_url)
        assert response.status_code == 400
        assert "Confirmez que vous avez pris connaissance" in text(response)
        assert JobApplication.objects.filter(to_company=company).count() == 3

        response = client.post(wizard_url, {"previous_confirmed": "1"})

        assert response.status_code == 302
        assert JobApplication.objects.filter(to_company=company).count() == 4

    def test_an_accepted_application_is_not_listed(self, client):
        _, company = employer_of(client)
        job_seeker = ready_job_seeker()
        JobApplicationFactory(job_seeker=job_seeker, to_company=company, state=State.ACCEPTED, hiring_start_at=TODAY)
        page = client.get(choose(client, job_seeker))
        assert page.context["previous"] == []


def test_the_waiting_period_refuses_the_declaration(client):
    _, company = employer_of(client)
    job_seeker = ready_job_seeker()
    ended = TODAY - datetime.timedelta(days=30)
    old = EligibilityDiagnosisFactory(job_seeker=job_seeker, created_at=noon(TODAY) - relativedelta(years=3))
    ApprovalFactory(
        user=job_seeker, start_at=ended - datetime.timedelta(days=729), end_at=ended, eligibility_diagnosis=old
    )
    wizard_url = choose(client, job_seeker)

    response = client.get(wizard_url)

    assert "délai de carence" in text(response)
    assert client.post(wizard_url).status_code == 200
    assert not JobApplication.objects.filter(to_company=company).exists()


def test_a_wizard_of_another_company_is_not_reused(client):
    employer, company = employer_of(client)
    other = CompanyFactory(kind="GEIQ")
    other.memberships.create(user=employer)
    wizard_url = choose(client, ready_job_seeker())
    session = client.session
    wizards = session["hiring_wizards"]
    wizard_id = parse_qs(urlsplit(wizard_url).query)["w"][0]
    wizards[wizard_id]["object"] = str(other.pk)
    session["hiring_wizards"] = wizards
    session.save()

    page = client.get(wizard_url)

    assert "find_url" in page.context  # starts again with the person search
