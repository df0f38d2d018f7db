"""The resume download (applications.md §1, §15): who may read it, and how it is served."""

import pytest
from django.urls import reverse

from inclusion.applications.enums import SenderKind
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory

PDF = b"%PDF-1.4\n% CV de test\n%%EOF\n"


@pytest.fixture
def prescriber_application(db):
    """Sent by a member of an authorized organization to an ACI, with a resume."""
    organization = PrescriberOrganizationFactory(authorized=True)
    sender = ProfessionalFactory()
    PrescriberMembershipFactory(organization=organization, user=sender)
    return JobApplicationFactory(
        with_resume=True,
        to_company=CompanyFactory(with_member=True),
        sender=sender,
        sender_kind=SenderKind.PRESCRIBER,
        sender_prescriber_organization=organization,
    )


def url(job_application):
    return reverse("application_resume", args=[job_application.pk])


def member_of(organization, membership_factory=CompanyMembershipFactory):
    user = ProfessionalFactory()
    membership_factory(organization=organization, user=user, is_admin=False)
    return user


def get_as(client, user, job_application):
    if user is not None:
        login(client, user)
    return client.get(url(job_application))


def test_the_target_company_downloads_it_as_an_attachment(client, prescriber_application):
    response = get_as(client, prescriber_application.to_company.memberships.get().user, prescriber_application)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="cv.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    "who",
    ["job_seeker", "sender", "sender_colleague", "target_member"],
)
def test_allowed(client, prescriber_application, who):
    users = {
        "job_seeker": lambda: prescriber_application.job_seeker,
        "sender": lambda: prescriber_application.sender,
        "sender_colleague": lambda: member_of(
            prescriber_application.sender_prescriber_organization, PrescriberMembershipFactory
        ),
        "target_member": lambda: member_of(prescriber_application.to_company),
    }
    assert get_as(client, users[who](), prescriber_application).status_code == 200


@pytest.mark.parametrize(
    "who",
    ["other_job_seeker", "orienteur", "other_employer", "staff"],
)
def test_not_allowed_is_a_404(client, prescriber_application, who):
    users = {
        "other_job_seeker": JobSeekerFactory,
        "orienteur": lambda: member_of(PrescriberOrganizationFactory(), PrescriberMembershipFactory),
        "other_employer": lambda: member_of(CompanyFactory()),
        "staff": StaffFactory,
    }
    assert get_as(client, users[who](), prescriber_application).status_code == 404


def test_anonymous_visitors_log_in_first(client, prescriber_application):
    response = get_as(client, None, prescriber_application)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_sender_company_reads_it(client, db):
    job_application = JobApplicationFactory(with_resume=True, sent_by_employer=True)
    assert get_as(client, member_of(job_application.sender_company), job_application).status_code == 200


def test_no_resume_is_a_404(client, db):
    job_application = JobApplicationFactory(to_company=CompanyFactory(with_member=True))
    assert get_as(client, job_application.to_company.memberships.get().user, job_application).status_code == 404


def test_a_missing_file_is_a_404(client, prescriber_application):
    prescriber_application.resume.storage.delete(prescriber_application.resume.name)
    response = get_as(client, prescriber_application.to_company.memberships.get().user, prescriber_application)
    assert response.status_code == 404


def test_the_detail_page_links_to_the_view_never_to_the_media_url(client, prescriber_application):
    client.force_login(prescriber_application.to_company.memberships.get().user)
    page = client.get(reverse("application_detail_company", args=[prescriber_application.pk])).content.decode()
    assert url(prescriber_application) in page
    assert prescriber_application.resume.name not in page
