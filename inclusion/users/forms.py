from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.db import transaction
from django.utils import timezone

from inclusion.users import validators
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


class JobSeekerSignupForm(DsfrFormMixin, NewPasswordForm):
    title = forms.ChoiceField(label="Civilité", choices=Title.choices, widget=forms.RadioSelect)
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,  # the column's size
        help_text="Format attendu : nom@domaine.fr",
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        validators=[validators.validate_job_seeker_email],
    )
    birthdate = forms.DateField(
        label="Date de naissance",
        help_text="Format attendu : JJ/MM/AAAA",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        validators=[validators.validate_birthdate],
    )
    nir = forms.CharField(
        label="Numéro de sécurité sociale",
        required=False,
        max_length=21,  # 15 characters, with the spaces people type between groups
        help_text="15 caractères, par exemple 2 84 05 75 115 423 12. Laissez vide si vous n'en avez pas.",
    )
    lack_of_nir_reason = forms.ChoiceField(
        label="Si vous n'avez pas de numéro de sécurité sociale, pourquoi ?",
        choices=[("", "Sélectionnez une raison")] + LackOfNIRReason.choices,
        required=False,
    )

    def clean_email(self):
        return unused_email(self.cleaned_data["email"])

    def clean_nir(self):
        nir = validators.normalize_nir(self.cleaned_data["nir"])
        if nir:
            validators.validate_nir(nir)
            if JobSeekerProfile.objects.filter(nir=nir).exists():
                raise forms.ValidationError(
                    "Ce numéro de sécurité sociale est déjà associé à un compte. Contactez le support si ce n'est pas "
                    "le vôtre."
                )
        return nir

    def clean(self):
        cleaned = super().clean()
        nir, reason = cleaned.get("nir"), cleaned.get("lack_of_nir_reason")
        if nir and reason:
            self.add_error(
                "lack_of_nir_reason", "Vous avez saisi un numéro de sécurité sociale : ne sélectionnez pas de raison."
            )
        elif not nir and not reason and "nir" not in self.errors:
            self.add_error(
                "lack_of_nir_reason", "Saisissez votre numéro de sécurité sociale ou la raison de son absence."
            )
        if nir:
            for error in validators.nir_identity_errors(
                nir, title=cleaned.get("title"), birthdate=cleaned.get("birthdate")
            ):
                self.add_error("nir", error)
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
            user=user, birthdate=data["birthdate"], nir=data["nir"], lack_of_nir_reason=data["lack_of_nir_reason"]
        )
        return user
