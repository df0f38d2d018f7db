"""The texts pre-filled in the employer's answers to the job seeker (applications.md §3, §7).

Written once, here: the refusal wizard pre-fills its message from `refusal_message_for`, the pool form from
`POOL_DEFAULT_ANSWER`. The employer edits them before sending. Each text ends with the company's name.
"""

from inclusion.applications.enums import RefusalReason

# applications.md §3: "add_to_pool: answer optional (default text)".
POOL_DEFAULT_ANSWER = (
    "Bonjour,\n\n"
    "Nous avons bien étudié votre candidature. Nous n'avons pas de poste à vous proposer pour le moment, mais votre "
    "profil nous intéresse : nous conservons votre candidature dans notre vivier et nous reviendrons vers vous dès "
    "qu'une opportunité correspondra à votre profil.\n\n"
    "Cordialement,\n{company}"
)

_OPENING = "Bonjour,\n\nNous vous remercions pour l'intérêt que vous portez à notre structure. "
_CLOSING = "\n\nNous vous souhaitons une bonne continuation dans vos démarches.\n\nCordialement,\n{company}"

# applications.md §7: one text per selectable reason.
_REFUSAL_BODIES = {
    RefusalReason.DID_NOT_COME: (
        "Malgré plusieurs tentatives, nous ne sommes pas parvenus à vous joindre pour donner suite à votre "
        "candidature. Nous ne pouvons donc pas la retenir."
    ),
    RefusalReason.DID_NOT_COME_TO_INTERVIEW: (
        "Vous ne vous êtes pas présenté(e) à l'entretien qui vous avait été proposé. Nous ne pouvons donc pas donner "
        "suite à votre candidature."
    ),
    RefusalReason.HIRED_ELSEWHERE: (
        "Nous avons appris que vous occupez actuellement un emploi. Nous ne donnons donc pas suite à votre "
        "candidature, et nous vous félicitons pour cette embauche."
    ),
    RefusalReason.TRAINING: (
        "Nous avons appris que vous suivez actuellement une formation. Nous ne donnons donc pas suite à votre "
        "candidature pour le moment."
    ),
    RefusalReason.NON_ELIGIBLE: (
        "Après étude, votre situation ne remplit pas les critères d'éligibilité à l'insertion par l'activité "
        "économique nécessaires pour ce poste. Nous ne pouvons donc pas retenir votre candidature. Votre conseiller "
        "ou un prescripteur habilité peut vous orienter vers d'autres solutions."
    ),
    RefusalReason.NOT_MOBILE: (
        "Le poste proposé nécessite de se rendre sur un lieu de travail qui ne semble pas compatible avec vos "
        "possibilités de déplacement. Nous ne pouvons donc pas retenir votre candidature."
    ),
    RefusalReason.NOT_INTERESTED: (
        "Lors de nos échanges, vous nous avez indiqué que le poste ne correspondait pas à vos attentes. Nous ne "
        "donnons donc pas suite à votre candidature."
    ),
    RefusalReason.LACKING_SKILLS: (
        "Après étude, votre profil ne correspond pas encore aux compétences requises pour ce poste. Nous ne pouvons "
        "donc pas retenir votre candidature pour le moment."
    ),
    RefusalReason.INCOMPATIBLE: (
        "Après étude, certaines contraintes de votre situation ne nous semblent pas compatibles avec le poste "
        "proposé pour le moment. Nous ne pouvons donc pas retenir votre candidature."
    ),
    RefusalReason.PREVENT_OBJECTIVES: (
        "Nous ne sommes malheureusement pas en mesure de donner une suite favorable à votre candidature pour le "
        "moment, pour des raisons liées à l'organisation de notre structure."
    ),
    RefusalReason.NO_POSITION: (
        "Nous n'avons malheureusement pas de poste disponible pour le moment. Nous ne pouvons donc pas donner suite "
        "à votre candidature."
    ),
    RefusalReason.DUPLICATE: (
        "Nous avons déjà reçu une autre candidature de votre part pour notre structure : nous lui donnerons suite et "
        "clôturons celle-ci."
    ),
    RefusalReason.OTHER: (
        "Après étude, nous ne sommes pas en mesure de donner une suite favorable à votre candidature."
    ),
}


def refusal_message_for(reason, *, company_name) -> str:
    """The message to the job seeker pre-filled for `reason` (applications.md §7, step 2 of the refusal wizard)."""
    body = _REFUSAL_BODIES.get(reason, _REFUSAL_BODIES[RefusalReason.OTHER])
    return (_OPENING + body + _CLOSING).format(company=company_name)


def pool_default_answer(*, company_name) -> str:
    return POOL_DEFAULT_ANSWER.format(company=company_name)


def refusal_reasons_with_message():
    """The reasons that have their own text (every selectable one: tests/applications check it)."""
    return set(_REFUSAL_BODIES)
