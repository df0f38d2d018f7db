"""The sent applications: /candidatures-envoyees/ and the sender's detail page (applications.md §14, §15, §16)."""

import datetime
import html
import re

import pytest
import time_machine
from django.urls import reverse

from inclusion.applications.enums import JobApplicationState, RefusalReason, SenderKind
from inclusion.companies.enums import CompanyKind
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory, JobDescriptionFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 11, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
URL = reverse("applications_sent")
S = JobApplicationState


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def orienteur_organization():
    return PrescriberOrganizationFactory(name="Association Relais")


@pytest.fixture
def orienteur(orienteur_organization):
    user = ProfessionalFactory(first_name="Olivia", last_name="Orient")
    PrescriberMembershipFactory(organization=orienteur_organization, user=user)
    return user


@pytest.fixture
def colleague(orienteur_organization):
    user = ProfessionalFactory(first_name="Colin", last_name="Collegue")
    PrescriberMembershipFactory(organization=orienteur_organization, user=user, is_admin=False)
    return user


@pytest.fixture
def authorized_organization():
    return PrescriberOrganizationFactory(authorized=True)


@pytest.fixture
def prescriber(authorized_organization):
    user = ProfessionalFactory()
    PrescriberMembershipFactory(organization=authorized_organization, user=user)
    return user


def sent(sender, organization, **fields):
    return JobApplicationFactory(
        sender=sender, sender_kind=SenderKind.PRESCRIBER, sender_prescriber_organization=organization, **fields
    )


def ids_on(response):
    return {row["job_application"].pk for row in response.context["rows"]}


def text_of(response):
    """The page as read: tags removed, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(response.content.decode())).split())


def login(client, user):
    client.force_login(user)
    return client


class TestAccess:
    @pytest.mark.parametrize("authorized", [True, False])
    def test_prescribers(self, client, authorized):
        user = ProfessionalFactory()
        PrescriberOrganizationFactory(with_member=user, authorized=authorized)
        assert login(client, user).get(URL).status_code == 200

    def test_employer(self, client):
        user = ProfessionalFactory()
        CompanyFactory(with_member=user)
        assert login(client, user).get(URL).status_code == 200

    def test_others_are_forbidden(self, client):
        institution_member = ProfessionalFactory()
        InstitutionFactory(with_member=institution_member)
        for user in (JobSeekerFactory(), StaffFactory(), institution_member):
            assert login(client, user).get(URL).status_code == 403

    def test_anonymous_goes_to_login(self, client):
        assert client.get(URL)["Location"].startswith(reverse("login"))


class TestScope:
    def test_prescriber_sees_own_and_organization_applications(
        self, client, orienteur, colleague, orienteur_organization
    ):
        own = sent(orienteur, orienteur_organization)
        by_colleague = sent(colleague, orienteur_organization)
        alone = sent(orienteur, None)
        colleague_alone = sent(colleague, None)
        other_organization = PrescriberOrganizationFactory()
        PrescriberMembershipFactory(organization=other_organization, user=orienteur, joined_at=NOW + DAY)
        for_other_organization = sent(orienteur, other_organization)
        JobApplicationFactory(sent_by_prescriber=True)
        JobApplicationFactory()
        ids = ids_on(login(client, orienteur).get(URL))
        assert ids == {own.pk, by_colleague.pk, alone.pk}
        assert colleague_alone.pk not in ids and for_other_organization.pk not in ids

    def test_employer_sees_what_the_company_sent_to_other_companies(self, client):
        employer = ProfessionalFactory()
        company = CompanyFactory(with_member=employer)
        to_other = JobApplicationFactory(sent_by_employer=True, sender=employer, sender_company=company)
        by_coworker = JobApplicationFactory(sent_by_employer=True, sender_company=company)
        JobApplicationFactory(sent_by_employer=True, sender=employer, sender_company=company, to_company=company)
        JobApplicationFactory(to_company=company)  # received
        JobApplicationFactory(sent_by_employer=True)  # another company's
        assert ids_on(login(client, employer).get(URL)) == {to_other.pk, by_coworker.pk}


class TestMaskedNames:
    """applications.md §16: an orienteur sees the names of the people whose account they created only."""

    @pytest.fixture
    def people(self, orienteur, colleague, orienteur_organization):
        mine = JobSeekerFactory(first_name="Maëlle", last_name="Créée", created_by=orienteur)
        theirs = JobSeekerFactory(first_name="Jean", last_name="Dupontel", created_by=colleague)
        nobodys = JobSeekerFactory(first_name="Anne", last_name="Autonome")
        for job_seeker in (mine, theirs, nobodys):
            sent(colleague, orienteur_organization, job_seeker=job_seeker)
        return mine, theirs, nobodys

    def test_orienteur_list(self, client, orienteur, people):
        response = login(client, orienteur).get(URL)
        page = text_of(response)
        names = {row["job_seeker_name"] for row in response.context["rows"]}
        assert names == {"Maëlle CRÉÉE", "J… D…", "A… A…"}
        for hidden in ("Dupontel", "DUPONTEL", "Autonome", "AUTONOME", "Jean", "Anne"):
            assert hidden not in page

    def test_orienteur_job_seeker_filter_lists_only_the_people_they_may_see(self, client, orienteur, people):
        mine, theirs, _nobodys = people
        form = login(client, orienteur).get(URL).context["form"]
        choices = dict(form.fields["job_seeker"].choices)
        assert choices == {"": "Tous les candidats", str(mine.public_id): "CRÉÉE Maëlle"}
        # A hidden person cannot be filtered on either (the value is refused, not guessed).
        response = client.get(URL, {"job_seeker": theirs.public_id})
        assert "Ce candidat ne fait pas partie de la liste" in text_of(response)

    def test_the_creator_sees_the_full_name(self, client, colleague, people):
        names = {row["job_seeker_name"] for row in login(client, colleague).get(URL).context["rows"]}
        assert names == {"M… C…", "Jean DUPONTEL", "A… A…"}

    def test_authorized_prescriber_sees_every_name(self, client, prescriber, authorized_organization):
        job_seeker = JobSeekerFactory(first_name="Jean", last_name="Dupontel")
        sent(prescriber, authorized_organization, job_seeker=job_seeker)
        response = login(client, prescriber).get(URL)
        assert response.context["rows"][0]["job_seeker_name"] == "Jean DUPONTEL"
        assert str(job_seeker.public_id) in dict(response.context["form"].fields["job_seeker"].choices)

    def test_employer_sees_every_name(self, client):
        employer = ProfessionalFactory()
        company = CompanyFactory(with_member=employer)
        job_seeker = JobSeekerFactory(first_name="Jean", last_name="Dupontel")
        JobApplicationFactory(sent_by_employer=True, sender_company=company, job_seeker=job_seeker)
        rows = login(client, employer).get(URL).context["rows"]
        assert rows[0]["job_seeker_name"] == "Jean DUPONTEL"


class TestColumns:
    def test_employer_job_sender_criteria_and_eligibility(self, client, prescriber, authorized_organization):
        company = CompanyFactory(name="Jardins de Cocagne", kind=CompanyKind.ACI)
        job_seeker = JobSeekerFactory()
        EligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["RSA", "ASS", "AAH", "DETLD"])
        job_application = sent(prescriber, authorized_organization, job_seeker=job_seeker, to_company=company)
        job_application.selected_jobs.add(JobDescriptionFactory(company=company, custom_name="Maraîcher"))
        response = login(client, prescriber).get(URL)
        row = response.context["rows"][0]
        assert row["criteria"] == ["Bénéficiaire du RSA", "Allocataire ASS", "Allocataire AAH"]
        assert row["more_criteria"] == 1
        assert row["eligibility_validated"] is True
        assert row["sender_kind"] == "Prescripteur habilité"
        assert row["detail_url"] == reverse("application_detail_sender", args=[job_application.pk])
        page = text_of(response)
        assert "Jardins de Cocagne" in page and "Maraîcher" in page

    def test_no_eligibility_column_content_for_a_geiq(self, client, prescriber, authorized_organization):
        sent(prescriber, authorized_organization, to_company=CompanyFactory(kind=CompanyKind.GEIQ))
        assert login(client, prescriber).get(URL).context["rows"][0]["with_eligibility"] is False

    def test_an_employer_diagnosis_does_not_count_for_prescribers(self, client, prescriber, authorized_organization):
        """eligibility.md §2.5: an employer diagnosis is never used by prescribers."""
        job_seeker = JobSeekerFactory()
        EligibilityDiagnosisFactory(job_seeker=job_seeker, from_employer=True, criteria=["RSA"])
        sent(prescriber, authorized_organization, job_seeker=job_seeker)
        row = login(client, prescriber).get(URL).context["rows"][0]
        assert row["eligibility_validated"] is False
        assert row["criteria"] == []


class TestFilters:
    def test_target_companies(self, client, prescriber, authorized_organization):
        first, second = CompanyFactory(), CompanyFactory()
        to_first = sent(prescriber, authorized_organization, to_company=first)
        sent(prescriber, authorized_organization, to_company=second)
        login(client, prescriber)
        assert set(dict(client.get(URL).context["form"].fields["to_companies"].choices)) == {
            str(first.uid),
            str(second.uid),
        }
        assert ids_on(client.get(URL, {"to_companies": first.uid})) == {to_first.pk}

    def test_senders_states_and_job_seeker(self, client, orienteur, colleague, orienteur_organization):
        mine = sent(orienteur, orienteur_organization, state=S.NEW)
        theirs = sent(colleague, orienteur_organization, state=S.REFUSED)
        login(client, orienteur)
        assert ids_on(client.get(URL, {"senders": colleague.public_id})) == {theirs.pk}
        assert ids_on(client.get(URL, {"states": "new"})) == {mine.pk}
        created = JobSeekerFactory(created_by=orienteur)
        for_created = sent(colleague, orienteur_organization, job_seeker=created, archived_at=NOW, state=S.REFUSED)
        assert ids_on(client.get(URL, {"job_seeker": created.public_id, "states": "new"})) == {for_created.pk}

    def test_eligibility_pass_and_archived(self, client, prescriber, authorized_organization):
        with_pass = ApprovalFactory()
        validated = sent(prescriber, authorized_organization, job_seeker=with_pass.user)
        pending = sent(prescriber, authorized_organization)
        archived = sent(prescriber, authorized_organization, state=S.REFUSED, archived_at=NOW)
        login(client, prescriber)
        assert ids_on(client.get(URL, {"eligibility": "validated"})) == {validated.pk}
        assert ids_on(client.get(URL, {"eligibility": "pending"})) == {pending.pk}
        assert ids_on(client.get(URL, {"pass_status": "active"})) == {validated.pk}
        assert ids_on(client.get(URL, {"archived": "archived"})) == {archived.pk}


def rich_application(sender, organization, index):
    job_seeker = JobSeekerFactory(last_name=f"Nom{index:03d}", created_by=sender if index % 2 else None)
    EligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["RSA", "DELD", "SENIOR", "TH"])
    if index % 3 == 0:
        ApprovalFactory(user=job_seeker)
    company = CompanyFactory()
    job_application = sent(sender, organization, job_seeker=job_seeker, to_company=company)
    job_application.selected_jobs.add(JobDescriptionFactory(company=company))
    return job_application


class TestQueries:
    # Session, user, the 3 membership tables (middleware), the filter choices, the count, the page, its jobs, the
    # criteria of its diagnoses.
    EXPECTED = 10

    @pytest.mark.parametrize("count", [3, 120])
    def test_fixed_number_of_queries(
        self, client, orienteur, orienteur_organization, count, django_assert_num_queries
    ):
        for index in range(count):
            rich_application(orienteur, orienteur_organization, index)
        login(client, orienteur).get(URL)  # warm-up: the first request saves the session
        with django_assert_num_queries(self.EXPECTED):
            response = client.get(URL)
        assert len(response.context["rows"]) == min(count, 20)


class TestSenderDetail:
    @pytest.fixture
    def job_application(self, orienteur_organization, colleague):
        company = CompanyFactory(name="Recyclerie du Rhône", phone="0472000000", email="contact@recyclerie.test")
        return sent(
            colleague,
            orienteur_organization,
            to_company=company,
            job_seeker=JobSeekerFactory(first_name="Jean", last_name="Dupontel", phone="0611223344"),
            state=S.REFUSED,
            refusal_reason=RefusalReason.OTHER,
            answer="Nous ne pouvons pas donner suite.",
            answer_to_prescriber="Profil intéressant, à revoir dans trois mois.",
            message="Jean cherche un emploi en recyclerie.",
        )

    def url(self, job_application):
        return reverse("application_detail_sender", args=[job_application.pk])

    def test_organization_members_may_read_it(self, client, job_application, orienteur, colleague):
        for user in (orienteur, colleague):
            assert login(client, user).get(self.url(job_application)).status_code == 200

    def test_outsiders_do_not_learn_it_exists(self, client, job_application):
        other_prescriber = ProfessionalFactory()
        PrescriberOrganizationFactory(with_member=other_prescriber, authorized=True)
        receiving_employer = ProfessionalFactory()
        CompanyMembershipFactory(organization=job_application.to_company, user=receiving_employer)
        for user in (other_prescriber, receiving_employer):
            assert login(client, user).get(self.url(job_application)).status_code == 404

    def test_wrong_roles_are_forbidden(self, client, job_application):
        for user in (job_application.job_seeker, StaffFactory()):
            assert login(client, user).get(self.url(job_application)).status_code == 403

    def test_answers_and_contact_of_the_employer_for_reason_other(self, client, job_application, colleague):
        page = text_of(login(client, colleague).get(self.url(job_application)))
        assert "Motif de refus : Autre" in page
        assert "Profil intéressant, à revoir dans trois mois." in page
        assert "Nous ne pouvons pas donner suite." in page
        assert "0472000000" in page and "contact@recyclerie.test" in page
        # The creator... is not the colleague here: the name stays masked, the contact details hidden.
        assert "J… D…" in page
        assert "Dupontel" not in page and "DUPONTEL" not in page and "0611223344" not in page

    def test_no_employer_contact_for_another_reason(self, client, job_application, colleague):
        job_application.refusal_reason = RefusalReason.NO_POSITION
        job_application.save()
        page = text_of(login(client, colleague).get(self.url(job_application)))
        assert "0472000000" not in page

    def test_the_creator_sees_name_and_contact(self, client, job_application, orienteur):
        job_application.job_seeker.created_by = orienteur
        job_application.job_seeker.save()
        page = text_of(login(client, orienteur).get(self.url(job_application)))
        assert "Jean DUPONTEL" in page and "0611223344" in page

    def test_employer_sender(self, client):
        employer = ProfessionalFactory()
        company = CompanyFactory(with_member=employer)
        to_other = JobApplicationFactory(sent_by_employer=True, sender=employer, sender_company=company)
        self_prescription = JobApplicationFactory(
            sent_by_employer=True, sender=employer, sender_company=company, to_company=company
        )
        login(client, employer)
        assert client.get(self.url(to_other)).status_code == 200
        assert client.get(self.url(self_prescription)).status_code == 404

    def test_unknown_application(self, client, orienteur):
        url = reverse("application_detail_sender", args=["00000000-0000-0000-0000-000000000000"])
        assert login(client, orienteur).get(url).status_code == 404
