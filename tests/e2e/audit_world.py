"""The pages of the accessibility audit (tests/e2e/test_accessibility.py) and the data each one shows.

Every page is a function that builds its world with the factories and returns a `Visit`: the URL to open and, for a
page behind login, the Django test client whose session the browser reuses (its cookie). The wizard's steps are
reached with that client, as a browser would post them, so the browser opens the step with the same wizard state.

The database is flushed after each transactional test: every visit builds its world from nothing, in a few queries.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page

from inclusion.applications.enums import JobApplicationState
from inclusion.approvals.enums import SuspensionReason
from inclusion.companies.enums import CompanyKind
from inclusion.geo.models import Country
from inclusion.utils.dates import today
from tests.applications.factories import JobApplicationFactory
from tests.applications.test_apply_tunnels import complete_job_seeker
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.companies.factories import CompanyFactory, JobDescriptionFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.geo.factories import CommuneFactory
from tests.institutions.factories import InstitutionFactory
from tests.jobs.factories import AppellationFactory, RomeFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, valid_nir

# eligibility.md §4: enough for an ACI (1 criterion of level 1).
CRITERIA = ["RSA"]


@dataclass
class Visit:
    url: str
    client: Client | None = None  # logged in: the browser takes its session cookie
    then: Callable[[Page], None] | None = None  # what the person does on the page before the audit (a wrong answer)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def follow(client, url, data=None):
    """GET (or POST `data` to) `url` following redirects: the URL of the page finally shown."""
    response = client.post(url, data, follow=True) if data is not None else client.get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    # A form that is refused shows itself again: the world is not the one meant.
    assert data is None or response.redirect_chain, (url, getattr(response.context.get("form"), "errors", None))
    return response.redirect_chain[-1][0] if response.redirect_chain else url


# The world ---------------------------------------------------------------------------------------------------------


def hiring_company(**fields):
    """An ACI of Lyon with one member, open to spontaneous applications, and two job descriptions."""
    company = CompanyFactory(
        kind=CompanyKind.ACI, name="Jardins de Cocagne", with_member=True, description="Maraîchage bio.", **fields
    )
    company.open_spontaneous_applications()
    JobDescriptionFactory(company=company)
    JobDescriptionFactory(
        company=company,
        appellation=AppellationFactory(
            code="11573", name="Maraîcher / Maraîchère", rome=RomeFactory(code="A1414", name="Horticulture")
        ),
    )
    return company


def employer_of(company):
    return company.memberships.get().user


def authorized_prescriber():
    organization = PrescriberOrganizationFactory(authorized=True, name="France Travail Lyon", with_member=True)
    return organization.memberships.get().user


def inbox(company):
    """Applications of every kind of sender and several states."""
    job = company.job_descriptions.first()
    for state, sender in [
        (JobApplicationState.NEW, {"sent_by_authorized_prescriber": True}),
        (JobApplicationState.PROCESSING, {}),
        (JobApplicationState.POSTPONED, {"sent_by_prescriber": True}),
        (JobApplicationState.REFUSED, {"sent_by_employer": True}),
        (JobApplicationState.NEW, {"with_resume": True}),
    ]:
        application = JobApplicationFactory(to_company=company, state=state, **sender)
        application.selected_jobs.add(job)


# The pages ---------------------------------------------------------------------------------------------------------


def home():
    return Visit(reverse("home"))


def login():
    return Visit(reverse("login"))


def login_error():
    """The login page after a wrong password: the error summary and the field errors."""
    user = JobSeekerFactory()

    def wrong_password(page):
        page.locator("#id_username").fill(user.email)
        page.locator("#id_password").fill("pas-le-bon-mot-de-passe")
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_role("alert").first.wait_for()

    return Visit(reverse("login"), then=wrong_password)


def search_results():
    hiring_company()
    CompanyFactory(kind=CompanyKind.EI, name="Envie Rhône")
    CompanyFactory(kind=CompanyKind.GEIQ, name="GEIQ BTP Rhône")
    return Visit(reverse("search_companies") + "?city=lyon-69&distance=25")


def company_card():
    company = hiring_company()
    return Visit(reverse("company_card", args=[company.uid]))


def job_seeker_dashboard():
    return Visit(reverse("dashboard"), logged_in(complete_job_seeker()))


def prescriber_dashboard():
    return Visit(reverse("dashboard"), logged_in(authorized_prescriber()))


def employer_dashboard():
    company = hiring_company()
    inbox(company)
    return Visit(reverse("dashboard"), logged_in(employer_of(company)))


def institution_dashboard():
    institution = InstitutionFactory(with_member=True, department="69")
    return Visit(reverse("dashboard"), logged_in(institution.memberships.get().user))


def employer_inbox():
    company = hiring_company()
    inbox(company)
    return Visit(reverse("applications_received"), logged_in(employer_of(company)))


def approval_detail():
    company = hiring_company()
    start = today() - datetime.timedelta(days=200)
    approval = ApprovalFactory(user=complete_job_seeker(), start_at=start, with_hiring=company)
    SuspensionFactory(
        approval=approval,
        siae=company,
        start_at=today() - datetime.timedelta(days=60),
        end_at=today() - datetime.timedelta(days=31),
        reason=SuspensionReason.CONTRACT_SUSPENDED,
    )
    return Visit(reverse("approval_detail", args=[approval.public_id]), logged_in(employer_of(company)))


# The application wizard, as an authorized prescriber orienting a job seeker to an ACI (applications.md §13).


class Wizard:
    """The prescriber's wizard, walked with the test client up to the step to audit."""

    def __init__(self):
        self.company = hiring_company()
        self.job_seeker = complete_job_seeker()
        self.client = logged_in(authorized_prescriber())
        self.url = follow(self.client, reverse("apply_start", args=[self.company.uid]))  # the "candidat" step

    def visit(self, url=None):
        return Visit(url or self.url, self.client)

    def find_url(self):
        return reverse("job_seeker_find") + "?" + _next(self.url)

    def choose_job_seeker(self):
        self.url = follow(self.client, f"{self.url}?job_seeker={self.job_seeker.public_id}")  # "metiers"
        return self

    def choose_jobs(self):
        job = self.company.job_descriptions.first()
        self.url = follow(self.client, self.url, {"jobs": [job.pk]})  # "eligibilite-iae"
        return self

    def diagnose(self):
        EligibilityDiagnosisFactory(job_seeker=self.job_seeker, criteria=CRITERIA)
        return self

    def confirm_eligibility(self):
        self.url = follow(self.client, self.url, {})  # "message"
        return self

    def send(self):
        advisor = self.client.session["_auth_user_id"]
        self.url = follow(self.client, self.url, {"message": "Je vous présente Jeanne.", "advisor": advisor})
        return self


def _next(url):
    return urlencode({"next": url})


def wizard_job_seeker():
    return Wizard().visit()


def wizard_job_seeker_search():
    wizard = Wizard()
    return wizard.visit(wizard.find_url())


def wizard_job_seeker_confirm():
    wizard = Wizard()
    url = follow(wizard.client, wizard.find_url(), {"nir": wizard.job_seeker.jobseeker_profile.nir})
    return wizard.visit(url)


# The person has no account yet: the prescriber creates it in 3 steps and a summary (organizations.md §5.2).
NEW_NIR = valid_nir(order=501)  # MME, born in March 1990 in Lyon (69123)
IDENTITY = {
    "title": "MME",
    "first_name": "Camille",
    "last_name": "Martin",
    "birthdate": "1990-03-15",
    "birth_place": "Lyon (69)",
    "birth_place_slug": "lyon-69",
    "nir": NEW_NIR,
    "lack_of_nir_reason": "",
}
ADDRESS = {"address_line_1": "12 rue de la République", "post_code": "69003", "city": "Lyon", "phone": "0612345678"}
SITUATION = {
    "pole_emploi_id": "",
    "lack_of_pole_emploi_id_reason": "NOT_REGISTERED",
    "education_level": "50",
    "has_rsa_allocation": "OUI-M",
    "rsa_allocation_since": "02",
}


def creation_step(*steps):
    """The step after the new person's unknown NIR, an unknown e-mail and the `steps` filled in."""
    wizard = Wizard()
    CommuneFactory()  # the birth place
    france = Country.objects.get_or_create(
        insee_code=Country.FRANCE_INSEE_CODE, defaults={"asp_code": "100", "name": "FRANCE", "kind": "country"}
    )[0]
    url = follow(wizard.client, wizard.find_url(), {"nir": NEW_NIR})  # "email"
    data = {
        "email": {"email": "camille.martin@example.com"},
        "identite": {**IDENTITY, "birth_country": france.pk},
        "adresse": ADDRESS,
        "situation": SITUATION,
    }
    for step in steps:
        url = follow(wizard.client, url, data[step])
    return wizard.visit(url)


def wizard_jobs():
    return Wizard().choose_job_seeker().visit()


def wizard_eligibility_to_make():
    return Wizard().choose_job_seeker().choose_jobs().visit()


def wizard_eligibility_form():
    wizard = Wizard().choose_job_seeker().choose_jobs()
    url = reverse("eligibility_iae_prescriber", args=[wizard.job_seeker.public_id]) + "?" + _next(wizard.url)
    return wizard.visit(url)


def wizard_eligibility_confirm():
    return Wizard().choose_job_seeker().choose_jobs().diagnose().visit()


def wizard_message():
    return Wizard().choose_job_seeker().choose_jobs().diagnose().confirm_eligibility().visit()


def wizard_message_errors():
    """The message step sent empty: the error summary and the message field in error."""

    def send_empty(page):
        page.get_by_role("button", name="Envoyer la candidature").click()
        page.locator("#error-summary").wait_for()

    wizard = Wizard().choose_job_seeker().choose_jobs().diagnose().confirm_eligibility()
    return Visit(wizard.url, wizard.client, then=send_empty)


def wizard_done():
    return Wizard().choose_job_seeker().choose_jobs().diagnose().confirm_eligibility().send().visit()


# Page name (the test id) → the world builder. The order is the one of a visit to the platform.
PAGES = {
    "accueil": home,
    "recherche-employeurs": search_results,
    "fiche-entreprise": company_card,
    "connexion": login,
    "connexion-erreur": login_error,
    "tableau-de-bord-candidat": job_seeker_dashboard,
    "tableau-de-bord-prescripteur": prescriber_dashboard,
    "tableau-de-bord-employeur": employer_dashboard,
    "tableau-de-bord-institution": institution_dashboard,
    "candidature-1-choix-du-candidat": wizard_job_seeker,
    "candidature-2-recherche-par-nir": wizard_job_seeker_search,
    "candidature-3-confirmation-du-candidat": wizard_job_seeker_confirm,
    "candidature-3a-recherche-par-e-mail": creation_step,
    "candidature-3b-creation-identite": lambda: creation_step("email"),
    "candidature-3c-creation-coordonnees": lambda: creation_step("email", "identite"),
    "candidature-3d-creation-situation": lambda: creation_step("email", "identite", "adresse"),
    "candidature-3e-creation-recapitulatif": lambda: creation_step("email", "identite", "adresse", "situation"),
    "candidature-4-metiers": wizard_jobs,
    "candidature-5-eligibilite-a-faire": wizard_eligibility_to_make,
    "candidature-6-diagnostic-iae": wizard_eligibility_form,
    "candidature-7-eligibilite-a-confirmer": wizard_eligibility_confirm,
    "candidature-8-message": wizard_message,
    "candidature-8-message-erreurs": wizard_message_errors,
    "candidature-9-envoyee": wizard_done,
    "candidatures-recues": employer_inbox,
    "pass-iae": approval_detail,
}
