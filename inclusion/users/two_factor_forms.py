"""Forms of the second step of a staff login (platform_rules.md §3)."""

import re

from django import forms

from inclusion.users import two_factor_totp
from inclusion.utils.forms import DsfrFormMixin

SIX_DIGITS = re.compile(r"[0-9]{6}")


class SetupCodeForm(DsfrFormMixin, forms.Form):
    code = forms.CharField(
        label="Code à 6 chiffres",
        help_text="Le code affiché par l'application en ce moment, par exemple 123456.",
        max_length=20,
        # No autofocus here: the field comes after the instructions, which must be read first.
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": "Saisissez le code à 6 chiffres affiché par l'application."},
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not SIX_DIGITS.fullmatch(code):
            raise forms.ValidationError("Le code comporte 6 chiffres : recopiez-le depuis l'application.")
        return code


class VerifyCodeForm(DsfrFormMixin, forms.Form):
    code = forms.CharField(
        label="Code de vérification",
        help_text=(
            "Les 6 chiffres affichés par votre application d'authentification, ou l'un de vos codes de secours "
            "(12 caractères, par exemple ABCD-EFGH-JKLM)."
        ),
        max_length=20,
        # one-time-code: phones offer the code of the authenticator application; the field is the page's purpose.
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
        error_messages={"required": "Saisissez le code affiché par votre application, ou un code de secours."},
    )

    def clean_code(self):
        typed = self.cleaned_data["code"]
        code = "".join(typed.split())
        if SIX_DIGITS.fullmatch(code):
            return code
        if two_factor_totp.normalize_backup_code(typed) is not None:
            return typed
        raise forms.ValidationError(
            "Saisissez les 6 chiffres affichés par votre application, ou un code de secours de 12 caractères."
        )
