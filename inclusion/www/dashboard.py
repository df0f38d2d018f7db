"""What each role finds on its dashboard. Cards without a link announce what later versions bring."""

from dataclasses import dataclass

from django.urls import reverse

from inclusion.organizations.enums import Role


@dataclass(frozen=True)
class Card:
    title: str
    description: str
    url: str = ""


def cards_for(role):
    match role:
        case Role.JOB_SEEKER:
            return [
                Card("Mes candidatures", "Suivez les candidatures envoyées aux employeurs inclusifs."),
                Card("Mon PASS IAE", "Consultez votre PASS IAE, ses dates et téléchargez votre attestation."),
                Card("Mon profil", "Vérifiez vos informations personnelles et votre situation."),
            ]
        case Role.EMPLOYER:
            return [
                Card("Candidatures reçues", "Traitez les candidatures : à étudier, en attente, vivier."),
                Card("Fiches de poste", "Publiez vos offres et ouvrez ou fermez le recrutement."),
                Card("Collaborateurs", "Invitez les membres de votre structure et gérez les administrateurs."),
                Card("PASS IAE", "Suivez les PASS IAE de vos salariés, suspensions et prolongations."),
            ]
        case Role.AUTHORIZED_PRESCRIBER:
            return [
                Card("Candidatures envoyées", "Suivez les candidatures envoyées par vous et votre organisation."),
                Card("Diagnostics d'éligibilité", "Validez l'éligibilité IAE des personnes que vous accompagnez."),
                Card("Demandes de prolongation", "Traitez les demandes de prolongation de PASS IAE."),
                Card("Collaborateurs", "Invitez les membres de votre organisation."),
            ]
        case Role.ORIENTEUR:
            return [
                Card("Candidatures envoyées", "Suivez les candidatures envoyées par vous et votre organisation."),
                Card("Orienter un candidat", "Créez le compte d'une personne et orientez-la vers un employeur."),
                Card("Collaborateurs", "Invitez les membres de votre organisation."),
            ]
        case Role.INSTITUTION_MEMBER:
            return [
                Card("Statistiques", "Suivez l'activité de l'IAE sur votre territoire."),
                Card("Contrôle a posteriori", "Contrôlez les auto-prescriptions des SIAE."),
                Card("Collaborateurs", "Invitez les membres de votre institution."),
            ]
        case Role.STAFF:
            return [
                Card(
                    "Administration",
                    "Gérez les utilisateurs, les organisations et les habilitations.",
                    reverse("admin:index"),
                ),
            ]
    return []
