"""Antenna creation (organizations.md §8.5): who may create one, what it inherits, what the form refuses."""

import datetime
import itertools
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from inclusion.companies import antennas
from inclusion.companies.enums import CompanyKind, CompanySource
from inclusion.companies.models import Company, Convention
from inclusion.geo.models import Commune
from inclusion.organizations.current import SESSION_KEY
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory

URL = "/mon-entreprise/antennes/nouvelle/"
PARENT_SIRET = "44229377500012"
ASP_IDS = itertools.count(5000)


@pytest.fixture
def admin(reference_data, db):
    return ProfessionalFactory()


def convention(kind=CompanyKind.ACI, *, is_active=True, deactivated_days_ago=None):
    deactivated_at = (
        None if deactivated_days_ago is None else timezone.now() - datetime.timedelta(days=deactivated_days_ago)
    )
    return Convention.objects.create(
        asp_id=next(ASP_IDS),
        kind=kind,
        siret_signature=PARENT_SIRET,
        is_active=is_active,
        deactivated_at=deactivated_at,
    )


@pytest.fixture
def parent(admin):
    """An ACI from the ASP list, with an active convention, administered by `admin`."""
    return CompanyFactory(
        siret=PARENT_SIRET, kind=CompanyKind.ACI, source=CompanySource.ASP, convention=convention(), with_member=admin
    )


def antenna_data(**overrides):
    return {
        "siret": "44229377500020",
        "name": "Les Jardins d'Austerlitz — antenne de Villeurbanne",
        "brand": "",
        "address_line_1": "8 rue Francis de Pressensé",
        "address_line_2": "",
        "post_code": "69100",
        "commune_name": "villeurbanne",
        "phone": "04 78 00 00 00",
        "email": "antenne@example.com",
        **overrides,
    }


def create(client, user, **overrides):
    login(client, user)
    return client.post(URL, antenna_data(**overrides))


def test_url():
    assert reverse("antenna_create") == URL


class TestCreation:
    def test_admin_creates_an_antenna_of_the_same_kind_and_convention(self, client, admin, parent):
        response = create(client, admin)
        antenna = Company.objects.get(siret="44229377500020")
        assert response.status_code == 302
        assert response["Location"] == f"{URL}?antenne={antenna.uid}"
        assert antenna.kind == CompanyKind.ACI
        assert antenna.source == CompanySource.USER_CREATED
        assert antenna.convention == parent.convention
        assert antenna.created_by == admin
        assert antenna.name == "Les Jardins d'Austerlitz — antenne de Villeurbanne"
        assert antenna.email == "antenne@example.com"
        # The location comes from the commune.
        villeurbanne = Commune.objects.get(code_insee="69266")
        assert antenna.commune == villeurbanne
        assert (antenna.city, antenna.department, antenna.post_code) == ("Villeurbanne", "69", "69100")
        assert (antenna.latitude, antenna.longitude) == (villeurbanne.latitude, villeurbanne.longitude)
        # The creator becomes its admin.
        assert antenna.memberships.admins().filter(user=admin).exists()
        assert antenna.is_active

    def test_creator_stays_on_the_parent_and_is_offered_to_switch(self, client, admin, parent):
        response = create(client, admin)
        antenna = Company.objects.get(siret="44229377500020")
        page = client.get(response["Location"])
        content = page.content.decode()
        assert page.context["request"].current_organization == parent
        assert f"L'antenne « {escape(antenna.display_name)} » est créée" in content
        assert f'action="{reverse("switch_organization")}"' in content
        assert f'name="organization" value="{antenna.switch_key}"' in content

        client.post(reverse("switch_organization"), {"organization": antenna.switch_key})
        assert client.session[SESSION_KEY] == antenna.switch_key

    def test_someone_elses_antenna_is_not_offered(self, client, admin, parent):
        stranger = CompanyFactory(with_member=True)
        client.force_login(admin)
        content = client.get(f"{URL}?antenne={stranger.uid}").content.decode()
        assert stranger.switch_key not in content
        assert "est créée" not in content

    def test_the_page_explains_what_is_inherited(self, client, admin, parent):
        client.force_login(admin)
        content = client.get(URL).content.decode()
        assert "<h1>Créer une antenne</h1>" in content
        assert "même SIREN (<strong>442293775</strong>)" in content
        assert "Atelier chantier d" in content
        assert '<label for="id_commune_name" class="fr-label">' in content

    def test_geiq_antenna_is_always_active(self, client, admin):
        CompanyFactory(siret=PARENT_SIRET, kind=CompanyKind.GEIQ, source=CompanySource.GEIQ, with_member=admin)
        assert create(client, admin).status_code == 302
        antenna = Company.objects.get(siret="44229377500020", kind=CompanyKind.GEIQ)
        assert antenna.convention is None
        assert antenna.is_active

    def test_siae_antenna_lives_and_dies_with_the_inherited_convention(self, client, admin, parent):
        create(client, admin)
        antenna = Company.objects.get(siret="44229377500020")
        assert antenna.is_active
        parent.convention.is_active = False
        parent.convention.deactivated_at = timezone.now()
        parent.convention.save()
        antenna.refresh_from_db()
        assert not antenna.is_active
        assert antenna.is_in_grace_period()

    def test_siae_without_an_active_convention_is_told_to_contact_the_support(self, client, admin):
        # Created by the support, hence active, but an antenna would inherit no convention and never be active.
        CompanyFactory(siret=PARENT_SIRET, source=CompanySource.STAFF_CREATED, convention=None, with_member=admin)
        client.force_login(admin)
        content = client.get(URL).content.decode()
        assert "Création impossible" in content
        assert "aucune convention active" in content
        assert "Créer l&#x27;antenne" not in content and "Créer l'antenne</button>" not in content
        assert create(client, admin).status_code == 200
        assert not Company.objects.filter(siret="44229377500020").exists()


class TestValidation:
    def assert_refused(self, response, field, message):
        assert response.status_code == 200
        assert message in response.context["form"].errors[field]
        assert escape(message) in response.content.decode()
        assert not Company.objects.filter(siret__startswith="442293775", source=CompanySource.USER_CREATED).exists()

    def test_siret_must_start_with_the_parent_siren(self, client, admin, parent):
        response = create(client, admin, siret="91234567800020")
        self.assert_refused(
            response, "siret", "Le SIRET d'une antenne doit commencer par le SIREN de votre structure (442293775)."
        )

    def test_siret_and_kind_must_be_free(self, client, admin, parent):
        CompanyFactory(siret="44229377500020", kind=CompanyKind.ACI)
        response = create(client, admin)
        self.assert_refused(
            response,
            "siret",
            "Une structure de type ACI existe déjà avec ce SIRET : demandez à ses administrateurs de vous inviter.",
        )

    def test_a_clash_between_validation_and_creation_gets_the_form_error(self, client, admin, parent):
        """Two simultaneous submissions: the second one's check passed before the first one's insertion."""
        real_antenna_create = antennas.antenna_create

        def someone_was_quicker(**kwargs):
            CompanyFactory(siret="44229377500020", kind=CompanyKind.ACI, name="La plus rapide")
            return real_antenna_create(**kwargs)

        with mock.patch("inclusion.companies.antennas.antenna_create", side_effect=someone_was_quicker):
            response = create(client, admin)
        assert response.status_code == 200
        assert response.context["form"].errors["siret"] == [
            "Une structure de type ACI existe déjà avec ce SIRET : demandez à ses administrateurs de vous inviter."
        ]
        assert Company.objects.get(siret="44229377500020", kind=CompanyKind.ACI).name == "La plus rapide"
        assert not admin.companymembership_set.filter(organization__siret="44229377500020").exists()

    def test_same_siret_of_another_kind_is_free(self, client, admin, parent):
        CompanyFactory(siret="44229377500020", kind=CompanyKind.EI)
        assert create(client, admin).status_code == 302
        assert Company.objects.filter(siret="44229377500020", kind=CompanyKind.ACI).exists()

    def test_invalid_siret(self, client, admin, parent):
        response = create(client, admin, siret="4422937750002")
        assert response.status_code == 200
        assert response.context["form"].errors["siret"]

    def test_commune_is_required(self, client, admin, parent):
        self.assert_refused(create(client, admin, commune_name=""), "commune_name", "Ce champ est obligatoire.")

    def test_a_commune_we_cannot_locate_blocks_the_creation(self, client, admin, parent):
        response = create(client, admin, commune_name="Lyon", post_code="69100")
        self.assert_refused(
            response,
            "commune_name",
            "Nous ne trouvons pas la commune « Lyon » avec le code postal 69100 : "
            "vérifiez son orthographe et le code postal.",
        )

    @pytest.mark.parametrize("field", ["siret", "name", "address_line_1", "post_code"])
    def test_required_fields(self, client, admin, parent, field):
        response = create(client, admin, **{field: ""})
        assert response.status_code == 200
        assert response.context["form"].errors[field] == ["Ce champ est obligatoire."]

    def test_accents_and_dashes_are_ignored_in_the_commune(self, client, admin, parent):
        assert create(client, admin, commune_name="SAINT-ETIENNE", post_code="42000").status_code == 302
        assert Company.objects.get(siret="44229377500020").commune.code_insee == "42218"


class TestAccess:
    def test_anonymous_is_sent_to_login(self, client, db):
        response = client.get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_a_member_who_is_not_admin_is_refused(self, client, admin, parent):
        member = ProfessionalFactory()
        CompanyMembershipFactory(organization=parent, user=member, is_admin=False)
        client.force_login(member)
        assert client.get(URL).status_code == 403
        assert create(client, member).status_code == 403
        assert not Company.objects.filter(siret="44229377500020").exists()

    @pytest.mark.parametrize(
        "make_user",
        [
            lambda: JobSeekerFactory(),
            lambda: StaffFactory(),
            lambda: PrescriberOrganizationFactory(authorized=True, with_member=True).members.get(),
            lambda: PrescriberOrganizationFactory(with_member=True).members.get(),
            lambda: InstitutionFactory(with_member=True).members.get(),
        ],
        ids=["job seeker", "staff", "authorized prescriber", "orienteur", "institution member"],
    )
    def test_other_roles_are_refused(self, client, admin, parent, make_user):
        user = make_user()
        login(client, user)
        assert client.get(URL).status_code == 403
        assert create(client, user).status_code == 403

    @pytest.mark.parametrize("kind", [CompanyKind.EA, CompanyKind.EATT, CompanyKind.OPCS])
    def test_kinds_without_antennas_are_refused(self, client, admin, kind):
        CompanyFactory(siret=PARENT_SIRET, kind=kind, source=CompanySource.STAFF_CREATED, with_member=admin)
        assert create(client, admin).status_code == 403

    @pytest.mark.parametrize("kind", [CompanyKind.AI, CompanyKind.EI, CompanyKind.EITI, CompanyKind.ETTI])
    def test_every_siae_kind_is_allowed(self, client, admin, kind):
        CompanyFactory(
            siret=PARENT_SIRET, kind=kind, source=CompanySource.ASP, convention=convention(kind), with_member=admin
        )
        assert create(client, admin).status_code == 302
        assert Company.objects.get(siret="44229377500020").kind == kind

    @pytest.mark.parametrize("days", [1, 29], ids=["first day", "last day"])
    def test_parent_in_grace_period_is_refused(self, client, admin, days):
        CompanyFactory(
            siret=PARENT_SIRET,
            source=CompanySource.ASP,
            convention=convention(is_active=False, deactivated_days_ago=days),
            with_member=admin,
        )
        assert create(client, admin).status_code == 403

    def test_inactive_parent_is_refused(self, client, admin):
        CompanyFactory(
            siret=PARENT_SIRET,
            source=CompanySource.ASP,
            convention=convention(is_active=False, deactivated_days_ago=40),
            with_member=admin,
        )
        client.force_login(admin)
        response = client.get(URL)
        # The middleware may already log out a member of a company past its grace period; never a form.
        assert response.status_code in (302, 403)
        assert not Company.objects.filter(source=CompanySource.USER_CREATED).exists()

    def test_acts_for_the_current_organization_only(self, client, admin, parent):
        """An admin of an ACI acting for an EA they also belong to cannot create antennas from there."""
        ea = CompanyFactory(kind=CompanyKind.EA, with_member=admin)
        client.force_login(admin)
        client.post(reverse("switch_organization"), {"organization": ea.switch_key})
        assert client.get(URL).status_code == 403
