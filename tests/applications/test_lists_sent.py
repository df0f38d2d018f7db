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
from tests.geo.factories import DepartmentFactory
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users import auth
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
    auth.login(client, user)
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

    def test_orienteur_job_seeker_filter_names_only_the_people_they_may_see(self, client, orienteur, people):
        mine, theirs, _nobodys = people
        response = login(client, orienteur).get(URL, {"job_seeker": mine.public_id})
        assert dict(response.context["form"].fields["job_seeker"].choices) == {str(mine.public_id): "CRÉÉE Maëlle"}
        # A hidden person cannot be filtered on either (the value is refused, not guessed), nor typed.
        response = client.get(URL, {"job_seeker": theirs.public_id})
        assert "Ce candidat ne fait pas partie de la liste" in text_of(response)
        assert response.context["form"].fields["job_seeker"].choices == []
        response = client.get(URL, {"job_seeker_search": "Dupontel"})
        assert "Aucun candidat de cette liste ne correspond à « Dupontel »." in text_of(response)
        assert len(ids_on(response)) == 3

    def test_the_creator_sees_the_full_name(self, client, colleague, people):
        names = {row["job_seeker_name"] for row in login(client, colleague).get(URL).context["rows"]}
        assert names == {"M… C…", "Jean DUPONTEL", "A… A…"}

    def test_authorized_prescriber_sees_every_name(self, client, prescriber, authorized_organization):
        job_seeker = JobSeekerFactory(first_name="Jean", last_name="Dupontel")
        sent(prescriber, authorized_organization, job_seeker=job_seeker)
        response = login(client, prescriber).get(URL)
        assert response.context["rows"][0]["job_seeker_name"] == "Jean DUPONTEL"
        response = client.get(URL, {"job_seeker_search": "jean dupontel"})
        choices = dict(response.context["form"].fields["job_seeker"].choices)
        assert choices == {str(job_seeker.public_id): "DUPONTEL Jean"}

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
        # Issue 7: companies are not enumerated; the chosen ones are shown checked.
        assert client.get(URL).context["form"].fields["to_companies"].choices == []
        response = client.get(URL, {"to_companies": first.uid})
        assert response.context["form"].fields["to_companies"].choices == [(str(first.uid), first.display_name)]
        assert ids_on(response) == {to_first.pk}

    def test_selected_jobs_of_any_company_and_spontaneous(self, client, prescriber, authorized_organization):
        job = JobDescriptionFactory(custom_name="Maraîcher", company=CompanyFactory(name="Jardins de Cocagne"))
        for_job = sent(prescriber, authorized_organization, to_company=job.company)
        for_job.selected_jobs.add(job)
        spontaneous = sent(prescriber, authorized_organization)
        login(client, prescriber)
        choices = client.get(URL).context["form"].fields["selected_jobs"].choices
        assert choices == [("spontanee", "Candidature spontanée")]
        response = client.get(URL, {"selected_jobs": [job.uid, "spontanee"]})
        assert dict(response.context["form"].fields["selected_jobs"].choices) == {
            str(job.uid): "Maraîcher — Jardins de Cocagne",
            "spontanee": "Candidature spontanée",
        }
        assert ids_on(response) == {for_job.pk, spontaneous.pk}
        assert ids_on(client.get(URL, {"selected_jobs_search": "maraich"})) == {for_job.pk}

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


class VariedSent:
    """`count` applications sent by `senders` (cycled; `fields` says how they sent them) with everything a row or a
    filter reads, varied from row to row: target companies of several kinds (an SIAE shows the eligibility column, a
    GEIQ holds prior_to_hire), every state, a diagnosis with criteria and a PASS for every job seeker (attached to the
    accepted applications, with the hired job), a selected job, internal transfers, archived applications, and job
    seekers created by the viewer or not (full and masked names).

    Target companies and transfer origins come from small pools: each row still reads its own related rows, so a
    query per row would show, and building 120 applications stays fast.
    """

    def __init__(self, count, *, senders, viewer, **fields):
        self.senders, self.viewer, self.fields = senders, viewer, fields
        # Named so that a text typed in the filters names one alone.
        kinds = {"Chantier": CompanyKind.ACI, "Groupement": CompanyKind.GEIQ, "Atelier": CompanyKind.EA}
        self.companies = [CompanyFactory(kind=kind, name=f"{name} du Zéphyr") for name, kind in kinds.items()]
        self.jobs = [JobDescriptionFactory(company=company) for company in self.companies]
        self.origin, self.transferring = CompanyFactory(), ProfessionalFactory()
        self.applications = [self.application(index) for index in range(count)]

    def application(self, index):
        job_seeker = JobSeekerFactory(
            last_name=f"Nom{index:03d}",
            post_code=f"{index % 9 + 1:02d}000",
            created_by=self.viewer if index % 2 else None,
        )
        diagnosis = EligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["RSA", "DELD", "SENIOR", "TH"])
        approval = ApprovalFactory(user=job_seeker, eligibility_diagnosis=diagnosis)
        company, job = self.companies[index % 3], self.jobs[index % 3]
        states = list(S) if company.kind == CompanyKind.GEIQ else [s for s in S if s != S.PRIOR_TO_HIRE]
        state = states[index % len(states)]
        fields = {}
        if state == S.ACCEPTED:
            fields.update(hiring_start_at=NOW.date(), hired_job=job)
            if company.is_siae:
                fields.update(approval=approval, eligibility_diagnosis=diagnosis)
        if state == S.REFUSED and index % 2:
            fields.update(archived_at=NOW)
        if index % 5 == 0:
            fields.update(transferred_from=self.origin, transferred_by=self.transferring, transferred_at=NOW)
        job_application = JobApplicationFactory(
            job_seeker=job_seeker,
            sender=self.senders[index % len(self.senders)],
            to_company=company,
            state=state,
            **self.fields,
            **fields,
        )
        job_application.selected_jobs.add(job)
        return job_application

    def matching(self, params):
        """How many applications `params` leave (the few filters the query-count test uses)."""
        if "job_seeker" in params:
            return 1
        applications = self.applications
        if params.get("archived") != "all":
            applications = [a for a in applications if a.archived_at is None]
        if "to_companies" in params:
            applications = [a for a in applications if str(a.to_company.uid) in params["to_companies"]]
        if "to_companies_search" in params:
            applications = [a for a in applications if a.to_company == self.companies[0]]
        return len(applications)

    def filter_sets(self):
        applications = self.applications
        # The viewer filters on a person whose name he may see (the others are not offered).
        visible = next(a.job_seeker for a in reversed(applications) if a.job_seeker.created_by_id == self.viewer.pk)
        return [
            {},
            # Every filter at once, each one let through by every application: a full page is still shown.
            {
                "archived": "all",
                "states": list(S),
                "start_date": NOW.date() - DAY,
                "end_date": NOW.date(),
                "senders": sorted({str(a.sender.public_id) for a in applications}),
                "to_companies": sorted({str(a.to_company.uid) for a in applications}),
                "selected_jobs": sorted({str(job.uid) for job in self.jobs[: len(applications)]}),
                "departments": departments_of(applications),
                "eligibility": "validated",
                "criteria": ["RSA", "TH"],
                "pass_status": ["active", "suspended", "expired"],
            },
            {"archived": "all", "to_companies": [str(self.companies[0].uid)]},
            {"job_seeker": visible.public_id},
            # Typed without choosing a suggestion: resolved by the server (one match).
            {"archived": "all", "to_companies_search": self.companies[0].name},
        ]


def departments_of(applications):
    """The departments of the job seekers' post codes, present in the reference table as in production."""
    codes = sorted({application.job_seeker.post_code[:2] for application in applications})
    for code in codes:
        DepartmentFactory(code=code, name=f"Département {code}")
    return codes


class TestQueries:
    """Issue 5 "Done when": the sent list runs a fixed number of queries, at most 12, whatever its number of rows,
    for a prescriber and for an employer.

    Issue 7: the filters read nothing that grows with the list either (people, organizations and jobs are not
    enumerated).
    """

    # Session, user, the 3 membership tables (middleware), the count, the page's ids, its rows, their jobs, the
    # criteria of their diagnoses. The departments are in the cache since the warm-up (geo.reference.departments).
    EXPECTED = 10
    # When people, companies or jobs are chosen: their labels, all in one query (a UNION).
    CHOSEN_LABELS = 1
    SEARCHED = ("job_seeker", "senders", "to_companies", "selected_jobs")
    # A text typed in an "Ajouter …" input without JavaScript: one search per text (the list's ids, then the names).
    PER_TYPED_TEXT = 2

    def expected(self, params):
        chosen = any(params.get(name) for name in self.SEARCHED)
        typed = sum(1 for name in params if name.endswith("_search"))
        return self.EXPECTED + (self.CHOSEN_LABELS if chosen else 0) + typed * self.PER_TYPED_TEXT

    def assert_fixed(self, client, viewer, sent_list, django_assert_num_queries):
        filter_sets = sent_list.filter_sets()  # creates the departments of the job seekers
        login(client, viewer).get(URL)  # warm-up: the first request saves the session and caches the departments
        for params in filter_sets:
            with django_assert_num_queries(self.expected(params)):
                response = client.get(URL, params)
            assert not response.context["form"].errors, params
            assert len(response.context["rows"]) == min(sent_list.matching(params), 20), params

    @pytest.mark.parametrize("count", [3, 120])
    def test_prescriber(self, client, orienteur, colleague, orienteur_organization, count, django_assert_num_queries):
        sent_list = VariedSent(
            count,
            senders=[orienteur, colleague],
            viewer=orienteur,
            sender_kind=SenderKind.PRESCRIBER,
            sender_prescriber_organization=orienteur_organization,
        )
        self.assert_fixed(client, orienteur, sent_list, django_assert_num_queries)

    @pytest.mark.parametrize("count", [3, 120])
    def test_employer(self, client, count, django_assert_num_queries):
        employer, coworker = ProfessionalFactory(), ProfessionalFactory()
        company = CompanyFactory(with_member=employer)
        CompanyMembershipFactory(organization=company, user=coworker, is_admin=False)
        sent_list = VariedSent(
            count,
            senders=[employer, coworker],
            viewer=employer,
            sender_kind=SenderKind.EMPLOYER,
            sender_company=company,
        )
        self.assert_fixed(client, employer, sent_list, django_assert_num_queries)


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
