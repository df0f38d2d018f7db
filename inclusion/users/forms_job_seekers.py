"""Forms of the job seeker pages: the proxy's search-or-create flow (organizations.md §5.2), the "completer" page
(applications.md §8.4, §13.3) and the job seeker's own profile (organizations.md §1.2, §3).

Every form is a selection of the fields of `JobSeekerDataForm`, so that each field and each check (NIR, birth place,
France Travail identifier, RSA, address) is written once; the NIR and birth checks are those of the signup
(`inclusion.users.forms`).
"""

import re

from django import forms

from inclusion.companies.forms import PHONE_CHARACTERS, PHONE_DIGITS_RANGE, GroupedFieldsMixin
from inclusion.companies.signup import obfuscate_email
from inclusion.users import job_seeker_data, validators
from inclusion.users.enums import (
    DurationCode,
    EducationLevel,
    LackOfFranceTravailIdReason,
    RSAAllocation,
    Title,
)
from inclusion.users.forms import (
    EMAIL_ERRORS,
    FT_ID_OR_REASON_REQUIRED,
    BirthPlaceFieldsMixin,
    NIRFieldsMixin,
    birth_country_field,
    birth_place_field,
    birth_place_initial,
    birthdate_field,
    lack_of_nir_reason_field,
    nir_field,
)
from inclusion.utils.forms import DsfrFormMixin

USER_FIELDS = ("title", "first_name", "last_name", "phone", "address_line_1", "address_line_2", "post_code", "city")
PROFILE_FIELDS = (
    "birthdate",
    "birth_country",
    "birth_place",
    "nir",
    "lack_of_nir_reason",
    "pole_emploi_id",
    "lack_of_pole_emploi_id_reason",
    "education_level",
    "resourceless",
    "rqth_employee",
    "oeth_employee",
    "pole_emploi_since",
    "unemployed_since",
    "has_rsa_allocation",
    "rsa_allocation_since",
    "ass_allocation_since",
    "aah_allocation_since",
    "are_allocation_since",
    "activity_bonus_since",
)
SITUATION_FIELDS = PROFILE_FIELDS[PROFILE_FIELDS.index("education_level") :]
DURATION_CHOICES = [("", "Non concerné(e)")] + DurationCode.choices

RSA_SINCE_REQUIRED = "Indiquez depuis combien de temps la personne touche le RSA."
RSA_SINCE_WITHOUT_RSA = "La durée au RSA ne se renseigne que pour une personne qui touche le RSA."
PHONE_INVALID = "Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78."


class ErrorSummaryMixin:
    def error_summary(self):
        """[(anchor id, message)] for the summary at the top of the page, each linked to its field."""
        summary = []
        for name, errors in self.errors.items():
            anchor = self[name].id_for_label if name in self.fields else ""
            summary.extend((anchor, message) for message in errors)
        return summary


def duration_field(label):
    return forms.ChoiceField(label=label, choices=DURATION_CHOICES, required=False)


class JobSeekerDataForm(
    DsfrFormMixin, ErrorSummaryMixin, GroupedFieldsMixin, NIRFieldsMixin, BirthPlaceFieldsMixin, forms.Form
):
    """Every field a job seeker page may show; subclasses keep `field_names` and say which are `optional`.

    `job_seeker` (optional) gives the initial values and owns its NIR; `read_only` fields (certified ones,
    organizations.md §3) are shown disabled and never written.
    """

    title = forms.ChoiceField(
        label="Civilité",
        choices=Title.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez la civilité."},
    )
    first_name = forms.CharField(
        label="Prénom",
        max_length=150,
        widget=forms.TextInput({"autocomplete": "given-name"}),
        error_messages={"required": "Indiquez le prénom."},
    )
    last_name = forms.CharField(
        label="Nom",
        max_length=150,
        widget=forms.TextInput({"autocomplete": "family-name"}),
        error_messages={"required": "Indiquez le nom."},
    )
    birthdate = birthdate_field()
    birth_country = birth_country_field()
    birth_place = birth_place_field()
    birth_place_slug = forms.CharField(required=False, widget=forms.HiddenInput)
    nir = nir_field()
    lack_of_nir_reason = lack_of_nir_reason_field()
    address_line_1 = forms.CharField(
        label="Adresse",
        max_length=255,
        widget=forms.TextInput({"autocomplete": "address-line1"}),
        help_text="Numéro et nom de la voie, par exemple 12 rue de la République.",
        error_messages={"required": "Indiquez l'adresse."},
    )
    address_line_2 = forms.CharField(
        label="Complément d'adresse",
        max_length=255,
        required=False,
        widget=forms.TextInput({"autocomplete": "address-line2"}),
        help_text="Bâtiment, étage, lieu-dit…",
    )
    post_code = forms.CharField(
        label="Code postal",
        max_length=5,
        validators=[validators.validate_post_code],
        widget=forms.TextInput({"autocomplete": "postal-code", "inputmode": "numeric"}),
        help_text="5 chiffres, par exemple 69003.",
        error_messages={"required": "Indiquez le code postal."},
    )
    city = forms.CharField(
        label="Ville",
        max_length=255,
        widget=forms.TextInput({"autocomplete": "address-level2"}),
        error_messages={"required": "Indiquez la ville."},
    )
    phone = forms.CharField(
        label="Téléphone",
        max_length=20,
        required=False,
        widget=forms.TextInput({"autocomplete": "tel", "inputmode": "tel"}),
        help_text="Par exemple 06 12 34 56 78.",
    )
    pole_emploi_id = forms.CharField(
        label="Identifiant France Travail",
        max_length=11,
        required=False,
        validators=[validators.validate_france_travail_id],
        help_text="7 chiffres suivis d'un chiffre ou d'une lettre, ou 11 chiffres.",
    )
    lack_of_pole_emploi_id_reason = forms.ChoiceField(
        label="Sans identifiant France Travail, pourquoi ?",
        choices=[("", "Sélectionnez une raison")] + LackOfFranceTravailIdReason.choices,
        required=False,
    )
    education_level = forms.ChoiceField(
        label="Niveau de formation",
        choices=[("", "Sélectionnez un niveau")] + EducationLevel.choices,
        error_messages={"required": "Indiquez le niveau de formation."},
    )
    resourceless = forms.BooleanField(label="Sans ressources", required=False)
    rqth_employee = forms.BooleanField(
        label="Bénéficiaire de la RQTH (reconnaissance de la qualité de travailleur handicapé)", required=False
    )
    oeth_employee = forms.BooleanField(
        label="Bénéficiaire de l'OETH (obligation d'emploi des travailleurs handicapés)", required=False
    )
    pole_emploi_since = duration_field("Inscrit(e) à France Travail depuis")
    unemployed_since = duration_field("Sans emploi depuis")
    has_rsa_allocation = forms.ChoiceField(
        label="Bénéficiaire du RSA", choices=RSAAllocation.choices, initial=RSAAllocation.NO
    )
    rsa_allocation_since = duration_field("Allocataire du RSA depuis")
    ass_allocation_since = duration_field("Allocataire de l'ASS depuis")
    aah_allocation_since = duration_field("Allocataire de l'AAH depuis")
    are_allocation_since = duration_field("Allocataire de l'ARE depuis")
    activity_bonus_since = duration_field("Bénéficiaire de la prime d'activité depuis")

    field_names = ()
    optional = frozenset()
    labels = {}  # field name → label, where the page speaks to the person ("vous")

    def __init__(self, *args, job_seeker=None, read_only=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in self.field_names:
                del self.fields[name]
        for name in self.optional & set(self.fields):
            self.fields[name].required = False
        for name, label in self.labels.items():
            if name in self.fields:
                self.fields[name].label = label
        self.job_seeker = job_seeker
        if job_seeker is not None:
            self.nir_owner_pk = job_seeker.pk
            self.nir_identity_fallback = self._identity_of(job_seeker)
            self.birth_place_owner = job_seeker_data.job_seeker_profile_of(job_seeker)
            for name, value in initial_from(job_seeker).items():
                self.initial.setdefault(name, value)
        for name in read_only & set(self.fields):
            # Nobody may change it, so nobody can be asked to fill it.
            self.fields[name].disabled, self.fields[name].required = True, False
        if "birth_place" in read_only and "birth_place_slug" in self.fields:
            self.fields["birth_place_slug"].disabled = True

    @staticmethod
    def _identity_of(job_seeker):
        profile = job_seeker_data.job_seeker_profile_of(job_seeker)
        return {
            "title": job_seeker.title,
            "birthdate": profile.birthdate if profile else None,
            "nir": profile.nir if profile else "",
        }

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        digits = len(re.sub(r"[^0-9]", "", phone))
        minimum, maximum = PHONE_DIGITS_RANGE
        if phone and (not PHONE_CHARACTERS.match(phone) or not minimum <= digits <= maximum):
            raise forms.ValidationError(PHONE_INVALID)
        return phone

    def clean(self):
        cleaned = super().clean()
        self.clean_nir_fields(cleaned)
        self.clean_birth_fields(cleaned)
        self._clean_france_travail(cleaned)
        self._clean_rsa(cleaned)
        return cleaned

    def _clean_france_travail(self, cleaned):
        """organizations.md §4.2: the identifier or the reason of its absence; "forgotten" clears a typed identifier,
        otherwise an identifier wins over a reason."""
        if "pole_emploi_id" not in self.fields or self.fields["pole_emploi_id"].disabled:
            return
        ft_id, reason = cleaned.get("pole_emploi_id"), cleaned.get("lack_of_pole_emploi_id_reason")
        if reason == LackOfFranceTravailIdReason.FORGOTTEN:
            cleaned["pole_emploi_id"] = ""
        elif ft_id:
            cleaned["lack_of_pole_emploi_id_reason"] = ""
        elif not reason and "pole_emploi_id" not in self.errors:
            self.add_error("lack_of_pole_emploi_id_reason", FT_ID_OR_REASON_REQUIRED)

    def _clean_rsa(self, cleaned):
        """organizations.md §3: the RSA duration is set iff the person gets the RSA."""
        if "has_rsa_allocation" not in self.fields:
            return
        has_rsa = cleaned.get("has_rsa_allocation")
        if has_rsa is None:
            return
        since = cleaned.get("rsa_allocation_since")
        if has_rsa != RSAAllocation.NO and not since:
            self.add_error("rsa_allocation_since", RSA_SINCE_REQUIRED)
        elif has_rsa == RSAAllocation.NO and since:
            self.add_error("rsa_allocation_since", RSA_SINCE_WITHOUT_RSA)

    def apply_to(self, job_seeker, profile):
        """Writes the cleaned values on the (unsaved) instances; disabled fields are left as they are."""
        for name, field in self.fields.items():
            if field.disabled or name not in self.cleaned_data:
                continue
            if name in USER_FIELDS:
                setattr(job_seeker, name, self.cleaned_data[name])
            elif name in PROFILE_FIELDS:
                setattr(profile, name, self.cleaned_data[name])


def initial_from(job_seeker):
    """The initial values of every field, read from the account and its profile."""
    initial = {name: getattr(job_seeker, name) for name in USER_FIELDS}
    profile = job_seeker_data.job_seeker_profile_of(job_seeker)
    if profile is not None:
        initial.update({name: getattr(profile, name) for name in PROFILE_FIELDS if name != "birth_place"})
        initial["birth_country"] = profile.birth_country_id
        initial.update(birth_place_initial(profile.birth_place))
        if profile.birth_country_id is None and profile.nir:
            # organizations.md §5.2: the birth country and place are pre-filled from the NIR where possible.
            country, place = job_seeker_data.birth_data_from_nir(profile.nir)
            initial["birth_country"] = country.pk if country else None
            initial.update(birth_place_initial(place))
    return initial


# The proxy's search-or-create flow (organizations.md §5.2) ----------------------------------------------------------


class NIRSearchForm(DsfrFormMixin, ErrorSummaryMixin, forms.Form):
    nir = nir_field(
        required=True,
        label="Numéro de sécurité sociale de la personne",
        error_messages={"required": "Saisissez le numéro de sécurité sociale."},
    )

    def clean_nir(self):
        nir = validators.normalize_nir(self.cleaned_data["nir"])
        validators.validate_nir(nir)
        return nir


class EmailSearchForm(DsfrFormMixin, ErrorSummaryMixin, forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail de la personne",
        max_length=254,
        help_text="Format attendu : nom@domaine.fr",
        error_messages={**EMAIL_ERRORS, "required": "Saisissez l'adresse e-mail de la personne."},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        validators=[validators.validate_job_seeker_email],
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class IdentityForm(JobSeekerDataForm):
    """Step 1: identity and NIR, with the homonym check (organizations.md §5.2)."""

    confirm_homonym = forms.BooleanField(
        label="Je confirme qu'il s'agit d'une autre personne et je souhaite créer son compte.", required=False
    )
    field_names = (
        "title",
        "first_name",
        "last_name",
        "birthdate",
        "birth_country",
        "birth_place",
        "birth_place_slug",
        "nir",
        "lack_of_nir_reason",
        "confirm_homonym",
    )
    fieldsets = (
        ("Identité", ["title", "first_name", "last_name"]),
        ("Naissance", ["birthdate", "birth_country", "birth_place", "birth_place_slug"]),
        ("Numéro de sécurité sociale", ["nir", "lack_of_nir_reason"]),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.homonyms = []

    def clean(self):
        cleaned = super().clean()
        self.homonyms = job_seeker_data.homonyms_of(
            first_name=cleaned.get("first_name", ""),
            last_name=cleaned.get("last_name", ""),
            birthdate=cleaned.get("birthdate"),
        )
        if self.homonyms and not cleaned.get("confirm_homonym"):
            self.add_error(
                "confirm_homonym",
                "Un candidat porte déjà ces nom et prénom et est né le même jour : vérifiez qu'il ne s'agit pas de "
                "la même personne avant de créer un compte.",
            )
        return cleaned

    def homonym_emails(self):
        """organizations.md §5.2: the other account is shown by its redacted e-mail only."""
        return [obfuscate_email(user.email) if user.email else "sans adresse e-mail" for user in self.homonyms]


class AddressForm(JobSeekerDataForm):
    """Step 2: address and phone."""

    field_names = ("address_line_1", "address_line_2", "post_code", "city", "phone")
    fieldsets = (
        ("Adresse", ["address_line_1", "address_line_2", "post_code", "city"]),
        ("Contact", ["phone"]),
    )


class SituationForm(JobSeekerDataForm):
    """Step 3: France Travail and administrative situation."""

    field_names = ("pole_emploi_id", "lack_of_pole_emploi_id_reason", *SITUATION_FIELDS)
    fieldsets = (
        ("France Travail", ["pole_emploi_id", "lack_of_pole_emploi_id_reason"]),
        ("Formation", ["education_level"]),
        (
            "Situation administrative",
            ["resourceless", "rqth_employee", "oeth_employee", "pole_emploi_since", "unemployed_since"],
        ),
        (
            "Allocations",
            [
                "has_rsa_allocation",
                "rsa_allocation_since",
                "ass_allocation_since",
                "aah_allocation_since",
                "are_allocation_since",
                "activity_bonus_since",
            ],
        ),
    )


# The "completer" page (applications.md §8.4, §13.3) ---------------------------------------------------------------


class JobSeekerCompleteForm(JobSeekerDataForm):
    """What the accept wizard and the application wizard need, and the phone the end of the application wizard asks
    for (applications.md §13.8). The NIR field is there only while none is set: a NIR is corrected through a request
    to the support (organizations.md §5.4)."""

    field_names = (
        "nir",
        "lack_of_nir_reason",
        "pole_emploi_id",
        "lack_of_pole_emploi_id_reason",
        "birthdate",
        "birth_country",
        "birth_place",
        "birth_place_slug",
        "address_line_1",
        "address_line_2",
        "post_code",
        "city",
        "phone",
    )
    fieldsets = (
        ("Numéro de sécurité sociale", ["nir", "lack_of_nir_reason"]),
        ("France Travail", ["pole_emploi_id", "lack_of_pole_emploi_id_reason"]),
        ("Naissance", ["birthdate", "birth_country", "birth_place", "birth_place_slug"]),
        ("Coordonnées", ["address_line_1", "address_line_2", "post_code", "city", "phone"]),
    )

    def __init__(self, *args, job_seeker, **kwargs):
        super().__init__(*args, job_seeker=job_seeker, **kwargs)
        profile = job_seeker_data.job_seeker_profile_of(job_seeker)
        if profile is not None and profile.nir:
            del self.fields["nir"], self.fields["lack_of_nir_reason"]

    def missing_items(self, missing):
        """(label, shown below) for each item of `missing` (what the saved data lacks): "shown below" when the fields
        already hold a value that is not saved yet (pre-filled from the NIR, or typed on a page sent back with
        errors), so that the list does not contradict the fields under it."""
        return [(label, self._shows_value_for(label)) for label in missing]

    def _shows_value_for(self, label):
        names = [name for name in job_seeker_data.MISSING_DATA_FIELDS.get(label, ()) if name in self.fields]
        if not names:
            return False
        filled = [self[name].value() not in (None, "", []) and not self[name].errors for name in names]
        return all(filled) if label == job_seeker_data.MISSING_ADDRESS else any(filled)


# The job seeker's own profile (organizations.md §1.2, §3) ---------------------------------------------------------


class JobSeekerProfileForm(JobSeekerDataForm):
    field_names = (
        "title",
        "first_name",
        "last_name",
        "phone",
        "address_line_1",
        "address_line_2",
        "post_code",
        "city",
        "birthdate",
        "birth_country",
        "birth_place",
        "birth_place_slug",
        "nir",
        "lack_of_nir_reason",
        "pole_emploi_id",
        "lack_of_pole_emploi_id_reason",
        *SITUATION_FIELDS,
    )
    optional = frozenset({"education_level"})
    labels = {
        "lack_of_nir_reason": "Si vous n'avez pas de numéro de sécurité sociale, pourquoi ?",
        "lack_of_pole_emploi_id_reason": "Si vous n'avez pas d'identifiant France Travail, pourquoi ?",
        "birth_place": "Commune de naissance",
        "pole_emploi_since": "Inscrit(e) à France Travail depuis",
    }
    fieldsets = (
        ("Identité", ["title", "first_name", "last_name"]),
        ("Coordonnées", ["phone", "address_line_1", "address_line_2", "post_code", "city"]),
        ("Naissance", ["birthdate", "birth_country", "birth_place", "birth_place_slug"]),
        ("Numéro de sécurité sociale", ["nir", "lack_of_nir_reason"]),
        ("France Travail", ["pole_emploi_id", "lack_of_pole_emploi_id_reason"]),
        *SituationForm.fieldsets[1:],
    )

    def __init__(self, *args, job_seeker, **kwargs):
        super().__init__(*args, job_seeker=job_seeker, **kwargs)
        profile = job_seeker_data.job_seeker_profile_of(job_seeker)
        if profile is not None and profile.nir:
            # A set NIR is corrected through a request to the support (organizations.md §5.4), never here.
            del self.fields["nir"], self.fields["lack_of_nir_reason"]
