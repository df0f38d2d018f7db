"""The filters over people and organizations of the received and sent lists (issue 7, applications.md §14, §16).

They are never enumerated: the page shows the chosen values and an "Ajouter …" input, whose autocomplete asks
/candidatures/filtres/<recues|envoyees>/<field>/?term=… and searches only the list's scope. Without JavaScript, the
typed text is resolved by the same search.
"""

import datetime
import html
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inclusion.applications import filters
from inclusion.applications.enums import SenderKind
from inclusion.applications.models import JobApplication
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory, JobDescriptionFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 11, 0, tzinfo=datetime.UTC)
RECEIVED = reverse("applications_received")
SENT = reverse("applications_sent")


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def received_url(field):
    return reverse("applications_received_filter", args=[field])


def sent_url(field):
    return reverse("applications_sent_filter", args=[field])


def results(client, url, term):
    response = client.get(url, {"term": term})
    assert response.status_code == 200
    return [(result["value"], result["label"]) for result in response.json()["results"]]


def labels(client, url, term):
    return [label for _value, label in results(client, url, term)]


def text_of(response):
    return html.unescape(response.content.decode())


def filters_panel(response):
    """The filters form of a list page."""
    return re.search(r'<form method="get".*?</form>', text_of(response), re.DOTALL).group()


def ids_on(response):
    return {row["job_application"].pk for row in response.context["rows"]}


@pytest.fixture
def company():
    return CompanyFactory()


@pytest.fixture
def employer(company):
    user = ProfessionalFactory()
    CompanyMembershipFactory(organization=company, user=user, is_admin=False)
    return user


@pytest.fixture
def logged(client, employer):
    client.force_login(employer)
    return client


def received(company, **fields):
    return JobApplicationFactory(to_company=company, **fields)


class TestReceivedSuggestions:
    def test_job_seekers_of_the_inbox_only_accents_and_case_ignored(self, logged, company):
        celine = received(company, job_seeker=JobSeekerFactory(first_name="Céline", last_name="Lefèvre")).job_seeker
        received(company, job_seeker=JobSeekerFactory(first_name="Marc", last_name="Celinski"))
        received(company, job_seeker=JobSeekerFactory(first_name="Anne", last_name="Marcel"))
        received(CompanyFactory(), job_seeker=JobSeekerFactory(first_name="Celine", last_name="Ailleurs"))
        assert results(logged, received_url("job_seeker"), "CELINE") == [
            (str(celine.public_id), "LEFÈVRE Céline"),
        ]
        # Every word starts a word of the first or last name; sorted by label.
        assert labels(logged, received_url("job_seeker"), "cel") == ["CELINSKI Marc", "LEFÈVRE Céline"]
        assert labels(logged, received_url("job_seeker"), "lefevre celine") == ["LEFÈVRE Céline"]
        assert labels(logged, received_url("job_seeker"), "line") == []

    def test_senders_organizations_and_companies(self, logged, company):
        prescriber = ProfessionalFactory(first_name="Paul", last_name="Orient")
        organization = PrescriberOrganizationFactory(name="Mission locale de l'Orient")
        received(
            company,
            sender=prescriber,
            sender_kind=SenderKind.PRESCRIBER,
            sender_prescriber_organization=organization,
        )
        sender_company = CompanyFactory(name="Association Orient", brand="Orient Recyclerie")
        received(company, sent_by_employer=True, sender_company=sender_company)
        PrescriberOrganizationFactory(name="Orient ailleurs")  # sent nothing to this company
        assert results(logged, received_url("senders"), "orient") == [(str(prescriber.public_id), "ORIENT Paul")]
        assert results(logged, received_url("sender_prescriber_organizations"), "orient") == [
            (str(organization.uid), "Mission locale de l'Orient")
        ]
        # organizations.md §8.2: the brand is shown; the name is searched too.
        assert results(logged, received_url("sender_companies"), "association") == [
            (str(sender_company.uid), "Orient Recyclerie")
        ]

    def test_at_most_fifteen_sorted_by_label(self, logged, company):
        for index in range(17):
            received(company, job_seeker=JobSeekerFactory(first_name="Léa", last_name=f"Martin{index:02d}"))
        found = labels(logged, received_url("job_seeker"), "lea")
        assert found == [f"MARTIN{index:02d} Léa" for index in range(15)]

    @pytest.mark.parametrize("term", ["", " ", "'", "\x00", "é" * 500])
    def test_nothing_to_search(self, logged, company, term):
        received(company)
        assert results(logged, received_url("job_seeker"), term) == []

    def test_an_unknown_filter_is_not_found(self, logged):
        assert logged.get(received_url("to_companies"), {"term": "a"}).status_code == 404
        assert logged.get(received_url("states"), {"term": "a"}).status_code == 404

    def test_fixed_number_of_queries(self, logged, company, django_assert_num_queries):
        for index in range(30):
            received(company, job_seeker=JobSeekerFactory(first_name="Léa", last_name=f"Martin{index:02d}"))
        logged.get(RECEIVED)  # warm-up: the first request saves the session
        # Session, user, the 3 membership tables (middleware), the search: the list's ids, then the names.
        with django_assert_num_queries(7):
            assert len(results(logged, received_url("job_seeker"), "lea")) == 15


class TestAccess:
    def test_received_is_for_employers(self, client):
        prescriber = ProfessionalFactory()
        PrescriberOrganizationFactory(with_member=prescriber, authorized=True)
        for user in (prescriber, JobSeekerFactory()):
            client.force_login(user)
            assert client.get(received_url("job_seeker"), {"term": "a"}).status_code == 403
        login(client, StaffFactory())
        assert client.get(received_url("job_seeker"), {"term": "a"}).status_code == 403

    def test_sent_is_for_prescribers_and_employers(self, client):
        client.force_login(JobSeekerFactory())
        assert client.get(sent_url("job_seeker"), {"term": "a"}).status_code == 403

    def test_anonymous_goes_to_login(self, client):
        response = client.get(sent_url("job_seeker"), {"term": "a"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


class TestSentSuggestions:
    @pytest.fixture
    def organization(self):
        return PrescriberOrganizationFactory(name="Association Relais")

    @pytest.fixture
    def orienteur(self, organization):
        user = ProfessionalFactory(first_name="Olivia", last_name="Orient")
        PrescriberMembershipFactory(organization=organization, user=user)
        return user

    @pytest.fixture
    def colleague(self, organization):
        user = ProfessionalFactory(first_name="Colin", last_name="Collègue")
        PrescriberMembershipFactory(organization=organization, user=user, is_admin=False)
        return user

    def sent(self, sender, organization, **fields):
        return JobApplicationFactory(
            sender=sender, sender_kind=SenderKind.PRESCRIBER, sender_prescriber_organization=organization, **fields
        )

    def test_orienteur_is_offered_only_the_people_whose_name_he_may_see(
        self, client, orienteur, colleague, organization
    ):
        """applications.md §16: an orienteur names the accounts he created only; the others are never suggested."""
        mine = JobSeekerFactory(first_name="Maëlle", last_name="Durand", created_by=orienteur)
        theirs = JobSeekerFactory(first_name="Maël", last_name="Durandal", created_by=colleague)
        for job_seeker in (mine, theirs):
            self.sent(colleague, organization, job_seeker=job_seeker)
        client.force_login(orienteur)
        assert results(client, sent_url("job_seeker"), "durand") == [(str(mine.public_id), "DURAND Maëlle")]
        assert results(client, sent_url("job_seeker"), "durandal") == []
        client.force_login(colleague)
        assert labels(client, sent_url("job_seeker"), "durand") == ["DURANDAL Maël"]

    def test_a_job_seeker_sender_is_named_only_when_allowed(self, orienteur, organization):
        """Job seekers send only to companies (whose members see every name); the rule is checked on any scope."""
        alone = JobSeekerFactory(first_name="Anne", last_name="Autonome")
        JobApplicationFactory(job_seeker=alone, sender=alone, sender_kind=SenderKind.JOB_SEEKER)
        professional = ProfessionalFactory(first_name="Anne", last_name="Autonomie")
        self.sent(professional, organization)
        scope = JobApplication.objects.all()
        found = filters.search_in_scope("senders", scope, "anne", viewer=orienteur, organization=organization)
        assert found == [(str(professional.public_id), "AUTONOMIE Anne")]
        employer = ProfessionalFactory()
        company = CompanyFactory(with_member=employer)
        found = filters.search_in_scope("senders", scope, "anne", viewer=employer, organization=company)
        assert [label for _value, label in found] == ["AUTONOME Anne", "AUTONOMIE Anne"]

    def test_companies_and_jobs(self, client, orienteur, organization):
        cocagne = CompanyFactory(name="Jardins de Cocagne")
        job = JobDescriptionFactory(company=cocagne, custom_name="Maraîcher bio")
        application = self.sent(orienteur, organization, to_company=cocagne)
        application.selected_jobs.add(job)
        JobDescriptionFactory(company=cocagne, custom_name="Maraîcher saisonnier")  # nobody applied to it
        CompanyFactory(name="Jardins ailleurs")
        client.force_login(orienteur)
        assert results(client, sent_url("to_companies"), "jardins") == [(str(cocagne.uid), "Jardins de Cocagne")]
        assert results(client, sent_url("selected_jobs"), "maraicher") == [
            (str(job.uid), "Maraîcher bio — Jardins de Cocagne")
        ]
        assert client.get(sent_url("sender_companies"), {"term": "a"}).status_code == 404


class TestTypedWithoutJavascript:
    @pytest.fixture
    def people(self, company):
        return {
            name: received(company, job_seeker=JobSeekerFactory(first_name=first, last_name=last))
            for name, (first, last) in {
                "sophie": ("Sophie", "Durand"),
                "paul": ("Paul", "Durand"),
                "jeanne": ("Jeanne", "Durandal"),
            }.items()
        }

    def test_one_match_is_applied_and_the_input_emptied(self, logged, people):
        response = logged.get(RECEIVED, {"job_seeker_search": "sophie"})
        sophie = people["sophie"].job_seeker
        assert ids_on(response) == {people["sophie"].pk}
        assert response.context["form"]["job_seeker"].value() == [str(sophie.public_id)]
        assert response.context["form"]["job_seeker_search"].value() == ""
        panel = filters_panel(response)
        assert f'value="{sophie.public_id}" id="id_job_seeker_0" checked' in panel
        assert "DURAND Sophie" in panel

    def test_the_exact_name_wins_among_several(self, logged, people):
        # "Durand" also starts "Durandal", but one label holds exactly the typed words.
        assert ids_on(logged.get(RECEIVED, {"job_seeker_search": "Paul Durand"})) == {people["paul"].pk}

    def test_none_or_several_is_an_error_and_the_other_filters_still_apply(self, logged, company, people):
        archived = received(company, state="refused", archived_at=NOW)
        response = logged.get(RECEIVED, {"job_seeker_search": "Zoé", "archived": "archived"})
        assert response.status_code == 200
        assert "Aucun candidat de cette liste ne correspond à « Zoé »." in text_of(response)
        assert ids_on(response) == {archived.pk}
        assert 'value="Zoé"' in filters_panel(response)  # nothing typed is lost
        response = logged.get(RECEIVED, {"job_seeker_search": "durand"})
        assert "Plusieurs candidats correspondent : précisez ou choisissez dans la liste." in text_of(response)
        assert len(ids_on(response)) == 3

    def test_a_hidden_job_seeker_is_not_found_by_name(self, client):
        """applications.md §16: typing a masked person's name must not tell whether they are in the list."""
        orienteur = ProfessionalFactory()
        organization = PrescriberOrganizationFactory(with_member=orienteur)
        JobApplicationFactory(
            job_seeker=JobSeekerFactory(first_name="Jean", last_name="Dupontel"),
            sender=orienteur,
            sender_kind=SenderKind.PRESCRIBER,
            sender_prescriber_organization=organization,
        )
        client.force_login(orienteur)
        response = client.get(SENT, {"job_seeker_search": "Dupontel"})
        assert "Aucun candidat de cette liste ne correspond à « Dupontel »." in text_of(response)

    def test_added_to_the_chosen_ones(self, logged, company):
        first = received(company, sent_by_employer=True, sender_company=CompanyFactory(name="Recyclerie Alpha"))
        second = received(company, sent_by_employer=True, sender_company=CompanyFactory(name="Ressourcerie Bêta"))
        received(company, sent_by_employer=True)
        response = logged.get(
            RECEIVED, {"sender_companies": first.sender_company.uid, "sender_companies_search": "beta"}
        )
        assert ids_on(response) == {first.pk, second.pk}
        assert dict(response.context["form"].fields["sender_companies"].choices) == {
            str(first.sender_company.uid): "Recyclerie Alpha",
            str(second.sender_company.uid): "Ressourcerie Bêta",
        }

    def test_the_label_of_a_chosen_suggestion_is_not_searched_again(self, logged, people):
        """With JavaScript, the chosen value comes in the hidden input and its label stays in the text input: the
        text is not resolved again (it could be ambiguous: "DURAND Paul" also starts "DURANDAL…")."""
        paul = people["paul"].job_seeker
        logged.get(RECEIVED)  # warm-up: the first request saves the session
        with CaptureQueriesContext(connection) as chosen_only:
            logged.get(RECEIVED, {"job_seeker": paul.public_id})
        with CaptureQueriesContext(connection) as with_label:
            response = logged.get(RECEIVED, {"job_seeker": ["", paul.public_id], "job_seeker_search": "DURAND Paul"})
        assert len(with_label) == len(chosen_only)
        assert not response.context["form"].errors
        assert ids_on(response) == {people["paul"].pk}

    def test_a_new_job_seeker_replaces_the_chosen_one(self, logged, people):
        sophie, paul = people["sophie"].job_seeker, people["paul"].job_seeker
        response = logged.get(RECEIVED, {"job_seeker": [sophie.public_id, paul.public_id]})
        assert ids_on(response) == {people["paul"].pk}
        response = logged.get(RECEIVED, {"job_seeker": sophie.public_id, "job_seeker_search": "jeanne"})
        assert ids_on(response) == {people["jeanne"].pk}


class TestNothingGrowsWithTheList:
    def test_the_filters_name_nobody_who_is_not_chosen(self, logged, company):
        applications = [
            received(
                company,
                job_seeker=JobSeekerFactory(first_name="Prénom", last_name=f"Candidat{index}"),
                sender=ProfessionalFactory(first_name="Prénom", last_name=f"Emetteur{index}"),
                sender_kind=SenderKind.PRESCRIBER,
                sender_prescriber_organization=PrescriberOrganizationFactory(name=f"Organisation{index}"),
            )
            for index in range(5)
        ]
        panel = filters_panel(logged.get(RECEIVED))
        for application in applications:
            for value in (
                application.job_seeker.public_id,
                application.sender.public_id,
                application.sender_prescriber_organization.uid,
            ):
                assert str(value) not in panel
        assert "Candidat0" not in panel and "Emetteur0" not in panel and "Organisation0" not in panel
        # The "Ajouter …" inputs, wired to the autocomplete with a hidden input of the filter's name.
        assert f'data-autocomplete-url="{received_url("senders")}"' in panel
        assert '<input type="hidden" name="senders" id="id_senders_new" value="">' in panel
        assert 'data-autocomplete-target="id_senders_new"' in panel
