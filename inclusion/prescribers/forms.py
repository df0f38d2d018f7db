"""Forms of the professional signup: the account, and the prescriber organization (organizations.md §9.2, §9.3)."""

from django import forms
from django.db import transaction
from django.db.models import Q

from inclusion.geo.models import Commune, Department
from inclusion.geo.text import normalize_name
from inclusion.organizations.memberships import add_member
from inclusion.prescribers import authorization
from inclusion.prescribers.enums import KINDS_HIDDEN_AT_SIGNUP, PrescriberOrganizationKind
from inclusion.prescribers.models import PrescriberOrganization
from inclusion.prescribers.perms import can_create_prescriber_organization
from inclusion.users.forms import EMAIL_ERRORS, ProfessionalAccountForm
from inclusion.users.models import User
from inclusion.users.validators import validate_post_code, validate_safir, validate_siret
from inclusion.utils.forms import DsfrFormMixin

FRANCE_TRAVAIL_AGENT_ERROR = (
    "Les agents de France Travail ne créent pas d'organisation : demandez à un administrateur de votre agence de "
    "vous inviter, ou recherchez votre agence par son code SAFIR."
)


def digits_only(value):
    """What people paste: '123 456 789 00012' or '123.456.789.00012'."""
    return "".join(char for char in value if not char.isspace() and char not in ".-")


def signup_kind_choices():
    # organizations.md §9.1: alphabetical by label, without the kinds reserved to the support.
    kinds = sorted(
        (kind for kind in PrescriberOrganizationKind if kind not in KINDS_HIDDEN_AT_SIGNUP | {"Autre"}),
        key=lambda kind: normalize_name(kind.label),
    )
    return [
        ("", "Sélectionnez le type de votre organisation"),
        *[(kind.value, kind.label) for kind in kinds],
        (authorization.KIND_NOT_FOUND, "Je ne trouve pas mon type d'organisation"),
        (authorization.KIND_UNAUTHORIZED, "Mon organisation n'est pas habilitée (orienteur)"),
    ]


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, department):
        return f"{department.code} - {department.name}"


class OrganizationSearchForm(DsfrFormMixin, forms.Form):
    """Step 1: is the organization already registered? (organizations.md §9.3)."""

    siret = forms.CharField(
        label="SIRET de votre organisation",
        max_length=20,
        help_text=(
            "14 chiffres, par exemple 123 456 789 00012. Vous le trouverez sur annuaire-entreprises.data.gouv.fr."
        ),
    )
    department = DepartmentChoiceField(
        label="Département de votre organisation",
        queryset=Department.objects.order_by("code"),
        to_field_name="code",
        empty_label="Sélectionnez un département",
        error_messages={"invalid_choice": "Sélectionnez un département de la liste."},
    )

    def clean_siret(self):
        siret = digits_only(self.cleaned_data["siret"])
        validate_siret(siret)
        return siret

    def matching_organizations(self):
        """Registered organizations with members: same SIRET, or same SIREN in the department."""
        siret, department = self.cleaned_data["siret"], self.cleaned_data["department"].code
        return (
            PrescriberOrganization.objects.filter(memberships__is_active=True, memberships__user__is_active=True)
            .filter(Q(siret=siret) | Q(siret__startswith=siret[:9], department=department))
            .distinct()
            .order_by("name")
        )


class SafirSearchForm(DsfrFormMixin, forms.Form):
    """France Travail agencies have no SIRET of their own here: agents find theirs by SAFIR code (§9.3)."""

    safir = forms.CharField(
        label="Code SAFIR de votre agence France Travail", max_length=5, help_text="5 chiffres, par exemple 69031."
    )

    def clean_safir(self):
        safir = digits_only(self.cleaned_data["safir"])
        validate_safir(safir)
        return safir

    def matching_organizations(self):
        return PrescriberOrganization.objects.filter(
            kind=PrescriberOrganizationKind.FT, code_safir_pole_emploi=self.cleaned_data["safir"]
        )


def resolve_commune(post_code, city):
    """The commune of a post code; when several share it, the one whose name was typed (or None)."""
    communes = list(Commune.objects.served_by(post_code))
    wanted = normalize_name(city)
    named = [commune for commune in communes if normalize_name(commune.name) == wanted]
    if len(named) == 1:
        return named[0], communes
    return None, communes


class PrescriberSignupForm(ProfessionalAccountForm):
    """Step 2: the organization to create and its first member, who becomes its admin (§9.2, §9.3)."""

    kind = forms.ChoiceField(label="Type d'organisation", choices=signup_kind_choices)
    has_prefectoral_decision = forms.TypedChoiceField(
        label="Votre organisation a-t-elle une décision d'habilitation du préfet (arrêté ou convention) ?",
        help_text="À renseigner seulement si vous ne trouvez pas votre type d'organisation dans la liste.",
        choices=[("oui", "Oui, et je pourrai la transmettre au support"), ("non", "Non")],
        coerce=lambda value: value == "oui",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    siret = forms.CharField(label="SIRET", max_length=20, help_text="14 chiffres.")
    name = forms.CharField(label="Nom de l'organisation", max_length=255)
    address_line_1 = forms.CharField(
        label="Adresse", max_length=255, widget=forms.TextInput({"autocomplete": "address-line1"})
    )
    address_line_2 = forms.CharField(
        label="Complément d'adresse (facultatif)",
        max_length=255,
        required=False,
        widget=forms.TextInput({"autocomplete": "address-line2"}),
    )
    post_code = forms.CharField(
        label="Code postal",
        max_length=5,
        help_text="5 chiffres.",
        validators=[validate_post_code],
        widget=forms.TextInput({"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    city = forms.CharField(label="Commune", max_length=255, widget=forms.TextInput({"autocomplete": "address-level2"}))

    organization_field_names = [
        "kind",
        "has_prefectoral_decision",
        "siret",
        "name",
        "address_line_1",
        "address_line_2",
        "post_code",
        "city",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicate = None  # an organization of the same SIRET and kind, to request an invitation to
        self.commune = None

    def organization_fields(self):
        return [self[name] for name in self.organization_field_names]

    def clean_siret(self):
        siret = digits_only(self.cleaned_data["siret"])
        validate_siret(siret)
        return siret

    def clean_email(self):
        email = super().clean_email()
        if not can_create_prescriber_organization(email):
            raise forms.ValidationError(FRANCE_TRAVAIL_AGENT_ERROR)
        return email

    def clean(self):
        cleaned = super().clean()
        kind_choice = cleaned.get("kind")
        if kind_choice == authorization.KIND_NOT_FOUND and cleaned.get("has_prefectoral_decision") is None:
            self.add_error(
                "has_prefectoral_decision",
                "Vous ne trouvez pas votre type d'organisation : indiquez si elle a une décision d'habilitation du "
                "préfet.",
            )
        elif kind_choice:
            cleaned["organization_kind"], cleaned["authorization_status"] = authorization.kind_and_status_at_signup(
                kind_choice, has_prefectoral_decision=cleaned.get("has_prefectoral_decision")
            )
            self._check_duplicate(cleaned)
        self._clean_commune(cleaned)
        return cleaned

    def _check_duplicate(self, cleaned):
        # organizations.md §9.3: one organization per (SIRET, kind); the person asks to join it instead.
        if not cleaned.get("siret"):
            return
        self.duplicate = PrescriberOrganization.objects.filter(
            siret=cleaned["siret"], kind=cleaned["organization_kind"]
        ).first()
        if self.duplicate is not None:
            self.add_error(
                "siret",
                f"Une organisation de ce type est déjà inscrite avec ce SIRET : « {self.duplicate.display_name} ». "
                "Demandez à ses membres de vous inviter (lien ci-dessous).",
            )

    def _clean_commune(self, cleaned):
        post_code, city = cleaned.get("post_code"), cleaned.get("city")
        if not (post_code and city):
            return
        self.commune, candidates = resolve_commune(post_code, city)
        if self.commune is not None:
            return
        if not candidates:
            self.add_error("post_code", "Aucune commune ne correspond à ce code postal : vérifiez votre saisie.")
        else:
            names = ", ".join(sorted({commune.name for commune in candidates}))
            self.add_error("city", f"Cette commune ne correspond pas au code postal {post_code}. Communes : {names}.")

    @transaction.atomic
    def save(self):
        data = self.cleaned_data
        user = self.create_user()
        organization = PrescriberOrganization(
            kind=data["organization_kind"],
            authorization_status=data["authorization_status"],
            siret=data["siret"],
            name=data["name"],
            address_line_1=data["address_line_1"],
            address_line_2=data["address_line_2"],
            post_code=data["post_code"],
            created_by=user,
        )
        organization.set_location_from_commune(self.commune)
        organization.save()
        add_member(organization, user, by=user)
        if organization.authorization_status == authorization.Status.NOT_SET:
            authorization.notify_support_of_pending_organization(organization)
        return user, organization


class InvitationRequestForm(DsfrFormMixin, forms.Form):
    """organizations.md §9.3: someone asks the members of an organization to invite them."""

    first_name = forms.CharField(
        label="Prénom", max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(label="Nom", max_length=150, widget=forms.TextInput({"autocomplete": "family-name"}))
    email = forms.EmailField(
        label="Adresse e-mail professionnelle",
        max_length=254,
        help_text="L'invitation sera envoyée à cette adresse. Format attendu : nom@domaine.fr",
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    message = forms.CharField(
        label="Message (facultatif)",
        max_length=1000,
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text="Par exemple votre service ou votre fonction, pour que l'administrateur vous reconnaisse.",
    )

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"])
