"""The account links of the header (DSFR header tools links), on every page."""

import re

import pytest
from django.urls import reverse

from tests.companies.factories import CompanyFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db

PROFILE = reverse("job_seeker_profile")
NOTIFICATIONS = reverse("notification_settings")


def tools_links(response):
    """The header's tools links: {href: label}."""
    html = response.content.decode()
    tools = html[html.index('<div class="fr-header__tools-links">') : html.index('<div class="fr-header__menu')]
    return {
        href: label.strip() for href, label in re.findall(r'<a class="fr-btn[^"]*" href="([^"]+)">([^<]+)</a>', tools)
    }


def test_job_seeker_reaches_their_profile_and_notification_settings(client):
    client.force_login(JobSeekerFactory(with_address=True))
    links = tools_links(client.get(reverse("home")))
    assert links[PROFILE] == "Mon profil"
    assert links[NOTIFICATIONS] == "Mes notifications"


def test_professional_reaches_the_notification_settings_but_has_no_job_seeker_profile(client):
    employer = ProfessionalFactory()
    CompanyFactory(with_member=employer)
    client.force_login(employer)
    links = tools_links(client.get(reverse("dashboard")))
    assert links[NOTIFICATIONS] == "Mes notifications"
    assert PROFILE not in links


def test_anonymous_visitor_has_neither(client):
    links = tools_links(client.get(reverse("home")))
    assert PROFILE not in links and NOTIFICATIONS not in links
    assert reverse("login") in links
