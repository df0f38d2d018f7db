"""Each tracked model changed through the real pages: the entry names the person logged in (platform_rules.md §1.4)."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from inclusion.applications.enums import JobApplicationState
from inclusion.approvals.enums import SuspensionReason
from inclusion.approvals.models import Approval, CancelledApproval, Prolongation, Suspension
from inclusion.audit.context import ANONYMOUS_LABEL
from inclusion.audit.models import AuditAction, AuditEntry
from inclusion.companies.enums import CompanyKind
from inclusion.eligibility.models import EligibilityDiagnosis, GEIQEligibilityDiagnosis
from inclusion.geo.models import Country
from inclusion.prescribers.enums import AuthorizationStatus, PrescriberOrganizationKind
from inclusion.users.enums import IdentityCertifier
from inclusion.users.models import IdentityCertification, User
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.approvals.factories_suspensions_prolongations import (
    ProlongationFactory,
    ProlongationRequestFactory,
    approval_ending,
    hire,
)
from tests.audit.helpers import entries_of, last_entry_of, login_staff
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory, GEIQEligibilityDiagnosisFactory
from tests.eligibility.factories_rules import certifiable_job_seeker
from tests.geo.factories import CommuneFactory
from tests.institutions.factories import InstitutionFactory, InstitutionMembershipFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel("2026-03-10 12:00 +01:00", tick=False):
        yield


@pytest.fixture
def france():
    CommuneFactory()  # Lyon (69123)
    return Country.objects.get_or_create(
        insee_code=Country.FRANCE_INSEE_CODE, defaults={"asp_code": "100", "name": "FRANCE", "kind": "country"}
    )[0]


def member_of(organization, factory):
    user = ProfessionalFactory()
    factory(organization=organization, user=user, is_admin=False)
    return user


# Job seeker identity -------------------------------------------------------------------------------------------------


def profile_data(france, **overrides):
    return {
        "title": "MME",
        "first_name": "Sophie",
        "last_name": "Durand",
        "phone": "",
        "address_line_1": "12 rue de la République",
        "address_line_2": "",
        "post_code": "69003",
        "city": "Lyon",
        "birthdate": "1990-03-15",
        "birth_country": france.pk,
        "birth_place": "Lyon (69)",
        "birth_place_slug": "lyon-69",
        "pole_emploi_id": "",
        "lack_of_pole_emploi_id_reason": "NOT_REGISTERED",
        "education_level": "",
        "has_rsa_allocation": "NON",
        "rsa_allocation_since": "",
        **overrides,
    }


class TestJobSeekerIdentity:
    def test_the_person_editing_their_profile_is_the_author(self, client, france):
        job_seeker = JobSeekerFactory(first_name="Sophie", last_name="Durand", email="sophie@example.com")
        client.force_login(job_seeker)
        client.post(reverse("job_seeker_profile"), profile_data(france))  # completes the address and birth data
        entries_before = AuditEntry.objects.count()

        response = client.post(
            reverse("job_seeker_profile"), profile_data(france, last_name="Durand-Martin", birthdate="1990-03-16")
        )

        assert response.status_code == 302
        user_entry = last_entry_of(job_seeker)
        assert user_entry.changes == {"last_name": ["Durand", "Durand-Martin"]}
        assert (user_entry.actor, user_entry.actor_label) == (job_seeker, "sophie@example.com")
        profile_entry = last_entry_of(job_seeker.jobseeker_profile)
        assert profile_entry.changes == {"birthdate": ["1990-03-15", "1990-03-16"]}
        assert profile_entry.actor == job_seeker
        assert AuditEntry.objects.count() == entries_before + 2

    def test_the_request_id_of_the_logs_is_kept(self, client, france):
        job_seeker = JobSeekerFactory(first_name="Sophie", last_name="Durand")
        client.force_login(job_seeker)

        client.post(reverse("job_seeker_profile"), profile_data(france, last_name="Roux"), HTTP_X_REQUEST_ID="lb-42")

        assert last_entry_of(job_seeker).request_id == "lb-42"

    def test_an_unchanged_profile_writes_nothing(self, client, france):
        job_seeker = JobSeekerFactory(first_name="Sophie", last_name="Durand")
        client.force_login(job_seeker)
        client.post(reverse("job_seeker_profile"), profile_data(france))
        entries_before = AuditEntry.objects.count()

        # Only untracked fields change (the education level, the RQTH): no entry.
        client.post(reverse("job_seeker_profile"), profile_data(france, education_level="40", rqth_employee="on"))

        assert AuditEntry.objects.count() == entries_before

    def test_wiped_identity_certifications_are_recorded(self, client, france):
        job_seeker = JobSeekerFactory(first_name="Sophie", last_name="Durand")
        certification = IdentityCertification.objects.create(
            job_seeker=job_seeker, certifier=IdentityCertifier.FRANCE_TRAVAIL
        )
        client.force_login(job_seeker)

        client.post(reverse("job_seeker_profile"), profile_data(france, last_name="Durand-Martin"))

        deleted = last_entry_of(certification, action=AuditAction.DELETED)
        assert deleted.changes["certifier"] == ["FRANCE_TRAVAIL", None]
        assert deleted.actor == job_seeker
        assert (deleted.parent_model, deleted.parent_object_id) == ("users.user", str(job_seeker.pk))

    def test_a_certification_made_by_a_task_carries_the_task_name(self, client, django_capture_on_commit_callbacks):
        organization = PrescriberOrganizationFactory(authorized=True, with_member=True)
        prescriber = organization.memberships.get().user
        job_seeker = certifiable_job_seeker(last_name="Martin")
        client.force_login(prescriber)

        # The certification is queued once the diagnosis is committed (eligibility.md §6.2).
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("eligibility_iae_prescriber", args=[job_seeker.public_id]), {"criteria": ["RSA"]})

        certification = IdentityCertification.objects.get(job_seeker=job_seeker)
        entry = last_entry_of(certification)
        assert entry.action == AuditAction.CREATED
        assert entry.actor is None
        assert entry.actor_label == "tâche : certify_with_api_particulier"
        # The diagnosis itself is the prescriber's.
        assert last_entry_of(EligibilityDiagnosis.objects.get(job_seeker=job_seeker)).actor == prescriber

    def test_a_visitor_signing_up_is_not_logged_in(self, client, france):
        client.post(
            reverse("job_seeker_signup"),
            {
                "title": "MME",
                "first_name": "Léa",
                "last_name": "Fontaine",
                "email": "lea.fontaine@example.com",
                "nir": "",
                "lack_of_nir_reason": "NO_NIR",
                "birthdate": "1990-03-15",
                "birth_country": france.pk,
                "birth_place": "Lyon (69)",
                "birth_place_slug": "lyon-69",
                "password1": "Un-mot-de-passe-solide-2026",
                "password2": "Un-mot-de-passe-solide-2026",
            },
        )

        job_seeker = User.objects.get(email="lea.fontaine@example.com")
        entry = entries_of(job_seeker)[0]
        assert entry.action == AuditAction.CREATED
        assert (entry.actor, entry.actor_label) == (None, ANONYMOUS_LABEL)


# PASS IAE, suspensions, prolongations --------------------------------------------------------------------------------


def ready_application():
    employer = ProfessionalFactory(email="rh@jardins.example")
    company = CompanyFactory(kind=CompanyKind.ACI, with_member=employer)
    application = JobApplicationFactory(
        to_company=company, job_seeker_ready_to_hire=True, state=JobApplicationState.PROCESSING
    )
    EligibilityDiagnosisFactory(job_seeker=application.job_seeker, criteria=["RSA"])
    return application, employer


class TestApproval:
    def test_a_pass_issued_by_accepting_an_application_names_the_employer(self, client, settings):
        settings.PASS_IAE_NUMBER_PREFIX = "99999"
        application, employer = ready_application()
        client.force_login(employer)
        wizard_url = client.get(reverse("application_accept", args=[application.pk])).context["wizard_url"]
        start = TODAY + 5 * DAY
        client.post(
            wizard_url, {"action": "contract", "hiring_start_at": start.isoformat(), "advisor": str(employer.pk)}
        )

        client.post(wizard_url, {"action": "confirm"})

        approval = Approval.objects.get(user=application.job_seeker)
        entry = last_entry_of(approval)
        assert entry.action == AuditAction.CREATED
        assert (entry.actor, entry.actor_label) == (employer, "rh@jardins.example")
        assert entry.changes["number"] == [None, approval.number]
        assert entry.changes["start_at"] == [None, start.isoformat()]
        assert entry.changes["end_at"] == [None, approval.end_at.isoformat()]
        assert entry.object_label == f"PASS IAE {approval.number_with_spaces}"

    def test_a_suspension_created_by_the_employer(self, client):
        company = CompanyFactory(kind=CompanyKind.ACI)
        employer = member_of(company, CompanyMembershipFactory)
        approval = ApprovalFactory(start_at=TODAY - 100 * DAY)
        hire(approval, company, accepted_at=datetime.datetime(2025, 11, 30, 10, tzinfo=datetime.UTC))
        end_before = approval.end_at
        client.force_login(employer)

        client.post(
            reverse("suspension_create", args=[approval.public_id]),
            {
                "start_at": TODAY.isoformat(),
                "end_at": (TODAY + 30 * DAY).isoformat(),
                "reason": SuspensionReason.CONTRACT_SUSPENDED,
            },
        )

        suspension = Suspension.objects.get(approval=approval)
        created = last_entry_of(suspension)
        assert created.action == AuditAction.CREATED
        assert created.actor == employer
        assert created.changes["start_at"] == [None, "2026-03-10"]
        assert created.changes["reason"] == [None, "CONTRACT_SUSPENDED"]
        moved = last_entry_of(approval)
        assert moved.changes == {"end_at": [end_before.isoformat(), (end_before + 30 * DAY).isoformat()]}
        assert moved.actor == employer
        # The PASS history shows its suspension too.
        assert (created.parent_model, created.parent_object_id) == ("approvals.approval", str(approval.pk))

    def test_a_prolongation_request_granted_by_the_prescriber(self, client):
        organization = PrescriberOrganizationFactory(authorized=True)
        prescriber = member_of(organization, PrescriberMembershipFactory)
        company = CompanyFactory(kind=CompanyKind.AI)
        approval = approval_ending(TODAY + 30 * DAY, hired_by=company)
        request = ProlongationRequestFactory(
            approval=approval,
            prescriber_organization=organization,
            assigned_to=prescriber,
            declared_by_siae=company,
            end_at=approval.end_at + 90 * DAY,
        )
        client.force_login(prescriber)

        client.post(reverse("prolongation_request_grant", args=[request.public_id]))

        status = last_entry_of(request)
        assert status.changes["status"] == ["PENDING", "GRANTED"]
        assert status.changes["processed_by"] == [None, prescriber.pk]
        assert status.actor == prescriber
        prolongation = Prolongation.objects.get(approval=approval)
        assert last_entry_of(prolongation).action == AuditAction.CREATED
        assert last_entry_of(prolongation).actor == prescriber
        assert last_entry_of(approval).changes["end_at"][1] == (TODAY + 120 * DAY).isoformat()

    def test_staff_deleting_a_pass_writes_the_cancelled_pass_and_the_cascade(self, client):
        staff = StaffFactory(email="support@inclusion.example")
        approval = ApprovalFactory(start_at=TODAY - 10 * DAY)
        suspension = SuspensionFactory(approval=approval, start_at=TODAY - 5 * DAY, end_at=TODAY - DAY)
        number = approval.number
        login_staff(client, staff)

        response = client.post(reverse("admin:approvals_approval_delete", args=[approval.pk]), {"post": "yes"})

        assert response.status_code == 302
        deleted = last_entry_of(approval, action=AuditAction.DELETED)
        assert deleted.changes["number"] == [number, None]
        assert (deleted.actor, deleted.actor_label) == (staff, "support@inclusion.example")
        assert last_entry_of(suspension, action=AuditAction.DELETED).actor == staff
        cancelled = last_entry_of(CancelledApproval.objects.get())
        assert cancelled.action == AuditAction.CREATED
        assert cancelled.changes == {
            "number": [None, number],
            "start_at": [None, "2026-02-28"],
            "end_at": [None, approval.end_at.isoformat()],
        }
        assert cancelled.actor == staff

    def test_terminate_records_the_suspension_shortened_by_a_bulk_update(self, client):
        staff = StaffFactory()
        approval = ApprovalFactory(start_at=TODAY - 100 * DAY)
        ongoing = SuspensionFactory(approval=approval, start_at=TODAY - 10 * DAY, end_at=TODAY + 10 * DAY)
        prolongation = ProlongationFactory(approval=approval, start_at=TODAY - 5 * DAY, end_at=TODAY + 20 * DAY)
        login_staff(client, staff)

        client.post(
            reverse("admin:approvals_approval_changelist"),
            {"action": "terminate", "_selected_action": [str(approval.pk)]},
        )

        shortened = last_entry_of(ongoing)
        assert shortened.changes == {"end_at": ["2026-03-20", "2026-03-10"]}
        assert shortened.actor == staff
        assert last_entry_of(prolongation).changes == {"end_at": ["2026-03-30", "2026-03-10"]}
        assert last_entry_of(approval).changes["end_at"][1] == "2026-03-10"


# Diagnoses -----------------------------------------------------------------------------------------------------------


class TestDiagnoses:
    def test_a_prescriber_diagnosis_with_its_criteria_and_the_one_it_replaces(self, client):
        organization = PrescriberOrganizationFactory(authorized=True)
        prescriber = member_of(organization, PrescriberMembershipFactory)
        job_seeker = JobSeekerFactory()
        previous = EligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["ASS"])
        client.force_login(prescriber)

        client.post(reverse("eligibility_iae_prescriber", args=[job_seeker.public_id]), {"criteria": ["PM", "DELD"]})

        diagnosis = EligibilityDiagnosis.objects.exclude(pk=previous.pk).get()
        created = last_entry_of(diagnosis)
        assert created.action == AuditAction.CREATED
        assert created.changes["author"] == [None, prescriber.pk]
        assert created.changes["expires_at"] == [None, "2026-09-10"]
        assert created.actor == prescriber
        criteria = AuditEntry.objects.filter(
            parent_model="eligibility.eligibilitydiagnosis", parent_object_id=diagnosis.pk
        )
        assert sorted(entry.changes["administrative_criteria"][1] for entry in criteria) == ["DELD", "PM"]
        assert {entry.actor_id for entry in criteria} == {prescriber.pk}
        # eligibility.md §2.4: the previous prescriber diagnosis expires today (a bulk update, recorded).
        expired = last_entry_of(previous)
        assert expired.changes == {"expires_at": [previous.expires_at.isoformat(), "2026-03-10"]}
        assert expired.actor == prescriber

    def test_a_geiq_updating_its_diagnosis_replaces_the_criteria(self, client):
        geiq = CompanyFactory(kind=CompanyKind.GEIQ)
        employer = member_of(geiq, CompanyMembershipFactory)
        job_seeker = JobSeekerFactory()
        application = JobApplicationFactory(job_seeker=job_seeker, to_company=geiq)
        diagnosis = GEIQEligibilityDiagnosisFactory(
            job_seeker=job_seeker,
            author_geiq=geiq,
            created_at=datetime.datetime(2026, 1, 9, tzinfo=datetime.UTC),
            criteria=["DE_45"],
        )
        old_criterion = diagnosis.selected_criteria.get()
        client.force_login(employer)

        client.post(
            reverse("eligibility_geiq_employer", args=[application.id]),
            {"commitment": "on", "criteria": ["MINIMA", "AAH"]},
        )

        assert GEIQEligibilityDiagnosis.objects.get() == diagnosis
        updated = last_entry_of(diagnosis)
        assert updated.changes["expires_at"][1] == "2026-09-10"
        assert updated.changes["author"] == [diagnosis.author_id, employer.pk]
        assert last_entry_of(old_criterion, action=AuditAction.DELETED).actor == employer
        children = AuditEntry.objects.filter(
            parent_model="eligibility.geiqeligibilitydiagnosis", parent_object_id=diagnosis.pk, actor=employer
        )
        assert sorted((entry.action, *entry.changes["administrative_criteria"]) for entry in children) == [
            ("created", None, "AAH"),
            ("created", None, "MINIMA"),
            ("deleted", "DE_45", None),
        ]


# Memberships and authorization ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "organization_factory,membership_factory",
    [
        (CompanyFactory, CompanyMembershipFactory),
        (PrescriberOrganizationFactory, PrescriberMembershipFactory),
        (InstitutionFactory, InstitutionMembershipFactory),
    ],
)
def test_a_membership_deactivated_by_an_admin(client, organization_factory, membership_factory):
    organization = organization_factory()
    admin = membership_factory(organization=organization, is_admin=True).user
    member = membership_factory(organization=organization, is_admin=False)
    client.force_login(admin)

    client.post(reverse("member_deactivate", args=[member.pk]))

    entry = last_entry_of(member)
    assert entry.changes == {"is_active": [True, False]}
    assert entry.actor == admin
    assert (entry.parent_model, entry.parent_object_id) == (organization._meta.label_lower, str(organization.pk))


def test_an_authorization_validated_by_the_support(client):
    support = StaffFactory(is_superuser=False, email="support@inclusion.example")
    support.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_prescriberorganization", "view_prescriberorganization"])
    )
    organization = PrescriberOrganizationFactory(
        kind=PrescriberOrganizationKind.ML, authorization_status=AuthorizationStatus.NOT_SET, name="Mission locale"
    )
    login_staff(client, User.objects.get(pk=support.pk))

    client.post(reverse("admin:prescribers_prescriberorganization_authorization", args=[organization.pk, "validate"]))

    entry = last_entry_of(organization)
    assert entry.changes == {"authorization_status": ["NOT_SET", "VALIDATED"]}
    assert (entry.actor, entry.actor_label) == (support, "support@inclusion.example")
    assert entry.object_label == "Mission locale"


def test_a_staff_member_deleting_their_own_account_leaves_no_dangling_author(client):
    staff = StaffFactory(email="partant@inclusion.example")
    login_staff(client, staff)

    client.post(reverse("admin:users_user_delete", args=[staff.pk]), {"post": "yes"})

    assert not User.objects.filter(pk=staff.pk).exists()
    entry = AuditEntry.objects.get(model="users.user", object_id=str(staff.pk), action=AuditAction.DELETED)
    assert (entry.actor, entry.actor_label) == (None, "partant@inclusion.example")
    connection.check_constraints()  # no entry points to the deleted account


# Commands ------------------------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("reference_data")
def test_the_demo_data_command_signs_its_changes(settings):
    settings.DEBUG = True

    call_command("load_demo_data", stdout=StringIO())

    labels = set(AuditEntry.objects.values_list("actor_label", flat=True))
    assert "commande : load_demo_data" in labels
    # Whatever the command does runs under its name, or under the name of the task it queued.
    assert {label for label in labels if not label.startswith("tâche : ")} == {"commande : load_demo_data"}
    assert not AuditEntry.objects.filter(actor__isnull=False).exists()
