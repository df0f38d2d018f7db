"""Company-level switches of the job descriptions page: spontaneous applications and blocking (organizations.md
§8.7)."""

import datetime
import html

import pytest
import time_machine
from django.urls import reverse

from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.prescribers.factories import PrescriberOrganizationFactory

NOW = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)
EARLIER = NOW - datetime.timedelta(days=70)


@pytest.fixture
def company(db):
    return CompanyFactory(with_member=True)


@pytest.fixture
def employer_client(client, company):
    # Any member, not only admins (search_and_jobs.md §3.4).
    client.force_login(CompanyMembershipFactory(organization=company, is_admin=False).user)
    return client


def spontaneous(client, action):
    with time_machine.travel(NOW, tick=False):
        return client.post(reverse("company_spontaneous_applications"), {"action": action}, follow=True)


def block(client, action):
    with time_machine.travel(NOW, tick=False):
        return client.post(reverse("company_block_applications"), {"action": action}, follow=True)


def test_open_spontaneous_applications(employer_client, company):
    response = spontaneous(employer_client, "open")
    assert "Les candidatures spontanées sont ouvertes." in response.content.decode()
    company.refresh_from_db()
    assert company.spontaneous_applications_open_since == NOW
    assert company.is_open_to_spontaneous_applications


def test_refresh_moves_the_date(employer_client, company):
    company.spontaneous_applications_open_since = EARLIER
    company.save()
    response = spontaneous(employer_client, "refresh")
    assert "restent ouvertes" in response.content.decode()
    company.refresh_from_db()
    assert company.spontaneous_applications_open_since == NOW


def test_refresh_when_closed_is_refused(employer_client, company):
    response = spontaneous(employer_client, "refresh")
    assert "ouvrez-les d'abord" in html.unescape(response.content.decode())
    company.refresh_from_db()
    assert company.spontaneous_applications_open_since is None


def test_close_spontaneous_applications(employer_client, company):
    company.spontaneous_applications_open_since = EARLIER
    company.save()
    spontaneous(employer_client, "close")
    company.refresh_from_db()
    assert company.spontaneous_applications_open_since is None
    assert not company.is_open_to_spontaneous_applications


def test_block_and_unblock(employer_client, company):
    response = block(employer_client, "block")
    assert "Les candidatures sont bloquées" in response.content.decode()
    company.refresh_from_db()
    assert (company.block_job_applications, company.job_applications_blocked_at) == (True, NOW)
    block(employer_client, "unblock")
    company.refresh_from_db()
    assert company.block_job_applications is False


def test_blocking_closes_spontaneous_applications_to_candidates(employer_client, company):
    spontaneous(employer_client, "open")
    block(employer_client, "block")
    company.refresh_from_db()
    # organizations.md §8.7: open ⇔ not blocked and open_since set.
    assert company.spontaneous_applications_open_since == NOW
    assert not company.is_open_to_spontaneous_applications


@pytest.mark.parametrize("url_name", ["company_spontaneous_applications", "company_block_applications"])
def test_unknown_action_changes_nothing(employer_client, company, url_name):
    response = employer_client.post(reverse(url_name), {"action": "boum"}, follow=True)
    assert "Action inconnue" in response.content.decode()
    company.refresh_from_db()
    assert (company.spontaneous_applications_open_since, company.block_job_applications) == (None, False)


@pytest.mark.parametrize("url_name", ["company_spontaneous_applications", "company_block_applications"])
def test_post_only_for_employers(client, company, url_name):
    url = reverse(url_name)
    assert client.post(url, {"action": "open"}).url.startswith(reverse("login"))
    client.force_login(PrescriberOrganizationFactory(authorized=True, with_member=True).memberships.get().user)
    assert client.post(url, {"action": "block"}).status_code == 403
    client.force_login(company.memberships.get().user)
    assert client.get(url).status_code == 405


def test_a_member_acts_for_their_current_company_only(client, company):
    other = CompanyFactory(with_member=True)
    client.force_login(other.memberships.get().user)
    block(client, "block")
    company.refresh_from_db()
    other.refresh_from_db()
    assert (company.block_job_applications, other.block_job_applications) == (False, True)
