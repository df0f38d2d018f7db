"""The notification settings page (`/mon-compte/notifications/`) and what it changes."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from inclusion.notifications.base import REGISTRY
from inclusion.notifications.models import DisabledNotification
from tests.access.personas import build_world
from tests.companies.factories import CompanyFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db

URL = reverse("notification_settings")
JOB_SEEKER_KEYS = {key for key, cls in REGISTRY.items() if cls.audience == "job_seeker"}
EMPLOYER_KEYS = {key for key, cls in REGISTRY.items() if cls.audience == "employer"}
PROXY_KEYS = {key for key, cls in REGISTRY.items() if cls.audience == "proxy"}
PASS_KEY = "approval_delivered_for_employer"


@pytest.fixture
def world():
    return build_world()


def page(client, user):
    login(client, user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def shown_keys(content):
    return {key for key in REGISTRY if f'name="{key}"' in content}


@pytest.mark.parametrize(
    "persona,keys",
    [
        ("job_seeker", JOB_SEEKER_KEYS),
        ("employer", EMPLOYER_KEYS | PROXY_KEYS),
        ("orienteur", PROXY_KEYS),
        ("authorized_prescriber", PROXY_KEYS),
        ("institution_member", set()),
        ("staff", set()),
    ],
)
def test_each_person_sees_the_notifications_that_concern_them(client, world, persona, keys):
    content = page(client, world.user(persona))
    assert "<h1>Mes notifications</h1>" in content
    assert shown_keys(content) == keys
    if not keys:
        assert "Aucune notification ne vous concerne" in content


def test_a_member_of_a_company_and_a_prescriber_organization_sees_both_groups(client, world):
    employer = world.user("employer")
    PrescriberOrganizationFactory(with_member=employer)
    content = page(client, employer)
    assert shown_keys(content) == EMPLOYER_KEYS | PROXY_KEYS
    assert "Candidatures reçues par votre structure" in content
    assert "Candidatures que vous envoyez pour des candidats" in content
    assert "pour toutes vos organisations" in content


def test_everything_is_on_by_default_and_the_pass_is_locked(client, world):
    content = page(client, world.user("employer"))
    assert content.count(" checked") == len(EMPLOYER_KEYS | PROXY_KEYS)
    assert f'name="{PASS_KEY}" id="id_{PASS_KEY}" aria-describedby="id_{PASS_KEY}-hint" checked disabled' in content
    assert "Toujours envoyé : cet e-mail ne peut pas être désactivé." in content
    assert escape("Le numéro du PASS IAE") in content


def test_saving_turns_off_what_is_unchecked(client, world):
    employer = world.user("employer")
    client.force_login(employer)
    kept_on = (EMPLOYER_KEYS | PROXY_KEYS) - {"application_new_for_company", "application_refused_for_proxy"}
    response = client.post(URL, {key: "on" for key in kept_on})
    assert response.status_code == 302 and response["Location"] == URL
    assert set(DisabledNotification.objects.filter(user=employer).values_list("notification", flat=True)) == {
        "application_new_for_company",
        "application_refused_for_proxy",
    }
    content = client.get(URL).content.decode()
    assert "Vos préférences de notification sont enregistrées." in content
    toggle = 'name="application_new_for_company" id="id_application_new_for_company"'
    assert f'{toggle} aria-describedby="id_application_new_for_company-hint">' in content  # unchecked

    # Turned on again: the rows go.
    client.post(URL, {key: "on" for key in EMPLOYER_KEYS | PROXY_KEYS})
    assert not DisabledNotification.objects.filter(user=employer).exists()


def test_the_pass_cannot_be_turned_off_even_by_a_forged_post(client, world):
    employer = world.user("employer")
    client.force_login(employer)
    client.post(URL, {})  # everything unchecked
    disabled = set(DisabledNotification.objects.filter(user=employer).values_list("notification", flat=True))
    assert disabled == (EMPLOYER_KEYS | PROXY_KEYS) - {PASS_KEY}


def test_choices_of_another_audience_are_kept(client, world):
    # A prescriber who left his company: what he chose as an employer stays as it was.
    prescriber = world.user("orienteur")
    DisabledNotification.objects.create(user=prescriber, notification="application_new_for_company")
    client.force_login(prescriber)
    client.post(URL, {key: "on" for key in PROXY_KEYS})
    assert DisabledNotification.objects.filter(user=prescriber, notification="application_new_for_company").exists()


def test_only_the_person_own_choices_change(client, world):
    colleague = ProfessionalFactory()
    company = CompanyFactory(with_member=colleague)
    DisabledNotification.objects.create(user=colleague, notification="application_new_for_company")
    client.force_login(world.user("employer"))
    client.post(URL, {key: "on" for key in EMPLOYER_KEYS | PROXY_KEYS})
    assert DisabledNotification.objects.filter(user=colleague).count() == 1
    assert company.memberships.count() == 1


def test_odd_values_never_give_a_500(client, world):
    client.force_login(world.user("job_seeker"))
    response = client.post(URL, {"application_refused_for_job_seeker": "\x00garbage", "unknown": "on"})
    assert response.status_code == 302


def test_anonymous_visitors_log_in_first(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_settings_are_linked_from_the_dashboard(client, world):
    # The header's link is tests/www/test_header.py's.
    client.force_login(world.user("employer"))
    content = client.get(reverse("dashboard")).content.decode()
    assert f'href="{URL}"' in content
