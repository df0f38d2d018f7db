"""Antennas: another establishment (same SIREN, same kind) of a company, created by its admin (organizations.md §8.5).

What an antenna inherits, its form and its page live here; who may create one is decided in companies/perms.py.
"""

from django import forms
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from inclusion.companies.enums import SIAE_KINDS, CompanySource
from inclusion.companies.models import Company
from inclusion.companies.perms import can_create_antenna
from inclusion.geo.models import Commune
from inclusion.geo.text import normalize_name
from inclusion.organizations.memberships import add_member
from inclusion.utils.access import require
from inclusion.utils.forms import DsfrFormMixin

# ---------------------------------------------------------------------------------------------------------------
# Rules


def antenna_refusal(parent):
    """Why an antenna of `parent` could not work, or "" when it can be created.

    organizations.md §8.3, §8.5: an SIAE antenna is active only through the convention it inherits; a parent active
    without one (created by the support) would give an antenna nobody can use.
    """
    if parent.kind in SIAE_KINDS and not (parent.convention and parent.convention.is_active):
        return (
            "Votre structure n'est rattachée à aucune convention active : une antenne créée maintenant ne serait pas "
            "active. Contactez le support pour rattacher votre structure à sa convention."
        )
    return ""


@transaction.atomic
def antenna_create(*, parent, creator, commune, **fields):
    """Creates the antenna of `parent`: same kind, same convention, created by a user; its creator becomes admin.

    `fields` are the identity and contact fields of the form (siret, name, brand, address, phone, e-mail).
    """
    antenna = Company(
        **fields,
        kind=parent.kind,
        source=CompanySource.USER_CREATED,
        convention=parent.convention,
        created_by=creator,
    )
    antenna.set_location_from_commune(commune)
    antenna.save()
    add_member(antenna, creator, by=creator)
    return antenna


# ---------------------------------------------------------------------------------------------------------------
# Form


class AntennaForm(DsfrFormMixin, forms.ModelForm):
    commune_name = forms.CharField(
        label="Commune",
        max_length=100,
        help_text="La commune donne la localisation de l'antenne dans la recherche.",
    )

    class Meta:
        model = Company
        fields = ["siret", "name", "brand", "address_line_1", "address_line_2", "post_code", "phone", "email"]
        labels = {"name": "Nom", "email": "E-mail public"}
        help_texts = {
            "siret": "14 chiffres : les 9 premiers sont le SIREN de votre structure.",
            "brand": "Affichée à la place du nom quand elle est renseignée.",
        }

    field_order = [
        "siret",
        "name",
        "brand",
        "address_line_1",
        "address_line_2",
        "post_code",
        "commune_name",
        "phone",
        "email",
    ]

    def __init__(self, *args, parent, **kwargs):
        self.parent = parent
        super().__init__(*args, **kwargs)
        for name in ["address_line_1", "post_code"]:
            self.fields[name].required = True
        self.fields["siret"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["post_code"].widget.attrs.update(inputmode="numeric", autocomplete="postal-code")
        self.fields["commune_name"].widget.attrs.update(autocomplete="address-level2")
        self.fields["phone"].widget.attrs.update(autocomplete="tel")
        self.fields["email"].widget.attrs.update(autocomplete="email")

    def clean_siret(self):
        siret = "".join(self.cleaned_data["siret"].split())
        # organizations.md §8.5: same SIREN as the parent, and (SIRET, kind) free.
        if not siret.startswith(self.parent.siren):
            raise forms.ValidationError(
                f"Le SIRET d'une antenne doit commencer par le SIREN de votre structure ({self.parent.siren})."
            )
        if Company.objects.filter(siret=siret, kind=self.parent.kind).exists():
            raise forms.ValidationError(self.siret_taken_message())
        return siret

    def siret_taken_message(self):
        return (
            f"Une structure de type {self.parent.kind} existe déjà avec ce SIRET : "
            "demandez à ses administrateurs de vous inviter."
        )

    def clean(self):
        cleaned_data = super().clean()
        post_code, name = cleaned_data.get("post_code"), cleaned_data.get("commune_name")
        if post_code and name:
            commune = find_commune(post_code, name)
            if commune is None:
                # organizations.md §8.5: a place we cannot locate blocks the creation.
                self.add_error(
                    "commune_name",
                    f"Nous ne trouvons pas la commune « {name} » avec le code postal {post_code} : "
                    "vérifiez son orthographe et le code postal.",
                )
            cleaned_data["commune"] = commune
        return cleaned_data


def find_commune(post_code, name):
    """The commune named `name` (accents, case and dashes ignored) served by `post_code`, or None."""
    matches = list(Commune.objects.served_by(post_code).filter(normalized_name=normalize_name(name))[:2])
    return matches[0] if len(matches) == 1 else None


# ---------------------------------------------------------------------------------------------------------------
# Page


@require_http_methods(["GET", "POST"])
def new_antenna(request):
    parent = request.current_organization
    require(
        can_create_antenna(request.user, parent),
        "Seuls les administrateurs d'une SIAE ou d'un GEIQ actif peuvent créer une antenne.",
    )
    refusal = antenna_refusal(parent)
    form = AntennaForm(data=request.POST if request.method == "POST" else None, parent=parent)
    if request.method == "POST" and not refusal and form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if name in AntennaForm.Meta.fields}
        try:
            # antenna_create is atomic: a failure rolls back its own savepoint only.
            antenna = antenna_create(
                parent=parent, creator=request.user, commune=form.cleaned_data["commune"], **fields
            )
        except IntegrityError:
            # Someone created the same (SIRET, kind) between the form's check and the insertion.
            form.add_error("siret", form.siret_taken_message())
        else:
            return redirect(f"{reverse('antenna_create')}?antenne={antenna.uid}")
    context = {
        "title": "Créer une antenne",
        "parent": parent,
        "refusal": refusal,
        "form": form,
        "created_antenna": _created_antenna(request),
    }
    return render(request, "companies/antennas/create.html", context)


def _created_antenna(request):
    """The antenna just created (named in the URL), only if the user is one of its members: offers to switch to it."""
    uid = request.GET.get("antenne", "")
    return next(
        (o for o in request.organizations if o.organization_type == "company" and str(o.uid) == uid),
        None,
    )
