"""The application wizard at the HTTP level, one tunnel after the other (applications.md §13): a job seeker applies,
an orienteur and an authorized prescriber orient a person, an employer applies to another company or records an
application to its own one (auto-prescription). Every step is requested as a browser would."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from inclusion.applications.enums import JobApplicationState, SenderKind
from inclusion.applications.models import JobApplication
from inclusion.companies.enums import CompanyKind
from inclusion.prescribers.enums import AuthorizationStatus
from inclusion.users.enums import AssignmentAction
from inclusion.users.models import JobSeekerAssignment, User
from tests.applications.factories import _foreign_birth_country, pdf_upload
from tests.companies.factories import CompanyFactory, JobDescriptionFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users import auth
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
STEP_URL = re.compile(r"^/postuler/[0-9a-f-]{36}/[0-9a-f-]{36}/(?P<step>[a-z-]+)/$")


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def complete_job_seeker(**fields):
    """A job seeker whose data the wizard needs is complete (applications.md §13.3): no detour to the completer."""
    defaults = {
        "first_name": "Jeanne",
        "last_name": "Dupont",
        "address_line_1": "12 rue de la République",
        "post_code": "69001",
        "city": "Lyon",
        "phone": "0601020304",
        "profile__lack_of_pole_emploi_id_reason": "NOT_REGISTERED",
        "profile__birth_country": _foreign_birth_country(),
    }
    return JobSeekerFactory(**{**defaults, **fields})


def text(response):
    """The page as read: HTML entities (apostrophes...) decoded."""
    return html.unescape(response.content.decode())


def login(client, user):
    # The user as stored: what the session's password hash is checked against.
    auth.login(client, User.objects.get(pk=user.pk))


def hiring_company(kind=CompanyKind.ACI, **kwargs):
    company = CompanyFactory(kind=kind, with_member=kwargs.pop("with_member", True), **kwargs)
    company.open_spontaneous_applications()
    return company


def step_of(url):
    match = STEP_URL.match(url)
    assert match, url
    return match["step"]


def start(client, company, **params):
    """GET the start and follow the silent steps: the URL of the first page shown, and that page."""
    url = reverse("apply_start", args=[company.uid])
    response = client.get(url, params, follow=True)
    assert response.status_code == 200, text(response)
    return response.redirect_chain[-1][0], response


def follow_post(client, url, data=None, **kwargs):
    response = client.post(url, data or {}, follow=True, **kwargs)
    assert response.status_code == 200
    return response.redirect_chain[-1][0] if response.redirect_chain else url, response


def come_back_with(client, job_seeker_step_url, job_seeker):
    """What `job_seeker_find` does at its end: back to `next` with `?job_seeker=<public_id>`."""
    response = client.get(job_seeker_step_url, {"job_seeker": str(job_seeker.public_id)}, follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0], response


class TestJobSeekerTunnel:
    def test_a_job_seeker_applies_from_a_job_description_card(self, client):
        company = hiring_company()
        job = JobDescriptionFactory(company=company)
        job_seeker = complete_job_seeker()
        login(client, job_seeker)

        url, response = start(client, company, job_description=str(job.uid))
        assert step_of(url) == "metiers"
        assert "Postuler chez" in text(response)
        assert "Étape 1 sur 2" in text(response)
        # The job of the card is preselected.
        assert re.search(rf'id="job-{job.pk}" name="jobs" value="{job.pk}"\s+checked', text(response))

        url, response = follow_post(client, url, {"jobs": [job.pk]})
        assert step_of(url) == "message"
        response = client.post(url, {"message": "Je suis motivée.", "resume": pdf_upload()})
        job_application = JobApplication.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("apply_done", args=[job_application.pk])

        assert job_application.job_seeker == job_seeker
        assert job_application.sender == job_seeker
        assert job_application.sender_kind == SenderKind.JOB_SEEKER
        assert job_application.state == JobApplicationState.NEW
        assert list(job_application.selected_jobs.all()) == [job]
        assert job_application.message == "Je suis motivée."
        assert job_application.resume.name.startswith("resumes/")

        done = client.get(response["Location"])
        assert "Votre candidature est transmise" in text(done)

    def test_a_spontaneous_application_without_resume(self, client):
        company = hiring_company()
        login(client, complete_job_seeker())
        url, _ = start(client, company)
        url, _ = follow_post(client, url, {"spontaneous": "on"})
        client.post(url, {"message": "Candidature spontanée."})
        job_application = JobApplication.objects.get()
        assert job_application.selected_jobs.count() == 0
        assert not job_application.resume

    def test_the_message_is_mandatory(self, client):
        company = hiring_company()
        login(client, complete_job_seeker())
        url, _ = start(client, company)
        url, _ = follow_post(client, url, {"spontaneous": "on"})
        response = client.post(url, {"message": ""})
        assert response.status_code == 200
        assert "Écrivez un message à l'employeur" in text(response)
        assert not JobApplication.objects.exists()

    def test_missing_data_sends_the_job_seeker_to_the_completer_page_and_back(self, client):
        company = hiring_company()
        job_seeker = JobSeekerFactory()  # no France Travail situation, birth country nor address
        login(client, job_seeker)
        response = client.get(reverse("apply_start", args=[company.uid]), follow=True)
        completer, _ = response.redirect_chain[-1]
        path, _, query = completer.partition("?")
        assert path == reverse("job_seeker_complete", args=[job_seeker.public_id])
        next_url = re.search(r"next=([^&]+)", query)[1].replace("%2F", "/")
        assert step_of(next_url) == "informations"


class TestOrienteurTunnel:
    @pytest.fixture
    def orienteur(self):
        orienteur = ProfessionalFactory()
        PrescriberOrganizationFactory(with_member=orienteur)  # not authorized: "Autre", no authorization needed
        return orienteur

    def test_an_orienteur_orients_a_person_whose_name_stays_masked(self, client, orienteur):
        company = hiring_company()
        # Without a phone the end page would offer to complete it, to those allowed to edit only.
        job_seeker = complete_job_seeker(phone="")
        login(client, orienteur)

        url, response = start(client, company)
        assert step_of(url) == "candidat"
        content = text(response)
        assert "Orienter un candidat vers" in content
        find_url = reverse("job_seeker_find") + "?next=" + url.replace("/", "%2F")
        assert find_url in content

        url, response = come_back_with(client, url, job_seeker)
        # An orienteur may not edit a person whose account he did not create: no detour to the completer page.
        assert step_of(url) == "metiers"
        content = text(response)
        assert "J… D…" in content
        assert "Dupont" not in content and "DUPONT" not in content

        url, response = follow_post(client, url, {"spontaneous": "on"})
        assert step_of(url) == "message"
        assert "J… D…" in text(response)
        assert "Éligibilité IAE" not in text(response)
        response = client.post(url, {"message": "Je vous présente J.", "advisor": str(orienteur.pk)}, follow=True)
        content = text(response)
        assert "La candidature pour J… D… est transmise" in content
        assert "DUPONT" not in content
        # Not allowed to edit: no link to complete the address.
        assert reverse("job_seeker_complete", args=[job_seeker.public_id]) not in content

        job_application = JobApplication.objects.get()
        assert job_application.sender_kind == SenderKind.PRESCRIBER
        assert job_application.sender_prescriber_organization == orienteur.prescribermembership_set.get().organization
        assignment = JobSeekerAssignment.objects.get()
        assert (assignment.professional, assignment.last_action) == (orienteur, AssignmentAction.APPLY)

    def test_the_orienteur_who_created_the_account_sees_the_name_and_completes_the_data(self, client, orienteur):
        company = hiring_company()
        job_seeker = JobSeekerFactory(first_name="Jeanne", last_name="Dupont", created_by=orienteur)
        login(client, orienteur)
        url, _ = start(client, company)
        response = client.get(url, {"job_seeker": str(job_seeker.public_id)}, follow=True)
        # applications.md §13.3: the creator may edit, so the missing data is asked first.
        assert response.redirect_chain[-1][0].startswith(
            reverse("job_seeker_complete", args=[job_seeker.public_id]) + "?next="
        )

    def test_the_advisor_may_be_a_coworker_or_unknown(self, client, orienteur):
        organization = orienteur.prescribermembership_set.get().organization
        coworker = PrescriberMembershipFactory(organization=organization, is_admin=False).user
        company = hiring_company()
        login(client, orienteur)
        url, _ = start(client, company)
        url, _ = come_back_with(client, url, complete_job_seeker())
        url, response = follow_post(client, url, {"spontaneous": "on"})
        content = text(response)
        assert coworker.get_full_name() in content
        assert "Conseiller non référencé sur la plateforme" in content
        client.post(url, {"message": "Bonjour", "advisor": "inconnu"})
        assignment = JobSeekerAssignment.objects.get()
        assert assignment.professional == orienteur
        assert assignment.is_unknown_advisor is True

    def test_an_advisor_outside_the_organization_is_refused(self, client, orienteur):
        company = hiring_company()
        login(client, orienteur)
        url, _ = start(client, company)
        url, _ = come_back_with(client, url, complete_job_seeker())
        url, _ = follow_post(client, url, {"spontaneous": "on"})
        response = client.post(url, {"message": "Bonjour", "advisor": str(ProfessionalFactory().pk)})
        assert response.status_code == 200
        assert not JobApplication.objects.exists()

    def test_a_prescriber_whose_authorization_is_pending_is_warned_first(self, client):
        prescriber = ProfessionalFactory()
        PrescriberOrganizationFactory(
            kind="CCAS", authorization_status=AuthorizationStatus.NOT_SET, with_member=prescriber
        )
        login(client, prescriber)
        url, response = start(client, hiring_company())
        assert step_of(url) == "habilitation"
        assert "n'est pas encore validée" in text(response)
        url, _ = follow_post(client, url)
        assert step_of(url) == "candidat"


class TestAuthorizedPrescriberTunnel:
    def test_the_eligibility_step_asks_for_a_diagnosis_then_shows_it(self, client):
        prescriber = ProfessionalFactory()
        organization = PrescriberOrganizationFactory(authorized=True, with_member=prescriber)
        company = hiring_company()
        job_seeker = complete_job_seeker()
        login(client, prescriber)

        url, _ = start(client, company)
        url, response = come_back_with(client, url, job_seeker)
        # An authorized prescriber sees the full name.
        assert "Jeanne DUPONT" in text(response)
        url, response = follow_post(client, url, {"spontaneous": "on"})
        assert step_of(url) == "eligibilite-iae"
        content = text(response)
        diagnosis_url = reverse("eligibility_iae_prescriber", args=[job_seeker.public_id])
        assert f"{diagnosis_url}?next={url.replace('/', '%2F')}" in content
        # No diagnosis yet: the step cannot be passed.
        assert step_of(follow_post(client, url)[0]) == "eligibilite-iae"
        message_url = url.replace("eligibilite-iae", "message")
        assert step_of(client.get(message_url, follow=True).redirect_chain[-1][0]) == "eligibilite-iae"

        EligibilityDiagnosisFactory(
            job_seeker=job_seeker, author=prescriber, author_prescriber_organization=organization
        )
        response = client.get(url)
        assert "Continuer avec ce diagnostic" in text(response)
        url, _ = follow_post(client, url)
        assert step_of(url) == "message"
        client.post(url, {"message": "Éligibilité validée.", "advisor": str(prescriber.pk)})
        job_application = JobApplication.objects.get()
        assert job_application.sender_prescriber_organization == organization


class TestEmployerTunnels:
    def test_an_employer_applies_for_a_person_to_another_company(self, client):
        employer = ProfessionalFactory()
        own_company = CompanyFactory(kind=CompanyKind.EI, with_member=employer)
        company = hiring_company()
        job_seeker = complete_job_seeker()
        login(client, employer)
        url, response = start(client, company)
        assert "Postuler pour un candidat chez" in text(response)
        url, response = come_back_with(client, url, job_seeker)
        assert "Jeanne DUPONT" in text(response)
        url, _ = follow_post(client, url, {"spontaneous": "on"})
        response = client.post(url, {"message": "", "advisor": str(employer.pk)})
        assert "Écrivez un message" in text(response)
        client.post(url, {"message": "Profil intéressant pour vous.", "advisor": str(employer.pk)})
        job_application = JobApplication.objects.get()
        assert job_application.sender_kind == SenderKind.EMPLOYER
        assert job_application.sender_company == own_company
        assert job_application.to_company == company
        assert JobSeekerAssignment.objects.get().company == own_company

    def test_an_auto_prescription_needs_no_message(self, client):
        employer = ProfessionalFactory()
        company = hiring_company(with_member=employer)
        job_seeker = complete_job_seeker()
        login(client, employer)
        url, response = start(client, company)
        assert "Enregistrer une candidature pour" in text(response)
        url, _ = come_back_with(client, url, job_seeker)
        url, response = follow_post(client, url, {"spontaneous": "on"})
        assert "Message à l'employeur" in text(response)
        assert not re.search(r"Message à l'employeur\s*<span class=\"fr-required-marker\"", text(response))
        response = client.post(url, {"message": "", "advisor": str(employer.pk)}, follow=True)
        assert "est enregistrée" in text(response)
        job_application = JobApplication.objects.get()
        assert job_application.sender_company == job_application.to_company == company
        assert job_application.message == ""
