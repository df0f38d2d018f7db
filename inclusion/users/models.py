import hashlib
import hmac
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower, Upper
from django.utils import timezone

from inclusion.users import enums, validators


class UserQuerySet(models.QuerySet):
    def job_seekers(self):
        return self.filter(kind=enums.UserKind.JOB_SEEKER)

    def professionals(self):
        return self.filter(kind=enums.UserKind.PROFESSIONAL)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        # organizations.md §2: e-mails are unique regardless of case; stored lower-cased.
        return email.strip().lower() if email else None

    def get_by_natural_key(self, email):
        email = self.normalize_email(email)
        if not email:  # accounts without e-mail (created by a proxy) cannot log in with one
            raise self.model.DoesNotExist
        return self.get(email=email)

    def create_user(self, email=None, password=None, **fields):
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(kind=enums.UserKind.STAFF, is_staff=True, is_superuser=True, email_verified_at=timezone.now())
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("adresse e-mail", unique=True, null=True, blank=True)
    kind = models.CharField("type", max_length=20, choices=enums.UserKind.choices)
    title = models.CharField("civilité", max_length=3, choices=enums.Title.choices, blank=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    identity_provider = models.CharField(
        "fournisseur d'identité",
        max_length=20,
        choices=enums.IdentityProvider.choices,
        default=enums.IdentityProvider.DJANGO,
    )
    created_by = models.ForeignKey(
        "self",
        verbose_name="créé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Address (organizations.md §2), geolocated from the commune.
    address_line_1 = models.CharField("adresse", max_length=255, blank=True)
    address_line_2 = models.CharField("complément d'adresse", max_length=255, blank=True)
    post_code = models.CharField("code postal", max_length=5, blank=True, validators=[validators.validate_post_code])
    city = models.CharField("ville", max_length=255, blank=True)
    commune = models.ForeignKey(
        "geo.Commune", verbose_name="commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField("accès à l'administration", default=False)
    date_joined = models.DateTimeField("date d'inscription", default=timezone.now)
    email_verified_at = models.DateTimeField("adresse e-mail confirmée le", null=True, blank=True)
    first_login = models.DateTimeField("première connexion", null=True, blank=True)
    last_checked_at = models.DateTimeField("dernière confirmation des informations", default=timezone.now)
    terms_accepted_at = models.DateTimeField("date d'acceptation des CGU", null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "utilisateur"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email__isnull=True) | models.Q(email=Lower("email")),
                name="user_email_lower_case",
                violation_error_message="L'adresse e-mail doit être enregistrée en minuscules.",
            ),
            # organizations.md §1.1: FranceConnect and France Travail Connect for job seekers, ProConnect for
            # professionals; e-mail + password for anyone.
            models.CheckConstraint(
                condition=models.Q(identity_provider=enums.IdentityProvider.DJANGO)
                | models.Q(
                    kind=enums.UserKind.JOB_SEEKER,
                    identity_provider__in=[enums.IdentityProvider.FRANCE_CONNECT, enums.IdentityProvider.FT_CONNECT],
                )
                | models.Q(kind=enums.UserKind.PROFESSIONAL, identity_provider=enums.IdentityProvider.PRO_CONNECT),
                name="user_identity_provider_matches_kind",
                violation_error_message="Ce fournisseur d'identité n'est pas ouvert à ce type de compte.",
            ),
            # organizations.md §1.1: only staff may reach the back-office, and staff always can.
            models.CheckConstraint(
                condition=models.Q(kind=enums.UserKind.STAFF, is_staff=True)
                | (~models.Q(kind=enums.UserKind.STAFF) & models.Q(is_staff=False, is_superuser=False)),
                name="user_staff_kind_consistent",
                violation_error_message=(
                    "Seuls les administrateurs ont accès à l'administration, et ils y ont tous accès."
                ),
            ),
        ]
        indexes = [models.Index(fields=["kind"], name="user_kind_idx")]

    def __str__(self):
        return self.get_full_name() or self.email or str(self.public_id)

    def save(self, *args, **kwargs):
        self.email = User.objects.normalize_email(self.email)
        if self.kind == enums.UserKind.STAFF:
            self.is_staff = True
        super().save(*args, **kwargs)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name.upper()}".strip()

    def get_inverted_full_name(self):
        return f"{self.last_name.upper()} {self.first_name}".strip()

    def get_short_name(self):
        return self.first_name

    @property
    def is_job_seeker(self):
        return self.kind == enums.UserKind.JOB_SEEKER

    @property
    def is_professional(self):
        return self.kind == enums.UserKind.PROFESSIONAL

    @property
    def is_staff_member(self):
        return self.kind == enums.UserKind.STAFF


class JobSeekerProfile(models.Model):
    """What the platform knows of a job seeker beyond the account (organizations.md §3)."""

    user = models.OneToOneField(
        User, verbose_name="candidat", on_delete=models.CASCADE, related_name="jobseeker_profile"
    )
    birthdate = models.DateField(
        "date de naissance", null=True, blank=True, validators=[validators.validate_birthdate]
    )
    birth_country = models.ForeignKey(
        "geo.Country", verbose_name="pays de naissance", on_delete=models.PROTECT, null=True, blank=True
    )
    # organizations.md §3: required iff born in France (checked by the forms: staff may hold incomplete data).
    birth_place = models.ForeignKey(
        "geo.Commune",
        verbose_name="commune de naissance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    nir = models.CharField(
        "numéro de sécurité sociale", max_length=15, blank=True, validators=[validators.validate_nir]
    )
    lack_of_nir_reason = models.CharField(
        "raison de l'absence de numéro de sécurité sociale",
        max_length=30,
        choices=enums.LackOfNIRReason.choices,
        blank=True,
    )
    pole_emploi_id = models.CharField(
        "identifiant France Travail", max_length=11, blank=True, validators=[validators.validate_france_travail_id]
    )
    lack_of_pole_emploi_id_reason = models.CharField(
        "raison de l'absence d'identifiant France Travail",
        max_length=30,
        choices=enums.LackOfFranceTravailIdReason.choices,
        blank=True,
    )
    # 30 hexadecimal characters sent to the ASP instead of any internal id.
    asp_uid = models.CharField("identifiant ASP", max_length=30, unique=True, editable=False)

    # Administrative situation, with the ASP codes.
    education_level = models.CharField(
        "niveau de formation", max_length=2, choices=enums.EducationLevel.choices, blank=True
    )
    resourceless = models.BooleanField("sans ressources", default=False)
    rqth_employee = models.BooleanField("bénéficiaire de la RQTH", default=False)
    oeth_employee = models.BooleanField("bénéficiaire de l'OETH", default=False)
    pole_emploi_since = models.CharField(
        "inscrit à France Travail depuis", max_length=2, choices=enums.DurationCode.choices, blank=True
    )
    unemployed_since = models.CharField(
        "sans emploi depuis", max_length=2, choices=enums.DurationCode.choices, blank=True
    )
    has_rsa_allocation = models.CharField(
        "bénéficiaire du RSA", max_length=6, choices=enums.RSAAllocation.choices, default=enums.RSAAllocation.NO
    )
    rsa_allocation_since = models.CharField(
        "allocataire du RSA depuis", max_length=2, choices=enums.DurationCode.choices, blank=True
    )
    ass_allocation_since = models.CharField(
        "allocataire de l'ASS depuis", max_length=2, choices=enums.DurationCode.choices, blank=True
    )
    aah_allocation_since = models.CharField(
        "allocataire de l'AAH depuis", max_length=2, choices=enums.DurationCode.choices, blank=True
    )
    are_allocation_since = models.CharField(
        "allocataire de l'ARE depuis", max_length=2, choices=enums.DurationCode.choices, blank=True
    )
    activity_bonus_since = models.CharField(
        "bénéficiaire de la prime d'activité depuis", max_length=2, choices=enums.DurationCode.choices, blank=True
    )
    # EITI only (business creation).
    cape_freelance = models.BooleanField("bénéficiaire du dispositif CAPE", default=False)
    cesa_freelance = models.BooleanField("bénéficiaire du dispositif CESA", default=False)
    actor_met_for_business_creation = models.CharField(
        "acteur rencontré pour la création d'entreprise", max_length=100, blank=True
    )
    mean_monthly_income_before_process = models.PositiveIntegerField(
        "revenu mensuel moyen avant l'entrée en parcours (€)", null=True, blank=True
    )
    # Social situation (used to pre-fill eligibility criteria).
    ase_exit = models.BooleanField("sortant de l'ASE", default=False)
    isolated_parent = models.BooleanField("parent isolé", default=False)
    housing_issue = models.BooleanField("sans hébergement ou hébergé", default=False)
    refugee = models.BooleanField("bénéficiaire de la protection internationale", default=False)
    detention_exit_or_ppsmj = models.BooleanField("sortant de détention ou PPSMJ", default=False)
    low_level_in_french = models.BooleanField("niveau de français inférieur au A1", default=False)
    mobility_issue = models.BooleanField("problème de mobilité", default=False)

    # Follow-up.
    is_stalled = models.BooleanField("sans solution", default=False)
    is_not_stalled_anymore = models.BooleanField("n'est plus sans solution (saisie manuelle)", default=False)
    created_by_prescriber_organization = models.ForeignKey(
        "prescribers.PrescriberOrganization",
        verbose_name="créé par l'organisation prescriptrice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "profil candidat"
        verbose_name_plural = "profils candidats"
        constraints = [
            models.UniqueConstraint(
                fields=["nir"],
                condition=~models.Q(nir=""),
                name="jobseekerprofile_nir_unique",
                violation_error_message="Ce numéro de sécurité sociale est déjà associé à un autre candidat.",
            ),
            models.CheckConstraint(
                condition=models.Q(nir=Upper("nir")),
                name="jobseekerprofile_nir_normalized",
                violation_error_message="Le numéro de sécurité sociale doit être enregistré en majuscules.",
            ),
            models.CheckConstraint(
                condition=models.Q(nir="") | models.Q(lack_of_nir_reason=""),
                name="jobseekerprofile_nir_xor_lack_reason",
                violation_error_message=(
                    "Renseignez soit le numéro de sécurité sociale, soit la raison de son absence, pas les deux."
                ),
            ),
            models.CheckConstraint(
                condition=(models.Q(has_rsa_allocation=enums.RSAAllocation.NO) & models.Q(rsa_allocation_since=""))
                | (~models.Q(has_rsa_allocation=enums.RSAAllocation.NO) & ~models.Q(rsa_allocation_since="")),
                name="jobseekerprofile_rsa_duration_iff_rsa",
                violation_error_message=(
                    "La durée au RSA est à renseigner si et seulement si la personne touche le RSA."
                ),
            ),
        ]

    def __str__(self):
        return f"Profil de {self.user}"

    def save(self, *args, **kwargs):
        # One spelling per NIR, whatever the entry point (form, admin, API), so that uniqueness holds.
        self.nir = validators.normalize_nir(self.nir)
        if not self.asp_uid:
            self.asp_uid = asp_uid_for(self.user_id)
        super().save(*args, **kwargs)


def asp_uid_for(user_id: int) -> str:
    # A keyed hash: stable for a person, and revealing nothing of our ids to the ASP.
    return hmac.new(settings.SECRET_KEY.encode(), str(user_id).encode(), hashlib.sha256).hexdigest()[:30]


class JobSeekerAssignment(models.Model):
    """A professional following a job seeker, for one organization (organizations.md §5.5).

    The most recently updated assignment of an active professional names the "dernier accompagnateur connu"; an
    authorized prescriber organization with an assignment "follows" the job seeker (pass_iae.md §17).
    """

    job_seeker = models.ForeignKey(User, verbose_name="candidat", on_delete=models.CASCADE, related_name="assignments")
    professional = models.ForeignKey(
        User, verbose_name="professionnel", on_delete=models.CASCADE, related_name="job_seeker_assignments"
    )
    prescriber_organization = models.ForeignKey(
        "prescribers.PrescriberOrganization",
        verbose_name="organisation prescriptrice",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="job_seeker_assignments",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name="entreprise",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="job_seeker_assignments",
    )
    last_action = models.CharField("dernière action", max_length=20, choices=enums.AssignmentAction.choices)
    is_unknown_advisor = models.BooleanField("conseiller inconnu", default=False)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("mise à jour le", default=timezone.now)

    class Meta:
        verbose_name = "accompagnement d'un candidat"
        verbose_name_plural = "accompagnements de candidats"
        constraints = [
            # Unique per (job seeker, professional, organization), the organization being optional; written as
            # three partial constraints because SQLite ignores NULLS NOT DISTINCT.
            models.UniqueConstraint(
                fields=["job_seeker", "professional", "prescriber_organization"],
                condition=models.Q(prescriber_organization__isnull=False),
                name="assignment_unique_prescriber",
            ),
            models.UniqueConstraint(
                fields=["job_seeker", "professional", "company"],
                condition=models.Q(company__isnull=False),
                name="assignment_unique_company",
            ),
            models.UniqueConstraint(
                fields=["job_seeker", "professional"],
                condition=models.Q(prescriber_organization__isnull=True, company__isnull=True),
                name="assignment_unique_alone",
            ),
            models.CheckConstraint(
                condition=models.Q(prescriber_organization__isnull=True) | models.Q(company__isnull=True),
                name="assignment_one_organization",
            ),
            models.CheckConstraint(
                condition=models.Q(is_unknown_advisor=False)
                | models.Q(prescriber_organization__isnull=False)
                | models.Q(company__isnull=False),
                name="assignment_unknown_advisor_org",
            ),
        ]

    def __str__(self):
        return f"{self.professional} accompagne {self.job_seeker}"


def upsert_assignment(*, job_seeker, professional, action, prescriber_organization=None, company=None, now=None):
    """Create or refresh the assignment of a professional to a job seeker (organizations.md §5.5)."""
    now = now or timezone.now()
    assignment, created = JobSeekerAssignment.objects.get_or_create(
        job_seeker=job_seeker,
        professional=professional,
        prescriber_organization=prescriber_organization,
        company=company,
        defaults={"last_action": action, "created_at": now, "updated_at": now},
    )
    if not created:
        assignment.last_action = action
        assignment.updated_at = now
        assignment.save(update_fields=["last_action", "updated_at"])
    return assignment


class IdentityCertification(models.Model):
    """A State source confirmed the identity of a job seeker (eligibility.md §6.3)."""

    job_seeker = models.ForeignKey(
        User, verbose_name="candidat", on_delete=models.CASCADE, related_name="identity_certifications"
    )
    certifier = models.CharField("source", max_length=20, choices=enums.IdentityCertifier.choices)
    certified_at = models.DateTimeField("certifiée le", default=timezone.now)

    class Meta:
        verbose_name = "certification d'identité"
        verbose_name_plural = "certifications d'identité"
        constraints = [
            models.UniqueConstraint(fields=["job_seeker", "certifier"], name="identity_certification_unique")
        ]

    def __str__(self):
        return f"Identité de {self.job_seeker} certifiée par {self.get_certifier_display()}"


class TOTPDeviceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(disabled_at__isnull=True)

    def confirmed(self):
        return self.active().filter(confirmed_at__isnull=False)


class TOTPDevice(models.Model):
    """An authenticator application of a staff member: the second factor (platform_rules.md §3).

    A device is pending until its first code is typed (`confirmed_at`), then used at every login until it is
    disabled; disabled devices are kept 90 days (platform_rules.md §1.4), then purged.
    """

    user = models.ForeignKey(User, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="totp_devices")
    name = models.CharField("nom", max_length=100, default="Application d'authentification")
    # Fernet token of the raw secret (inclusion/users/two_factor_totp.py): useless without the encryption key.
    encrypted_secret = models.CharField("secret chiffré", max_length=255, editable=False)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    confirmed_at = models.DateTimeField("activé le", null=True, blank=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    # The time step of the last accepted code: a code is never accepted twice (RFC 6238 §5.2).
    last_used_step = models.BigIntegerField("dernier pas de temps utilisé", null=True, blank=True, editable=False)
    # Wrong codes of the current 15-minute window (inclusion/users/two_factor.py).
    failed_attempts = models.PositiveSmallIntegerField("codes erronés", default=0, editable=False)
    first_failed_at = models.DateTimeField("premier code erroné le", null=True, blank=True, editable=False)
    disabled_at = models.DateTimeField("désactivé le", null=True, blank=True)

    objects = TOTPDeviceQuerySet.as_manager()

    class Meta:
        verbose_name = "application d'authentification"
        verbose_name_plural = "applications d'authentification"
        constraints = [
            # One device in use (pending or confirmed) per person: the one the login asks for.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(disabled_at__isnull=True),
                name="totp_device_one_active_per_user",
                violation_error_message="Cette personne a déjà une application d'authentification active.",
            ),
        ]
        indexes = [models.Index(fields=["disabled_at"], name="totp_device_disabled_at_idx")]

    def __str__(self):
        return f"{self.name} de {self.user}"


class BackupCode(models.Model):
    """A one-time code that replaces the application once, when the phone is lost (platform_rules.md §3)."""

    device = models.ForeignKey(
        TOTPDevice, verbose_name="application", on_delete=models.CASCADE, related_name="backup_codes"
    )
    code_hash = models.CharField("empreinte du code", max_length=64, editable=False)
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)

    class Meta:
        verbose_name = "code de secours"
        verbose_name_plural = "codes de secours"
        constraints = [models.UniqueConstraint(fields=["device", "code_hash"], name="backup_code_unique_per_device")]

    def __str__(self):
        return f"Code de secours de {self.device.user}"
