import datetime

import pytest
import time_machine
from django.urls import reverse

from inclusion.users.enums import AssignmentAction
from inclusion.users.models import upsert_assignment
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

URL = reverse("followed_job_seekers")


@pytest.fixture
def prescriber(db):
    user = ProfessionalFactory()
    PrescriberOrganizationFactory(authorized=True, with_member=user)
    return user


def organization_of(user):
    return user.prescribermembership_set.get().organization


def follow(job_seeker, prescriber, action=AssignmentAction.CREATE):
    upsert_assignment(
        job_seeker=job_seeker,
        professional=prescriber,
        prescriber_organization=organization_of(prescriber),
        action=action,
    )


def test_lists_the_people_the_organization_follows_with_the_way_to_their_eligibility(client, prescriber):
    followed = JobSeekerFactory(first_name="Amina", last_name="Benali")
    JobSeekerFactory(last_name="Inconnu")
    follow(followed, prescriber)
    client.force_login(prescriber)
    content = client.get(URL).content.decode()
    assert "BENALI Amina" in content
    assert "Inconnu".upper() not in content
    assert reverse("eligibility_iae_prescriber", args=[followed.public_id]) in content
    assert "Valider l'éligibilité" in content


def test_a_colleague_s_follow_up_counts_for_the_whole_organization(client, prescriber):
    colleague = ProfessionalFactory()
    organization_of(prescriber).memberships.create(user=colleague)
    job_seeker = JobSeekerFactory()
    follow(job_seeker, colleague)
    client.force_login(prescriber)
    assert job_seeker.get_inverted_full_name() in client.get(URL).content.decode()


@time_machine.travel("2026-06-15 12:00 +02:00", tick=False)
def test_shows_the_diagnosis_validity_and_the_valid_pass(client, prescriber):
    with_diagnosis, with_pass = JobSeekerFactory(), JobSeekerFactory()
    for job_seeker in (with_diagnosis, with_pass):
        follow(job_seeker, prescriber)
    EligibilityDiagnosisFactory(
        job_seeker=with_diagnosis,
        author=prescriber,
        author_prescriber_organization=organization_of(prescriber),
        expires_at=datetime.date(2026, 6, 16),
    )
    approval = ApprovalFactory(user=with_pass, start_at=datetime.date(2024, 6, 16))  # ends on 2026-06-15
    client.force_login(prescriber)
    content = client.get(URL).content.decode()
    assert "Validée jusqu'au 15/06/2026" in content  # the last valid day
    assert "Éligible : PASS IAE valide" in content
    assert "Mettre à jour l'éligibilité" in content
    assert approval.number_with_spaces in content


@time_machine.travel("2026-06-16 12:00 +02:00", tick=False)
def test_an_expired_diagnosis_and_an_ended_pass_are_shown_as_such(client, prescriber):
    job_seeker = JobSeekerFactory()
    follow(job_seeker, prescriber)
    EligibilityDiagnosisFactory(
        job_seeker=job_seeker,
        author_prescriber_organization=organization_of(prescriber),
        expires_at=datetime.date(2026, 6, 16),
    )
    approval = ApprovalFactory(user=job_seeker, start_at=datetime.date(2024, 6, 16))  # ended yesterday
    client.force_login(prescriber)
    content = client.get(URL).content.decode()
    assert "Diagnostic expiré" in content
    assert "Éligible" not in content
    assert approval.number_with_spaces not in content
    assert "Aucun PASS IAE valide" in content


def test_query_count_does_not_grow_with_the_list(client, prescriber, django_assert_num_queries):
    client.force_login(prescriber)
    client.get(URL)  # the first visit saves the session: not the list's cost

    def count_queries():
        with django_assert_num_queries(QUERIES):
            assert client.get(URL).status_code == 200

    for _ in range(2):
        job_seeker = JobSeekerFactory()
        follow(job_seeker, prescriber)
        ApprovalFactory(user=job_seeker)
    count_queries()
    for _ in range(20):
        job_seeker = JobSeekerFactory()
        follow(job_seeker, prescriber)
        ApprovalFactory(user=job_seeker)
    count_queries()


# Session and user, the middleware's memberships (3, which also answer the authorization check), the count, the
# page, the PASS and the diagnoses.
QUERIES = 9


def test_orienteurs_are_refused(client, db):
    orienteur = ProfessionalFactory()
    PrescriberOrganizationFactory(with_member=orienteur)
    client.force_login(orienteur)
    assert client.get(URL).status_code == 403


def test_a_person_diagnosed_or_oriented_by_the_organization_is_followed_even_without_assignment(client, prescriber):
    organization = organization_of(prescriber)
    diagnosed, oriented = JobSeekerFactory(), JobSeekerFactory()
    EligibilityDiagnosisFactory(job_seeker=diagnosed, author_prescriber_organization=organization)
    JobApplicationFactory(
        job_seeker=oriented, sent_by_authorized_prescriber=True, sender_prescriber_organization=organization
    )
    client.force_login(prescriber)
    content = client.get(URL).content.decode()
    assert diagnosed.get_inverted_full_name() in content
    assert oriented.get_inverted_full_name() in content
