"""Forms of the employer space: the company card and the job descriptions.

Autocompleted fields (appellation, commune) are a visible text input plus a hidden input that the autocomplete script
(static/js/autocomplete.js) fills with the chosen value. Without JavaScript the hidden input stays empty and the typed
text is resolved instead: an appellation code, a commune slug, "Lyon (69)", a unique commune name or post code.
"""

import re

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone

from inclusion.companies import enums
from inclusion.companies.models import MAX_HOURS_PER_WEEK, Company, JobDescription
from inclusion.geo.models import Commune
from inclusion.jobs.models import Appellation
from inclusion.jobs.views import appellation_label
from inclusion.users.validators import validate_post_code
from inclusion.utils.forms import DsfrFormMixin

UNKNOWN_APPELLATION = (
    "Métier inconnu : choisissez un métier dans la liste proposée, ou saisissez le code de l'appellation ROME "
    "(par exemple 10571)."
)
UNKNOWN_COMMUNE = (
    "Commune inconnue : choisissez une commune dans la liste proposée, ou saisissez son nom suivi du département "
    "(par exemple « Lyon (69) ») ou son code postal."
)
EMAIL_ERRORS = {"invalid": "Saisissez une adresse e-mail valide, par exemple contact@structure.fr."}
URL_ERRORS = {"invalid": "Saisissez une adresse web valide, par exemple https://www.structure.fr."}
# A French or international number: digits, spaces, dots, dashes, parentheses and a leading +.
PHONE_CHARACTERS = re.compile(r"^\+?[0-9 .()-]+\Z")
PHONE_DIGITS_RANGE = (10, 15)


def autocomplete_input(url, target_id, placeholder):
    return forms.TextInput(
        attrs={
            "data-autocomplete-url": url,
            "data-autocomplete-target": target_id,
            "autocomplete": "off",
            "placeholder": placeholder,
        }
    )


def find_appellation(code, typed):
    """The appellation chosen in the list, else the one whose code or exact label was typed.

    The hidden code only counts while the text input still shows its label: without JavaScript nobody clears the
    hidden input when the text changes.
    """
    queryset = Appellation.objects.select_related("rome")
    typed, code = typed.strip(), code.strip()
    # PostgreSQL refuses a NUL character in a query (a 500): such a text names no appellation.
    if "\x00" in typed + code:
        return None
    chosen = queryset.filter(code=code).first() if code else None
    if chosen is not None and appellation_label(chosen) == typed:
        return chosen
    if appellation := queryset.filter(code=typed).first():
        return appellation
    # A label typed in full: "Name (ROME)", or the bare name.
    if match := re.fullmatch(r"(?P<name>.+) \((?P<rome>[A-Z][0-9]{4})\)", typed):
        return queryset.filter(name__iexact=match["name"], rome__code=match["rome"]).first()
    return queryset.filter(name__iexact=typed).first() if typed else None


def find_commune(slug, typed):
    """The commune chosen in the list, else the one the typed text names without ambiguity."""
    typed, slug = typed.strip(), slug.strip()
    # PostgreSQL refuses a NUL character in a query: such a hidden value names no commune.
    chosen = Commune.objects.filter(slug=slug).first() if slug and "\x00" not in slug else None
    # As for appellations: the hidden slug only counts while the text input still shows its label.
    if chosen is not None and str(chosen) == typed:
        return chosen
    found = list(Commune.objects.named(typed)[:2]) if typed and "\x00" not in typed else []
    return found[0] if len(found) == 1 else None


class GroupedFieldsMixin:
    """`fieldsets`: (legend, [field names]) shown as DSFR fieldsets; fields the form dropped are skipped."""

    fieldsets = ()

    def grouped_fields(self):
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in self.fieldsets]


class CompanyEditForm(DsfrFormMixin, GroupedFieldsMixin, forms.ModelForm):
    """organizations.md §8.6 "Company edit": the public card of the company; the location comes from the commune."""

    commune = forms.CharField(
        label="Commune",
        max_length=120,
        help_text="Commencez à saisir le nom de la commune puis choisissez-la dans la liste.",
        widget=autocomplete_input(reverse_lazy("commune_autocomplete"), "id_commune_slug", "Par exemple : Lyon"),
        error_messages={"required": "Indiquez la commune : elle situe votre structure dans la recherche."},
    )
    commune_slug = forms.CharField(required=False, widget=forms.HiddenInput)
    website = forms.URLField(
        label="Site web",
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text="Par exemple : https://www.structure.fr",
        error_messages=URL_ERRORS,
    )

    fieldsets = (
        ("Identité", ["brand"]),
        ("Adresse", ["address_line_1", "address_line_2", "post_code", "commune", "commune_slug"]),
        ("Contact", ["phone", "email", "website"]),
        ("Présentation", ["description", "provided_support"]),
    )

    class Meta:
        model = Company
        fields = [
            "brand",
            "address_line_1",
            "address_line_2",
            "post_code",
            "phone",
            "email",
            "website",
            "description",
            "provided_support",
        ]
        labels = {
            "brand": "Enseigne",
            "address_line_1": "Adresse",
            "address_line_2": "Complément d'adresse",
            "email": "E-mail de contact",
            "description": "Présentation de la structure",
            "provided_support": "Accompagnement proposé",
        }
        help_texts = {
            "brand": "Le nom affiché à la place de la raison sociale, si vous en avez un.",
            "email": "Visible par les candidats et les prescripteurs.",
            "description": "Votre activité, vos métiers, vos valeurs.",
            "provided_support": "L'accompagnement socio-professionnel proposé aux salariés.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "provided_support": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {"email": EMAIL_ERRORS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An address is needed to meet candidates; the model allows blanks for imported companies.
        self.fields["address_line_1"].required = True
        self.fields["address_line_1"].error_messages["required"] = "Indiquez l'adresse de la structure."
        self.fields["post_code"].required = True
        self.fields["post_code"].validators.append(validate_post_code)
        self.fields["post_code"].error_messages["required"] = "Indiquez le code postal."
        if self.instance.commune_id:
            self.initial.setdefault("commune", str(self.instance.commune))
            self.initial.setdefault("commune_slug", self.instance.commune.slug)

    def clean_commune(self):
        commune = find_commune(self.data.get(self.add_prefix("commune_slug"), ""), self.cleaned_data["commune"])
        if commune is None:
            raise forms.ValidationError(UNKNOWN_COMMUNE)
        return commune

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = len(re.sub(r"[^0-9]", "", phone))
        minimum, maximum = PHONE_DIGITS_RANGE
        if phone and (not PHONE_CHARACTERS.match(phone) or not minimum <= digits <= maximum):
            raise forms.ValidationError("Saisissez un numéro de téléphone valide, par exemple 04 78 00 00 00.")
        return phone

    def clean(self):
        cleaned_data = super().clean()
        commune, post_code = cleaned_data.get("commune"), cleaned_data.get("post_code")
        # The post code must belong to the commune, or the address would place the company elsewhere.
        if commune and post_code and commune.postal_code_list and post_code not in commune.postal_code_list:
            self.add_error(
                "post_code",
                f"Ce code postal ne correspond pas à {commune.name} "
                f"(codes postaux : {', '.join(commune.postal_code_list)}).",
            )
        return cleaned_data

    def _post_clean(self):
        # organizations.md §8.6: geocoding required; the location (city, department, coordinates) follows the
        # commune, so that the preview already shows it.
        if isinstance(self.cleaned_data.get("commune"), Commune):
            self.instance.set_location_from_commune(self.cleaned_data["commune"])
        super()._post_clean()


class JobDescriptionForm(DsfrFormMixin, GroupedFieldsMixin, forms.ModelForm):
    """search_and_jobs.md §3.2: a job description of `company`, with the contract types its kind offers (§3.3)."""

    appellation = forms.CharField(
        label="Métier (appellation ROME)",
        max_length=255,
        help_text="Commencez à saisir un métier puis choisissez-le dans la liste.",
        widget=autocomplete_input(
            reverse_lazy("appellation_autocomplete"), "id_appellation_code", "Par exemple : jardinier"
        ),
        error_messages={"required": "Choisissez le métier de la fiche de poste."},
    )
    appellation_code = forms.CharField(required=False, widget=forms.HiddenInput)
    location = forms.CharField(
        label="Lieu de travail",
        max_length=120,
        help_text="La commune où le poste est situé ; par défaut, celle de la structure.",
        widget=autocomplete_input(reverse_lazy("commune_autocomplete"), "id_location_slug", "Par exemple : Lyon"),
        error_messages={"required": "Indiquez la commune où le poste est situé."},
    )
    location_slug = forms.CharField(required=False, widget=forms.HiddenInput)
    contract_type = forms.ChoiceField(
        label="Type de contrat",
        error_messages={
            "required": "Choisissez le type de contrat.",
            "invalid_choice": "Ce type de contrat n'est pas proposé pour ce type de structure.",
        },
    )
    hours_per_week = forms.IntegerField(
        label="Nombre d'heures par semaine",
        required=False,
        min_value=1,
        max_value=MAX_HOURS_PER_WEEK,
        error_messages={
            "min_value": "Indiquez au moins 1 heure par semaine, ou laissez le champ vide.",
            "max_value": f"La durée hebdomadaire ne peut pas dépasser {MAX_HOURS_PER_WEEK} heures.",
            "invalid": "Saisissez un nombre entier d'heures.",
        },
    )
    open_positions = forms.IntegerField(
        label="Nombre de postes ouverts",
        min_value=1,
        max_value=999,
        initial=1,
        error_messages={
            "required": "Indiquez le nombre de postes ouverts.",
            "min_value": "Il faut au moins un poste ouvert.",
            "max_value": "Indiquez au plus 999 postes.",
            "invalid": "Saisissez un nombre entier de postes.",
        },
    )

    fieldsets = (
        ("Le poste", ["appellation", "appellation_code", "custom_name", "contract_type", "other_contract_type"]),
        ("Conditions", ["location", "location_slug", "hours_per_week", "open_positions", "is_resume_mandatory"]),
        ("Description", ["description", "profile_description"]),
        ("Clause sociale", ["market_context", "is_qpv_mandatory"]),
    )

    class Meta:
        model = JobDescription
        fields = [
            "custom_name",
            "contract_type",
            "other_contract_type",
            "hours_per_week",
            "open_positions",
            "is_resume_mandatory",
            "description",
            "profile_description",
            "market_context",
            "is_qpv_mandatory",
        ]
        labels = {
            "custom_name": "Intitulé du poste (facultatif)",
            "other_contract_type": "Précisez le type de contrat",
            "is_resume_mandatory": "CV obligatoire pour postuler",
            "description": "Missions",
            "profile_description": "Profil recherché et prérequis",
            "market_context": "Contexte du marché",
            "is_qpv_mandatory": "Clause QPV : le poste est réservé aux habitants des quartiers prioritaires",
        }
        help_texts = {
            "custom_name": (
                "Remplace le nom du métier à l'affichage, par exemple « Agent d'entretien des espaces verts »."
            ),
            "other_contract_type": "Obligatoire si vous choisissez « Autre type de contrat ».",
            "market_context": "Le marché public ou privé qui porte la clause sociale : donneur d'ordre, durée, lieu.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "profile_description": forms.Textarea(attrs={"rows": 4}),
            "market_context": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company
        self.instance.company = company
        allowed = enums.contract_types_for(company.kind, is_convergence=company.is_convergence)
        self.fields["contract_type"].choices = [("", "Choisir un type de contrat")] + [
            (value, enums.ContractType(value).label) for value in allowed
        ]
        if self.instance.appellation_id:
            self.initial.setdefault("appellation", appellation_label(self.instance.appellation))
            self.initial.setdefault("appellation_code", self.instance.appellation.code)
        # search_and_jobs.md §3.2: the location defaults to the company's commune.
        location = self.instance.location if self.instance.location_id else company.commune
        if location is not None:
            self.initial.setdefault("location", str(location))
            self.initial.setdefault("location_slug", location.slug)
        if not self.is_for_opcs:
            # search_and_jobs.md §3.2: market context and QPV clause are for OPCS only.
            del self.fields["market_context"]
            del self.fields["is_qpv_mandatory"]
        else:
            self.fields["market_context"].required = True
            self.fields["market_context"].error_messages["required"] = (
                "Décrivez le contexte du marché : il est obligatoire pour une structure porteuse de la clause sociale."
            )

    @property
    def is_for_opcs(self):
        return self.company.kind == enums.CompanyKind.OPCS

    def clean_appellation(self):
        appellation = find_appellation(
            self.data.get(self.add_prefix("appellation_code"), ""), self.cleaned_data["appellation"]
        )
        if appellation is None:
            raise forms.ValidationError(UNKNOWN_APPELLATION)
        return appellation

    def clean_location(self):
        commune = find_commune(self.data.get(self.add_prefix("location_slug"), ""), self.cleaned_data["location"])
        if commune is None:
            raise forms.ValidationError(UNKNOWN_COMMUNE)
        return commune

    def clean(self):
        cleaned_data = super().clean()
        contract_type = cleaned_data.get("contract_type")
        other = cleaned_data.get("other_contract_type", "").strip()
        # search_and_jobs.md §3.2: the "other" text is required with OTHER, and meaningless without it.
        if contract_type == enums.ContractType.OTHER and not other:
            self.add_error("other_contract_type", "Précisez le type de contrat.")
        elif contract_type and contract_type != enums.ContractType.OTHER:
            cleaned_data["other_contract_type"] = ""
        return cleaned_data

    def _post_clean(self):
        # Assigned here rather than through Meta.fields: the visible inputs hold labels, not primary keys.
        for name in ("appellation", "location"):
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()

    def save(self, commit=True):
        # search_and_jobs.md §3.2: every employer save refreshes the date the freshness warning reads.
        self.instance.last_employer_update_at = timezone.now()
        return super().save(commit=commit)
