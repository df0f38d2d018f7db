"""Factories and helpers of the eligibility rules tests (eligibility-rules helper)."""

import datetime

import factory

from inclusion.applications.enums import JobApplicationState
from inclusion.geo.models import Country
from inclusion.users.enums import Title
from tests.applications.factories import JobApplicationFactory
from tests.users.factories import JobSeekerFactory


class CountryFactory(factory.django.DjangoModelFactory):
    """Spain by default (a birth abroad needs no birth commune for API Particulier)."""

    class Meta:
        model = Country
        django_get_or_create = ["insee_code"]

    insee_code = "99134"
    asp_code = "134"
    name = "ESPAGNE"
    kind = "country"
    group = "2"


def certifiable_job_seeker(last_name="Martin", **profile_fields):
    """A job seeker meeting the prerequisites of both sources (eligibility.md §6.1): born abroad, with a NIR."""
    job_seeker = JobSeekerFactory(last_name=last_name, first_name="Camille", title=Title.MME)
    profile = job_seeker.jobseeker_profile
    profile.birth_country = CountryFactory()
    profile.birthdate = datetime.date(1990, 3, 15)
    for name, value in profile_fields.items():
        setattr(profile, name, value)
    profile.save()
    return job_seeker


def accepted_application(*, job_seeker, company, hiring_start_at, **fields):
    return JobApplicationFactory(
        job_seeker=job_seeker,
        to_company=company,
        state=JobApplicationState.ACCEPTED,
        hiring_start_at=hiring_start_at,
        **fields,
    )
