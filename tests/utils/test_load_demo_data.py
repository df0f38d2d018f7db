"""`manage.py load_demo_data`: one account per role, every kind of employer, idempotent, development only."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.urls import reverse

from inclusion.applications.enums import JobApplicationState
from inclusion.applications.models import JobApplication
from inclusion.companies.enums import CompanyKind
from inclusion.companies.models import Company, CompanyMembership
from inclusion.institutions.enums import InstitutionKind
from inclusion.institutions.models import Institution, InstitutionMembership
from inclusion.prescribers.enums import AuthorizationStatus, PrescriberOrganizationKind
from inclusion.prescribers.models import PrescriberMembership, PrescriberOrganization
from inclusion.users.enums import UserKind
from inclusion.users.models import JobSeekerProfile, User
from inclusion.users.validators import validate_nir
from tests.users.auth import login

pytestmark = pytest.mark.usefixtures("reference_data", "db")

MODELS = [
    Company,
    CompanyMembership,
    PrescriberOrganization,
    PrescriberMembership,
    Institution,
    InstitutionMembership,
    User,
    JobSeekerProfile,
    JobApplication,
]


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def load_demo_data(*args):
    stdout = StringIO()
    call_command("load_demo_data", *args, stdout=stdout)
    return stdout.getvalue()


def printed_accounts(output):
    """The password and the (role, e-mail) pairs that the command prints for the developer."""
    password = re.search(r"mot de passe commun : (\S+)\)", output).group(1)
    accounts = re.findall(r"^  (.+?)\s+(\S+@\S+)$", output, flags=re.MULTILINE)
    return password, accounts


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_companies_cover_every_kind_and_several_departments(debug):
    load_demo_data()
    kinds = set(Company.objects.values_list("kind", flat=True))
    assert kinds == {kind for kind in CompanyKind if kind != CompanyKind.RESERVED}
    departments = set(Company.objects.values_list("department", flat=True))
    assert len(departments) >= 3
    assert {"69", "75", "974"} <= departments
    for company in Company.objects.all():
        assert company.commune is not None and company.latitude is not None
        assert company.post_code in company.commune.postal_code_list
        company.full_clean()


def test_demo_prescribers_and_institution(debug):
    load_demo_data()
    organizations = PrescriberOrganization.objects.all()
    assert organizations.authorized().exists()
    assert organizations.exclude(authorization_status=AuthorizationStatus.VALIDATED).exists()
    assert organizations.filter(kind=PrescriberOrganizationKind.FT).exclude(code_safir_pole_emploi="").exists()
    for organization in organizations:
        organization.full_clean()
    ddets = Institution.objects.get()
    assert ddets.kind == InstitutionKind.DDETS_IAE
    assert ddets.department == "69"


def test_demo_job_seekers_have_valid_nirs(debug):
    load_demo_data()
    profiles = JobSeekerProfile.objects.select_related("user")
    assert profiles.count() == 6
    for profile in profiles:
        validate_nir(profile.nir)
        profile.full_clean()


def test_one_account_per_role_with_the_printed_password(debug):
    password, accounts = printed_accounts(load_demo_data())
    roles = dict(accounts)
    assert len(roles) == 7
    for email in roles.values():
        user = authenticate(email=email, password=password)
        assert user is not None, email
        assert user.email == email

    job_seeker = User.objects.get(email=roles["Candidat"])
    assert job_seeker.kind == UserKind.JOB_SEEKER
    assert job_seeker.jobseeker_profile.nir

    authorized = User.objects.get(email=roles["Prescripteur habilité (France Travail)"])
    assert authorized.kind == UserKind.PROFESSIONAL
    assert PrescriberMembership.objects.active().get(user=authorized).organization.is_authorized

    orienteur = User.objects.get(email=roles["Orienteur (association)"])
    assert not PrescriberMembership.objects.active().get(user=orienteur).organization.is_authorized

    employer = User.objects.get(email=roles["Employeur (ACI, aussi membre d'un GEIQ)"])
    employer_companies = CompanyMembership.objects.active().filter(user=employer)
    assert {m.organization.kind for m in employer_companies} == {CompanyKind.ACI, CompanyKind.GEIQ}
    ei_employer = User.objects.get(email=roles["Employeur (EI)"])
    assert CompanyMembership.objects.active().get(user=ei_employer).organization.kind == CompanyKind.EI

    institution_member = User.objects.get(email=roles["Institution (DDETS IAE du Rhône)"])
    assert InstitutionMembership.objects.active().get(user=institution_member).organization.kind == (
        InstitutionKind.DDETS_IAE
    )

    staff = User.objects.get(email=roles["Administrateur (support)"])
    assert staff.kind == UserKind.STAFF
    assert staff.is_staff and staff.is_superuser


def test_running_twice_changes_nothing(debug):
    first_output = load_demo_data()
    counts = row_counts()
    second_output = load_demo_data()
    assert row_counts() == counts
    assert second_output == first_output
    password, accounts = printed_accounts(second_output)
    for _role, email in accounts:
        assert authenticate(email=email, password=password) is not None


def test_refused_outside_development(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="ne se chargent qu'en développement"):
        load_demo_data()
    assert not Company.objects.exists()
    assert not User.objects.exists()


def test_force_loads_outside_development(settings):
    settings.DEBUG = False
    password, accounts = printed_accounts(load_demo_data("--force"))
    assert Company.objects.exists()
    assert authenticate(email=accounts[0][1], password=password) is not None


def test_each_printed_account_logs_in_through_the_form_and_sees_its_dashboard(debug, client):
    password, accounts = printed_accounts(load_demo_data())
    for role, email in accounts:
        response = client.post(reverse("login"), {"username": email, "password": password}, follow=True)
        if role == "Administrateur (support)":
            # platform_rules.md §3: a staff account enrols its second factor first, then reaches its dashboard.
            assert response.redirect_chain[-1][0] == f"{reverse('two_factor_setup')}?next={reverse('dashboard')}"
            login(client, User.objects.get(email=email))
            response = client.get(reverse("dashboard"))
        else:
            assert response.redirect_chain[-1][0] == reverse("dashboard"), role
        assert "<h1>Tableau de bord</h1>" in response.content.decode(), role
        assert response.wsgi_request.role is not None, role
        client.post(reverse("logout"))


def test_demo_inbox_has_every_pending_column_and_sent_lists_for_both_prescribers(debug):
    load_demo_data()
    aci_employer = User.objects.get(email="employeur@demo.inclusion.test")
    aci = Company.objects.get(kind=CompanyKind.ACI, memberships__user=aci_employer)
    aci_states = set(JobApplication.objects.filter(to_company=aci).values_list("state", flat=True))
    assert {JobApplicationState.NEW, JobApplicationState.PROCESSING, JobApplicationState.POSTPONED} <= aci_states
    geiq_states = set(JobApplication.objects.filter(to_company__kind=CompanyKind.GEIQ).values_list("state", flat=True))
    assert {JobApplicationState.POOL, JobApplicationState.REFUSED} <= geiq_states
    for sender in ("orienteur@demo.inclusion.test", "prescripteur@demo.inclusion.test"):
        assert JobApplication.objects.filter(sender__email=sender, created_at__isnull=False).count() >= 2
    # Every state change went through the state machine: one log row each.
    refused = JobApplication.objects.get(state=JobApplicationState.REFUSED)
    assert [log.to_state for log in refused.logs.all()] == [JobApplicationState.REFUSED]


def test_demo_job_seekers_have_a_complete_address(debug):
    load_demo_data()
    for job_seeker in User.objects.filter(kind=UserKind.JOB_SEEKER):
        assert job_seeker.address_line_1 and job_seeker.post_code and job_seeker.city, job_seeker
