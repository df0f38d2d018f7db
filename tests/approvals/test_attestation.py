"""The PDF attestation of a PASS IAE: who downloads it, and what it says.

The text is read from the pages WeasyPrint laid out (pypdf is not a dependency of the project): the response must be
byte for byte the PDF of that very document, so the checked text is the text of the downloaded file.
"""

import datetime
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from inclusion.approvals import pdf
from inclusion.companies.enums import CompanyKind
from inclusion.users.enums import Title
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.approvals.factories_approval_screens import hire
from tests.approvals.screens import employer_of
from tests.companies.factories import CompanyFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel("2026-03-10 12:00 +01:00", tick=False):
        yield


def pages_text(document):
    """The text of every laid-out line of a WeasyPrint document, one string.

    Walks the box tree of each page (WeasyPrint's `Page._page_box`): the public API stops at the page level.
    """

    def texts(box):
        if hasattr(box, "text"):
            yield box.text
        for child in getattr(box, "children", []):
            yield from texts(child)

    return " ".join(text for page in document.pages for text in texts(page._page_box))


@pytest.fixture
def company():
    return CompanyFactory(kind=CompanyKind.EI, name="Les Jardins de Cocagne", siret="81234567800123")


@pytest.fixture
def approval(company):
    job_seeker = JobSeekerFactory(title=Title.M, first_name="Karim", last_name="Benali")
    approval = ApprovalFactory(user=job_seeker, start_at=TODAY - 100 * DAY, origin_siae_siret=company.siret)
    hire(approval, company, accepted_at=timezone.now() - 100 * DAY)
    return approval


def attestation_url(approval):
    return reverse("approval_attestation", args=[approval.public_id])


def test_holder_downloads_the_pdf(client, approval):
    client.force_login(approval.user)
    response = client.get(attestation_url(approval))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="pass-iae-{approval.number}.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert response.content == pdf.attestation_pdf(approval, on=TODAY)


def test_what_the_attestation_says(approval, company):
    document = pdf.attestation_document(approval, on=TODAY)
    assert len(document.pages) == 1  # one printable sheet
    text = pages_text(document)
    assert "Attestation de délivrance du PASS IAE" in text
    assert approval.number_with_spaces in text
    assert "Monsieur" in text and "Karim" in text and "BENALI" in text
    assert "15/03/1990" in text  # birthdate
    assert "30/11/2025" in text and "29/11/2027" in text  # start, end
    assert "630 jours" in text and "Décompté en jours calendaires." in text
    assert "Les Jardins de Cocagne" in text and "81234567800123" in text and "Entreprise d'insertion" in text
    assert "Document établi le 10/03/2026" in text
    assert "articles L. 5132-1 et R. 5132-1-1 et suivants du code du travail" in text


def test_remainder_at_the_date_of_issue(approval, company):
    SuspensionFactory(approval=approval, siae=company, start_at=TODAY - DAY, end_at=TODAY + 8 * DAY)
    text = pages_text(pdf.attestation_document(approval, on=TODAY))
    assert "621 jours" in text  # 630 − 9 suspended days still to come
    assert "Valide (suspendu)" in text


def test_expired_pass(company):
    approval = ApprovalFactory(start_at=TODAY - 730 * DAY)
    text = pages_text(pdf.attestation_document(approval, on=TODAY))
    assert "Expiré" in text and "0 jour" in text


def test_pass_without_hiring_on_the_platform():
    approval = ApprovalFactory(origin_siae_siret="81234567800999", origin_siae_kind=CompanyKind.AI)
    text = pages_text(pdf.attestation_document(approval, on=TODAY))
    assert "81234567800999" in text and "Association intermédiaire" in text


def test_employer_of_the_hiring_company(client, approval, company):
    client.force_login(employer_of(company))
    response = client.get(attestation_url(approval))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_authorized_prescriber_that_made_the_diagnosis(client, approval):
    organization = approval.eligibility_diagnosis.author_prescriber_organization
    user = ProfessionalFactory()
    PrescriberMembershipFactory(organization=organization, user=user)
    client.force_login(user)
    assert client.get(attestation_url(approval)).status_code == 200


@pytest.mark.parametrize("outsider", ["job_seeker", "employer", "orienteur", "staff"])
def test_outsiders_get_a_404(client, approval, outsider):
    match outsider:
        case "job_seeker":
            user = JobSeekerFactory()
        case "employer":
            other = CompanyFactory()
            JobApplicationFactory(to_company=other)
            user = employer_of(other)
        case "orienteur":
            user = ProfessionalFactory()
            PrescriberOrganizationFactory(with_member=user)
        case "staff":
            user = StaffFactory()
    login(client, user)
    assert client.get(attestation_url(approval)).status_code == 404


def test_unknown_pass(client, approval):
    client.force_login(approval.user)
    assert client.get(reverse("approval_attestation", args=[uuid.uuid4()])).status_code == 404


def test_anonymous_goes_to_login(client, approval):
    response = client.get(attestation_url(approval))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
