"""Fixtures shared by the approval tests. None is autouse: each file freezes time itself."""

import pytest

from inclusion.companies.enums import CompanyKind
from tests.approvals.screens import employer_of
from tests.companies.factories import CompanyFactory


@pytest.fixture
def company():
    return CompanyFactory(kind=CompanyKind.ACI)


@pytest.fixture
def employer_client(client, company):
    client.force_login(employer_of(company))
    return client
