"""What each role finds on its dashboard: cards, and for employers the alerts that ask for an action.

Cards without a page announce what later versions bring.
"""

from dataclasses import dataclass

from django.template.defaultfilters import pluralize
from django.urls import reverse

from inclusion.approvals.prolongations import pending_requests_for
from inclusion.companies.freshness import freshness_warning
from inclusion.companies.perms import company_accepts_antennas
from inclusion.organizations.enums import Role
from inclusion.organizations.perms import member_management_blocked_reason


@dataclass(frozen=True)
class Card:
    title: str
    description: str
    url_name: str = ""

    @property
    def url(self):
        """The page's URL; a card without one says "Bientôt disponible"."""
        return reverse(self.url_name) if self.url_name else ""


SEARCH_CARD = Card("Rechercher un employeur", "Trouvez les employeurs inclusifs près d'une ville.", "search_companies")


def cards_for(role, *, organization=None, is_admin=False):
    """The cards of `role`; `organization` is the current one and `is_admin` says whether the user administers it."""
    match role:
        case Role.JOB_SEEKER:
            return [
                Card("Mes candidatures", "Suivez les candidatures envoyées aux employeurs inclusifs."),
                Card(
                    "Mon PASS IAE",
                    "Consultez votre PASS IAE, ses dates et téléchargez votre attestation.",
                    "job_seeker_approval",
                ),
                Card(
                    "Mon éligibilité",
                    "Consultez le diagnostic qui valide votre éligibilité.",
                    "eligibility_job_seeker",
                ),
                Card("Mon profil", "Vérifiez vos informations personnelles et votre situation."),
                SEARCH_CARD,
            ]
        case Role.EMPLOYER:
            return _employer_cards(organization, is_admin=is_admin)
        case Role.AUTHORIZED_PRESCRIBER:
            return [
                Card("Candidatures envoyées", "Suivez les candidatures envoyées par vous et votre organisation."),
                Card(
                    "Diagnostics d'éligibilité",
                    "Validez l'éligibilité IAE des personnes que vous accompagnez.",
                    "followed_job_seekers",
                ),
                _prolongation_requests_card(organization),
                Card("Collaborateurs", "Invitez les membres de votre organisation.", "members"),
                SEARCH_CARD,
            ]
        case Role.ORIENTEUR:
            return [
                Card("Candidatures envoyées", "Suivez les candidatures envoyées par vous et votre organisation."),
                Card("Orienter un candidat", "Créez le compte d'une personne et orientez-la vers un employeur."),
                Card("Collaborateurs", "Invitez les membres de votre organisation.", "members"),
                SEARCH_CARD,
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


def _prolongation_requests_card(organization):
    # applications.md §17: the prescriber's card shows how many requests wait for an answer.
    pending = pending_requests_for(organization).count()
    to_process = f"{pending} demande{pluralize(pending)} à traiter." if pending else "Aucune demande à traiter."
    return Card(
        "Demandes de prolongation",
        f"Traitez les demandes de prolongation de PASS IAE. {to_process}",
        "prolongation_requests",
    )


def _employer_cards(company, *, is_admin):
    cards = [
        Card("Candidatures reçues", "Traitez les candidatures : à étudier, en attente, vivier."),
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
    cards.append(SEARCH_CARD)
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
