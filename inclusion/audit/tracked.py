"""The models and fields of the audit trail, in one list (platform_rules.md §1.4).

Add a model here and its creations, deletions and changes of the listed fields are recorded (see recorder.py);
give its admin `AuditHistoryMixin` for the "Historique des modifications" link. Fields not listed are not recorded:
technical ones (timestamps, the France Travail outbox status), free texts that may tell a personal story, and never a
secret (password hash, TOTP key: refused below).

`parent` names the foreign key of the object a change belongs to (a suspension belongs to its PASS): that object's
history shows it. `label` reads only the instance's own columns: no query, and no name or e-mail (an entry outlives
its object; staff open the object for the rest). `field_labels` names in French the fields whose model has no
verbose name.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured

# Whatever the list says, these never reach the audit table.
FORBIDDEN_FIELD_MARKERS = ("password", "secret", "token", "totp", "otp")


@dataclass(frozen=True)
class Tracked:
    fields: tuple[str, ...]
    parent: str = ""
    label: Callable | None = None
    field_labels: dict = field(default_factory=dict)


def _approval_label(approval):
    return f"PASS IAE {approval.number_with_spaces}"


def _criterion_label(selected):
    return f"critère {selected.administrative_criteria_id} du diagnostic n° {selected.eligibility_diagnosis_id}"


CRITERION_FIELD_LABELS = {"eligibility_diagnosis": "diagnostic", "administrative_criteria": "critère"}


def _membership_label(membership):
    return f"{membership._meta.verbose_name} n° {membership.pk} (utilisateur n° {membership.user_id})"


USER_IDENTITY = (
    "email",
    "kind",
    "title",
    "first_name",
    "last_name",
    "phone",
    "address_line_1",
    "address_line_2",
    "post_code",
    "city",
    "commune",
    "identity_provider",
    "is_active",
    "is_staff",
    "is_superuser",
)
MEMBERSHIP = ("user", "organization", "is_active", "is_admin")
DIAGNOSIS_AUTHOR = ("job_seeker", "author", "author_kind", "author_prescriber_organization", "expires_at")
PROLONGATION_COMMON = (
    "approval",
    "start_at",
    "end_at",
    "reason",
    "declared_by",
    "declared_by_siae",
    "prescriber_organization",
)

TRACKED = {
    # Job seeker identity (organizations.md §2, §3).
    "users.User": Tracked(fields=USER_IDENTITY),
    "users.JobSeekerProfile": Tracked(
        fields=(
            "user",
            "nir",
            "lack_of_nir_reason",
            "birthdate",
            "birth_country",
            "birth_place",
            "pole_emploi_id",
            "lack_of_pole_emploi_id_reason",
        ),
        parent="user",
    ),
    "users.IdentityCertification": Tracked(fields=("job_seeker", "certifier", "certified_at"), parent="job_seeker"),
    # PASS IAE (pass_iae.md): the dates, and what they rest on.
    "approvals.Approval": Tracked(
        fields=("number", "user", "start_at", "end_at", "origin", "eligibility_diagnosis"), label=_approval_label
    ),
    "approvals.CancelledApproval": Tracked(
        fields=("number", "start_at", "end_at"), label=lambda cancelled: f"PASS IAE annulé {cancelled.number}"
    ),
    "approvals.Suspension": Tracked(fields=("approval", "start_at", "end_at", "reason", "siae"), parent="approval"),
    "approvals.Prolongation": Tracked(fields=(*PROLONGATION_COMMON, "validated_by", "request"), parent="approval"),
    "approvals.ProlongationRequest": Tracked(
        fields=(
            *PROLONGATION_COMMON,
            "status",
            "assigned_to",
            "processed_at",
            "processed_by",
            "deny_reason",
        ),
        parent="approval",
    ),
    # Eligibility diagnoses (eligibility.md §2, §7) and their criteria.
    "eligibility.EligibilityDiagnosis": Tracked(fields=(*DIAGNOSIS_AUTHOR, "author_siae")),
    "eligibility.GEIQEligibilityDiagnosis": Tracked(fields=(*DIAGNOSIS_AUTHOR, "author_geiq")),
    "eligibility.SelectedAdministrativeCriteria": Tracked(
        fields=("eligibility_diagnosis", "administrative_criteria"),
        parent="eligibility_diagnosis",
        label=_criterion_label,
        field_labels=CRITERION_FIELD_LABELS,
    ),
    "eligibility.GEIQSelectedAdministrativeCriteria": Tracked(
        fields=("eligibility_diagnosis", "administrative_criteria"),
        parent="eligibility_diagnosis",
        label=_criterion_label,
        field_labels=CRITERION_FIELD_LABELS,
    ),
    # Memberships (organizations.md §6), shown in the history of their organization.
    "companies.CompanyMembership": Tracked(fields=MEMBERSHIP, parent="organization", label=_membership_label),
    "prescribers.PrescriberMembership": Tracked(fields=MEMBERSHIP, parent="organization", label=_membership_label),
    "institutions.InstitutionMembership": Tracked(fields=MEMBERSHIP, parent="organization", label=_membership_label),
    # Authorization status (organizations.md §9.2), and what it depends on.
    "prescribers.PrescriberOrganization": Tracked(
        fields=("name", "kind", "siret", "is_brsa", "authorization_status"),
        label=lambda organization: organization.name,
    ),
}


@dataclass(frozen=True)
class TrackedModel:
    """A `Tracked` entry resolved against its model: the model fields, checked at start-up."""

    model: type
    fields: tuple = field(repr=False)
    parent: object = None
    label: Callable | None = None
    field_labels: dict = field(default_factory=dict)

    def object_label(self, instance) -> str:
        if self.label is not None:
            return self.label(instance)[:255]
        return f"{self.model._meta.verbose_name} n° {instance.pk}"

    def field_label(self, name: str) -> str:
        """The French name of a tracked field, as the back-office shows it."""
        if name in self.field_labels:
            return self.field_labels[name]
        try:
            return str(self.model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:  # a field removed since the entry was written
            return name


def _resolve(label: str, tracked: Tracked) -> TrackedModel:
    model = apps.get_model(label)
    fields = tuple(model._meta.get_field(name) for name in tracked.fields)
    for model_field in fields:
        if any(marker in model_field.name for marker in FORBIDDEN_FIELD_MARKERS):
            raise ImproperlyConfigured(f"Audit : le champ secret {label}.{model_field.name} ne peut pas être suivi.")
        if not model_field.concrete or model_field.many_to_many:
            raise ImproperlyConfigured(f"Audit : {label}.{model_field.name} n'est pas une colonne de la table.")
    parent = model._meta.get_field(tracked.parent) if tracked.parent else None
    return TrackedModel(
        model=model, fields=fields, parent=parent, label=tracked.label, field_labels=tracked.field_labels
    )


def resolve_tracked() -> dict[type, TrackedModel]:
    """Every tracked model with its fields; an unknown or secret field stops the start-up."""
    return {tracked_model.model: tracked_model for tracked_model in (_resolve(*item) for item in TRACKED.items())}
