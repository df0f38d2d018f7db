"""What companies, prescriber organizations and institutions share: identity, address, memberships."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from inclusion.users.validators import validate_post_code


class Organization(models.Model):
    uid = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nom", max_length=255)
    address_line_1 = models.CharField("adresse", max_length=255, blank=True)
    address_line_2 = models.CharField("complément d'adresse", max_length=255, blank=True)
    post_code = models.CharField("code postal", max_length=5, blank=True, validators=[validate_post_code])
    city = models.CharField("ville", max_length=255, blank=True)
    department = models.CharField("département", max_length=3, blank=True, db_index=True)
    commune = models.ForeignKey(
        "geo.Commune", verbose_name="commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Copied from the commune (or a geocoder later) so that distance searches read one table.
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    members_reminder_sent_at = models.DateTimeField("dernier rappel « vérifiez vos membres »", null=True, blank=True)

    # Set by subclasses: the key used in the organization switcher and in request.role.
    organization_type = ""

    class Meta:
        abstract = True

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.name

    @property
    def switch_key(self):
        return f"{self.organization_type}-{self.uid}"

    def set_location_from_commune(self, commune):
        """Address fields derived from the commune; the street stays what the user typed."""
        self.commune = commune
        if commune is not None:
            self.city = commune.name
            self.department = commune.department_code
            self.latitude, self.longitude = commune.latitude, commune.longitude

    @property
    def address_on_one_line(self):
        parts = [self.address_line_1, self.address_line_2, f"{self.post_code} {self.city}".strip()]
        return ", ".join(part for part in parts if part)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        # organizations.md §6: default queries return active memberships of active users only.
        return self.filter(is_active=True, user__is_active=True)

    def admins(self):
        return self.active().filter(is_admin=True)


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="membre", on_delete=models.CASCADE)
    joined_at = models.DateTimeField("date d'arrivée", default=timezone.now)
    is_admin = models.BooleanField("administrateur", default=False)
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modifié par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.user} ({self.organization})"

    def clean(self):
        # organizations.md §6: only professionals belong to organizations.
        if self.user_id and not self.user.is_professional:
            raise ValidationError({"user": "Seul un professionnel peut être membre d'une organisation."})


def membership_constraints(prefix: str):
    """The invariants every membership table holds (organizations.md §6)."""
    return [
        models.UniqueConstraint(fields=["user", "organization"], name=f"{prefix}_membership_unique"),
        models.CheckConstraint(
            condition=models.Q(is_active=True) | models.Q(is_admin=False),
            name=f"{prefix}_membership_inactive_not_admin",
            violation_error_message="Un membre désactivé ne peut pas être administrateur.",
        ),
    ]


# organizations.md §7.
INVITATION_DEFAULT_VALIDITY_DAYS = 14
INVITATION_MAX_VALIDITY_DAYS = 90
MAX_PENDING_INVITATIONS = 50


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        return self.filter(accepted_at__isnull=True, expires_at__gt=now or timezone.now())

    def for_email(self, email):
        return self.filter(email=email.strip().lower())


class Invitation(models.Model):
    """An e-mailed offer to join an organization; subclasses add the `organization` foreign key.

    README.md §2.2: expired ⇔ now ≥ sent_at + validity days. The end is stored (`expires_at`) so that
    "pending" is one indexed filter.
    """

    uid = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("e-mail")
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    validity_days = models.PositiveSmallIntegerField(
        "durée de validité (jours)", default=INVITATION_DEFAULT_VALIDITY_DAYS
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="envoyée par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    sent_at = models.DateTimeField("envoyée le", default=timezone.now)
    expires_at = models.DateTimeField("expire le", editable=False)
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.email} → {self.organization}"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        self.expires_at = self.sent_at + datetime.timedelta(days=self.validity_days)
        super().save(*args, **kwargs)

    def is_expired(self, now=None):
        return (now or timezone.now()) >= self.expires_at

    def is_pending(self, now=None):
        return self.accepted_at is None and not self.is_expired(now)


def invitation_constraints(prefix: str):
    """The invariants every invitation table holds (organizations.md §7)."""
    return [
        models.CheckConstraint(
            condition=models.Q(validity_days__gte=1, validity_days__lte=INVITATION_MAX_VALIDITY_DAYS),
            name=f"{prefix}_invitation_validity_range",
            violation_error_message="Une invitation est valable de 1 à 90 jours.",
        ),
        models.CheckConstraint(
            condition=models.Q(email=Lower("email")),
            name=f"{prefix}_invitation_email_lower",
        ),
    ]


def invitation_indexes(prefix: str):
    """Pending invitations of an address (accepted at every login) and of an organization (members page)."""
    pending = models.Q(accepted_at__isnull=True)
    return [
        models.Index(fields=["email", "expires_at"], condition=pending, name=f"{prefix}_invit_email_idx"),
        models.Index(fields=["organization", "expires_at"], condition=pending, name=f"{prefix}_invit_org_idx"),
    ]
