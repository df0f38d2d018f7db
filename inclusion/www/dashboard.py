"""What each role finds on its dashboard (applications.md §17): cards with their links and counters, and for
employers the alerts that ask for an action.

Cards without a page announce what later versions bring ("Bientôt disponible").
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import OuterRef
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from inclusion.applications import perms as application_perms
from inclusion.applications.counters import company_counters, to_process_states
from inclusion.applications.enums import JobApplicationState
from inclusion.applications.hiring import can_hire_directly
from inclusion.approvals.perms import followed_by
from inclusion.approvals.prolongations import pending_requests_for
from inclusion.companies.freshness import freshness_warning
from inclusion.companies.perms import company_accepts_antennas
from inclusion.eligibility.rules import (
    first_with_geiq_aid,
    job_seeker_geiq_diagnoses,
    siae_self_prescription_withdrawn,
)
from inclusion.organizations.enums import Role
from inclusion.organizations.perms import member_management_blocked_reason
from inclusion.users.job_seeker_data import profile_is_incomplete
from inclusion.users.models import User


@dataclass(frozen=True)
class Link:
    """A link inside a card; `count` makes it a counter ("3 à traiter")."""

    label: str
    url: str
    count: int | None = None


@dataclass(frozen=True)
class Card:
    title: str
    description: str
    url_name: str = ""
    url_args: tuple = ()
    fragment: str = ""  # a section of the page ("#geiq-diagnosis")
    counters: tuple = field(default=())  # Links with a count, shown as figures
    links: tuple = field(default=())  # the card's other actions
    unavailable_reason: str = ""  # why the action is closed to this organization for now

    @property
    def url(self):
        """The page's URL; a card without one says "Bientôt disponible" (or why it is closed)."""
        if not self.url_name:
            return ""
        path = reverse(self.url_name, args=self.url_args)
        return f"{path}#{self.fragment}" if self.fragment else path


def url(url_name, *args, query=None):
    path = reverse(url_name, args=args)
    return f"{path}?{urlencode(query, doseq=True)}" if query else path


SEARCH_CARD = Card("Rechercher un employeur", "Trouvez les employeurs inclusifs près d'une ville.", "search_companies")
NOTIFICATIONS_CARD = Card(
    "Mes notifications",
    "Choisissez les e-mails que vous recevez au sujet des candidatures.",
    "notification_settings",
)


def redirect_before_dashboard(user):
    """applications.md §17: a job seeker whose title, names, address line, post code or city is missing completes
    their profile first. The URL name to go to, or None."""
    if user.is_job_seeker and profile_is_incomplete(user):
        return "job_seeker_profile"
    return None


def cards_for(role, *, user, organization=None, is_admin=False):
    """The cards of `role` for `user`; `organization` is the current one and `is_admin` says whether the user
    administers it."""
    match role:
        case Role.JOB_SEEKER:
            return _job_seeker_cards(user)
        case Role.EMPLOYER:
            return _employer_cards(user, organization, is_admin=is_admin)
        case Role.AUTHORIZED_PRESCRIBER:
            return [
                _sent_applications_card(),
                _followed_job_seekers_card(organization),
                _prolongation_requests_card(organization),
                Card("Collaborateurs", "Invitez les membres de votre organisation.", "members"),
                Card(
                    "Fiche de l'organisation",
                    "Consultez la fiche publique de votre organisation, visible des employeurs et des candidats.",
                    "prescriber_card",
                    url_args=(organization.uid,),
                ),
                SEARCH_CARD,
                NOTIFICATIONS_CARD,
            ]
        case Role.ORIENTEUR:
            return [
                _sent_applications_card(),
                Card("Collaborateurs", "Invitez les membres de votre organisation.", "members"),
                SEARCH_CARD,
                NOTIFICATIONS_CARD,
            ]
        case Role.INSTITUTION_MEMBER:
            return [
                Card("Statistiques", "Suivez l'activité de l'IAE sur votre territoire."),
                Card("Contrôle a posteriori", "Contrôlez les auto-prescriptions des SIAE."),
                Card("Collaborateurs", "Invitez les membres de votre institution.", "members"),
                SEARCH_CARD,
            ]
        case Role.STAFF:
            return [
                Card(
                    "Administration", "Gérez les utilisateurs, les organisations et les habilitations.", "admin:index"
                ),
                SEARCH_CARD,
            ]
    return []


# --- Job seeker


def _job_seeker_cards(user):
    cards = [
        _job_seeker_applications_card(user),
        Card(
            "Mon PASS IAE",
            "Consultez votre PASS IAE, ses dates et téléchargez votre attestation.",
            "job_seeker_approval",
        ),
        Card("Mon éligibilité", "Consultez le diagnostic qui valide votre éligibilité.", "eligibility_job_seeker"),
    ]
    # eligibility.md §7.3, applications.md §17: only when a GEIQ diagnosis opens an allowance.
    diagnoses = job_seeker_geiq_diagnoses(user).prefetch_related("selected_criteria")
    if first_with_geiq_aid(diagnoses) is not None:
        cards.append(
            Card(
                "Mon éligibilité GEIQ",
                "Consultez le diagnostic qui valide votre éligibilité à un parcours en GEIQ.",
                "eligibility_job_seeker",
                fragment="geiq-diagnosis",
            )
        )
    cards += [
        Card("Mon profil", "Vérifiez vos informations personnelles et votre situation.", "job_seeker_profile"),
        SEARCH_CARD,
        NOTIFICATIONS_CARD,
    ]
    return cards


def _job_seeker_applications_card(user):
    pending = application_perms.of_job_seeker(user).pending().count()
    waiting = (
        f"{pending} candidature{pluralize(pending)} en attente de réponse."
        if pending
        else "Aucune candidature en attente de réponse."
    )
    return Card(
        "Mes candidatures",
        f"Suivez les candidatures envoyées aux employeurs inclusifs. {waiting}",
        "applications_job_seeker",
        links=(Link("Rechercher une offre d'emploi", url("search_job_descriptions")),),
    )


# --- Prescribers


def _sent_applications_card(*, for_employer=False):
    description = (
        "Suivez les candidatures que votre structure envoie à d'autres employeurs pour des candidats."
        if for_employer
        else "Suivez les candidatures envoyées par vous et votre organisation."
    )
    return Card(
        "Candidatures envoyées",
        description,
        "applications_sent",
        links=(
            Link("Postuler pour un candidat", url("search_companies")),
            *(() if for_employer else (Link("Exporter les candidatures", url("applications_export")),)),
        ),
    )


def _followed_job_seekers_card(organization):
    # applications.md §17: the stalled job seekers among those the organization follows (organizations.md §3).
    stalled = (
        User.objects.job_seekers()
        .filter(followed_by(organization, OuterRef("pk")), jobseeker_profile__is_stalled=True)
        .count()
    )
    stalled_text = f" {stalled} candidat{pluralize(stalled)} sans solution depuis plus de 30 jours." if stalled else ""
    return Card(
        "Candidats suivis",
        f"Validez l'éligibilité IAE des personnes que vous accompagnez et suivez leur PASS IAE.{stalled_text}",
        "followed_job_seekers",
    )


def _prolongation_requests_card(organization):
    # applications.md §17: the prescriber's card shows how many requests wait for an answer.
    pending = pending_requests_for(organization).count()
    to_process = f"{pending} demande{pluralize(pending)} à traiter." if pending else "Aucune demande à traiter."
    return Card(
        "Demandes de prolongation",
        f"Traitez les demandes de prolongation de PASS IAE. {to_process}",
        "prolongation_requests",
    )


# --- Employers


def _received_applications_card(company):
    """applications.md §17: "À traiter", "En attente" and "Vivier" on the non-archived applications, each leading to
    the inbox filtered on its states."""
    counters = company_counters(company)
    inbox = "applications_received"
    return Card(
        "Candidatures reçues",
        "Étudiez les candidatures reçues par votre structure et répondez-y.",
        inbox,
        counters=(
            Link("À traiter", url(inbox, query={"states": to_process_states(company)}), counters["to_process"]),
            Link("En attente", url(inbox, query={"states": [JobApplicationState.POSTPONED]}), counters["postponed"]),
            Link("Vivier", url(inbox, query={"states": [JobApplicationState.POOL]}), counters["pool"]),
        ),
        links=(Link("Exporter les candidatures", url("applications_export")),),
    )


def _hiring_cards(company):
    """applications.md §13, §17: SIAE and GEIQ declare hirings and record applications for their candidates; a
    sanctioned SIAE may not self-prescribe (control_a_posteriori.md §9)."""
    if not can_hire_directly(company):
        return []
    record = Card(
        "Enregistrer une candidature",
        "Enregistrez la candidature d'une personne que vous accompagnez pour l'étudier dans votre structure.",
        "apply_start",
        url_args=(company.uid,),
    )
    if siae_self_prescription_withdrawn(company, on=timezone.localdate()):
        record = Card(
            record.title,
            record.description,
            unavailable_reason="Votre structure ne peut plus enregistrer de candidature en auto-prescription "
            "pendant la durée de sa sanction.",
        )
    return [
        Card(
            "Déclarer une embauche",
            "Déclarez l'embauche d'une personne qui ne vous a pas envoyé de candidature.",
            "direct_hire_start",
        ),
        record,
    ]


def _employer_cards(user, company, *, is_admin):
    cards = [
        _received_applications_card(company),
        *_hiring_cards(company),
        _sent_applications_card(for_employer=True),
        Card("Fiches de poste", "Publiez vos offres et ouvrez ou fermez le recrutement.", "job_description_list"),
    ]
    # applications.md §17: the members link only while member management is open (organizations.md §8.4).
    if member_management_blocked_reason(company) is None:
        cards.append(
            Card("Collaborateurs", "Invitez les membres de votre structure et gérez les administrateurs.", "members")
        )
    if is_admin:
        cards.append(Card("Ma structure", "Modifiez la fiche publique de votre structure.", "company_edit"))
        if company_accepts_antennas(company):
            cards.append(
                Card("Créer une antenne", "Ajoutez un autre établissement de votre structure.", "antenna_create")
            )
    if company.is_siae:
        cards.append(
            Card("PASS IAE", "Suivez les PASS IAE de vos salariés, suspensions et prolongations.", "approval_list")
        )
    cards += [SEARCH_CARD, NOTIFICATIONS_CARD]
    return cards


@dataclass(frozen=True)
class EmployerAlerts:
    """What the employer's dashboard asks them to do."""

    freshness: object  # freshness.FreshnessWarning
    grace_period_end: object  # datetime when the company is in its grace period, else None


def employer_alerts(company):
    # organizations.md §8.4: a company in grace period shows an "action required" banner with the end of access.
    grace_period_end = company.convention.grace_period_end() if company.is_in_grace_period() else None
    return EmployerAlerts(freshness=freshness_warning(company), grace_period_end=grace_period_end)
