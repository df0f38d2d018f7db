"""The employer list of PASS IAE: /mon-entreprise/pass-iae/ (pass_iae.md §11 filters, §17 scope)."""

import datetime
import html

import pytest
import time_machine
from django.urls import reverse

from inclusion.companies.enums import CompanyKind
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.approvals.factories_approval_screens import hire
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)
URL = reverse("approval_list")


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel("2026-03-10 12:00 +01:00", tick=False):
        yield


@pytest.fixture
def employer(company):
    user = ProfessionalFactory()
    CompanyMembershipFactory(organization=company, user=user, is_admin=False)
    return user


def hired_approval(company, *, last_name="Martin", **fields):
    approval = ApprovalFactory(user=JobSeekerFactory(last_name=last_name), **fields)
    hire(approval, company)
    return approval


def numbers_on(response):
    return [row["approval"].number for row in response.context["rows"]]


class TestAccess:
    def test_siae_member(self, client, employer):
        client.force_login(employer)
        assert client.get(URL).status_code == 200

    def test_member_of_a_company_that_is_not_an_siae(self, client):
        user = ProfessionalFactory()
        CompanyFactory(kind=CompanyKind.GEIQ, with_member=user)
        client.force_login(user)
        assert client.get(URL).status_code == 403

    @pytest.mark.parametrize("who", ["job_seeker", "prescriber", "staff"])
    def test_other_roles(self, client, who):
        match who:
            case "job_seeker":
                user = JobSeekerFactory()
            case "prescriber":
                user = ProfessionalFactory()
                PrescriberOrganizationFactory(authorized=True, with_member=user)
            case "staff":
                user = StaffFactory()
        login(client, user)
        assert client.get(URL).status_code == 403

    def test_anonymous(self, client):
        response = client.get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")


class TestContent:
    def test_only_the_pass_of_the_company_hirings(self, client, company, employer):
        hired = hired_approval(company, last_name="Embauché")
        received_only = ApprovalFactory()
        JobApplicationFactory(job_seeker=received_only.user, to_company=company)
        hired_approval(CompanyFactory())
        client.force_login(employer)
        response = client.get(URL)
        assert numbers_on(response) == [hired.number]
        page = html.unescape(response.content.decode())
        assert reverse("approval_detail", args=[hired.public_id]) in page
        assert hired.number_with_spaces in page
        assert "EMBAUCHÉ" in page
        assert "1 PASS IAE" in page

    def test_states_and_remainders(self, client, company, employer):
        hired_approval(company, last_name="Avenir", start_at=TODAY + DAY)
        hired_approval(company, last_name="Bientot", start_at=TODAY - 730 * DAY)
        suspended = hired_approval(company, last_name="Coupure", start_at=TODAY - 10 * DAY)
        SuspensionFactory(approval=suspended, start_at=TODAY - DAY, end_at=TODAY + DAY)
        hired_approval(company, last_name="Durant", start_at=TODAY)
        client.force_login(employer)
        response = client.get(URL)
        states = [
            (row["approval"].user.last_name, row["state"].label, row["remainder_text"])
            for row in response.context["rows"]
        ]
        assert states == [
            ("Avenir", "Valide (non démarré)", "730 jours (environ 23 mois et 4 semaines)"),
            ("Bientot", "Expiré", "0 jour"),
            ("Coupure", "Valide (suspendu)", "718 jours (environ 23 mois et 2 semaines)"),
            ("Durant", "Valide", "730 jours (environ 23 mois et 4 semaines)"),
        ]

    def test_twenty_per_page(self, client, company, employer):
        for index in range(21):
            hired_approval(company, last_name=f"Nom{index:02d}")
        client.force_login(employer)
        first = client.get(URL)
        assert len(first.context["rows"]) == 20
        assert "Page suivante" in first.content.decode()
        second = client.get(URL, {"page": 2})
        assert [row["approval"].user.last_name for row in second.context["rows"]] == ["Nom20"]

    def test_empty_list(self, client, employer):
        client.force_login(employer)
        page = html.unescape(client.get(URL).content.decode())
        assert "Aucun PASS IAE n'est rattaché à une embauche de votre structure" in page

    @pytest.mark.parametrize("count", [1, 30])
    def test_query_count_does_not_depend_on_the_rows(
        self, client, company, employer, count, django_assert_num_queries
    ):
        for index in range(count):
            approval = hired_approval(company, last_name=f"Nom{index:02d}")
            SuspensionFactory(approval=approval, start_at=TODAY - 5 * DAY, end_at=TODAY - 2 * DAY)
        client.force_login(employer)
        # Session (read, then saved: 4), user, the 3 membership tables (middleware: they also answer the membership
        # checks of can_list_approvals and approvals_visible_to), the count, the page of PASS with their holders,
        # their suspensions.
        with django_assert_num_queries(11):
            response = client.get(URL)
        assert len(response.context["rows"]) == min(count, 20)


class TestFilters:
    @pytest.fixture
    def approvals(self, company):
        future = hired_approval(company, last_name="Avenir", start_at=TODAY + DAY)
        expired = hired_approval(company, last_name="Expire", start_at=TODAY - 730 * DAY)
        suspended = hired_approval(company, last_name="Suspendu", start_at=TODAY - 10 * DAY)
        SuspensionFactory(approval=suspended, start_at=TODAY, end_at=TODAY)
        valid = hired_approval(company, last_name="Valide", start_at=TODAY - 10 * DAY)
        SuspensionFactory(approval=valid, start_at=TODAY - 5 * DAY, end_at=TODAY - DAY)  # over yesterday
        return {"FUTURE": future, "EXPIRED": expired, "SUSPENDED": suspended, "VALID": valid}

    @pytest.mark.parametrize("state", ["FUTURE", "EXPIRED", "SUSPENDED", "VALID"])
    def test_one_state(self, client, employer, approvals, state):
        client.force_login(employer)
        assert numbers_on(client.get(URL, {"states": state})) == [approvals[state].number]

    def test_several_states(self, client, employer, approvals):
        client.force_login(employer)
        response = client.get(URL, {"states": ["VALID", "EXPIRED"]})
        assert numbers_on(response) == [approvals["EXPIRED"].number, approvals["VALID"].number]

    def test_state_filter_agrees_with_the_badges(self, client, employer, approvals):
        client.force_login(employer)
        for state, approval in approvals.items():
            rows = client.get(URL, {"states": state}).context["rows"]
            assert [row["state"] for row in rows] == [state], approval

    @pytest.mark.parametrize(
        "months,last_day_included",
        [(1, datetime.date(2026, 4, 10)), (3, datetime.date(2026, 6, 10)), (7, datetime.date(2026, 10, 10))],
    )
    def test_ends_within(self, client, company, employer, months, last_day_included):
        # Boundaries: ending today (kept), on today + N months (kept), the day after (left out), yesterday (expired).
        def ending_on(day, name):
            return hired_approval(company, last_name=name, start_at=day - 729 * DAY)

        today = ending_on(TODAY, "A")
        last = ending_on(last_day_included, "B")
        ending_on(last_day_included + DAY, "C")
        ending_on(TODAY - DAY, "D")
        client.force_login(employer)
        assert numbers_on(client.get(URL, {"ends_within": months})) == [today.number, last.number]

    def test_invalid_filters_show_an_error_and_the_whole_list(self, client, employer, approvals):
        client.force_login(employer)
        response = client.get(URL, {"states": "PERDU", "ends_within": "12"})
        assert response.status_code == 200
        page = html.unescape(response.content.decode())
        assert "Choisissez des états proposés." in page
        assert "Choisissez une durée proposée." in page
        assert len(response.context["rows"]) == 4

    def test_clear_filters_link(self, client, employer, approvals):
        client.force_login(employer)
        assert "Effacer les filtres" not in client.get(URL).content.decode()
        assert "Effacer les filtres" in client.get(URL, {"states": "VALID"}).content.decode()

    @pytest.mark.parametrize("query", [{"page": "2"}, {"ends_within": ""}, {"page": "1", "ends_within": ""}])
    def test_no_clear_filters_link_without_a_filter(self, client, employer, approvals, query):
        """A page number, or the "Peu importe" choice, is no filter."""
        client.force_login(employer)
        response = client.get(URL, query)
        assert "Effacer les filtres" not in response.content.decode()
        assert response.context["is_filtered"] is False

    def test_pagination_keeps_the_filters(self, client, company, employer):
        for index in range(21):
            hired_approval(company, last_name=f"Nom{index:02d}")
        client.force_login(employer)
        page = html.unescape(client.get(URL, {"states": "VALID"}).content.decode())
        assert "?states=VALID&page=2" in page
