"""The applications part of the demo: an inbox with something in every pending column, sent lists for both
prescribers, and a job seeker with a history.

Every application is created by the submission service and moved by the state machine, as the wizard and the
employer's buttons would do, so their history pages show real transitions. Dates are relative to now.
"""

import datetime

from django.utils import timezone

from inclusion.applications import transitions
from inclusion.applications.enums import RefusalReason, SenderKind
from inclusion.applications.models import JobApplication
from inclusion.applications.submission import submit
from inclusion.eligibility.rules import save_prescriber_diagnosis


def first_open_job(company):
    return list(company.job_descriptions.filter(is_active=True).order_by("pk")[:1])


def load_applications_demo(
    *, employer, aci, geiq, prescriber, prescriber_organization, orienteur, orienteur_organization, job_seekers
):
    """Idempotent: does nothing once the orienteur has sent an application."""
    if JobApplication.objects.filter(sender=orienteur).exists():
        return
    ibrahima, sandrine, lea = job_seekers
    now = timezone.now()

    def days_ago(days):
        return now - datetime.timedelta(days=days)

    def from_orienteur(job_seeker, company, days, message):
        return submit(
            job_seeker=job_seeker,
            company=company,
            sender=orienteur,
            sender_kind=SenderKind.PRESCRIBER,
            sender_prescriber_organization=orienteur_organization,
            selected_jobs=first_open_job(company),
            message=message,
            now=days_ago(days),
        ).job_application

    def from_prescriber(job_seeker, company, days, message):
        return submit(
            job_seeker=job_seeker,
            company=company,
            sender=prescriber,
            sender_kind=SenderKind.PRESCRIBER,
            sender_prescriber_organization=prescriber_organization,
            selected_jobs=first_open_job(company),
            message=message,
            now=days_ago(days),
        ).job_application

    # New, from the association: the ACI has not opened it yet.
    from_orienteur(
        ibrahima,
        aci,
        2,
        "Ibrahima a travaillé deux saisons en maraîchage et souhaite reprendre une activité en extérieur.",
    )
    # Under study, from France Travail, with a diagnosis: the ACI may hire directly.
    save_prescriber_diagnosis(
        job_seeker=sandrine,
        author=prescriber,
        organization=prescriber_organization,
        codes=["RSA", "DELD"],
        now=days_ago(12),
    )
    under_study = from_prescriber(
        sandrine, aci, 10, "Mme Payet est disponible immédiatement ; son diagnostic d'éligibilité est validé."
    )
    transitions.process(under_study, user=employer)
    # The same person, also oriented to the GEIQ: pending there too, so an acceptance at the ACI shows
    # "Embauché ailleurs" at the GEIQ.
    from_prescriber(sandrine, geiq, 9, "Mme Payet souhaite aussi se former aux métiers du bâtiment.")
    # Postponed: the job seeker applied herself.
    own = submit(
        job_seeker=lea,
        company=aci,
        sender=lea,
        sender_kind=SenderKind.JOB_SEEKER,
        selected_jobs=first_open_job(aci),
        message="Bonjour, je suis intéressée par le travail en cuisine et je suis disponible le matin.",
        now=days_ago(20),
    ).job_application
    transitions.postpone(
        own, user=employer, answer="Nous vous recontacterons dès l'ouverture de la prochaine session de recrutement."
    )
    # In the pool, then refused elsewhere: the orienteur sees both answers in their sent list.
    pooled = from_orienteur(lea, geiq, 30, "Léa cherche un premier emploi dans le bâtiment.")
    transitions.add_to_pool(pooled, user=employer, answer="Votre candidature est conservée dans notre vivier.")
    refused = from_orienteur(ibrahima, geiq, 40, "Ibrahima est intéressé par la maçonnerie.")
    transitions.refuse(
        refused,
        user=employer,
        reason=RefusalReason.NO_POSITION,
        answer="Nous n'avons pas de poste ouvert en ce moment, nous reviendrons vers vous.",
        answer_to_prescriber="Aucune entrée en formation avant le printemps.",
        shared=True,
    )
