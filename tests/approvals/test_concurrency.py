"""Concurrent hirings (pass_iae.md §2, §20.1, §20.3): distinct consecutive numbers, one PASS per person.

PostgreSQL only: threads, each with its own connection, really run at the same time.
"""

import threading

import pytest
from django.db import connection

from inclusion.approvals import rules
from inclusion.approvals.models import Approval
from tests.approvals.factories_approvals_core import accepted_application
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.users.factories import JobSeekerFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises every write: there is no concurrency to test"
    ),
]

THREADS = 20


def run_together(applications):
    """Hires every application in its own thread, all released at once by a barrier; returns results and errors."""
    barrier = threading.Barrier(len(applications))
    results, errors = [], []

    def hire(application):
        try:
            barrier.wait()
            results.append(rules.approval_issue_or_reuse(job_application=application, by_user=application.employer))
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=hire, args=[application]) for application in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def eligible_application(job_seeker):
    EligibilityDiagnosisFactory(job_seeker=job_seeker)
    return accepted_application(job_seeker=job_seeker)


def test_twenty_people_hired_at_once_get_twenty_consecutive_numbers(settings):
    settings.PASS_IAE_NUMBER_PREFIX = "99999"
    applications = [eligible_application(JobSeekerFactory()) for _ in range(THREADS)]
    results, errors = run_together(applications)
    assert errors == []
    numbers = sorted(approval.number for approval in results)
    assert numbers == [f"99999{sequence:07d}" for sequence in range(1, THREADS + 1)]
    assert Approval.objects.count() == THREADS


def test_one_person_hired_by_twenty_siae_at_once_gets_one_pass():
    job_seeker = JobSeekerFactory()
    EligibilityDiagnosisFactory(job_seeker=job_seeker)
    applications = [accepted_application(job_seeker=job_seeker) for _ in range(THREADS)]
    results, errors = run_together(applications)
    assert errors == []
    [approval] = Approval.objects.all()
    assert {result.pk for result in results} == {approval.pk}
    assert all(application.approval_id == approval.pk for application in job_seeker.job_applications.all())
