"""The search forms (GET): a commune, a distance and filters (search_and_jobs.md §4.1, §5, §6)."""

import re

from django import forms
from django.urls import reverse_lazy

from inclusion.companies.enums import CompanyKind
from inclusion.geo.models import Commune
from inclusion.jobs.models import Rome
from inclusion.search import rules
from inclusion.utils.forms import DsfrFormMixin
from inclusion.utils.widgets import CHECKBOXES_TEMPLATE, CheckboxList

# What a department code looks like: 01–95, 2A / 2B, 971–989.
DEPARTMENT_CODE = re.compile(r"^(?:\d{2}|2[AB]|9[78]\d)$")
# "Lyon (69)": what the autocomplete shows, and what a visitor without JavaScript may type.


class DepartmentsField(forms.MultipleChoiceField):
    """Departments to filter on. The offered choices depend on the results (set by the view once they are known),
    so any well-formed code is accepted here: an unknown one simply matches nothing."""

    widget = CheckboxList

    def valid_value(self, value):
        return bool(DEPARTMENT_CODE.match(value))


class SearchForm(DsfrFormMixin, forms.Form):
    """A commune (its slug in `city`, its label in `city_name`) and a distance."""

    default_distance = rules.DEFAULT_DISTANCE_KM

    city = forms.CharField(label="Ville", required=False, max_length=110, widget=forms.HiddenInput)
    city_name = forms.CharField(
        label="Ville",
        required=False,
        max_length=120,
        help_text="Commencez à saisir puis choisissez dans la liste, par exemple : Lyon (69).",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "data-autocomplete-url": reverse_lazy("commune_autocomplete"),
                "data-autocomplete-target": "id_city",
            }
        ),
    )
    distance = forms.TypedChoiceField(
        label="Distance",
        choices=[(distance, f"{distance} km") for distance in rules.DISTANCE_CHOICES_KM],
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choisissez une distance proposée."},
    )

    def __init__(self, data=None, **kwargs):
        # A copy, so that clean() can write back the resolved commune (its slug and label are shown again).
        super().__init__(data.copy() if data is not None else None, **kwargs)
        self.fields["distance"].initial = self.default_distance

    def clean_distance(self):
        return self.cleaned_data["distance"] or self.default_distance

    def clean(self):
        cleaned_data = super().clean()
        slug, name = cleaned_data.get("city", "").strip(), cleaned_data.get("city_name", "").strip()
        commune = self._resolve_commune(slug, name)
        if commune is not None:
            cleaned_data["commune"] = commune
            self.data["city"], self.data["city_name"] = commune.slug, str(commune)
        if cleaned_data.get("distance"):
            self.data["distance"] = str(cleaned_data["distance"])  # the default is shown as chosen
        return cleaned_data

    def _resolve_commune(self, slug, name):
        """search_and_jobs.md §2: forms submit the slug; without JavaScript, the typed text is resolved instead."""
        communes = Commune.objects.whole().select_related("department")
        if slug:
            commune = communes.filter(slug=slug).first()
            if commune is not None:
                return commune
        if not (slug or name):
            self.add_error("city_name", "Indiquez une ville.")
            return None
        matches = list(communes.named(name)[:5]) if name else []
        if len(matches) == 1:
            return matches[0]
        if matches:
            self.add_error(
                "city_name",
                "Plusieurs communes portent ce nom : précisez le département entre parenthèses, "
                f"par exemple « {matches[0]} », ou choisissez dans la liste.",
            )
        else:
            self.add_error("city_name", "Cette ville est introuvable : choisissez une ville dans la liste proposée.")
        return None


def _kind_field():
    # organizations.md §8.1: every selectable kind, EA and EATT included (reference differs), never RESERVED.
    return forms.MultipleChoiceField(
        label="Types de structure",
        required=False,
        choices=CompanyKind.selectable(),
        widget=CheckboxList,
        template_name=CHECKBOXES_TEMPLATE,
        error_messages={"invalid_choice": "Choisissez des types de structure proposés."},
    )


def _departments_field():
    return DepartmentsField(
        label="Départements",
        required=False,
        template_name=CHECKBOXES_TEMPLATE,
        error_messages={"invalid_choice": "Ce département n'existe pas."},
    )


class CompanySearchForm(SearchForm):
    kinds = _kind_field()
    departments = _departments_field()


class JobDescriptionSearchForm(SearchForm):
    kinds = _kind_field()
    departments = _departments_field()
    domains = forms.MultipleChoiceField(
        label="Domaines professionnels",
        required=False,
        widget=CheckboxList,
        template_name=CHECKBOXES_TEMPLATE,
        error_messages={"invalid_choice": "Choisissez des domaines professionnels proposés."},
    )
    contract_types = forms.MultipleChoiceField(
        label="Types de contrat",
        required=False,
        widget=CheckboxList,
        template_name=CHECKBOXES_TEMPLATE,
        error_messages={"invalid_choice": "Choisissez des types de contrat proposés."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # search_and_jobs.md §3.1: the 14 ROME grand domains, keyed by the letter A–N.
        self.fields["domains"].choices = list(
            Rome.objects.order_by("grand_domain_code").values_list("grand_domain_code", "grand_domain_name").distinct()
        )
        self.fields["contract_types"].choices = rules.contract_type_choices()


class PrescriberSearchForm(SearchForm):
    default_distance = rules.DEFAULT_PRESCRIBER_DISTANCE_KM
