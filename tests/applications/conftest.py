"""Fixtures shared by the employer's pages (processing): an ACI with one member, logged in.

A test module gives another `company` (a GEIQ…) by defining its own fixture of that name.
"""

import pytest

from inclusion.companies.enums import CompanyKind
from tests.companies.factories import CompanyFactory


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
