"""The authorized prescriber's IAE diagnosis page (eligibility.md §2.2–§2.5, §3, §5)."""

import datetime

import pytest
from django.urls import reverse

from inclusion.eligibility.enums import AuthorKind
from inclusion.eligibility.models import EligibilityDiagnosis
from inclusion.eligibility.views import UNCHANGED_MESSAGE
from tests.approvals.factories import ApprovalFactory
from tests.companies.factories import CompanyFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.eligibility.screens import NOW, TODAY, text
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

pytestmark = pytest.mark.usefixtures("frozen_time")


@pytest.fixture
def prescriber(organization):
    return organization.memberships.get().user


@pytest.fixture
def prescriber_client(client, prescriber):
    client.force_login(prescriber)
    return client


def url(job_seeker):
    return reverse("eligibility_iae_prescriber", args=[job_seeker.public_id])


def post(client, job_seeker, codes, **extra):
    return client.post(url(job_seeker), {"criteria": codes, **extra})


def checked_codes(response):
    form = response.context["form"]
    return {choice.code for choice in form.criteria_choices() if choice.checked}


def codes_of(diagnosis):
    return {selected.administrative_criteria_id for selected in diagnosis.selected_criteria.all()}


# Display ------------------------------------------------------------------------------------------------------------


def test_form_lists_the_18_criteria_by_level_with_the_proof_expected(prescriber_client, job_seeker):
    response = prescriber_client.get(url(job_seeker))
    assert response.status_code == 200
    levels = response.context["form"].levels()
    assert [(level, len(choices)) for level, _, choices in levels] == [("1", 4), ("2", 14)]
    content = text(response)
    assert "Critères de niveau 1" in content and "Critères de niveau 2" in content
    assert "Justificatif : Attestation RSA (moins de 3 mois)" in content
    assert "Demandeur d'emploi de très longue durée (+24 mois)" in content
    assert "Certifiable automatiquement (API Particulier)" in content
    assert "Aucun diagnostic d'éligibilité IAE n'a encore été établi" in content


def test_current_diagnosis_is_shown_with_its_author_dates_and_criteria(prescriber_client, job_seeker, organization):
    EligibilityDiagnosisFactory(
        job_seeker=job_seeker,
        author_prescriber_organization=organization,
        created_at=NOW - datetime.timedelta(days=9),
        criteria=["RSA", "PM"],
    )
    response = prescriber_client.get(url(job_seeker))
    content = text(response)
    assert "Mission locale de Lyon" in content
    assert "Établi le 1 mars 2026" in content
    # eligibility.md §2.3: created on 1 March, expires_at 1 September (first invalid day).
    assert "Valable jusqu'au 31 août 2026 inclus" in content
    assert "Problème de mobilité" in content
    assert "En cours" in content  # RSA is certifiable and never attempted (§6.5)
    assert "Mettre à jour le diagnostic" in content
    assert checked_codes(response) == {"RSA", "PM"}


def test_an_expired_diagnosis_is_shown_as_expired_and_does_not_prefill(prescriber_client, job_seeker):
    EligibilityDiagnosisFactory(
        job_seeker=job_seeker, created_at=NOW - datetime.timedelta(days=200), expires_at=TODAY, criteria=["ASS"]
    )
    job_seeker.last_checked_at = NOW - datetime.timedelta(days=2)  # the profile no longer pre-fills (§5)
    job_seeker.save()
    response = prescriber_client.get(url(job_seeker))
    content = text(response)
    assert "Expiré depuis le 10 mars 2026" in content
    assert "Établir le diagnostic" in content
    assert checked_codes(response) == set()


def test_employer_diagnoses_are_not_shown_to_prescribers(prescriber_client, job_seeker):
    EligibilityDiagnosisFactory(job_seeker=job_seeker, from_employer=True, criteria=["RSA"])
    response = prescriber_client.get(url(job_seeker))
    assert response.context["summary"] is None
    assert checked_codes(response) == set()


@pytest.mark.parametrize(
    "checked_ago,prefilled",
    [
        (datetime.timedelta(hours=23, minutes=59), True),
        (datetime.timedelta(hours=24), False),  # eligibility.md §5: confirmed less than 24 hours ago
    ],
)
def test_profile_prefills_when_confirmed_less_than_24_hours_ago(prescriber_client, job_seeker, checked_ago, prefilled):
    profile = job_seeker.jobseeker_profile
    profile.isolated_parent = True
    profile.mobility_issue = True
    profile.save()
    job_seeker.last_checked_at = NOW - checked_ago
    job_seeker.save()
    response = prescriber_client.get(url(job_seeker))
    assert checked_codes(response) == ({"PI", "PM"} if prefilled else set())


def test_existing_diagnosis_criteria_take_precedence_over_the_profile(prescriber_client, job_seeker):
    profile = job_seeker.jobseeker_profile
    profile.isolated_parent = True
    profile.save()
    EligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["ASS"])
    response = prescriber_client.get(url(job_seeker))
    assert checked_codes(response) == {"ASS"}


def test_valid_pass_means_no_diagnosis_needed_and_no_form(prescriber_client, job_seeker):
    ApprovalFactory(user=job_seeker, start_at=TODAY - datetime.timedelta(days=100))
    count = EligibilityDiagnosis.objects.count()
    response = prescriber_client.get(url(job_seeker))
    content = text(response)
    assert "Aucun diagnostic n'est nécessaire" in content
    assert 'name="criteria"' not in content
    response = post(prescriber_client, job_seeker, ["RSA"])
    assert response.status_code == 200
    assert EligibilityDiagnosis.objects.count() == count


def test_pass_ended_yesterday_asks_for_a_diagnosis_again(prescriber_client, job_seeker):
    # pass_iae.md §4: valid ⇔ end_at ≥ today.
    ApprovalFactory(user=job_seeker, start_at=TODAY - datetime.timedelta(days=730), end_at=TODAY)
    assert "Aucun diagnostic n'est nécessaire" in text(prescriber_client.get(url(job_seeker)))
    approval = job_seeker.approvals.get()
    approval.end_at = TODAY - datetime.timedelta(days=1)
    approval.save()
    assert 'name="criteria"' in text(prescriber_client.get(url(job_seeker)))


# Saving -------------------------------------------------------------------------------------------------------------


def test_submit_creates_a_diagnosis_valid_6_months(prescriber_client, job_seeker, prescriber, organization):
    response = post(prescriber_client, job_seeker, ["RSA", "PM"])
    assert response.status_code == 302
    assert response["Location"] == url(job_seeker)
    diagnosis = EligibilityDiagnosis.objects.get(job_seeker=job_seeker)
    assert diagnosis.author == prescriber
    assert diagnosis.author_kind == AuthorKind.PRESCRIBER
    assert diagnosis.author_prescriber_organization == organization
    assert diagnosis.expires_at == datetime.date(2026, 9, 10)
    assert codes_of(diagnosis) == {"RSA", "PM"}
    content = text(prescriber_client.get(url(job_seeker)))
    assert "est enregistré. Il est valable jusqu'au 9 septembre 2026 inclus." in content


def test_a_prescriber_may_tick_no_criterion(prescriber_client, job_seeker):
    # eligibility.md §4: no minimum for an authorized prescriber.
    job_seeker.last_checked_at = NOW - datetime.timedelta(days=2)
    job_seeker.save()
    assert post(prescriber_client, job_seeker, []).status_code == 302
    assert codes_of(EligibilityDiagnosis.objects.get(job_seeker=job_seeker)) == set()


def test_update_creates_a_new_diagnosis_and_expires_the_old_one_today(prescriber_client, job_seeker):
    old = EligibilityDiagnosisFactory(
        job_seeker=job_seeker, created_at=NOW - datetime.timedelta(days=30), criteria=["ASS"]
    )
    response = post(prescriber_client, job_seeker, ["ASS", "PM"])
    assert response.status_code == 302
    new = EligibilityDiagnosis.objects.exclude(pk=old.pk).get()
    old.refresh_from_db()
    assert codes_of(old) == {"ASS"}  # the old record is not modified, only expired (§2.4)
    assert old.expires_at == TODAY
    assert codes_of(new) == {"ASS", "PM"}
    assert new.expires_at == datetime.date(2026, 9, 10)
    response = prescriber_client.get(url(job_seeker))
    assert response.context["summary"].diagnosis == new


def test_unchanged_submit_writes_nothing(prescriber_client, job_seeker):
    old = EligibilityDiagnosisFactory(job_seeker=job_seeker, created_at=NOW - datetime.timedelta(days=30))
    old.selected_criteria.create(administrative_criteria_id="PI")
    expires_at = old.expires_at
    response = post(prescriber_client, job_seeker, ["PI"], next=reverse("dashboard"))
    assert response.status_code == 302
    assert EligibilityDiagnosis.objects.get() == old
    old.refresh_from_db()
    assert old.expires_at == expires_at
    response = prescriber_client.get(url(job_seeker))
    assert UNCHANGED_MESSAGE in [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(
    "codes,message",
    [
        (["SENIOR", "JEUNE"], "Les critères « Senior (+50 ans) », « Jeune (-26 ans) » ne peuvent pas être"),
        (["DETLD", "DELD", "RSA"], "Les critères « DETLD (+ 24 mois) », « DELD (12-24 mois) » ne peuvent pas être"),
    ],
)
def test_exclusions_are_refused_with_a_french_error(prescriber_client, job_seeker, codes, message):
    response = post(prescriber_client, job_seeker, codes)
    assert response.status_code == 200
    assert not EligibilityDiagnosis.objects.exists()
    content = text(response)
    assert message in content
    # The summary at the top links to the first criterion; the inputs point to the group's messages.
    assert 'id="error-summary"' in content and 'href="#criterion-rsa"' in content
    assert 'aria-describedby="criteria-messages"' in content
    assert set(codes) == checked_codes(response)  # the user's ticks are kept


@pytest.mark.parametrize(
    "data",
    [
        {"criteria": ["RSA", "PIRATE"]},
        {"criteria": [""]},
        {"criteria": ["rsa"]},
    ],
)
def test_tampered_input_gets_a_french_error_not_a_500(prescriber_client, job_seeker, data):
    response = prescriber_client.post(url(job_seeker), data)
    assert response.status_code == 200
    assert "Critère inconnu" in text(response)
    assert not EligibilityDiagnosis.objects.exists()


def test_a_repeated_code_counts_once(prescriber_client, job_seeker):
    assert post(prescriber_client, job_seeker, ["RSA", "RSA"]).status_code == 302
    assert codes_of(EligibilityDiagnosis.objects.get()) == {"RSA"}


@pytest.mark.parametrize(
    "next_url,safe",
    [
        ("/tableau-de-bord/", True),
        ("https://pirate.example/vol", False),
        ("//pirate.example/", False),
        ("javascript:alert(1)", False),
    ],
)
def test_next_redirect_only_on_this_site(prescriber_client, job_seeker, next_url, safe):
    response = post(prescriber_client, job_seeker, ["RSA"], next=next_url)
    assert response.status_code == 302
    assert response["Location"] == (next_url if safe else url(job_seeker))


# Access ------------------------------------------------------------------------------------------------------------


def test_anonymous_goes_to_login(client, job_seeker):
    response = client.get(url(job_seeker))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["orienteur", "employer", "institution_member", "job_seeker"])
def test_other_roles_are_refused(client, job_seeker, who):
    user = ProfessionalFactory()
    match who:
        case "orienteur":
            PrescriberOrganizationFactory(with_member=user)
        case "employer":
            CompanyFactory(with_member=user)
        case "institution_member":
            InstitutionFactory(with_member=user)
        case "job_seeker":
            user = JobSeekerFactory()
    client.force_login(user)
    assert client.get(url(job_seeker)).status_code == 403
    assert post(client, job_seeker, ["RSA"]).status_code == 403
    assert not EligibilityDiagnosis.objects.exists()


def test_target_must_be_a_job_seeker(prescriber_client, prescriber):
    assert prescriber_client.get(url(ProfessionalFactory())).status_code == 404
    assert prescriber_client.get(url(prescriber)).status_code == 404


def test_query_count_does_not_depend_on_the_number_of_criteria(
    prescriber_client, job_seeker, django_assert_num_queries
):
    diagnosis = EligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["RSA"])
    prescriber_client.get(url(job_seeker))  # the first request after login writes the session
    # The membership check is answered by the memberships the middleware has read (no query of its own).
    with django_assert_num_queries(10):
        prescriber_client.get(url(job_seeker))
    for code in ["AAH", "PI", "TH", "PM", "QPV"]:
        diagnosis.selected_criteria.create(administrative_criteria_id=code)
    with django_assert_num_queries(10):
        prescriber_client.get(url(job_seeker))
