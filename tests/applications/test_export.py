"""XLSX export of applications by month (applications.md §15, §16)."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from inclusion.applications import export
from inclusion.applications.enums import JobApplicationState, RefusalReason, SenderKind
from inclusion.companies.enums import CompanyKind
from inclusion.eligibility.enums import AuthorKind
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory, JobDescriptionFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, JobSeekerProfileFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 11, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)
EXPORT_URL = reverse("applications_export")
S = JobApplicationState


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def company():
    return CompanyFactory(name="Recyclerie du Rhône", kind=CompanyKind.ACI)


@pytest.fixture
def employer(company):
    user = ProfessionalFactory()
    CompanyMembershipFactory(organization=company, user=user)
    return user


def month_url(key):
    return reverse("applications_export_month", args=[key])


def sheet_rows(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def as_dicts(response):
    header, *rows = sheet_rows(response)
    assert tuple(header) == export.HEADERS
    return [dict(zip(header, row, strict=True)) for row in rows]


def person(**fields):
    job_seeker = JobSeekerFactory(profile=None, **fields)
    JobSeekerProfileFactory(user=job_seeker, birthdate=datetime.date(1990, 3, 15))
    return job_seeker


class TestMonthsPage:
    def test_employer_months_of_received_applications(self, client, company, employer):
        JobApplicationFactory(to_company=company, created_at=NOW)
        JobApplicationFactory(to_company=company, created_at=NOW - 5 * DAY)
        JobApplicationFactory(to_company=company, created_at=datetime.datetime(2026, 1, 31, 12, tzinfo=datetime.UTC))
        JobApplicationFactory(created_at=NOW)  # another company
        client.force_login(employer)
        response = client.get(EXPORT_URL)
        months = [(row["key"], row["count"]) for row in response.context["months"]]
        assert months == [("2026-03", 2), ("2026-01", 1)]
        assert response.context["total"] == 3
        assert month_url("2026-03") in response.content.decode()

    def test_months_follow_the_paris_calendar(self, client, company, employer):
        # 2026-02-28 23:30 UTC is 2026-03-01 00:30 in Paris: a March application.
        job_application = JobApplicationFactory(
            to_company=company, created_at=datetime.datetime(2026, 2, 28, 23, 30, tzinfo=datetime.UTC)
        )
        client.force_login(employer)
        assert [row["key"] for row in client.get(EXPORT_URL).context["months"]] == ["2026-03"]
        assert len(as_dicts(client.get(month_url("2026-03")))) == 1
        assert as_dicts(client.get(month_url("2026-02"))) == []
        assert job_application.pk

    def test_prescriber_months_of_sent_applications(self, client):
        prescriber = ProfessionalFactory()
        organization = PrescriberOrganizationFactory(with_member=prescriber, authorized=True)
        JobApplicationFactory(
            sender=prescriber, sender_kind=SenderKind.PRESCRIBER, sender_prescriber_organization=organization
        )
        JobApplicationFactory(sent_by_authorized_prescriber=True)
        client.force_login(prescriber)
        assert [row["count"] for row in client.get(EXPORT_URL).context["months"]] == [1]

    @pytest.mark.parametrize("key", ["2026-13", "2026-00", "mars", "2026-3", "toute", "0000-01", "0001-01", "9999-12"])
    def test_unknown_month_is_not_found(self, client, employer, key):
        # Years 1 and 9999 would take the month's bounds out of Python's dates once shifted to UTC: not a 500.
        client.force_login(employer)
        assert client.get(month_url(key)).status_code == 404

    @pytest.mark.parametrize("key", ["0002-01", "9998-12"])
    def test_far_months_are_empty(self, client, company, employer, key):
        JobApplicationFactory(to_company=company)
        client.force_login(employer)
        assert as_dicts(client.get(month_url(key))) == []


class TestContent:
    def test_every_column(self, client, company, employer):
        organization = PrescriberOrganizationFactory(name="France Travail Lyon 7e", authorized=True)
        sender = ProfessionalFactory(first_name="Nathalie", last_name="Lefèvre")
        job_seeker = person(
            first_name="Sophie",
            last_name="Durand",
            email="sophie@example.com",
            phone="0611223344",
            city="Lyon",
            post_code="69003",
        )
        diagnosis = EligibilityDiagnosisFactory(job_seeker=job_seeker)
        approval = ApprovalFactory(user=job_seeker, eligibility_diagnosis=diagnosis, start_at=TODAY)
        job_application = JobApplicationFactory(
            job_seeker=job_seeker,
            to_company=company,
            sender=sender,
            sender_kind=SenderKind.PRESCRIBER,
            sender_prescriber_organization=organization,
            state=S.ACCEPTED,
            hiring_start_at=TODAY,
            hiring_end_at=TODAY + 180 * DAY,
            approval=approval,
            eligibility_diagnosis=diagnosis,
            created_at=NOW - DAY,
        )
        job_application.selected_jobs.add(JobDescriptionFactory(company=company, custom_name="Valoriste"))
        client.force_login(employer)
        (row,) = as_dicts(client.get(month_url("2026-03")))
        assert row == {
            "Civilité": "Madame",
            "Nom": "DURAND",
            "Prénom": "Sophie",
            "E-mail": "sophie@example.com",
            "Téléphone": "0611223344",
            "Date de naissance": datetime.datetime(1990, 3, 15),
            "Ville": "Lyon",
            # applications.md §15 "Reference differs": the department code, not the post code.
            "Département": "69",
            "Nom de la structure": "Recyclerie du Rhône",
            "Type de structure": "ACI",
            "Métiers recherchés": "Valoriste",
            "Source de la candidature": "Prescripteur habilité",
            "Organisation prescriptrice": "France Travail Lyon 7e",
            "Nom de l'émetteur": "Nathalie LEFÈVRE",
            "Date de la candidature": datetime.datetime(2026, 3, 9),
            "Statut de la candidature": "Acceptée",
            "Date de début du contrat": datetime.datetime(2026, 3, 10),
            "Date de fin du contrat": datetime.datetime(2026, 9, 6),
            "Motif de refus": None,
            "Éligibilité IAE validée": "oui",
            # A prescriber diagnosis: not for the contrôle a posteriori.
            "Éligible au contrôle a posteriori": "non",
            "Numéro de PASS IAE": approval.number,
            "Début du PASS IAE": datetime.datetime(2026, 3, 10),
            "Fin du PASS IAE": datetime.datetime.combine(approval.end_at, datetime.time()),
            "Statut du PASS IAE": "Valide",
        }

    def test_refused_spontaneous_application_without_pass(self, client, company, employer):
        job_seeker = person(post_code="20090")
        JobApplicationFactory(
            job_seeker=job_seeker,
            to_company=company,
            state=S.REFUSED,
            refusal_reason=RefusalReason.NO_POSITION,
        )
        client.force_login(employer)
        (row,) = as_dicts(client.get(month_url("toutes")))
        assert row["Département"] == "2A"
        assert row["Métiers recherchés"] == "Candidature spontanée"
        assert row["Source de la candidature"] == "Candidature spontanée"
        assert row["Motif de refus"] == RefusalReason.NO_POSITION.label
        assert row["Éligibilité IAE validée"] == "non"
        assert row["Numéro de PASS IAE"] is None
        assert row["Statut du PASS IAE"] is None

    def test_suspended_pass_state(self, client, company, employer):
        approval = ApprovalFactory(start_at=TODAY - 10 * DAY)
        SuspensionFactory(approval=approval, start_at=TODAY, end_at=TODAY + DAY)
        JobApplicationFactory(
            job_seeker=approval.user,
            to_company=company,
            state=S.ACCEPTED,
            approval=approval,
            hiring_start_at=approval.start_at,
        )
        client.force_login(employer)
        (row,) = as_dicts(client.get(month_url("toutes")))
        assert row["Statut du PASS IAE"] == "Valide (suspendu)"

    def test_all_months_or_one(self, client, company, employer):
        JobApplicationFactory(to_company=company, created_at=NOW)
        JobApplicationFactory(to_company=company, created_at=NOW - 40 * DAY)
        client.force_login(employer)
        assert len(as_dicts(client.get(month_url("toutes")))) == 2
        assert len(as_dicts(client.get(month_url("2026-03")))) == 1
        response = client.get(month_url("2026-03"))
        assert response["Content-Disposition"] == 'attachment; filename="candidatures-2026-03.xlsx"'

    def test_fixed_number_of_queries(self, client, company, employer, django_assert_num_queries):
        def application(index):
            job_seeker = person()
            approval = ApprovalFactory(user=job_seeker)
            job_application = JobApplicationFactory(
                job_seeker=job_seeker,
                to_company=company,
                sent_by_authorized_prescriber=True,
                state=S.ACCEPTED,
                approval=approval,
                hiring_start_at=approval.start_at,
                eligibility_diagnosis=approval.eligibility_diagnosis,
            )
            job_application.selected_jobs.add(JobDescriptionFactory(company=company))

        client.force_login(employer)
        application(0)
        client.get(month_url("toutes"))
        # Session, user, the 3 membership tables, the applications, their jobs, their PASS suspensions.
        with django_assert_num_queries(8):
            client.get(month_url("toutes"))
        for index in range(1, 30):
            application(index)
        with django_assert_num_queries(8):
            assert len(as_dicts(client.get(month_url("toutes")))) == 30


class TestTypedText:
    """What people typed goes into the file as plain text, whatever it holds."""

    def test_control_characters_are_dropped(self, client, company, employer):
        # The XLSX format forbids them: they must not break the whole export (a 500).
        job_seeker = person(first_name="Jean\x0bPierre", last_name="Du\x01pont")
        job_application = JobApplicationFactory(to_company=company, job_seeker=job_seeker)
        job_application.selected_jobs.add(JobDescriptionFactory(company=company, custom_name="Agent\x1b d'accueil"))
        client.force_login(employer)
        (row,) = as_dicts(client.get(month_url("toutes")))
        assert (row["Nom"], row["Prénom"], row["Métiers recherchés"]) == ("DUPONT", "JeanPierre", "Agent d'accueil")

    def test_a_text_starting_with_equals_is_no_formula(self, client, company, employer):
        # Formula injection: a job seeker naming themself "=HYPERLINK(…)" must not put a live formula in the
        # employer's spreadsheet.
        job_seeker = person(first_name='=HYPERLINK("https://example.com","Cliquez")', last_name="=1+1")
        JobApplicationFactory(to_company=company, job_seeker=job_seeker)
        client.force_login(employer)
        response = client.get(month_url("toutes"))
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        header = [cell.value for cell in sheet[1]]
        last_name, first_name = sheet[2][header.index("Nom")], sheet[2][header.index("Prénom")]
        assert (last_name.value, last_name.data_type) == ("=1+1", "s")
        assert (first_name.value, first_name.data_type) == ('=HYPERLINK("https://example.com","Cliquez")', "s")


class TestPersonalData:
    """applications.md §16: personal columns are masked or blanked for a viewer who may not see them."""

    @pytest.fixture
    def organization(self):
        return PrescriberOrganizationFactory()  # not authorized: its members are orienteurs

    @pytest.fixture
    def orienteur(self, organization):
        user = ProfessionalFactory()
        PrescriberMembershipFactory(organization=organization, user=user)
        return user

    def sent_for(self, job_seeker, sender, organization):
        return JobApplicationFactory(
            job_seeker=job_seeker,
            sender=sender,
            sender_kind=SenderKind.PRESCRIBER,
            sender_prescriber_organization=organization,
        )

    def test_masked_for_an_orienteur_who_did_not_create_the_account(self, client, orienteur, organization):
        job_seeker = person(
            first_name="Jean Pierre", last_name="Dupontel", email="jp@example.com", phone="0600000000", city="Lyon"
        )
        self.sent_for(job_seeker, orienteur, organization)
        client.force_login(orienteur)
        (row,) = as_dicts(client.get(month_url("toutes")))
        assert (row["Nom"], row["Prénom"]) == ("D…", "J… P…")
        for column in ("Civilité", "E-mail", "Téléphone", "Date de naissance", "Ville"):
            assert row[column] is None, column
        assert row["Source de la candidature"] == "Orienteur"
        values = [str(value) for value in row.values()]
        # "Jean Pierre", not "Jean": the sender's name (a random one) may hold a "Jean" of its own.
        assert not any("Dupontel" in value or "DUPONTEL" in value or "Jean Pierre" in value for value in values)

    def test_full_for_the_creator(self, client, orienteur, organization):
        job_seeker = person(first_name="Jean", last_name="Dupontel", email="jp@example.com", created_by=orienteur)
        self.sent_for(job_seeker, orienteur, organization)
        client.force_login(orienteur)
        (row,) = as_dicts(client.get(month_url("toutes")))
        assert (row["Nom"], row["Prénom"], row["E-mail"]) == ("DUPONTEL", "Jean", "jp@example.com")
        assert row["Date de naissance"] == datetime.datetime(1990, 3, 15)

    def test_full_for_an_authorized_prescriber(self, client):
        prescriber = ProfessionalFactory()
        organization = PrescriberOrganizationFactory(with_member=prescriber, authorized=True)
        self.sent_for(person(last_name="Dupontel"), prescriber, organization)
        client.force_login(prescriber)
        (row,) = as_dicts(client.get(month_url("toutes")))
        assert row["Nom"] == "DUPONTEL"


class TestEligibleToControl:
    """applications.md §15: PASS, kind AI/EI/ACI/ETTI, accepted, diagnosis by this same SIAE's employer, PASS start =
    hiring start, prefixed PASS number."""

    def build(self, *, kind=CompanyKind.ACI, **overrides):
        company = CompanyFactory(kind=kind)
        job_seeker = JobSeekerFactory()
        diagnosis = EligibilityDiagnosisFactory(job_seeker=job_seeker, from_employer=True, author_siae=company)
        approval = ApprovalFactory(user=job_seeker, eligibility_diagnosis=diagnosis)
        fields = {
            "job_seeker": job_seeker,
            "to_company": company,
            "state": S.ACCEPTED,
            "approval": approval,
            "eligibility_diagnosis": diagnosis,
            "hiring_start_at": approval.start_at,
        }
        fields.update(overrides)
        return JobApplicationFactory.build(**fields)

    def test_eligible(self):
        assert export.is_eligible_to_control(self.build()) is True

    @pytest.mark.parametrize("kind", [CompanyKind.AI, CompanyKind.EI, CompanyKind.ACI, CompanyKind.ETTI])
    def test_controlled_kinds(self, kind):
        assert export.is_eligible_to_control(self.build(kind=kind)) is True

    @pytest.mark.parametrize("kind", [CompanyKind.EITI, CompanyKind.GEIQ, CompanyKind.EA])
    def test_other_kinds(self, kind):
        assert export.is_eligible_to_control(self.build(kind=kind)) is False

    def test_without_pass(self):
        assert export.is_eligible_to_control(self.build(approval=None)) is False

    def test_not_accepted(self):
        assert export.is_eligible_to_control(self.build(state=S.CANCELLED)) is False

    def test_prescriber_diagnosis(self):
        job_application = self.build()
        job_application.eligibility_diagnosis.author_kind = AuthorKind.PRESCRIBER
        assert export.is_eligible_to_control(job_application) is False

    def test_diagnosis_of_another_siae(self):
        job_application = self.build()
        job_application.eligibility_diagnosis.author_siae = CompanyFactory()
        assert export.is_eligible_to_control(job_application) is False

    @pytest.mark.parametrize("shift,eligible", [(-DAY, False), (datetime.timedelta(0), True), (DAY, False)])
    def test_pass_start_equals_hiring_start(self, shift, eligible):
        job_application = self.build()
        job_application.hiring_start_at = job_application.approval.start_at + shift
        assert export.is_eligible_to_control(job_application) is eligible

    def test_number_without_the_platform_prefix(self):
        job_application = self.build()
        job_application.approval.number = "XYZ" + job_application.approval.number[3:]
        assert not job_application.approval.number.startswith(settings.PASS_IAE_NUMBER_PREFIX)
        assert export.is_eligible_to_control(job_application) is False
