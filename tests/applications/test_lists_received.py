"""The employer inbox: /entreprise/candidatures/ (applications.md §11, §14, §17)."""

import datetime
import html
import re

import pytest
import time_machine
from django.urls import reverse

from inclusion.applications.counters import company_counters
from inclusion.applications.enums import JobApplicationState, SenderKind
from inclusion.applications.perms import can_view_as_company
from inclusion.companies.enums import CompanyKind
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory, JobDescriptionFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.geo.factories import CommuneFactory, DepartmentFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 11, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)
TWO_YEARS_AGO = datetime.datetime(2024, 3, 10, 11, 0, tzinfo=datetime.UTC)
URL = reverse("applications_received")
S = JobApplicationState


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def company():
    return CompanyFactory(kind=CompanyKind.ACI)


@pytest.fixture
def employer(company):
    user = ProfessionalFactory()
    CompanyMembershipFactory(organization=company, user=user, is_admin=False)
    return user


@pytest.fixture
def logged(client, employer):
    client.force_login(employer)
    client.employer = employer
    return client


def ids_on(response):
    return {row["job_application"].pk for row in response.context["rows"]}


def text_of(response):
    return html.unescape(response.content.decode())


def received(company, **fields):
    return JobApplicationFactory(to_company=company, **fields)


class TestAccess:
    def test_employer(self, logged):
        assert logged.get(URL).status_code == 200

    @pytest.mark.parametrize("authorized", [True, False])
    def test_prescriber_is_forbidden(self, client, authorized):
        user = ProfessionalFactory()
        PrescriberOrganizationFactory(with_member=user, authorized=authorized)
        client.force_login(user)
        assert client.get(URL).status_code == 403

    def test_job_seeker_is_forbidden(self, client):
        client.force_login(JobSeekerFactory())
        assert client.get(URL).status_code == 403

    def test_staff_is_forbidden(self, client):
        login(client, StaffFactory())
        assert client.get(URL).status_code == 403

    def test_anonymous_goes_to_login(self, client):
        response = client.get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


class TestScope:
    def test_only_the_current_company(self, logged, company):
        mine = received(company)
        received(CompanyFactory())
        JobApplicationFactory(sent_by_employer=True, sender_company=company)  # sent by the company, not received
        assert ids_on(logged.get(URL)) == {mine.pk}

    def test_the_current_company_among_several(self, client, company, employer):
        # organizations.md §1.1: the oldest membership is the default current organization.
        other = CompanyFactory()
        CompanyMembershipFactory(organization=other, user=employer, joined_at=NOW + DAY)
        mine, theirs = received(company), received(other)
        client.force_login(employer)
        assert ids_on(client.get(URL)) == {mine.pk}
        client.post(reverse("switch_organization"), {"organization": other.switch_key})
        assert ids_on(client.get(URL)) == {theirs.pk}

    @pytest.mark.parametrize(
        "created_at,visible",
        [
            (TWO_YEARS_AGO + datetime.timedelta(seconds=1), True),
            (TWO_YEARS_AGO, False),
            (TWO_YEARS_AGO - DAY, False),
        ],
    )
    def test_two_year_window(self, logged, company, created_at, visible):
        """applications.md §11: created less than 2 years ago (strictly)."""
        job_application = received(company, state=S.REFUSED, created_at=created_at)
        response = logged.get(URL, {"archived": "all"})
        assert (job_application.pk in ids_on(response)) is visible
        # The company's detail page follows the same window (perms.can_view_as_company).
        assert can_view_as_company(logged.employer, job_application, organization=company) is visible

    def test_two_calendar_years_across_a_29_february(self, logged, company, time_machine):
        """README.md §2.1: "2 years" is calendar arithmetic. On 2025-03-10 the window opens on 2023-03-10, 731 days
        before (29 February 2024 lies in between): an application of 2023-03-11 is less than 2 years old."""
        time_machine.move_to(datetime.datetime(2025, 3, 10, 11, 0, tzinfo=datetime.UTC), tick=False)
        day_731 = received(company, created_at=datetime.datetime(2023, 3, 10, 11, 0, 1, tzinfo=datetime.UTC))
        day_730 = received(company, created_at=datetime.datetime(2023, 3, 11, 10, 0, tzinfo=datetime.UTC))
        too_old = received(company, created_at=datetime.datetime(2023, 3, 10, 11, 0, tzinfo=datetime.UTC))
        assert ids_on(logged.get(URL)) == {day_731.pk, day_730.pk}
        assert can_view_as_company(logged.employer, day_731, organization=company)
        assert not can_view_as_company(logged.employer, too_old, organization=company)

    def test_older_accepted_applications_stay_visible(self, logged, company):
        accepted = received(company, state=S.ACCEPTED, created_at=TWO_YEARS_AGO - 400 * DAY)
        cancelled = received(company, state=S.CANCELLED, created_at=TWO_YEARS_AGO - 400 * DAY)
        ids = ids_on(logged.get(URL, {"archived": "all"}))
        assert accepted.pk in ids
        assert cancelled.pk not in ids


class TestCounters:
    def test_counters_on_non_archived_applications(self, logged, company):
        for state in (S.NEW, S.NEW, S.PROCESSING, S.POSTPONED, S.POOL, S.POOL, S.POOL, S.ACCEPTED, S.REFUSED):
            received(company, state=state)
        received(company, state=S.NEW, archived_at=NOW)  # archived: not counted
        received(CompanyFactory(), state=S.NEW)  # another company
        response = logged.get(URL)
        assert response.context["counters"] == {"to_process": 3, "postponed": 1, "pool": 3, "active": 9}

    def test_the_unfiltered_count_is_the_counters_total(self, logged, company):
        """The unfiltered inbox takes its number of applications from the counters: the same window, the same
        non-archived applications, whatever their state."""
        shown = [received(company, state=state) for state in (S.NEW, S.REFUSED, S.CANCELLED)]
        shown.append(received(company, state=S.ACCEPTED, created_at=TWO_YEARS_AGO - DAY))  # hired: always shown
        shown.append(received(company, created_at=TWO_YEARS_AGO + datetime.timedelta(seconds=1)))  # last second in
        received(company, created_at=TWO_YEARS_AGO)  # left the window this very second
        received(company, archived_at=NOW)
        received(CompanyFactory())
        response = logged.get(URL)
        assert ids_on(response) == {a.pk for a in shown}
        assert response.context["page_obj"].paginator.count == 5
        assert "5 candidatures" in text_of(response)

    def test_counters_outside_the_window_are_not_counted(self, company):
        received(company, state=S.NEW, created_at=TWO_YEARS_AGO)
        assert company_counters(company)["to_process"] == 0

    def test_prior_to_hire_counts_only_for_a_geiq(self):
        geiq, aci = CompanyFactory(kind=CompanyKind.GEIQ), CompanyFactory(kind=CompanyKind.ACI)
        received(geiq, state=S.PRIOR_TO_HIRE)
        received(aci, state=S.PRIOR_TO_HIRE)
        assert company_counters(geiq)["to_process"] == 1
        assert company_counters(aci)["to_process"] == 0

    def test_counters_link_to_the_filtered_list(self, logged, company):
        received(company, state=S.NEW)
        received(company, state=S.POSTPONED)
        response = logged.get(URL)
        urls = response.context["counter_urls"]
        assert urls["to_process"] == f"{URL}?states=new&states=processing"
        assert len(ids_on(logged.get(urls["postponed"]))) == 1


class TestColumns:
    def test_full_names_sender_and_jobs(self, logged, company):
        job_seeker = JobSeekerFactory(first_name="Sophie", last_name="Durand")
        job_description = JobDescriptionFactory(company=company, custom_name="Jardinier maraîcher")
        prescriber_application = received(
            company,
            job_seeker=job_seeker,
            sender_kind=SenderKind.PRESCRIBER,
            sender=ProfessionalFactory(first_name="Paul", last_name="Orient"),
            sender_prescriber_organization=PrescriberOrganizationFactory(name="Association Relais"),
        )
        prescriber_application.selected_jobs.add(job_description)
        received(company, job_seeker=JobSeekerFactory(first_name="Luc", last_name="Seul"))
        page = text_of(logged.get(URL))
        # applications.md §16: employers see every name in full, even those created by an orienteur.
        assert "Sophie DURAND" in page
        assert "Paul ORIENT" in page
        assert "Orienteur — Association Relais" in page
        assert "Jardinier maraîcher" in page
        assert "Candidature spontanée" in page
        assert "Demandeur d'emploi" in page

    def test_rows_link_to_the_company_detail_page(self, logged, company):
        job_application = received(company)
        row = logged.get(URL).context["rows"][0]
        assert row["detail_url"] == f"/entreprise/candidatures/{job_application.pk}/"

    def test_criteria_first_three_and_count(self, logged, company):
        job_seeker = JobSeekerFactory()
        EligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["RSA", "ASS", "DELD", "SENIOR", "TH"])
        received(company, job_seeker=job_seeker)
        row = logged.get(URL).context["rows"][0]
        assert row["eligibility_validated"] is True
        assert row["criteria"] == ["Bénéficiaire du RSA", "Allocataire ASS", "Senior (+50 ans)"]
        assert row["more_criteria"] == 2
        assert "+ 2 autres critères" in text_of(logged.get(URL))

    def test_employer_diagnosis_of_another_siae_is_not_used(self, logged, company):
        job_seeker = JobSeekerFactory()
        EligibilityDiagnosisFactory(job_seeker=job_seeker, from_employer=True, criteria=["RSA"])
        received(company, job_seeker=job_seeker)
        row = logged.get(URL).context["rows"][0]
        assert row["eligibility_validated"] is False
        assert row["criteria"] == []

    def test_no_eligibility_for_a_geiq(self, client):
        geiq_employer = ProfessionalFactory()
        geiq = CompanyFactory(kind=CompanyKind.GEIQ, with_member=geiq_employer)
        job_seeker = JobSeekerFactory()
        EligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["RSA"])
        received(geiq, job_seeker=job_seeker)
        client.force_login(geiq_employer)
        response = client.get(URL)
        assert response.context["rows"][0]["with_eligibility"] is False
        assert "Éligibilité IAE" not in text_of(response)
        assert {"pass_status", "criteria", "eligibility"}.isdisjoint(response.context["form"].fields)
        state_choices = dict(response.context["form"].fields["states"].choices)
        assert S.PRIOR_TO_HIRE in state_choices

    def test_prior_to_hire_filter_only_for_a_geiq(self, logged):
        form = logged.get(URL).context["form"]
        assert S.PRIOR_TO_HIRE not in dict(form.fields["states"].choices)


class TestBatchBar:
    def test_checkboxes_and_actions(self, logged, company):
        job_application = received(company)
        page = text_of(logged.get(URL))
        assert f'action="{reverse("applications_batch")}"' in page
        assert f'name="application_ids" value="{job_application.pk}"' in page
        assert f'<label class="fr-label" for="selection-{job_application.pk}">' in page
        assert 'name="action"' in page
        assert 'value="transfer"' not in page  # a single organization: nowhere to transfer to

    def test_no_transfer_with_a_prescriber_organization_as_second_organization(self, client, company, employer):
        PrescriberMembershipFactory(organization=PrescriberOrganizationFactory(), user=employer, joined_at=NOW + DAY)
        received(company)
        client.force_login(employer)
        assert "transfer" not in dict(client.get(URL).context["batch_actions"])

    def test_transfer_with_several_companies(self, client, company, employer):
        CompanyMembershipFactory(organization=CompanyFactory(), user=employer, joined_at=NOW + DAY)
        received(company)
        client.force_login(employer)
        actions = dict(client.get(URL).context["batch_actions"])
        assert "transfer" in actions
        assert set(actions) == {
            "process",
            "postpone",
            "add_to_pool",
            "refuse",
            "archive",
            "unarchive",
            "transfer",
            "external_transfer",
            "accept",
        }


class TestFilters:
    def test_archived_default_active(self, logged, company):
        active = received(company, state=S.REFUSED)
        archived = received(company, state=S.REFUSED, archived_at=NOW)
        assert ids_on(logged.get(URL)) == {active.pk}
        assert ids_on(logged.get(URL, {"archived": "archived"})) == {archived.pk}
        assert ids_on(logged.get(URL, {"archived": "all"})) == {active.pk, archived.pk}

    def test_a_bound_form_shows_the_default_archived_choice(self, logged, company):
        response = logged.get(URL, {"states": "new"})
        assert response.context["form"]["archived"].value() == "active"

    def test_states(self, logged, company):
        new, pool = received(company, state=S.NEW), received(company, state=S.POOL)
        received(company, state=S.REFUSED)
        assert ids_on(logged.get(URL, {"states": ["new", "pool"]})) == {new.pk, pool.pk}

    def test_creation_dates_inclusive(self, logged, company):
        before = received(company, created_at=NOW - 10 * DAY)
        first_day = received(company, created_at=NOW - 9 * DAY)
        last_day = received(company, created_at=NOW - 5 * DAY)
        after = received(company, created_at=NOW - 4 * DAY)
        response = logged.get(URL, {"start_date": TODAY - 9 * DAY, "end_date": TODAY - 5 * DAY})
        assert ids_on(response) == {first_day.pk, last_day.pk}
        assert before.pk not in ids_on(response) and after.pk not in ids_on(response)

    def test_end_before_start_is_reported_and_keeps_the_typed_values(self, logged, company):
        received(company)
        response = logged.get(URL, {"start_date": "2026-03-10", "end_date": "2026-03-01"})
        assert response.status_code == 200
        page = text_of(response)
        assert "La date de fin doit être postérieure ou égale à la date de début." in page
        assert 'value="2026-03-01"' in page

    def test_invalid_values_never_break_the_page(self, logged, company):
        job_application = received(company)
        response = logged.get(
            URL, {"start_date": "pas une date", "states": "inconnu", "senders": "x", "job_seeker": "personne"}
        )
        assert response.status_code == 200
        assert "Saisissez une date valide" in text_of(response)
        assert ids_on(response) == {job_application.pk}

    def test_dates_far_in_the_past_or_the_future(self, logged, company):
        job_application = received(company)
        response = logged.get(URL, {"start_date": "0001-01-01", "end_date": "9999-12-31"})
        assert ids_on(response) == {job_application.pk}
        assert ids_on(logged.get(URL, {"start_date": "9999-12-31"})) == set()

    def test_senders_organizations_and_companies(self, logged, company):
        prescriber = ProfessionalFactory()
        organization = PrescriberOrganizationFactory()
        by_prescriber = received(
            company, sender=prescriber, sender_kind=SenderKind.PRESCRIBER, sender_prescriber_organization=organization
        )
        by_employer = received(company, sent_by_employer=True)
        by_job_seeker = received(company)
        # Issue 7: people and organizations are not enumerated; the chosen ones are shown checked, with their names.
        assert logged.get(URL).context["form"].fields["senders"].choices == []
        response = logged.get(URL, {"senders": [prescriber.public_id, by_job_seeker.job_seeker.public_id]})
        assert dict(response.context["form"].fields["senders"].choices) == {
            str(prescriber.public_id): prescriber.get_inverted_full_name(),
            str(by_job_seeker.job_seeker.public_id): by_job_seeker.job_seeker.get_inverted_full_name(),
        }
        checked = f'name="senders" value="{prescriber.public_id}" id="id_senders_[01]" checked'
        assert re.search(checked, text_of(response))
        assert ids_on(response) == {by_prescriber.pk, by_job_seeker.pk}
        assert ids_on(logged.get(URL, {"senders": prescriber.public_id})) == {by_prescriber.pk}
        assert ids_on(logged.get(URL, {"sender_prescriber_organizations": organization.uid})) == {by_prescriber.pk}
        assert ids_on(logged.get(URL, {"sender_companies": by_employer.sender_company.uid})) == {by_employer.pk}

    def test_job_seeker_overrides_the_other_filters(self, logged, company):
        job_seeker = JobSeekerFactory()
        archived = received(company, job_seeker=job_seeker, state=S.REFUSED, archived_at=NOW)
        pending = received(company, job_seeker=job_seeker, state=S.NEW)
        received(company)
        response = logged.get(URL, {"job_seeker": job_seeker.public_id, "states": "pool"})
        assert ids_on(response) == {archived.pk, pending.pk}

    def test_pass_status(self, logged, company):
        def with_approval(**fields):
            approval = ApprovalFactory(**fields)
            return approval, received(company, job_seeker=approval.user)

        _, active = with_approval()
        suspended_approval, suspended = with_approval(start_at=TODAY - 10 * DAY)
        SuspensionFactory(approval=suspended_approval, start_at=TODAY, end_at=TODAY + DAY)
        _, expired = with_approval(start_at=TODAY - 800 * DAY, end_at=TODAY - DAY)
        _, ends_today = with_approval(start_at=TODAY - 729 * DAY, end_at=TODAY)
        received(company)  # no PASS
        assert ids_on(logged.get(URL, {"pass_status": "active"})) == {active.pk, ends_today.pk}
        assert ids_on(logged.get(URL, {"pass_status": "suspended"})) == {suspended.pk}
        assert ids_on(logged.get(URL, {"pass_status": "expired"})) == {expired.pk}
        assert ids_on(logged.get(URL, {"pass_status": ["expired", "suspended"]})) == {expired.pk, suspended.pk}

    def test_criteria(self, logged, company):
        rsa, deld = JobSeekerFactory(), JobSeekerFactory()
        EligibilityDiagnosisFactory(job_seeker=rsa, criteria=["RSA"])
        EligibilityDiagnosisFactory(job_seeker=deld, criteria=["DELD", "SENIOR"])
        with_rsa, with_deld = received(company, job_seeker=rsa), received(company, job_seeker=deld)
        received(company)
        assert ids_on(logged.get(URL, {"criteria": "RSA"})) == {with_rsa.pk}
        assert ids_on(logged.get(URL, {"criteria": ["RSA", "SENIOR"]})) == {with_rsa.pk, with_deld.pk}

    def test_eligibility_validated_and_pending(self, logged, company):
        diagnosed, with_pass, expired = JobSeekerFactory(), JobSeekerFactory(), JobSeekerFactory()
        EligibilityDiagnosisFactory(job_seeker=diagnosed)
        ApprovalFactory(user=with_pass)
        EligibilityDiagnosisFactory(job_seeker=expired, created_at=NOW - 200 * DAY)
        own_siae = JobSeekerFactory()
        EligibilityDiagnosisFactory(job_seeker=own_siae, from_employer=True, author_siae=company)
        validated = {
            received(company, job_seeker=diagnosed).pk,
            received(company, job_seeker=with_pass).pk,
            received(company, job_seeker=own_siae).pk,
        }
        pending = {received(company, job_seeker=expired).pk, received(company).pk}
        assert ids_on(logged.get(URL, {"eligibility": "validated"})) == validated
        assert ids_on(logged.get(URL, {"eligibility": "pending"})) == pending

    def test_departments(self, logged, company):
        isere = CommuneFactory(
            code_insee="38185", name="Grenoble", department=DepartmentFactory(code="38", name="Isère")
        )
        in_isere = received(company, job_seeker=JobSeekerFactory(commune=isere, post_code="38000"))
        by_post_code = received(company, job_seeker=JobSeekerFactory(post_code="38100"))
        corsica = received(company, job_seeker=JobSeekerFactory(post_code="20000"))
        reunion = received(company, job_seeker=JobSeekerFactory(post_code="97400"))
        received(company, job_seeker=JobSeekerFactory(post_code="69001"))
        for code, name in (("2A", "Corse-du-Sud"), ("974", "La Réunion"), ("69", "Rhône")):
            DepartmentFactory(code=code, name=name)
        choices = dict(logged.get(URL).context["form"].fields["departments"].choices)
        # Every department of the reference table, whether the list holds one of its people or not.
        assert choices == {
            "2A": "Corse-du-Sud (2A)",
            "38": "Isère (38)",
            "69": "Rhône (69)",
            "974": "La Réunion (974)",
        } | {code: label for code, label in choices.items() if code not in ("2A", "38", "69", "974")}
        assert ids_on(logged.get(URL, {"departments": "38"})) == {in_isere.pk, by_post_code.pk}
        assert ids_on(logged.get(URL, {"departments": ["2A", "974"]})) == {corsica.pk, reunion.pk}

    def test_selected_jobs_and_spontaneous(self, logged, company):
        mason, gardener = JobDescriptionFactory(company=company), JobDescriptionFactory(company=company)
        for_mason = received(company)
        for_mason.selected_jobs.add(mason)
        for_both = received(company)
        for_both.selected_jobs.add(mason, gardener)
        spontaneous = received(company)
        JobDescriptionFactory(company=CompanyFactory())  # another company's
        # Issue 7: the jobs offered are the company's own job descriptions, whether applied to or not.
        unused = JobDescriptionFactory(company=company)
        choices = dict(logged.get(URL).context["form"].fields["selected_jobs"].choices)
        assert set(choices) == {str(mason.uid), str(gardener.uid), str(unused.uid), "spontanee"}
        assert choices["spontanee"] == "Candidature spontanée"
        assert ids_on(logged.get(URL, {"selected_jobs": mason.uid})) == {for_mason.pk, for_both.pk}
        assert ids_on(logged.get(URL, {"selected_jobs": gardener.uid})) == {for_both.pk}
        assert ids_on(logged.get(URL, {"selected_jobs": "spontanee"})) == {spontaneous.pk}
        assert ids_on(logged.get(URL, {"selected_jobs": [gardener.uid, "spontanee"]})) == {
            for_both.pk,
            spontaneous.pk,
        }


class TestPagination:
    def test_pages_of_twenty_newest_first(self, logged, company):
        applications = [received(company, created_at=NOW - index * DAY) for index in range(21)]
        first = logged.get(URL)
        assert [row["job_application"].pk for row in first.context["rows"]] == [a.pk for a in applications[:20]]
        second = logged.get(URL, {"page": 2})
        assert ids_on(second) == {applications[20].pk}
        assert "21 candidatures" in text_of(first)

    def test_pagination_keeps_the_filters(self, logged, company):
        for index in range(21):
            received(company, state=S.NEW, created_at=NOW - index * DAY)
        received(company, state=S.POOL)
        page = text_of(logged.get(URL, {"states": "new"}))
        assert "?states=new&amp;page=2" in page or "?states=new&page=2" in page


# The states an ACI's inbox holds (prior_to_hire is a GEIQ's), cycled over the rows.
ACI_STATES = [state for state in S if state != S.PRIOR_TO_HIRE]


class VariedInbox:
    """`count` applications to `company` with everything a row or a filter reads, varied from row to row: the four
    kinds of sender (job seeker, another company, orienteur, authorized prescriber), every state of an ACI, a
    diagnosis with criteria and a PASS for every job seeker (attached to the accepted applications, with the hired
    job), two selected jobs, internal transfers and archived applications.

    Senders and transfer origins come from small pools: each row still reads its own related rows, so a query per row
    would show, and building 120 applications stays fast.
    """

    def __init__(self, company, count):
        self.company = company
        self.jobs = [JobDescriptionFactory(company=company), JobDescriptionFactory(company=company)]
        # Named so that a text typed in the filters names them alone.
        self.other_company = CompanyFactory(name="Recyclerie Zéphyr")
        self.other_employer = ProfessionalFactory(first_name="Élise", last_name="Zéphyrin")
        self.orienteurs = PrescriberOrganizationFactory(), ProfessionalFactory()
        self.prescribers = PrescriberOrganizationFactory(authorized=True), ProfessionalFactory()
        self.origin, self.transferring = CompanyFactory(), ProfessionalFactory()
        self.applications = [self.application(index) for index in range(count)]

    def sender(self, index, job_seeker):
        if index % 4 == 0:
            return {"sender": job_seeker, "sender_kind": SenderKind.JOB_SEEKER}
        if index % 4 == 1:
            return {
                "sender": self.other_employer,
                "sender_kind": SenderKind.EMPLOYER,
                "sender_company": self.other_company,
            }
        organization, user = self.orienteurs if index % 4 == 2 else self.prescribers
        return {"sender": user, "sender_kind": SenderKind.PRESCRIBER, "sender_prescriber_organization": organization}

    def application(self, index):
        job_seeker = JobSeekerFactory(last_name=f"Nom{index:03d}", post_code=f"{index % 9 + 1:02d}000")
        diagnosis = EligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["RSA", "DELD", "SENIOR", "TH"])
        approval = ApprovalFactory(user=job_seeker, eligibility_diagnosis=diagnosis)
        state = ACI_STATES[index % len(ACI_STATES)]
        fields = {}
        if state == S.ACCEPTED:
            fields.update(
                approval=approval, eligibility_diagnosis=diagnosis, hiring_start_at=TODAY, hired_job=self.jobs[0]
            )
        if state == S.REFUSED and index % 2:
            fields.update(archived_at=NOW)
        if index % 5 == 0:
            fields.update(transferred_from=self.origin, transferred_by=self.transferring, transferred_at=NOW)
        job_application = received(
            self.company, job_seeker=job_seeker, state=state, **self.sender(index, job_seeker), **fields
        )
        job_application.selected_jobs.add(*self.jobs)
        return job_application

    def matching(self, params):
        """How many applications `params` leave (the few filters the query-count test uses)."""
        applications = self.applications
        if "job_seeker" in params:
            return 1
        if params.get("archived") != "all":
            applications = [a for a in applications if a.archived_at is None]
        if "sender_prescriber_organizations" in params:
            applications = [a for a in applications if a.sender_prescriber_organization_id]
        if "sender_companies" in params or "sender_companies_search" in params:
            applications = [a for a in applications if a.sender_company_id]
        if "senders_search" in params:
            applications = [a for a in applications if a.sender_id == self.other_employer.pk]
        return len(applications)


def departments_of(applications):
    """The departments of the job seekers' post codes, present in the reference table as in production."""
    codes = sorted({application.job_seeker.post_code[:2] for application in applications})
    for code in codes:
        DepartmentFactory(code=code, name=f"Département {code}")
    return codes


class TestQueries:
    """Issue 5 "Done when": the inbox runs a fixed number of queries whatever its number of rows.

    Issue 7: the filters read nothing that grows with the list either (people and organizations are not enumerated),
    and the row annotations are computed for the page only (its ids first, then its rows).
    """

    # Session, user, the 3 membership tables (middleware), the labels of the chosen people and organizations with the
    # company's jobs (one UNION), the count, the page's ids, its rows, their jobs, the criteria of their diagnoses, the
    # counters. The departments are in the cache since the warm-up (geo.reference.departments).
    EXPECTED = 12
    # Unfiltered, the counters' total is the count.
    UNFILTERED = EXPECTED - 1
    # A text typed in an "Ajouter …" input without JavaScript: one search per text (the list's ids, then the names).
    PER_TYPED_TEXT = 2

    def filter_sets(self, inbox):
        prescriber_organizations = sorted(
            {str(a.sender_prescriber_organization.uid) for a in inbox.applications if a.sender_prescriber_organization}
        )
        return [
            {},
            # Every filter at once, each one let through by every application: a full page is still shown.
            {
                "archived": "all",
                "states": ACI_STATES,
                "start_date": TODAY - DAY,
                "end_date": TODAY,
                "senders": sorted({str(a.sender.public_id) for a in inbox.applications}),
                "selected_jobs": inbox.jobs[0].uid,
                "departments": departments_of(inbox.applications),
                "eligibility": "validated",
                "criteria": ["RSA", "TH"],
                "pass_status": ["active", "suspended", "expired"],
            },
            {"archived": "all", "sender_prescriber_organizations": prescriber_organizations},
            {"archived": "all", "sender_companies": inbox.other_company.uid},
            {"job_seeker": inbox.applications[-1].job_seeker.public_id},
            # Typed without choosing a suggestion: resolved by the server (one match each).
            {
                "archived": "all",
                "senders_search": inbox.other_employer.last_name,
                "sender_companies_search": inbox.other_company.name,
            },
        ]

    @pytest.mark.parametrize("count", [3, 120])
    def test_fixed_number_of_queries(self, client, company, employer, count, django_assert_num_queries):
        inbox = VariedInbox(company, count)
        client.force_login(employer)
        filter_sets = self.filter_sets(inbox)  # creates the departments of the job seekers
        client.get(URL)  # warm-up: the first request saves the session and caches the departments
        for params in filter_sets:
            typed = sum(1 for name in params if name.endswith("_search"))
            expected = self.EXPECTED if params else self.UNFILTERED
            with django_assert_num_queries(expected + typed * self.PER_TYPED_TEXT):
                response = client.get(URL, params)
            assert not response.context["form"].errors, params
            assert len(response.context["rows"]) == min(inbox.matching(params), 20), params
