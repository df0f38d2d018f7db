"""applications.md §16 and §18 invariant 1: who sees a job seeker's personal data; organizations.md §2: masking."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from inclusion.companies.enums import CompanyKind
from inclusion.prescribers.enums import AuthorizationStatus
from inclusion.users.display import display_name_for, masked_name
from inclusion.users.perms import (
    can_edit_personal_information,
    can_notify_with_personal_information,
    can_view_personal_information,
)
from tests.companies.factories import CompanyFactory
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PREDICATES = [can_view_personal_information, can_edit_personal_information]


def _member_of(organization_factory, **organization_kwargs):
    viewer = ProfessionalFactory()
    return viewer, organization_factory(with_member=viewer, **organization_kwargs)


def _orienteur(authorization_status=AuthorizationStatus.NOT_REQUIRED):
    return _member_of(PrescriberOrganizationFactory, authorization_status=authorization_status)


def _orienteur_creator(job_seeker):
    viewer, organization = _orienteur()
    job_seeker.created_by = viewer
    job_seeker.save(update_fields=["created_by"])
    return viewer, organization


def _orienteur_creator_after_first_login(job_seeker):
    viewer, organization = _orienteur_creator(job_seeker)
    # The job seeker took over his account: no longer "handled by proxy", but `created_by` stays.
    job_seeker.first_login = job_seeker.last_login = timezone.now()
    job_seeker.save(update_fields=["first_login", "last_login"])
    return viewer, organization


def _staff_creator(job_seeker):
    viewer = StaffFactory()
    job_seeker.created_by = viewer
    job_seeker.save(update_fields=["created_by"])
    return viewer, None


def _authorized_member_acting_for_institution(job_seeker):
    viewer, _authorized = _member_of(PrescriberOrganizationFactory, authorized=True)
    return viewer, InstitutionFactory(with_member=viewer)


# (persona, builder(job_seeker) -> (viewer, organization the viewer acts for), expected)
MATRIX = [
    ("self", lambda job_seeker: (job_seeker, None), True),
    ("prescripteur habilité", lambda _js: _member_of(PrescriberOrganizationFactory, authorized=True), True),
    ("employeur SIAE", lambda _js: _member_of(CompanyFactory, kind=CompanyKind.ACI), True),
    ("employeur GEIQ", lambda _js: _member_of(CompanyFactory, kind=CompanyKind.GEIQ), True),
    ("employeur EA", lambda _js: _member_of(CompanyFactory, kind=CompanyKind.EA), True),
    ("orienteur créateur", _orienteur_creator, True),
    ("orienteur créateur, le candidat s'est connecté", _orienteur_creator_after_first_login, True),
    ("orienteur non créateur", lambda _js: _orienteur(), False),
    ("habilitation en attente", lambda _js: _orienteur(AuthorizationStatus.NOT_SET), False),
    ("habilitation refusée", lambda _js: _orienteur(AuthorizationStatus.REFUSED), False),
    ("prescripteur habilité agissant pour une institution", _authorized_member_acting_for_institution, False),
    ("professionnel sans organisation courante", lambda _js: (ProfessionalFactory(), None), False),
    ("autre candidat", lambda _js: (JobSeekerFactory(), None), False),
    ("membre d'une institution", lambda _js: _member_of(InstitutionFactory), False),
    ("administrateur", lambda _js: (StaffFactory(), None), False),
    ("administrateur créateur du compte", _staff_creator, False),
    ("visiteur anonyme", lambda _js: (AnonymousUser(), None), False),
]


@pytest.mark.parametrize("predicate", PREDICATES, ids=lambda predicate: predicate.__name__)
@pytest.mark.parametrize(("persona", "build_viewer", "expected"), MATRIX, ids=[row[0] for row in MATRIX])
def test_personal_data_matrix(predicate, persona, build_viewer, expected):
    job_seeker = JobSeekerFactory()
    viewer, organization = build_viewer(job_seeker)

    assert predicate(viewer, job_seeker, organization=organization) is expected


@pytest.mark.parametrize("predicate", PREDICATES, ids=lambda predicate: predicate.__name__)
@pytest.mark.parametrize(
    "build_target",
    [ProfessionalFactory, StaffFactory],
    ids=["professionnel", "administrateur"],
)
def test_target_must_be_a_job_seeker(predicate, build_target):
    employer, company = _member_of(CompanyFactory)
    prescriber, authorized_organization = _member_of(PrescriberOrganizationFactory, authorized=True)
    target = build_target()

    assert predicate(employer, target, organization=company) is False
    assert predicate(prescriber, target, organization=authorized_organization) is False


@pytest.mark.parametrize("predicate", PREDICATES, ids=lambda predicate: predicate.__name__)
def test_orienteur_creating_a_professional_account_gets_no_right_on_it(predicate):
    orienteur, organization = _orienteur()
    target = ProfessionalFactory(created_by=orienteur)

    assert predicate(orienteur, target, organization=organization) is False


@pytest.mark.parametrize("predicate", PREDICATES, ids=lambda predicate: predicate.__name__)
def test_switching_organization_changes_the_answer(predicate):
    """The role comes from the organization the viewer acts for, not from all his memberships."""
    job_seeker = JobSeekerFactory()
    viewer, orienteur_organization = _orienteur()
    company = CompanyFactory(with_member=viewer)

    assert predicate(viewer, job_seeker, organization=orienteur_organization) is False
    assert predicate(viewer, job_seeker, organization=company) is True


class TestNotifyWithPersonalInformation:
    def test_member_of_an_authorized_organization(self):
        proxy, _organization = _member_of(PrescriberOrganizationFactory, authorized=True)

        assert can_notify_with_personal_information(proxy) is True

    def test_member_of_an_authorized_organization_among_others(self):
        proxy, _organization = _orienteur()
        PrescriberOrganizationFactory(authorized=True, with_member=proxy)

        assert can_notify_with_personal_information(proxy) is True

    @pytest.mark.parametrize(
        "authorization_status",
        [AuthorizationStatus.NOT_REQUIRED, AuthorizationStatus.NOT_SET, AuthorizationStatus.REFUSED],
    )
    def test_member_of_a_non_authorized_organization(self, authorization_status):
        proxy, _organization = _orienteur(authorization_status)

        assert can_notify_with_personal_information(proxy) is False

    def test_inactive_membership_of_an_authorized_organization(self):
        proxy = ProfessionalFactory()
        PrescriberMembershipFactory(
            user=proxy,
            organization=PrescriberOrganizationFactory(authorized=True),
            is_active=False,
            is_admin=False,
        )

        assert can_notify_with_personal_information(proxy) is False

    def test_deactivated_proxy_member_of_an_authorized_organization(self):
        proxy, _organization = _member_of(PrescriberOrganizationFactory, authorized=True)
        proxy.is_active = False
        proxy.save(update_fields=["is_active"])

        assert can_notify_with_personal_information(proxy) is False

    def test_notified_structure_is_a_company(self):
        proxy, _organization = _orienteur()

        assert can_notify_with_personal_information(proxy, notified_company=CompanyFactory()) is True

    def test_notified_structure_is_not_a_company(self):
        proxy, organization = _orienteur()

        assert can_notify_with_personal_information(proxy, notified_company=organization) is False

    def test_no_proxy(self):
        assert can_notify_with_personal_information(None) is False


class TestMaskedName:
    @pytest.mark.parametrize(
        ("first_name", "last_name", "expected"),
        [
            ("Sophie", "Durand", "S… D…"),
            ("Jean-Pierre", "Martin", "J… M…"),  # split on spaces only: a hyphenated name is one word
            ("Marie Claire", "de La Tour", "M… C… D… L… T…"),
            ("  élodie ", " o'neil  ", "É… O…"),
            ("Sophie", "", "S…"),
            ("", "", ""),
        ],
    )
    def test_initials_of_every_word(self, first_name, last_name, expected):
        user = UserFactory.build(first_name=first_name, last_name=last_name)

        assert masked_name(user) == expected

    def test_masked_name_reveals_no_other_letter(self):
        user = UserFactory.build(first_name="Sophie", last_name="Durand")

        masked = masked_name(user)

        assert "ophie" not in masked
        assert "urand" not in masked


class TestDisplayNameFor:
    def test_allowed_viewer_sees_the_full_name(self):
        job_seeker = JobSeekerFactory(first_name="Sophie", last_name="Durand")
        prescriber, organization = _member_of(PrescriberOrganizationFactory, authorized=True)

        assert display_name_for(prescriber, job_seeker, organization=organization) == "Sophie DURAND"

    def test_job_seeker_sees_his_own_full_name(self):
        job_seeker = JobSeekerFactory(first_name="Sophie", last_name="Durand")

        assert display_name_for(job_seeker, job_seeker) == "Sophie DURAND"

    def test_orienteur_who_did_not_create_the_account_sees_initials(self):
        job_seeker = JobSeekerFactory(first_name="Sophie", last_name="Durand")
        orienteur, organization = _orienteur()

        assert display_name_for(orienteur, job_seeker, organization=organization) == "S… D…"

    def test_orienteur_creator_sees_the_full_name(self):
        job_seeker = JobSeekerFactory(first_name="Jean-Pierre", last_name="Martin")
        orienteur, organization = _orienteur_creator(job_seeker)

        assert display_name_for(orienteur, job_seeker, organization=organization) == "Jean-Pierre MARTIN"

    def test_institution_member_sees_initials(self):
        job_seeker = JobSeekerFactory(first_name="Jean-Pierre", last_name="Martin")
        member, institution = _member_of(InstitutionFactory)

        assert display_name_for(member, job_seeker, organization=institution) == "J… M…"

    def test_no_query_per_row(self, django_assert_num_queries):
        """Lists call this once per row: it must only read what is already loaded."""
        orienteur, organization = _orienteur()
        job_seekers = [JobSeekerFactory(first_name="Sophie", last_name=f"Durand{n}") for n in range(3)]
        job_seekers.append(JobSeekerFactory(first_name="Jean", last_name="Martin", created_by=orienteur))

        with django_assert_num_queries(0):
            names = [display_name_for(orienteur, job_seeker, organization=organization) for job_seeker in job_seekers]

        assert names == ["S… D…", "S… D…", "S… D…", "Jean MARTIN"]
