"""Issue 5, first "Done when", as an automated test at the HTTP level (applications.md §3, §4, §6, §8.4, §13, §14,
§16; pass_iae.md §6; organizations.md §5.2).

An orienteur creates a person and orients them to an ACI; an authorized prescriber diagnoses and orients another; the
ACI employer accepts both, the orienteur's candidate only after the accept wizard made the employer record a diagnosis
with enough criteria (too few are refused first), the prescriber's candidate directly; both people then see their
PASS IAE and download its attestation.

Every step a person does goes through the pages: each person has a `Browser` that GETs pages, clicks the links it
reads and submits the forms it finds in them (their hidden fields, pre-filled values and CSRF token included, with
CSRF checks on), following redirects by reading `Location`. Only the world's set-up is written with factories.
"""

import datetime
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from inclusion.applications.enums import JobApplicationState, JobApplicationTransition, SenderKind
from inclusion.applications.models import JobApplication, JobApplicationTransitionLog
from inclusion.approvals.models import Approval
from inclusion.companies.enums import CompanyKind
from inclusion.eligibility.enums import AuthorKind
from inclusion.eligibility.models import EligibilityDiagnosis
from inclusion.geo.models import Country
from inclusion.users.enums import Title
from inclusion.users.models import User
from inclusion.utils.french import de
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory, JobDescriptionFactory
from tests.geo.factories import CommuneFactory
from tests.jobs.factories import AppellationFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import DEFAULT_PASSWORD, JobSeekerFactory, ProfessionalFactory, valid_nir

PARIS = ZoneInfo("Europe/Paris")
# A Tuesday, at noon in Paris: a working day, far from midnight (dates are Paris days).
NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=PARIS)
TODAY = NOW.date()
# The person the orienteur creates: born in Lyon (69123) on 15 March 1990, which her NIR says.
NEW_PERSON_NIR = valid_nir(title=Title.MME, birthdate=datetime.date(1990, 3, 15), department="69", order=777)
NEW_PERSON_EMAIL = "ines.moreau@example.com"
NEW_PERSON_PASSWORD = "Un-Mot-De-Passe-Solide-2026"
# eligibility.md §4: an ACI needs 1 criterion of level 1 or 3 of level 2.
TOO_FEW_CRITERIA = ["CAP_BEP", "DELD"]
ENOUGH_CRITERIA = ["CAP_BEP", "DELD", "PI"]
TOO_FEW_MESSAGE = (
    "Pour une structure de type ACI, sélectionnez au moins 1 critère de niveau 1 ou au moins 3 critères de niveau 2."
)
TEMPLATE_SYNTAX = re.compile(r"\{[{%#]|[}%#]\}")


# The browser ---------------------------------------------------------------------------------------------------------


@dataclass
class Form:
    """A form as a browser reads it: where it posts, what it sends untouched, what a person may fill or choose."""

    action: str
    method: str
    enctype: str
    sent: list = field(default_factory=list)  # (name, value) of the controls a browser sends as they are
    names: set = field(default_factory=set)  # every enabled control a person may fill
    files: set = field(default_factory=set)  # names of the file inputs
    choices: dict = field(default_factory=dict)  # name → values offered by checkboxes, radios and selects
    buttons: list = field(default_factory=list)  # (label, name, value) of the submit buttons

    def button(self, label):
        return next((button for button in self.buttons if button[0] == label), None)

    def data(self, label, values):
        """What the browser posts once the person filled `values` and clicked the button `label`."""
        data = {}
        for name, value in self.sent:
            data.setdefault(name, []).append(value)
        for name, value in values.items():
            assert name in self.names, f"No field « {name} » in the form; its fields: {sorted(self.names)}"
            chosen = list(value) if isinstance(value, list | tuple) else [value]
            if any(hasattr(item, "read") for item in chosen):
                # A browser sends a file only from a file input of a multipart form.
                assert name in self.files and self.enctype == "multipart/form-data", f"« {name} » takes no file"
            if name in self.choices:
                offered = self.choices[name]
                assert {str(item) for item in chosen} <= offered, f"« {name} » offers {sorted(offered)}, not {chosen}"
            data[name] = chosen
        _label, name, value = self.button(label)
        if name:
            data.setdefault(name, []).append(value)
        return {name: values[0] if len(values) == 1 else values for name, values in data.items() if values}


class PageReader(HTMLParser):
    """Reads the forms, the links and the visible text of a page (the standard library is enough for our HTML)."""

    TEXT_INPUTS = {"text", "email", "password", "date", "number", "tel", "search", "url", "hidden"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.links, self.text = [], [], []
        self.title = ""
        self._form = self._anchor = self._button = self._select = self._option = self._textarea = None
        self._hidden_depth = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._hidden_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "form":
            self._form = Form(
                action=attrs.get("action") or "",
                method=(attrs.get("method") or "get").lower(),
                enctype=attrs.get("enctype") or "application/x-www-form-urlencoded",
            )
            self.forms.append(self._form)
        elif tag == "a" and attrs.get("href"):
            self._anchor = (attrs["href"], [])
        elif tag == "input" and self._form is not None:
            self._input(attrs)
        elif tag == "button" and self._form is not None and attrs.get("type", "submit") == "submit":
            self._button = (attrs.get("name"), attrs.get("value", ""), [])
        elif tag == "select" and self._form is not None and "disabled" not in attrs:
            self._select = (attrs["name"], "multiple" in attrs, [])
            self._form.names.add(attrs["name"])
        elif tag == "option" and self._select is not None:
            self._option = (attrs.get("value"), "selected" in attrs, [])
        elif tag == "textarea" and self._form is not None and "disabled" not in attrs:
            self._textarea = (attrs["name"], [])
            self._form.names.add(attrs["name"])

    def _input(self, attrs):
        kind, name = attrs.get("type", "text").lower(), attrs.get("name")
        if kind == "submit":
            self._form.buttons.append((attrs.get("value", ""), name, attrs.get("value", "")))
            return
        if not name or "disabled" in attrs:
            return
        self._form.names.add(name)
        if kind in ("checkbox", "radio"):
            value = attrs.get("value", "on")
            self._form.choices.setdefault(name, set()).add(value)
            if "checked" in attrs:
                self._form.sent.append((name, value))
        elif kind in self.TEXT_INPUTS:
            self._form.sent.append((name, attrs.get("value", "")))
        elif kind == "file":
            self._form.files.add(name)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden_depth -= 1
        elif tag == "title":
            self._in_title = False
        elif tag == "form":
            self._form = None
        elif tag == "a" and self._anchor is not None:
            self.links.append((_squash("".join(self._anchor[1])), self._anchor[0]))
            self._anchor = None
        elif tag == "button" and self._button is not None:
            name, value, parts = self._button
            self._form.buttons.append((_squash("".join(parts)), name, value))
            self._button = None
        elif tag == "option" and self._option is not None:
            value, selected, parts = self._option
            self._select[2].append((value if value is not None else _squash("".join(parts)), selected))
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple, options = self._select
            self._form.choices[name] = {value for value, _selected in options}
            selected = [value for value, is_selected in options if is_selected]
            if not selected and not multiple and options:
                selected = [options[0][0]]  # a single select sends its first option when none is selected
            self._form.sent.extend((name, value) for value in selected)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            # Browsers drop the newline that follows <textarea>.
            self._form.sent.append((name, "".join(parts).removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._hidden_depth:
            return
        if self._in_title:
            self.title += data
        for holder in (self._anchor, self._button, self._option):
            if holder is not None:
                holder[-1].append(data)
        if self._textarea is not None:
            self._textarea[1].append(data)
        else:
            self.text.append(data)


def _squash(text):
    return " ".join(text.split())


class Page:
    def __init__(self, url, response):
        self.url, self.response = url, response
        self.status_code = response.status_code
        reader = PageReader()
        if response.get("Content-Type", "").startswith("text/html"):
            reader.feed(response.content.decode())
        self.forms, self.links = reader.forms, reader.links
        self.title = _squash(reader.title)
        self.text = _squash(" ".join(reader.text))  # what a person reads, spaces squashed

    @property
    def path(self):
        return urlsplit(self.url).path

    def link(self, label):
        hrefs = {href for text, href in self.links if text == label}
        assert len(hrefs) == 1, f"{len(hrefs)} links « {label} » on {self.url}; links: {self.links}"
        return hrefs.pop()

    def has_link(self, label):
        return any(text == label for text, _href in self.links)

    def form_with_button(self, label):
        forms = [form for form in self.forms if form.button(label)]
        buttons = [button[0] for form in self.forms for button in form.buttons]
        assert len(forms) == 1, f"{len(forms)} forms with « {label} » on {self.url}; buttons: {buttons}"
        return forms[0]


class Browser:
    """One person at their browser. Each request runs like a real one: its transaction commits, so the e-mails it
    queues are sent (`mail.outbox`)."""

    MAX_REDIRECTS = 10

    def __init__(self, capture_on_commit):
        self.client = Client(enforce_csrf_checks=True)
        self.capture_on_commit = capture_on_commit
        self.page = None

    def _request(self, method, url, data=None):
        with self.capture_on_commit(execute=True):
            if method == "post":
                return self.client.post(url, data)
            return self.client.get(url)

    def _land(self, url, response, status):
        redirects = 0
        while response.status_code in (301, 302, 303):
            location = response["Location"]
            assert location.startswith("/") and not location.startswith("//"), f"Redirect out of the site: {location}"
            url = urljoin(url, location)
            response = self._request("get", url)
            redirects += 1
            assert redirects <= self.MAX_REDIRECTS, f"Redirect loop at {url}"
        self.page = Page(url, response)
        assert response.status_code == status, f"{response.status_code} at {url}: {self.page.text[:3000]}"
        # A template tag or comment a person would read is a broken template (e.g. a `{# #}` over two lines).
        assert not TEMPLATE_SYNTAX.search(self.page.text), f"Template syntax shown at {url}: {self.page.text}"
        return self.page

    def open(self, url, *, status=200):
        return self._land(url, self._request("get", url), status)

    def click(self, label, *, status=200):
        return self.open(urljoin(self.page.url, self.page.link(label)), status=status)

    def submit(self, button, *, status=200, **values):
        """Fills `values` in the form whose submit button reads `button`, clicks it, follows the redirects."""
        form = self.page.form_with_button(button)
        url = urljoin(self.page.url, form.action) if form.action else self.page.url
        data = form.data(button, values)
        if form.method == "get":
            return self.open(f"{urlsplit(url).path}?{urlencode(data, doseq=True)}", status=status)
        return self._land(url, self._request("post", url, data), status)

    def log_in(self, email, password):
        self.open(reverse("login"))
        return self.submit("Se connecter", username=email, password=password)


# The world -----------------------------------------------------------------------------------------------------------


@dataclass
class World:
    aci: object
    job: object
    employer: object
    orienteur: object
    orienteur_organization: object
    prescriber: object
    prescriber_organization: object
    job_seeker: object  # the prescriber's person, who already has an account


def _france():
    return Country.objects.get_or_create(
        insee_code=Country.FRANCE_INSEE_CODE, defaults={"asp_code": "100", "name": "FRANCE", "kind": "country"}
    )[0]


def build_world(settings):
    """An ACI with an active member and an open job, an orienteur (organization not authorized), an authorized
    prescriber (validated organization) and the person he follows, whose account is complete."""
    settings.PASS_IAE_NUMBER_PREFIX = "99999"
    lyon = CommuneFactory()
    france = _france()
    aci = CompanyFactory(kind=CompanyKind.ACI, name="Jardins de Cocagne", commune=lyon)
    employer = ProfessionalFactory(first_name="Élise", last_name="Garnier", email="elise.garnier@example.com")
    CompanyMembershipFactory(organization=aci, user=employer)
    job = JobDescriptionFactory(company=aci, appellation=AppellationFactory(name="Maraîcher / Maraîchère"))
    orienteur = ProfessionalFactory(first_name="Olivier", last_name="Roux", email="olivier.roux@example.com")
    orienteur_organization = PrescriberOrganizationFactory(name="Association Tremplin", with_member=orienteur)
    prescriber = ProfessionalFactory(first_name="Paula", last_name="Lefèvre", email="paula.lefevre@example.com")
    prescriber_organization = PrescriberOrganizationFactory(
        authorized=True, name="Mission locale de Lyon", with_member=prescriber
    )
    job_seeker = JobSeekerFactory(
        first_name="Karim",
        last_name="Benali",
        title=Title.M,
        email="karim.benali@example.com",
        address_line_1="3 place Bellecour",
        post_code="69002",
        city="Lyon",
        profile__nir=valid_nir(title=Title.M, birthdate=datetime.date(1995, 6, 1), department="69", order=42),
        profile__birthdate=datetime.date(1995, 6, 1),
        profile__birth_country=france,
        profile__birth_place=lyon,
        profile__pole_emploi_id="1234567A",
    )
    return World(
        aci, job, employer, orienteur, orienteur_organization, prescriber, prescriber_organization, job_seeker
    )


@pytest.fixture
def world(db, settings, time_machine):
    # Frozen before the world exists, so that its dates (joined, last checked...) are of the same day.
    time_machine.move_to(NOW, tick=False)
    return build_world(settings)


@pytest.fixture
def browser(django_capture_on_commit_callbacks):
    """A factory of browsers: one per person."""
    return lambda: Browser(django_capture_on_commit_callbacks)


# The steps of the story ----------------------------------------------------------------------------------------------


def orienteur_creates_and_orients(browser, world):
    """organizations.md §5.2, applications.md §13: from the job card, the wizard sends the orienteur to the search;
    the NIR is unknown, so is the e-mail; the account is created in 3 steps + summary; back in the wizard, the
    orienteur chooses the job and writes a message."""
    browser.log_in(world.orienteur.email, DEFAULT_PASSWORD)
    browser.open(reverse("job_description_card", args=[world.job.uid]))
    browser.click(f"Postuler chez {world.aci.display_name}")
    assert "Orienter un candidat vers Jardins de Cocagne" in browser.page.text
    browser.click("Rechercher ou créer le candidat")
    assert browser.page.path == reverse("job_seeker_find")

    browser.submit("Rechercher", nir=NEW_PERSON_NIR)
    assert browser.page.path.endswith("/email/")
    assert "Aucun candidat n'a le numéro de sécurité sociale saisi" in browser.page.text
    browser.submit("Rechercher", email=NEW_PERSON_EMAIL)
    assert browser.page.path.endswith("/identite/")
    assert "Étape 1 sur 4" in browser.page.text
    # The birth country and place come from the NIR (organizations.md §5.2): the person only types the rest.
    browser.submit("Continuer", title="MME", first_name="Inès", last_name="Moreau", birthdate="1990-03-15")
    assert browser.page.path.endswith("/adresse/")
    browser.submit(
        "Continuer", address_line_1="8 rue Mercière", post_code="69002", city="Lyon", phone="06 11 22 33 44"
    )
    assert browser.page.path.endswith("/situation/")
    browser.submit(
        "Continuer", lack_of_pole_emploi_id_reason="NOT_REGISTERED", education_level="50", has_rsa_allocation="NON"
    )
    assert browser.page.path.endswith("/recapitulatif/")
    for shown in ("Inès", "Moreau", "15 mars 1990", "Lyon (69)", NEW_PERSON_NIR, "8 rue Mercière"):
        assert shown in browser.page.text
    browser.submit("Créer le compte")

    # Back in the wizard with the new person: the jobs step, the job of the card already ticked.
    assert "/metiers/" in browser.page.path
    assert f"Le compte d'Inès MOREAU est créé. Un e-mail lui a été envoyé à {NEW_PERSON_EMAIL}" in browser.page.text
    assert "Candidat Inès MOREAU" in browser.page.text  # the wizard's summary
    browser.submit("Continuer", jobs=[str(world.job.pk)])
    assert "/message/" in browser.page.path  # an orienteur makes no diagnosis (applications.md §13.6)
    browser.submit("Envoyer la candidature", message="Inès cherche un emploi en maraîchage près de Lyon.")
    assert browser.page.path.startswith("/postuler/envoyee/")
    assert "La candidature pour Inès MOREAU est transmise à Jardins de Cocagne" in browser.page.text
    return User.objects.get(email=NEW_PERSON_EMAIL)


def prescriber_diagnoses_up_to_the_message(browser, world):
    """eligibility.md §2.2, applications.md §13.6: the wizard's eligibility step sends the authorized prescriber to the
    diagnosis page, which comes back to it; the step then shows the valid diagnosis. Ends on the message step."""
    browser.log_in(world.prescriber.email, DEFAULT_PASSWORD)
    browser.open(reverse("apply_start", args=[world.aci.uid]))
    browser.click("Rechercher ou créer le candidat")
    browser.submit("Rechercher", nir=world.job_seeker.jobseeker_profile.nir)
    assert browser.page.path.endswith("/confirmer/")
    assert "Karim BENALI" in browser.page.text
    browser.submit("Continuer avec ce candidat")
    assert "/metiers/" in browser.page.path
    browser.submit("Continuer", jobs=[str(world.job.pk)])

    assert "/eligibilite-iae/" in browser.page.path
    assert "Ce candidat n'a pas de diagnostic d'éligibilité IAE valide" in browser.page.text
    browser.click("Établir le diagnostic d'éligibilité")
    assert browser.page.path == reverse("eligibility_iae_prescriber", args=[world.job_seeker.public_id])
    browser.submit("Enregistrer le diagnostic", criteria=["RSA"])

    assert "/eligibilite-iae/" in browser.page.path  # back in the wizard
    assert "Le diagnostic d'éligibilité IAE de Karim BENALI est enregistré" in browser.page.text
    assert "Établi le 10 mars 2026 par Paula LEFÈVRE, Mission locale de Lyon" in browser.page.text
    assert "Critères retenus : Bénéficiaire du RSA" in browser.page.text
    browser.submit("Continuer avec ce diagnostic")
    assert "/message/" in browser.page.path


def prescriber_diagnoses_and_orients(browser, world):
    prescriber_diagnoses_up_to_the_message(browser, world)
    browser.submit("Envoyer la candidature", message="Karim est suivi par la Mission locale depuis un an.")
    assert "La candidature pour Karim BENALI est transmise à Jardins de Cocagne" in browser.page.text


def employer_opens_the_inbox(browser, world, *names):
    """applications.md §14: both applications are in the inbox, to be processed."""
    browser.open(reverse("applications_received"))
    assert "À traiter 2" in browser.page.text
    for name in names:
        assert browser.page.has_link(name), f"{name} is not in the inbox"


def accept_wizard_starts_at_the_contract(browser, world, name, *, steps):
    """applications.md §8.4: from the detail page, "Accepter"; the person's data is complete (the orienteur and the
    factory filled it), so the wizard starts at the contract instead of the "completer" page."""
    browser.click("Accepter")
    assert browser.page.path.endswith("/accepter/"), browser.page.path
    assert f"Accepter la candidature {de(name)}" in browser.page.text
    assert f"Contrat de travail Étape 1 sur {steps}" in browser.page.text
    browser.submit(
        "Continuer", hiring_start_at=TODAY.isoformat(), hired_job=str(world.job.uid), answer="Bienvenue chez nous !"
    )


def employer_studies_then_accepts_with_a_diagnosis(browser, world, new_person):
    """applications.md §8.4: no valid diagnosis, so the accept wizard makes the ACI record its own; eligibility.md §4:
    too few criteria are refused with a French message, enough are saved, then the hiring is confirmed."""
    browser.open(reverse("applications_received"))
    browser.click(new_person.get_full_name())
    browser.submit("Étudier")
    assert "1 candidature mise à l'étude" in browser.page.text
    accept_wizard_starts_at_the_contract(browser, world, new_person.get_full_name(), steps=3)

    assert "Éligibilité Étape 2 sur 3" in browser.page.text
    assert "Diagnostic d'éligibilité IAE nécessaire" in browser.page.text
    assert not any(form.button("Confirmer l'embauche") for form in browser.page.forms)
    browser.click("Établir le diagnostic d'éligibilité")
    job_application = JobApplication.objects.get(job_seeker=new_person)
    assert browser.page.path == reverse("eligibility_iae_employer", args=[job_application.pk])
    assert "Au moins 1 critère de niveau 1 ou 3 critères de niveau 2" in browser.page.text

    diagnosis_url = browser.page.url
    browser.submit("Enregistrer le diagnostic", criteria=TOO_FEW_CRITERIA)
    assert browser.page.url == diagnosis_url  # refused: the same page, with the reason and what was ticked
    assert f"Le formulaire contient 1 erreur {TOO_FEW_MESSAGE}" in browser.page.text
    assert set(TOO_FEW_CRITERIA) <= {value for name, value in browser.page.forms[-1].sent if name == "criteria"}
    assert not EligibilityDiagnosis.objects.filter(job_seeker=new_person).exists()

    browser.submit("Enregistrer le diagnostic", criteria=ENOUGH_CRITERIA)
    assert browser.page.path.endswith("/accepter/")  # back in the wizard
    assert "est enregistré. Il est valable jusqu'au 9 juin 2026 inclus" in browser.page.text  # 92 days
    assert "Confirmation Étape 3 sur 3" in browser.page.text
    assert "Diagnostic d'éligibilité établi le 10 mars 2026 par Jardins de Cocagne (employeur)" in browser.page.text
    browser.submit("Confirmer l'embauche")
    return browser.page


def employer_reaches_the_confirmation_directly(browser, world):
    """applications.md §8.4: a valid prescriber diagnosis exists, so the wizard goes from the contract to the
    confirmation: no eligibility step is asked."""
    browser.open(reverse("applications_received"))
    browser.click(world.job_seeker.get_full_name())
    assert "Éligibilité IAE validée le 10/03/2026 par Paula LEFÈVRE" in browser.page.text
    accept_wizard_starts_at_the_contract(browser, world, world.job_seeker.get_full_name(), steps=2)
    assert "Étape suivante : Éligibilité" not in browser.page.text
    assert "Confirmation Étape 2 sur 2" in browser.page.text
    assert not browser.page.has_link("Établir le diagnostic d'éligibilité")
    assert "Diagnostic d'éligibilité établi le 10 mars 2026 par Mission locale de Lyon" in browser.page.text


def employer_accepts_directly(browser, world):
    employer_reaches_the_confirmation_directly(browser, world)
    browser.submit("Confirmer l'embauche")
    return browser.page


def new_person_activates_their_account(browser, new_person):
    """organizations.md §5.2: the link of the activation e-mail sets the password (and confirms the address); then
    the person logs in."""
    [activation] = [email for email in mail.outbox if email.to == [NEW_PERSON_EMAIL] and "compte" in email.subject]
    link = re.search(r"https?://[^/\s]+(/mot-de-passe/nouveau/\S+)", activation.body).group(1)
    browser.open(link)
    browser.submit("Enregistrer le mot de passe", new_password1=NEW_PERSON_PASSWORD, new_password2=NEW_PERSON_PASSWORD)
    assert browser.page.path == reverse("password_reset_complete")
    browser.log_in(NEW_PERSON_EMAIL, NEW_PERSON_PASSWORD)
    assert f"Bonjour {new_person.first_name}" in browser.page.text


def job_seeker_sees_and_downloads_their_pass(browser, approval):
    """pass_iae.md §11: the person's PASS IAE page and its attestation, a real PDF."""
    browser.click("Mon PASS IAE")
    assert browser.page.path == reverse("job_seeker_approval")
    assert f"Validité Valide Numéro {approval.number_with_spaces}" in browser.page.text
    assert "Date de début 10/03/2026 Date de fin 08/03/2028" in browser.page.text
    response = browser.client.get(browser.page.link("Télécharger l'attestation (PDF)"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert approval.number_with_spaces in text


def emails_to(address):
    return [email.subject for email in mail.outbox if address in email.to]


def log_rows(job_application):
    rows = JobApplicationTransitionLog.objects.filter(job_application=job_application).order_by("pk")
    return list(rows.values_list("transition", "from_state", "to_state", "user"))


# The story -----------------------------------------------------------------------------------------------------------


def test_orientation_diagnosis_hiring_and_pass_iae(world, browser):
    employer_id = world.employer.pk

    # 1. The orienteur creates Inès and orients her to the ACI.
    orienteur = browser()
    ines = orienteur_creates_and_orients(orienteur, world)
    assert ines.created_by == world.orienteur
    first = JobApplication.objects.get(job_seeker=ines)
    assert (first.to_company, first.sender, first.sender_kind, first.sender_prescriber_organization) == (
        world.aci,
        world.orienteur,
        SenderKind.PRESCRIBER,
        world.orienteur_organization,
    )
    assert list(first.selected_jobs.all()) == [world.job]
    assert first.message == "Inès cherche un emploi en maraîchage près de Lyon."
    # applications.md §16: he created the account, so his sent list shows her full name.
    orienteur.open(reverse("applications_sent"))
    assert orienteur.page.has_link("Inès MOREAU")

    # 2. The authorized prescriber diagnoses Karim and orients him.
    prescriber = browser()
    prescriber_diagnoses_and_orients(prescriber, world)
    second = JobApplication.objects.get(job_seeker=world.job_seeker)
    assert (second.to_company, second.sender, second.sender_prescriber_organization) == (
        world.aci,
        world.prescriber,
        world.prescriber_organization,
    )
    [prescriber_diagnosis] = EligibilityDiagnosis.objects.filter(job_seeker=world.job_seeker)
    assert (prescriber_diagnosis.author_kind, prescriber_diagnosis.author) == (AuthorKind.PRESCRIBER, world.prescriber)

    # applications.md §4: the ACI's member is told of both applications, the people and their proxies too.
    new_for_company = [subject for subject in emails_to(world.employer.email) if "Nouvelle candidature" in subject]
    assert len(new_for_company) == 2
    assert any("Inès MOREAU" in subject for subject in new_for_company)
    assert any("Karim BENALI" in subject for subject in new_for_company)
    sent = "Votre candidature à Jardins de Cocagne a bien été envoyée"
    assert sent in emails_to(NEW_PERSON_EMAIL) and sent in emails_to(world.job_seeker.email)

    # 3. The employer finds both in the inbox and accepts them.
    employer = browser()
    employer.log_in(world.employer.email, DEFAULT_PASSWORD)
    employer_opens_the_inbox(employer, world, "Inès MOREAU", "Karim BENALI")

    page = employer_studies_then_accepts_with_a_diagnosis(employer, world, ines)
    first.refresh_from_db()
    assert first.state == JobApplicationState.ACCEPTED
    assert first.hiring_start_at == TODAY
    assert first.hired_job == world.job
    assert first.eligibility_diagnosis.author_kind == AuthorKind.EMPLOYER
    assert sorted(first.eligibility_diagnosis.administrative_criteria.values_list("code", flat=True)) == sorted(
        ENOUGH_CRITERIA
    )
    assert first.approval is not None
    assert f"PASS IAE n° {first.approval.number_with_spaces} délivré" in page.text

    page = employer_accepts_directly(employer, world)
    second.refresh_from_db()
    assert second.state == JobApplicationState.ACCEPTED
    assert second.eligibility_diagnosis == prescriber_diagnosis
    assert second.approval is not None
    assert f"PASS IAE n° {second.approval.number_with_spaces} délivré" in page.text
    assert first.approval.number != second.approval.number
    assert set(Approval.objects.values_list("user", flat=True)) == {ines.pk, world.job_seeker.pk}

    # applications.md §3: one log row per transition (studied then accepted; accepted straight from "new").
    new, processing, accepted = (
        JobApplicationState.NEW,
        JobApplicationState.PROCESSING,
        JobApplicationState.ACCEPTED,
    )
    assert log_rows(first) == [
        (JobApplicationTransition.PROCESS, new, processing, employer_id),
        (JobApplicationTransition.ACCEPT, processing, accepted, employer_id),
    ]
    assert log_rows(second) == [(JobApplicationTransition.ACCEPT, new, accepted, employer_id)]

    # The people are told they are hired; the employer receives each PASS IAE; the proxies hear the answer.
    hired = "Votre candidature à Jardins de Cocagne est acceptée"
    assert hired in emails_to(NEW_PERSON_EMAIL) and hired in emails_to(world.job_seeker.email)
    assert sum("PASS IAE" in subject for subject in emails_to(world.employer.email)) == 2
    assert "Candidature de Karim BENALI acceptée par Jardins de Cocagne" in emails_to(world.prescriber.email)
    # applications.md §16 "outside a request": an e-mail names the person to a proxy of an authorized organization
    # only, so the orienteur's e-mail masks her name, although his pages show it.
    assert "Candidature d'I… M… acceptée par Jardins de Cocagne" in emails_to(world.orienteur.email)
    orienteur.open(reverse("applications_sent"))
    orienteur.click("Inès MOREAU")
    assert "Inès MOREAU Chez Jardins de Cocagne Acceptée" in orienteur.page.text

    # 4. Both people see their PASS IAE and download the attestation; Inès first activates her account.
    ines_browser = browser()
    new_person_activates_their_account(ines_browser, ines)
    job_seeker_sees_and_downloads_their_pass(ines_browser, first.approval)
    karim_browser = browser()
    karim_browser.log_in(world.job_seeker.email, DEFAULT_PASSWORD)
    job_seeker_sees_and_downloads_their_pass(karim_browser, second.approval)
