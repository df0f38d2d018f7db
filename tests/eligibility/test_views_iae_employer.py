"""The SIAE's own IAE diagnosis while hiring (eligibility.md §2.2, §2.5, §4)."""

import datetime

import pytest
from django.urls import reverse

from inclusion.applications.enums import JobApplicationState
from inclusion.companies.enums import CompanyKind
from inclusion.eligibility import rules
from inclusion.eligibility.enums import AuthorKind
from inclusion.eligibility.models import EligibilityDiagnosis
from inclusion.organizations.current import SESSION_KEY
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.eligibility.screens import NOW, TODAY, text
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

pytestmark = pytest.mark.usefixtures("frozen_time")


@pytest.fixture
def company(db):
    return CompanyFactory(kind=CompanyKind.ACI, name="Jardins de Cocagne", with_member=True)


@pytest.fixture
def employer(company):
    return company.memberships.get().user


@pytest.fixture
def employer_client(client, employer):
    client.force_login(employer)
    return client


@pytest.fixture
def job_seeker(db):
    # Information confirmed 2 days ago: the profile does not pre-fill the form (eligibility.md §5).
    return JobSeekerFactory(first_name="Camille", last_name="Martin", last_checked_at=NOW - datetime.timedelta(days=2))


@pytest.fixture
def job_application(company, job_seeker):
    return JobApplicationFactory(job_seeker=job_seeker, to_company=company)


def url(job_application):
    return reverse("eligibility_iae_employer", args=[job_application.id])


def post(client, job_application, codes, **extra):
    return client.post(url(job_application), {"criteria": codes, **extra})


def codes_of(diagnosis):
    return {selected.administrative_criteria_id for selected in diagnosis.selected_criteria.all()}


# Display -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind,rule",
    [
        (CompanyKind.ACI, "Au moins 1 critère de niveau 1 ou 3 critères de niveau 2"),
        (CompanyKind.EI, "Au moins 1 critère de niveau 1 ou 3 critères de niveau 2"),
        (CompanyKind.EITI, "Au moins 1 critère de niveau 1 ou 3 critères de niveau 2"),
        (CompanyKind.AI, "Au moins 1 critère de niveau 1 ou 2 critères de niveau 2"),
        (CompanyKind.ETTI, "Au moins 1 critère de niveau 1 ou 2 critères de niveau 2"),
    ],
)
def test_form_shows_the_count_rule_of_the_company_kind(employer_client, company, job_application, kind, rule):
    company.kind = kind
    company.save()
    response = employer_client.get(url(job_application))
    assert response.status_code == 200
    content = text(response)
    assert rule in content
    assert "Établir le diagnostic d'éligibilité" in content
    assert "Il sera valable 92 jours" in content


def test_prescriber_diagnosis_is_used_and_no_form_is_shown(employer_client, job_application, job_seeker):
    organization = PrescriberOrganizationFactory(authorized=True, name="Cap emploi 69")
    EligibilityDiagnosisFactory(job_seeker=job_seeker, author_prescriber_organization=organization, criteria=["TH"])
    response = employer_client.get(url(job_application))
    content = text(response)
    assert "Diagnostic utilisé pour l'embauche" in content
    assert "Cap emploi 69" in content and "Travailleur handicapé" in content
    assert 'name="criteria"' not in content
    assert "conservez les justificatifs" in content  # TH not yet certified (§6.5)
    response = post(employer_client, job_application, ["RSA"])
    assert response.status_code == 200
    assert EligibilityDiagnosis.objects.count() == 1


def test_another_siae_diagnosis_is_not_used(employer_client, job_application, job_seeker):
    # eligibility.md §2.5: an employer diagnosis is never visible to other SIAE.
    EligibilityDiagnosisFactory(job_seeker=job_seeker, from_employer=True, criteria=["RSA"])
    response = employer_client.get(url(job_application))
    assert response.context["summary"] is None
    assert response.context["form"] is not None


def test_valid_pass_means_no_diagnosis_needed(employer_client, job_application, job_seeker):
    ApprovalFactory(user=job_seeker, start_at=TODAY - datetime.timedelta(days=800), end_at=TODAY)
    content = text(employer_client.get(url(job_application)))
    assert "Aucun diagnostic n'est nécessaire" in content
    assert 'name="criteria"' not in content


# Counts (eligibility.md §4) ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind,codes,accepted",
    [
        (CompanyKind.AI, ["PM"], False),
        (CompanyKind.AI, ["PM", "QPV"], True),
        (CompanyKind.ETTI, ["PM", "QPV"], True),
        (CompanyKind.ACI, ["PM", "QPV"], False),
        (CompanyKind.EI, ["PM", "QPV"], False),
        (CompanyKind.ACI, ["PM", "QPV", "FLE"], True),
        (CompanyKind.EITI, ["PM", "QPV", "FLE"], True),
        (CompanyKind.ACI, ["RSA"], True),
        (CompanyKind.AI, ["DETLD"], True),
        (CompanyKind.ACI, [], False),
    ],
)
def test_too_few_criteria_are_refused_with_the_count_rule(
    employer_client, company, job_application, employer, kind, codes, accepted
):
    company.kind = kind
    company.save()
    response = post(employer_client, job_application, codes)
    if accepted:
        assert response.status_code == 302
        diagnosis = EligibilityDiagnosis.objects.get()
        assert diagnosis.author_kind == AuthorKind.EMPLOYER
        assert diagnosis.author_siae == company and diagnosis.author == employer
        assert diagnosis.expires_at == TODAY + datetime.timedelta(days=92)
        assert codes_of(diagnosis) == set(codes)
    else:
        assert response.status_code == 200
        assert not EligibilityDiagnosis.objects.exists()
        minimum = rules.MIN_LEVEL_2_CRITERIA_BY_SIAE_KIND[kind]
        content = text(response)
        assert f"sélectionnez au moins 1 critère de niveau 1 ou au moins {minimum} critères de niveau 2" in content
        assert "Le formulaire contient 1 erreur" in content


def test_exclusion_is_refused(employer_client, job_application):
    response = post(employer_client, job_application, ["SENIOR", "JEUNE", "RSA"])
    assert response.status_code == 200
    assert "ne peuvent pas être sélectionnés ensemble" in text(response)
    assert not EligibilityDiagnosis.objects.exists()


def test_unknown_criterion_gets_a_french_error(employer_client, job_application):
    response = post(employer_client, job_application, ["RSA", "<script>"])
    assert response.status_code == 200
    assert "Critère inconnu : « <script> »" in text(response)
    assert "<script>" not in response.content.decode().split("<main")[1].split("</main>")[0]
    assert not EligibilityDiagnosis.objects.exists()


def test_after_saving_the_page_shows_the_recorded_diagnosis(employer_client, job_application):
    response = post(employer_client, job_application, ["RSA"])
    assert response["Location"] == url(job_application)
    response = employer_client.get(url(job_application))
    content = text(response)
    assert "Diagnostic utilisé pour l'embauche" in content
    assert "Jardins de Cocagne" in content
    assert "Valable jusqu'au 9 juin 2026 inclus" in content  # 10 March + 92 days = 10 June, first invalid day
    assert 'name="criteria"' not in content


@pytest.mark.parametrize(
    "next_url,safe",
    [
        ("/candidatures/embauche/?etape=2", True),
        ("https://pirate.example/", False),
        ("///pirate.example", False),
    ],
)
def test_next_redirect_only_on_this_site(employer_client, job_application, next_url, safe):
    response = post(employer_client, job_application, ["RSA"], next=next_url)
    assert response.status_code == 302
    assert response["Location"] == (next_url if safe else url(job_application))


def test_next_is_kept_in_the_form_and_offered_once_done(employer_client, job_application):
    response = employer_client.get(url(job_application) + "?next=/tableau-de-bord/")
    assert '<input type="hidden" name="next" value="/tableau-de-bord/">' in response.content.decode()
    post(employer_client, job_application, ["RSA"])
    response = employer_client.get(url(job_application) + "?next=https://pirate.example/")
    assert "pirate.example" not in response.content.decode()


# Only while hiring (eligibility.md §2.2; applications.md §3) --------------------------------------------------------

ALREADY_ACCEPTED = (
    "Cette candidature est déjà acceptée : le diagnostic d'éligibilité ne se fait qu'au moment de l'embauche."
)


def test_an_accepted_application_is_refused_with_an_explanation(employer_client, job_application):
    job_application.state = JobApplicationState.ACCEPTED
    job_application.hiring_start_at = TODAY
    job_application.save()
    response = employer_client.get(url(job_application))
    assert response.status_code == 403
    assert ALREADY_ACCEPTED in text(response)
    assert 'name="criteria"' not in text(response)
    response = post(employer_client, job_application, ["RSA"])
    assert response.status_code == 403
    assert not EligibilityDiagnosis.objects.exists()


@pytest.mark.parametrize(
    "state",
    [
        JobApplicationState.NEW,
        JobApplicationState.PROCESSING,
        JobApplicationState.POSTPONED,
        JobApplicationState.POOL,
        JobApplicationState.REFUSED,
        JobApplicationState.CANCELLED,
        JobApplicationState.OBSOLETE,
    ],
)
def test_every_state_acceptance_starts_from_opens_the_form(employer_client, job_application, state):
    job_application.state = state
    job_application.save()
    response = employer_client.get(url(job_application))
    assert response.status_code == 200
    assert 'name="criteria"' in text(response)
    assert post(employer_client, job_application, ["RSA"]).status_code == 302
    assert EligibilityDiagnosis.objects.get().author_siae == job_application.to_company


# Access ------------------------------------------------------------------------------------------------------------


def test_anonymous_goes_to_login(client, job_application):
    response = client.get(url(job_application))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_another_company_gets_a_404(client, job_application):
    client.force_login(CompanyFactory(with_member=True).memberships.get().user)
    assert client.get(url(job_application)).status_code == 404
    assert post(client, job_application, ["RSA"]).status_code == 404


def test_member_acting_for_another_of_its_companies_gets_a_404(client, company, employer, job_application):
    other = CompanyFactory()
    CompanyMembershipFactory(organization=other, user=employer)
    client.force_login(employer)
    session = client.session
    session[SESSION_KEY] = other.switch_key
    session.save()
    assert client.get(url(job_application)).status_code == 404


@pytest.mark.parametrize("who", ["authorized_prescriber", "orienteur", "institution_member", "job_seeker"])
def test_other_roles_are_refused(client, job_application, who):
    user = ProfessionalFactory()
    match who:
        case "authorized_prescriber":
            PrescriberOrganizationFactory(authorized=True, with_member=user)
        case "orienteur":
            PrescriberOrganizationFactory(with_member=user)
        case "institution_member":
            InstitutionFactory(with_member=user)
        case "job_seeker":
            user = job_application.job_seeker
    client.force_login(user)
    assert client.get(url(job_application)).status_code == 403


@pytest.mark.parametrize("kind", [CompanyKind.GEIQ, CompanyKind.EA])
def test_not_an_siae_is_refused(employer_client, company, job_application, kind):
    company.kind = kind
    company.save()
    response = employer_client.get(url(job_application))
    assert response.status_code == 403


def test_self_prescription_sanction_is_a_403_with_an_explanation(employer_client, job_application, monkeypatch):
    # control_a_posteriori.md §9: the control module will make this rule true during a sanction.
    monkeypatch.setattr(rules, "siae_self_prescription_withdrawn", lambda company, on=None: True)
    response = employer_client.get(url(job_application))
    assert response.status_code == 403
    assert "Auto-prescription suspendue" in text(response)
    assert post(employer_client, job_application, ["RSA"]).status_code == 403
    assert not EligibilityDiagnosis.objects.exists()


def test_query_count_does_not_depend_on_the_number_of_criteria(
    employer_client, job_application, job_seeker, django_assert_num_queries
):
    diagnosis = EligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["RSA"])
    employer_client.get(url(job_application))  # the first request after login writes the session
    with django_assert_num_queries(11):
        employer_client.get(url(job_application))
    for code in ["AAH", "PI", "TH", "PM", "QPV"]:
        diagnosis.selected_criteria.create(administrative_criteria_id=code)
    with django_assert_num_queries(11):
        employer_client.get(url(job_application))


def test_form_query_count(employer_client, job_application, django_assert_num_queries):
    employer_client.get(url(job_application))
    with django_assert_num_queries(12):
        employer_client.get(url(job_application))


def test_sanction_does_not_hide_a_prescriber_diagnosis_that_makes_the_hiring_possible(
    employer_client, job_application, job_seeker, monkeypatch
):
    # eligibility.md §2.2: the sanction forbids the SIAE to make a diagnosis itself, not to hire on a prescriber's one
    # (the accept wizard shows this page with "Continuer").
    monkeypatch.setattr(rules, "siae_self_prescription_withdrawn", lambda company, on=None: True)
    EligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["RSA"])
    response = employer_client.get(url(job_application))
    assert response.status_code == 200
    assert "Diagnostic utilisé pour l'embauche" in text(response)
    assert "Établir le diagnostic" not in text(response)
    assert post(employer_client, job_application, ["AAH"]).status_code == 200
    assert EligibilityDiagnosis.objects.count() == 1
