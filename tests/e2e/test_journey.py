"""Issue 7 §3: the orientation → diagnosis → hiring → PASS IAE journey, clicked in Chromium as people do it.

An adviser of France Travail (authorized prescriber) logs in, searches employers around Lyon, opens the ACI's card,
starts an application, creates the person's account from the wizard, makes the eligibility diagnosis the wizard asks
for and sends the application. The ACI's employer logs in, finds it in the inbox, studies it, accepts it with the
contract dates and confirms: the PASS IAE is issued, its number shows on the application and on the PASS page, and the
adviser sees the hiring in the sent list.

Only the starting world is written with factories (journey_world.py); every step goes through the pages by their
labels, roles and button texts, and the database is read once, at the end, to check the outcome. The clock is not
frozen (Chromium keeps its own, and would expire the session cookies of a frozen past), so dates are today's.
"""

import datetime
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import dateformat, timezone, translation
from playwright.sync_api import expect

from inclusion.applications.enums import JobApplicationState, SenderKind
from inclusion.applications.models import JobApplication
from inclusion.eligibility.enums import AuthorKind
from inclusion.users.enums import Title, UserKind
from inclusion.users.models import User
from tests.e2e.journey_world import build_world
from tests.users.factories import DEFAULT_PASSWORD, valid_nir

# The person the adviser creates: born in Lyon (69123) on 15 March 1990, which her NIR says.
NIR = valid_nir(title=Title.MME, birthdate=datetime.date(1990, 3, 15), department="69", order=777)
EMAIL = "ines.moreau@example.com"
MESSAGE = "Inès cherche un emploi en maraîchage près de Lyon."
ANSWER = "Bienvenue aux Jardins de Cocagne !"


# What a person does and reads ---------------------------------------------------------------------------------------


def field(page, label):
    """The control whose label starts with `label`: DSFR labels also hold the « * » of required fields and the hint,
    so an exact match would never hit and a substring one hits « Prénom » for « Nom »."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}(?=\s|$)"))


def tick(page, label):
    # DSFR draws the box on the label, which covers the input: a person clicks the label.
    page.locator("label").filter(has_text=label).click()
    expect(page.get_by_label(label)).to_be_checked()


def heading(page):
    return page.get_by_role("heading", level=1)


def chosen(page, label):
    """The option a drop-down list shows."""
    return page.get_by_role("combobox", name=label).locator("option:checked")


def stepper(page, title):
    """The wizards' stepper heading, e.g. « Identité Étape 1 sur 4 »."""
    return page.get_by_role("heading", name=title, exact=True)


def main(page):
    return page.get_by_role("main")


def long_date(day):
    with translation.override("fr"):
        return dateformat.format(day, "j F Y")  # 21 novembre 2026


def short_date(day):
    return f"{day:%d/%m/%Y}"


def log_in(page, email):
    page.goto("/")
    page.get_by_role("link", name="Se connecter").first.click()
    expect(heading(page)).to_have_text("Connexion")
    page.get_by_role("textbox", name="Adresse e-mail").fill(email)
    field(page, "Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(heading(page)).to_have_text("Tableau de bord")


# The steps of the story ---------------------------------------------------------------------------------------------


def prescriber_finds_the_company(page, world):
    """search_and_jobs.md §4: the dashboard's search, a commune chosen in the autocomplete, the employer's card."""
    log_in(page, world.prescriber.email)
    expect(main(page)).to_contain_text(
        "Vous agissez pour France Travail Lyon Part-Dieu en tant que prescripteur habilité."
    )
    page.get_by_role("link", name="Rechercher un employeur").click()
    expect(heading(page)).to_have_text("Rechercher un employeur inclusif")
    page.get_by_role("combobox", name="Ville").press_sequentially("Lyon")
    page.get_by_role("option", name="Lyon (69)").click()
    field(page, "Distance").select_option(label="10 km")
    page.get_by_role("button", name="Rechercher").click()

    expect(page.get_by_role("heading", name="1 employeur à 10 km de Lyon (69)")).to_be_visible()
    result = page.get_by_role("listitem").filter(has=page.get_by_role("link", name="Jardins de Cocagne"))
    expect(result).to_contain_text("12 rue du Jardin, 69100 Villeurbanne")
    expect(result).to_contain_text("à 4,5 km")
    expect(result).to_contain_text("Maraîcher / Maraîchère")
    result.get_by_role("link", name="Jardins de Cocagne").click()

    expect(heading(page)).to_have_text("Jardins de Cocagne")
    expect(main(page)).to_contain_text("Atelier chantier d'insertion (ACI)")
    expect(main(page)).to_contain_text("Maraîcher / Maraîchère")
    page.get_by_role("link", name="Postuler chez Jardins de Cocagne").click()


def prescriber_creates_the_person(page):
    """applications.md §13, organizations.md §5.2: the NIR and the e-mail are unknown, so the account is created in
    the 3 steps and the summary; the civility, birth country and birth place come from the NIR."""
    expect(heading(page)).to_have_text("Orienter un candidat vers Jardins de Cocagne")
    expect(stepper(page, "Choix du candidat Étape 1 sur 3")).to_be_visible()
    page.get_by_role("link", name="Rechercher ou créer le candidat").click()

    expect(heading(page)).to_have_text("Rechercher un candidat")
    field(page, "Numéro de sécurité sociale de la personne").fill(NIR)
    page.get_by_role("button", name="Rechercher").click()
    expect(main(page)).to_contain_text("Aucun candidat n'a le numéro de sécurité sociale saisi.")
    field(page, "Adresse e-mail de la personne").fill(EMAIL)
    page.get_by_role("button", name="Rechercher").click()

    expect(heading(page)).to_have_text("Créer le compte du candidat")
    expect(stepper(page, "Identité Étape 1 sur 4")).to_be_visible()
    expect(page.get_by_label("Madame")).to_be_checked()
    expect(page.get_by_role("combobox", name="Commune de naissance")).to_have_value("Lyon (69)")
    field(page, "Prénom").fill("Inès")
    field(page, "Nom").fill("Moreau")
    field(page, "Date de naissance").fill("1990-03-15")
    page.get_by_role("button", name="Continuer").click()

    expect(stepper(page, "Coordonnées Étape 2 sur 4")).to_be_visible()
    field(page, "Adresse").fill("8 rue Mercière")
    field(page, "Code postal").fill("69002")
    field(page, "Ville").fill("Lyon")
    field(page, "Téléphone").fill("06 11 22 33 44")
    page.get_by_role("button", name="Continuer").click()

    expect(stepper(page, "Situation administrative Étape 3 sur 4")).to_be_visible()
    field(page, "Identifiant France Travail").fill("1234567A")
    field(page, "Niveau de formation").select_option(label="Formation de niveau BEP ou CAP")
    field(page, "Bénéficiaire du RSA").select_option(label="Oui, sans majoration")
    field(page, "Allocataire du RSA depuis").select_option(label="De 12 à 23 mois")
    page.get_by_role("button", name="Continuer").click()

    expect(stepper(page, "Récapitulatif Étape 4 sur 4")).to_be_visible()
    for shown in ("Inès", "Moreau", "15 mars 1990", "Lyon (69)", NIR, "8 rue Mercière", "1234567A", "De 12 à 23 mois"):
        expect(main(page)).to_contain_text(shown)
    page.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_text("Le compte d'Inès MOREAU est créé.")).to_contain_text(
        f"Un e-mail lui a été envoyé à {EMAIL} pour choisir son mot de passe."
    )


def prescriber_diagnoses_and_sends(page, today):
    """eligibility.md §2.2, applications.md §13.6: the eligibility step sends the authorized prescriber to the
    diagnosis, which starts from what the person declared (RSA, CAP level) and comes back to the wizard."""
    expect(stepper(page, "Choix des métiers Étape 2 sur 4")).to_be_visible()
    expect(main(page)).to_contain_text("Candidat Inès MOREAU")  # the wizard's summary
    tick(page, "Maraîcher / Maraîchère")
    page.get_by_role("button", name="Continuer").click()

    expect(stepper(page, "Éligibilité IAE Étape 3 sur 4")).to_be_visible()
    expect(main(page)).to_contain_text("Ce candidat n'a pas de diagnostic d'éligibilité IAE valide.")
    page.get_by_role("link", name="Établir le diagnostic d'éligibilité").click()

    expect(heading(page)).to_have_text("Éligibilité IAE d'Inès MOREAU")
    expect(page.get_by_label("Bénéficiaire du RSA")).to_be_checked()
    expect(page.get_by_label("Niveau d'étude 3 (CAP, BEP) ou infra")).to_be_checked()
    expect(page.get_by_label("Parent isolé")).not_to_be_checked()
    page.get_by_role("button", name="Enregistrer le diagnostic").click()

    last_valid_day = today + relativedelta(months=6) - datetime.timedelta(days=1)  # eligibility.md §2.3
    expect(page.get_by_text("Le diagnostic d'éligibilité IAE d'Inès MOREAU est enregistré.")).to_contain_text(
        f"Il est valable jusqu'au {long_date(last_valid_day)} inclus."
    )
    expect(stepper(page, "Éligibilité IAE Étape 3 sur 4")).to_be_visible()
    expect(main(page)).to_contain_text(
        f"Établi le {long_date(today)} par Paula LEFÈVRE, France Travail Lyon Part-Dieu. "
        f"Valable jusqu'au {long_date(last_valid_day)} inclus."
    )
    criteria = page.get_by_role("region", name="Diagnostic d'éligibilité IAE").get_by_role("listitem")
    expect(criteria).to_have_count(2)
    expect(criteria.filter(has_text="Bénéficiaire du RSA")).to_have_count(1)
    expect(criteria.filter(has_text="Niveau d'étude 3 (CAP, BEP) ou infra")).to_have_count(1)
    page.get_by_role("button", name="Continuer avec ce diagnostic").click()

    expect(stepper(page, "Message et CV Étape 4 sur 4")).to_be_visible()
    # The adviser who follows the person for the company, herself by default.
    expect(chosen(page, "Conseiller qui accompagne le candidat")).to_have_text("Paula LEFÈVRE")
    field(page, "Message à l'employeur").fill(MESSAGE)
    page.get_by_role("button", name="Envoyer la candidature").click()

    expect(heading(page)).to_have_text("Candidature envoyée")
    expect(main(page)).to_contain_text("La candidature pour Inès MOREAU est transmise à Jardins de Cocagne")


def employer_accepts(page, world, today, start):
    """applications.md §14, §8.4: the inbox, the detail page, « Étudier », then « Accepter »; the prescriber's
    diagnosis is valid, so the wizard goes from the contract to the confirmation. Returns the PASS IAE number shown."""
    log_in(page, world.employer.email)
    expect(main(page)).to_contain_text("À traiter : 1")
    page.get_by_role("link", name="Candidatures reçues").click()

    expect(heading(page)).to_have_text("Candidatures reçues")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Inès MOREAU"))
    expect(row).to_contain_text(f"Reçue le {short_date(today)}")
    expect(row).to_contain_text("Prescripteur habilité — France Travail Lyon Part-Dieu")
    expect(row).to_contain_text("Nouvelle candidature")
    expect(row).to_contain_text("Validée")
    row.get_by_role("link", name="Inès MOREAU").click()

    expect(heading(page)).to_have_text("Candidature d'Inès MOREAU")
    expect(main(page)).to_contain_text(MESSAGE)
    expect(main(page)).to_contain_text(
        f"Éligibilité IAE validée le {short_date(today)} par Paula LEFÈVRE, France Travail Lyon Part-Dieu "
        "(prescripteur habilité)."
    )
    page.get_by_role("button", name="Étudier").click()
    expect(page.get_by_text("1 candidature mise à l'étude.")).to_be_visible()
    expect(main(page)).to_contain_text("À l'étude")
    page.get_by_role("link", name="Accepter", exact=True).click()

    expect(heading(page)).to_have_text("Accepter la candidature d'Inès MOREAU")
    expect(stepper(page, "Contrat de travail Étape 1 sur 2")).to_be_visible()
    end = start + relativedelta(months=6) - datetime.timedelta(days=1)
    field(page, "Date de début du contrat").fill(start.isoformat())
    field(page, "Date prévisionnelle de fin du contrat").fill(end.isoformat())
    field(page, "Poste retenu").select_option(label="Maraîcher / Maraîchère — Villeurbanne (69)")
    expect(chosen(page, "Conseiller qui suit la personne")).to_have_text("Élise GARNIER")
    field(page, "Message au candidat").fill(ANSWER)
    page.get_by_role("button", name="Continuer").click()

    expect(stepper(page, "Confirmation Étape 2 sur 2")).to_be_visible()
    contract = page.get_by_role("region", name="Contrat de travail")
    expect(contract).to_contain_text(f"Date de début du contrat {short_date(start)}")
    expect(contract).to_contain_text(f"Date prévisionnelle de fin du contrat {short_date(end)}")
    expect(contract).to_contain_text(ANSWER)
    eligibility = page.get_by_role("region", name="Éligibilité et PASS IAE")
    expect(eligibility).to_contain_text(
        f"Diagnostic d'éligibilité établi le {long_date(today)} par France Travail Lyon Part-Dieu "
        "(prescripteur habilité)."
    )
    expect(eligibility).to_contain_text("Un PASS IAE de 730 jours sera délivré à partir de la date de début")
    page.get_by_role("button", name="Confirmer l'embauche").click()

    # pass_iae.md §2, §4: the issuer prefix and a 7-digit sequence, shown as « XXXXX XX XXXXX »; 730 days inclusive.
    pass_end = start + datetime.timedelta(days=729)
    prefix = settings.PASS_IAE_NUMBER_PREFIX
    issued = re.compile(
        rf"L'embauche d'Inès MOREAU est enregistrée à partir du {short_date(start)}\. "
        rf"PASS IAE n° ({prefix} \d\d \d{{5}}) délivré : il est valable du {short_date(start)} "
        rf"au {short_date(pass_end)}\."
    )
    notice = page.get_by_text(issued)
    expect(notice).to_be_visible()
    number = issued.search(notice.inner_text()).group(1)
    expect(main(page)).to_contain_text("Acceptée")
    expect(main(page)).to_contain_text(
        f"PASS IAE n° {number}, valable du {short_date(start)} au {short_date(pass_end)}."
    )
    expect(main(page)).to_contain_text(f"Du {short_date(start)} au {short_date(end)}")
    return number, pass_end


def employer_sees_the_pass(page, number, today, start, pass_end):
    """pass_iae.md §11: the PASS page, from the application, then the company's list of PASS IAE."""
    page.get_by_role("link", name="Voir le PASS IAE").click()
    expect(heading(page)).to_have_text(f"PASS IAE n° {number}")
    expect(main(page)).to_contain_text("Valide (non démarré)")
    expect(main(page)).to_contain_text(f"Date de début {short_date(start)} Date de fin {short_date(pass_end)}")
    expect(main(page)).to_contain_text(f"Reliquat au {short_date(today)} 730 jours")
    expect(main(page)).to_contain_text("Structure à l'origine de la délivrance Jardins de Cocagne")
    expect(page.get_by_role("link", name="Télécharger l'attestation (PDF)")).to_be_visible()

    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Tableau de bord").click()
    page.get_by_role("link", name="PASS IAE", exact=True).click()
    expect(heading(page)).to_have_text("PASS IAE de vos salariés")
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text("MOREAU Inès")
    expect(row).to_contain_text("Valide (non démarré)")


def prescriber_sees_the_hiring(page, number, start, end):
    """applications.md §16: back on the page the wizard ended on, the adviser opens the sent applications."""
    page.get_by_role("link", name="Voir les candidatures envoyées").click()
    expect(heading(page)).to_have_text("Candidatures envoyées")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Inès MOREAU"))
    expect(row).to_contain_text("Jardins de Cocagne")
    expect(row).to_contain_text("Acceptée")
    expect(row).to_contain_text("PASS IAE valide")
    row.get_by_role("link", name="Inès MOREAU").click()

    expect(heading(page)).to_have_text("Candidature d'Inès MOREAU")
    expect(main(page)).to_contain_text("Chez Jardins de Cocagne Acceptée")
    expect(main(page)).to_contain_text(f"Contrat Du {short_date(start)} au {short_date(end)} — Maraîcher / Maraîchère")
    expect(main(page)).to_contain_text(f"PASS IAE {number}")
    expect(main(page)).to_contain_text(ANSWER)


# The story ----------------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_orientation_diagnosis_hiring_and_pass_iae(page, new_page):
    world = build_world()
    today = timezone.localdate()
    # Tomorrow: a start date still allowed if the journey runs across midnight (applications.md §8.1).
    start = today + datetime.timedelta(days=1)

    # 1. The France Travail adviser orients Inès, whom she creates and diagnoses on the way.
    prescriber_finds_the_company(page, world)
    prescriber_creates_the_person(page)
    prescriber_diagnoses_and_sends(page, today)

    # 2. The employer studies and accepts the application: the PASS IAE is issued.
    employer = new_page()
    number, pass_end = employer_accepts(employer, world, today, start)
    employer_sees_the_pass(employer, number, today, start, pass_end)

    # 3. The adviser sees the hiring in her sent applications.
    prescriber_sees_the_hiring(page, number, start, start + relativedelta(months=6) - datetime.timedelta(days=1))

    # The outcome, as the pages said it.
    ines = User.objects.get(email=EMAIL)
    assert (ines.kind, ines.first_name, ines.last_name, ines.created_by) == (
        UserKind.JOB_SEEKER,
        "Inès",
        "Moreau",
        world.prescriber,
    )
    assert ines.jobseeker_profile.nir == NIR
    application = JobApplication.objects.select_related("approval", "eligibility_diagnosis").get(job_seeker=ines)
    assert (application.state, application.to_company, application.hired_job, application.hiring_start_at) == (
        JobApplicationState.ACCEPTED,
        world.company,
        world.job,
        start,
    )
    assert (application.sender, application.sender_kind, application.sender_prescriber_organization) == (
        world.prescriber,
        SenderKind.PRESCRIBER,
        world.prescriber_organization,
    )
    assert list(application.selected_jobs.all()) == [world.job]
    diagnosis = application.eligibility_diagnosis
    assert (diagnosis.author, diagnosis.author_kind) == (world.prescriber, AuthorKind.PRESCRIBER)
    assert sorted(diagnosis.administrative_criteria.values_list("code", flat=True)) == ["CAP_BEP", "RSA"]
    assert application.approval.number_with_spaces == number
    assert (application.approval.user, application.approval.start_at, application.approval.end_at) == (
        ines,
        start,
        pass_end,
    )
