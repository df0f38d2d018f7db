"""The starting world of the browser journeys (tests/e2e/test_journey.py), written with the factories.

Two real communes (Lyon and Villeurbanne, 4.5 km apart) rather than the reference import: the transactional tests
flush the database after each test, and 35 000 communes would be imported again every time. The IAE criteria need
nothing here: the flush sends `post_migrate`, which seeds them again.
"""

from dataclasses import dataclass

from inclusion.companies.enums import CompanyKind
from inclusion.geo.models import Country
from inclusion.prescribers.enums import AuthorizationStatus, PrescriberOrganizationKind
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory, JobDescriptionFactory
from tests.geo.factories import CommuneFactory
from tests.jobs.factories import AppellationFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import ProfessionalFactory


@dataclass
class World:
    company: object
    job: object
    employer: object
    prescriber: object
    prescriber_organization: object


def build_world():
    """An ACI in Villeurbanne with one member and one open job; a France Travail agency in Lyon (authorized) with one
    adviser. Nobody has any application, diagnosis or PASS IAE yet."""
    # The birth country the NIR implies (organizations.md §5.2); the birth place is Lyon, from the NIR too.
    Country.objects.get_or_create(
        insee_code=Country.FRANCE_INSEE_CODE, defaults={"asp_code": "100", "name": "FRANCE", "kind": "country"}
    )
    lyon = CommuneFactory()
    villeurbanne = CommuneFactory(
        code_insee="69266", name="Villeurbanne", postal_codes="69100", latitude=45.7719, longitude=4.8902
    )
    company = CompanyFactory(
        kind=CompanyKind.ACI,
        name="Jardins de Cocagne",
        address_line_1="12 rue du Jardin",
        post_code="69100",
        commune=villeurbanne,
    )
    employer = ProfessionalFactory(first_name="Élise", last_name="Garnier", email="elise.garnier@example.com")
    CompanyMembershipFactory(organization=company, user=employer)
    job = JobDescriptionFactory(company=company, appellation=AppellationFactory(name="Maraîcher / Maraîchère"))
    prescriber = ProfessionalFactory(first_name="Paula", last_name="Lefèvre", email="paula.lefevre@example.com")
    prescriber_organization = PrescriberOrganizationFactory(
        kind=PrescriberOrganizationKind.FT,
        authorization_status=AuthorizationStatus.VALIDATED,
        name="France Travail Lyon Part-Dieu",
        commune=lyon,
        with_member=prescriber,
    )
    return World(company, job, employer, prescriber, prescriber_organization)
