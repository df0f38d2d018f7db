from django.db import models


class Role(models.TextChoices):
    """The role a user acts in for the current request (organizations.md §1.1)."""

    JOB_SEEKER = "job_seeker", "Candidat"
    EMPLOYER = "employer", "Employeur"
    ORIENTEUR = "orienteur", "Orienteur"
    AUTHORIZED_PRESCRIBER = "authorized_prescriber", "Prescripteur habilité"
    INSTITUTION_MEMBER = "institution_member", "Membre d'une institution"
    STAFF = "staff", "Administrateur"
