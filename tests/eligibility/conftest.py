"""Fixtures shared by the eligibility page tests. None is autouse: the page tests opt in to `frozen_time`."""

import pytest
import time_machine

from tests.eligibility.screens import NOW
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory


@pytest.fixture
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def job_seeker(db):
    return JobSeekerFactory(first_name="Camille", last_name="Martin")


@pytest.fixture
def organization(db):
    return PrescriberOrganizationFactory(authorized=True, name="Mission locale de Lyon", with_member=True)
