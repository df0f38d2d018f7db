"""Helpers for the PASS IAE core rules tests (pass_iae.md §1–§12)."""

import datetime
import zoneinfo

from django.utils import timezone

from inclusion.applications.enums import JobApplicationState
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory
from tests.users.factories import ProfessionalFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def noon(day):
    """Midday in Paris on `day`: a moment whose Paris date is unambiguous."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=PARIS)


def accepted_application(*, job_seeker=None, company=None, hiring_start_at=None, employer=None, **fields):
    """An accepted application of an ACI (by default) about to get its PASS, with an employer member of the company.

    `employer` is the accepting professional (`application.employer` in the tests).
    """
    employer = employer or ProfessionalFactory()
    company = company or CompanyFactory(kind="ACI", with_member=employer)
    if job_seeker is not None:
        fields["job_seeker"] = job_seeker
    application = JobApplicationFactory(
        to_company=company,
        state=JobApplicationState.ACCEPTED,
        hiring_start_at=hiring_start_at or timezone.localdate(),
        accepted_at=timezone.now(),
        **fields,
    )
    application.employer = employer
    return application
