from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.db import transaction
from django.db.models import Case, When
from django.urls import reverse_lazy
from django.utils import timezone

from inclusion.companies.forms import autocomplete_input, find_commune
from inclusion.geo.models import Commune, Country
from inclusion.users import job_seeker_data, validators
from inclusion.users.email_verification import send_email_verification
from inclusion.users.enums import IdentityProvider, LackOfNIRReason, Title, UserKind
from inclusion.users.models import JobSeekerProfile, User
from inclusion.utils.forms import DsfrFormMixin

EMAIL_ERRORS = {"invalid": "Saisissez une adresse e-mail valide, par exemple nom@domaine.fr."}


class LoginForm(DsfrFormMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        help_text="Format attendu : nom@domaine.fr",
        error_messages=EMAIL_ERRORS,
    )
    password = forms.CharField(
        label="Mot de passe", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect. Vérifiez votre saisie et réessayez.",
        "inactive": "Ce compte est désactivé. Contactez le support si vous pensez qu'il s'agit d'une erreur.",
        "email_not_verified": (
            "Votre adresse e-mail n'est pas encore confirmée. Nous venons de vous envoyer un nouveau lien de "
            "confirmation : suivez-le pour activer votre compte."
        ),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # Only reached with the right password, so this reveals nothing about who has an account.
        if user.email_verified_at is None:
            send_email_verification(self.request, user)
            raise forms.ValidationError(self.error_messages["email_not_verified"], code="email_not_verified")


class PasswordResetForm(DsfrFormMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Format attendu : nom@domaine.fr",
        error_messages=EMAIL_ERRORS,
    )

    def get_users(self, email):
        """Django skips accounts without a usable password; an account created by a proxy (organizations.md §5.2)
        has none until the person chooses one, and must reach this page once its activation link has expired."""
        users = User.objects.filter(email=User.objects.normalize_email(email), is_active=True)
        return (
            user for user in users if user.has_usable_password() or user.identity_provider == IdentityProvider.DJANGO
        )


class SetPasswordForm(DsfrFormMixin, auth_forms.SetPasswordForm):
    pass


def unused_email(email):
    """A signup address, normalised, that no account uses yet."""
    email = User.objects.normalize_email(email)
    if User.objects.filter(email=email).exists():
        raise forms.ValidationError("Un compte existe déjà avec cette adresse e-mail : connectez-vous.")
    return email


class NewPasswordForm(forms.Form):
    """A password chosen twice, checked against the password policy (platform_rules.md §3, AUTH_PASSWORD_VALIDATORS)
    with the person's names and e-mail, so that a password made of them is refused. Every signup form extends it."""

    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=(
            "Au moins 16 caractères, dont 3 types parmi : minuscules, majuscules, chiffres, caractères spéciaux."
        ),
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("password1", "password2"):  # after the fields of the subclass, as people fill them in
            self.fields[name] = self.fields.pop(name)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        elif password1:
            try:
                password_validation.validate_password(password1, self.account_owner(cleaned))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def account_owner(self, cleaned):
        """The user-to-be, as far as the form knows them (for the similarity check)."""
        return User(
            email=cleaned.get("email", ""),
            first_name=cleaned.get("first_name", ""),
            last_name=cleaned.get("last_name", ""),
        )


class ProfessionalAccountForm(DsfrFormMixin, NewPasswordForm):
    """A professional account with e-mail and password (platform_rules.md §3): prescriber and employer signups."""

    first_name = forms.CharField(
        label="Prénom", max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(label="Nom", max_length=150, widget=forms.TextInput({"autocomplete": "family-name"}))
    email = forms.EmailField(
        label="Adresse e-mail professionnelle",
        max_length=254,
        help_text="Format attendu : nom@domaine.fr",
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    account_field_names = ["first_name", "last_name", "email", "password1", "password2"]

    def account_fields(self):
        return [self[name] for name in self.account_field_names]

    def clean_email(self):
        return unused_email(self.cleaned_data["email"])

    def create_user(self, *, email_verified=False):
        data = self.cleaned_data
        return User.objects.create_user(
            email=data["email"],
            password=data["password1"],
            kind=UserKind.PROFESSIONAL,
            identity_provider=IdentityProvider.DJANGO,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email_verified_at=timezone.now() if email_verified else None,
        )


# Job seeker fields shared by the signup, the proxy creation, the "completer" page and the profile -------------------
# (organizations.md §3, §4): one definition of each field and of each check, whatever the page.

UNKNOWN_BIRTH_PLACE = (
    "Commune inconnue : choisissez la commune de naissance dans la liste proposée, ou saisissez son nom suivi du "
    "département (par exemple « Lyon (69) »)."
)
BIRTH_PLACE_REQUIRED = "Indiquez la commune de naissance : elle est obligatoire pour une personne née en France."
NIR_OR_REASON_REQUIRED = "Saisissez le numéro de sécurité sociale ou la raison de son absence."
NIR_AND_REASON = "Un numéro de sécurité sociale est saisi : ne sélectionnez pas de raison d'absence."
NIR_TAKEN = (
    "Ce numéro de sécurité sociale est déjà associé à un compte. Contactez le support si ce n'est pas le vôtre."
)
FT_ID_OR_REASON_REQUIRED = "Saisissez l'identifiant France Travail ou la raison de son absence."


def nir_field(**kwargs):
    return forms.CharField(
        **{
            "label": "Numéro de sécurité sociale",
            "required": False,
            "max_length": 21,  # 15 characters, with the spaces people type between groups
            "help_text": "15 caractères, par exemple 2 84 05 75 115 423 12.",
            **kwargs,
        }
    )


def lack_of_nir_reason_field(label="Si la personne n'a pas de numéro de sécurité sociale, pourquoi ?"):
    return forms.ChoiceField(
        label=label, choices=[("", "Sélectionnez une raison")] + LackOfNIRReason.choices, required=False
    )


def birthdate_field(**kwargs):
    return forms.DateField(
        **{
            "label": "Date de naissance",
            "help_text": "Format attendu : JJ/MM/AAAA",
            "widget": forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
            "input_formats": ["%Y-%m-%d", "%d/%m/%Y"],
            "validators": [validators.validate_birthdate],
            **kwargs,
            "error_messages": {"required": "Indiquez la date de naissance.", **kwargs.get("error_messages", {})},
        }
    )


def birth_country_field(**kwargs):
    return forms.ModelChoiceField(
        **{
            "label": "Pays de naissance",
            # France first: most people are born there.
            "queryset": Country.objects.annotate(
                is_france=Case(When(insee_code=Country.FRANCE_INSEE_CODE, then=0), default=1)
            ).order_by("is_france", "name"),
            "empty_label": "Sélectionnez un pays",
            **kwargs,
            "error_messages": {
                "required": "Indiquez le pays de naissance.",
                "invalid_choice": "Choisissez un pays dans la liste.",
                **kwargs.get("error_messages", {}),
            },
        }
    )


def birth_place_field(**kwargs):
    return forms.CharField(
        **{
            "label": "Commune de naissance",
            "required": False,
            "max_length": 120,
            "help_text": "Obligatoire si la personne est née en France. Commencez à saisir le nom puis choisissez.",
            "widget": autocomplete_input(
                reverse_lazy("commune_autocomplete"), "id_birth_place_slug", "Par exemple : Lyon"
            ),
            **kwargs,
        }
    )


class NIRFieldsMixin:
    """`nir` and `lack_of_nir_reason`: one of the two (organizations.md §3), a valid NIR (§4.1) that no other account
    holds, consistent with the title and the birthdate of the same form (or of `nir_identity_fallback`)."""

    nir_owner_pk = None  # the account being edited: its own NIR is no duplicate
    nir_taken_message = NIR_TAKEN
    nir_or_reason_required_message = NIR_OR_REASON_REQUIRED
    nir_and_reason_message = NIR_AND_REASON
    nir_identity_fallback = {}  # title / birthdate when the form does not show them

    def clean_nir(self):
        nir = validators.normalize_nir(self.cleaned_data.get("nir") or "")
        if nir:
            validators.validate_nir(nir)
            if job_seeker_data.nir_holder(nir, exclude_pk=self.nir_owner_pk) is not None:
                raise forms.ValidationError(self.nir_taken_message)
        return nir

    def clean_nir_fields(self, cleaned):
        if "nir" not in self.fields:
            # The NIR is not editable here (already set): the typed title and birthdate must still match it.
            self._check_nir_identity(cleaned, self.nir_identity_fallback.get("nir"), error_field=None)
            return
        nir, reason = cleaned.get("nir"), cleaned.get("lack_of_nir_reason")
        if nir and reason:
            self.add_error("lack_of_nir_reason", self.nir_and_reason_message)
        elif not nir and not reason and "nir" not in self.errors:
            self.add_error("lack_of_nir_reason", self.nir_or_reason_required_message)
        self._check_nir_identity(cleaned, nir, error_field="nir")

    def _check_nir_identity(self, cleaned, nir, *, error_field):
        """organizations.md §4.1 consistency; errors go on the NIR when it was typed, else on the typed field."""
        if not nir:
            return
        for name in ("title", "birthdate"):
            value = cleaned.get(name) if name in self.fields else self.nir_identity_fallback.get(name)
            for error in validators.nir_identity_errors(nir, **{"title": None, "birthdate": None, name: value}):
                field = error_field or name
                self.add_error(field if field in self.fields else None, error)


class BirthPlaceFieldsMixin:
    """`birth_country` and `birth_place` (+ the hidden `birth_place_slug` the autocomplete fills): the birth place
    is required iff the birth country is France, and dropped otherwise (organizations.md §3)."""

    birth_place_owner = None  # the profile being edited, whose birth place a disabled (certified) field keeps

    def clean_birth_place(self):
        if self.fields["birth_place"].disabled:
            return self.birth_place_owner.birth_place if self.birth_place_owner else None
        typed = self.cleaned_data.get("birth_place") or ""
        if not typed.strip():
            return None
        commune = find_commune(self._posted_birth_place_slug(), typed)
        if commune is None:
            raise forms.ValidationError(UNKNOWN_BIRTH_PLACE)
        return commune

    def _posted_birth_place_slug(self):
        """The hidden slug as posted, read raw because it is cleaned after `birth_place`; a value no slug can be
        (a NUL character, which PostgreSQL refuses in a query, or an over-long one) counts as none."""
        slug = self.data.get(self.add_prefix("birth_place_slug"), "")
        if not isinstance(slug, str) or "\x00" in slug or len(slug) > Commune._meta.get_field("slug").max_length:
            return ""
        return slug

    def clean_birth_fields(self, cleaned):
        if "birth_country" not in self.fields or self.fields["birth_place"].disabled:
            return  # certified birth data is kept as it is (organizations.md §3)
        country = cleaned.get("birth_country")
        born_in_france = country is not None and country.insee_code == Country.FRANCE_INSEE_CODE
        if not born_in_france:
            cleaned["birth_place"] = None
        elif cleaned.get("birth_place") is None and "birth_place" not in self.errors:
            self.add_error("birth_place", BIRTH_PLACE_REQUIRED)


def birth_place_initial(commune):
    """The initial text and hidden slug of a birth place field."""
    return {"birth_place": str(commune), "birth_place_slug": commune.slug} if commune else {}


class JobSeekerSignupForm(DsfrFormMixin, NIRFieldsMixin, BirthPlaceFieldsMixin, NewPasswordForm):
    """organizations.md §5.1: title, names, e-mail, NIR (or an explicit skip), birthdate, birth place and country,
    then the password. Refused when the e-mail or the NIR already exists."""

    title = forms.ChoiceField(label="Civilité", choices=Title.choices, widget=forms.RadioSelect)
    first_name = forms.CharField(
        label="Prénom", max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(label="Nom", max_length=150, widget=forms.TextInput({"autocomplete": "family-name"}))
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,  # the column's size
        help_text="Format attendu : nom@domaine.fr",
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        validators=[validators.validate_job_seeker_email],
    )
    nir = nir_field(help_text="15 caractères, par exemple 2 84 05 75 115 423 12. Laissez vide si vous n'en avez pas.")
    lack_of_nir_reason = lack_of_nir_reason_field("Si vous n'avez pas de numéro de sécurité sociale, pourquoi ?")

    nir_or_reason_required_message = "Saisissez votre numéro de sécurité sociale ou la raison de son absence."
    nir_and_reason_message = "Vous avez saisi un numéro de sécurité sociale : ne sélectionnez pas de raison."
    birthdate = birthdate_field(error_messages={"required": "Indiquez votre date de naissance."})
    birth_country = birth_country_field(error_messages={"required": "Indiquez votre pays de naissance."})
    birth_place = birth_place_field(
        help_text="Obligatoire si vous êtes né(e) en France. Commencez à saisir le nom puis choisissez-le."
    )
    birth_place_slug = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_email(self):
        return unused_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        self.clean_nir_fields(cleaned)
        self.clean_birth_fields(cleaned)
        return cleaned

    @transaction.atomic
    def save(self):
        data = self.cleaned_data
        user = User.objects.create_user(
            email=data["email"],
            password=data["password1"],
            kind=UserKind.JOB_SEEKER,
            title=data["title"],
            first_name=data["first_name"],
            last_name=data["last_name"],
        )
        JobSeekerProfile.objects.create(
            user=user,
            birthdate=data["birthdate"],
            birth_country=data["birth_country"],
            birth_place=data["birth_place"],
            nir=data["nir"],
            lack_of_nir_reason=data["lack_of_nir_reason"],
        )
        return user
