"""The job seeker's applications: /mes-candidatures/ and the detail page (applications.md §4, §7, §14, §15)."""

import datetime
import html
import re

import pytest
import time_machine
from django.urls import reverse

from inclusion.applications import perms
from inclusion.applications.enums import JobApplicationState, RefusalReason
from inclusion.applications.models import JobApplication
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory, JobDescriptionFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 11, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)
URL = reverse("applications_job_seeker")
S = JobApplicationState


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def job_seeker():
    return JobSeekerFactory()


@pytest.fixture
def logged(client, job_seeker):
    client.force_login(job_seeker)
    return client


def ids_on(response):
    return [row["job_application"].pk for row in response.context["rows"]]


def text_of(response):
    """The page as read: tags removed, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(response.content.decode())).split())


def set_updated_at(job_application, when):
    # `updated_at` is auto_now: written through the queryset.
    JobApplication.objects.filter(pk=job_application.pk).update(updated_at=when)


class TestList:
    def test_only_own_applications_newest_first(self, logged, job_seeker):
        older = JobApplicationFactory(job_seeker=job_seeker, created_at=NOW - 3 * DAY)
        newer = JobApplicationFactory(job_seeker=job_seeker, created_at=NOW - DAY)
        JobApplicationFactory()
        assert ids_on(logged.get(URL)) == [newer.pk, older.pk]

    def test_professionals_are_forbidden(self, client):
        user = ProfessionalFactory()
        CompanyFactory(with_member=user)
        client.force_login(user)
        assert client.get(URL).status_code == 403

    def test_states_and_dates(self, logged, job_seeker):
        new = JobApplicationFactory(job_seeker=job_seeker, state=S.NEW, created_at=NOW - 2 * DAY)
        refused = JobApplicationFactory(job_seeker=job_seeker, state=S.REFUSED, created_at=NOW - 20 * DAY)
        assert ids_on(logged.get(URL, {"states": "refused"})) == [refused.pk]
        assert ids_on(logged.get(URL, {"start_date": TODAY - 2 * DAY})) == [new.pk]
        assert ids_on(logged.get(URL, {"end_date": TODAY - 3 * DAY})) == [refused.pk]

    def test_archived_applications_stay_in_the_job_seeker_list(self, logged, job_seeker):
        archived = JobApplicationFactory(job_seeker=job_seeker, state=S.REFUSED, archived_at=NOW)
        assert ids_on(logged.get(URL)) == [archived.pk]

    def test_ordering_by_company_name(self, logged, job_seeker):
        zebra = JobApplicationFactory(job_seeker=job_seeker, to_company=CompanyFactory(name="Zèbre"))
        alpha = JobApplicationFactory(
            job_seeker=job_seeker, to_company=CompanyFactory(name="Zzz", brand="Alpha"), created_at=NOW - DAY
        )
        assert ids_on(logged.get(URL)) == [zebra.pk, alpha.pk]
        assert ids_on(logged.get(URL, {"ordering": "name"})) == [alpha.pk, zebra.pk]

    def test_pages_of_twenty(self, logged, job_seeker):
        for index in range(21):
            JobApplicationFactory(job_seeker=job_seeker, created_at=NOW - index * DAY)
        assert len(ids_on(logged.get(URL))) == 20
        assert len(ids_on(logged.get(URL, {"page": 2}))) == 1

    @pytest.mark.parametrize(
        "age,weeks",
        [(6 * DAY, 0), (7 * DAY, 1), (13 * DAY, 1), (14 * DAY, 2)],
    )
    def test_weeks_since_last_change_for_pending(self, logged, job_seeker, age, weeks):
        job_application = JobApplicationFactory(job_seeker=job_seeker, state=S.PROCESSING)
        set_updated_at(job_application, NOW - age)
        assert logged.get(URL).context["rows"][0]["weeks_since_update"] == weeks

    def test_no_weeks_for_processed_applications(self, logged, job_seeker):
        job_application = JobApplicationFactory(job_seeker=job_seeker, state=S.ACCEPTED)
        set_updated_at(job_application, NOW - 30 * DAY)
        response = logged.get(URL)
        assert response.context["rows"][0]["weeks_since_update"] is None
        assert "sans changement" not in text_of(response)

    def test_weeks_text(self, logged, job_seeker):
        job_application = JobApplicationFactory(job_seeker=job_seeker, state=S.NEW)
        set_updated_at(job_application, NOW - 15 * DAY)
        assert "sans changement depuis 2 semaines" in text_of(logged.get(URL))

    def test_jobs_and_company(self, logged, job_seeker):
        company = CompanyFactory(name="Recyclerie")
        job_application = JobApplicationFactory(job_seeker=job_seeker, to_company=company)
        job_application.selected_jobs.add(JobDescriptionFactory(company=company, custom_name="Valoriste"))
        page = text_of(logged.get(URL))
        assert "Recyclerie" in page and "Valoriste" in page

    def test_fixed_number_of_queries(self, logged, job_seeker, django_assert_num_queries):
        for index in range(25):
            job_application = JobApplicationFactory(job_seeker=job_seeker, created_at=NOW - index * DAY)
            job_application.selected_jobs.add(JobDescriptionFactory(company=job_application.to_company))
        logged.get(URL)
        # Session, user, the count, the page, its jobs.
        with django_assert_num_queries(5):
            logged.get(URL)


class TestDetail:
    def url(self, job_application):
        return reverse("application_detail_job_seeker", args=[job_application.pk])

    def test_own_application(self, logged, job_seeker):
        job_application = JobApplicationFactory(job_seeker=job_seeker, message="Je suis motivée.")
        page = text_of(logged.get(self.url(job_application)))
        assert "Je suis motivée." in page

    def test_another_job_seeker_application_is_not_found(self, logged):
        assert logged.get(self.url(JobApplicationFactory())).status_code == 404

    def test_professionals_are_forbidden(self, client, job_seeker):
        job_application = JobApplicationFactory(job_seeker=job_seeker)
        user = ProfessionalFactory()
        PrescriberOrganizationFactory(with_member=user, authorized=True)
        client.force_login(user)
        assert client.get(self.url(job_application)).status_code == 403

    def test_never_the_private_answer_to_the_prescriber(self, logged, job_seeker):
        job_application = JobApplicationFactory(
            job_seeker=job_seeker,
            sent_by_authorized_prescriber=True,
            state=S.REFUSED,
            refusal_reason=RefusalReason.LACKING_SKILLS,
            refusal_reason_shared_with_job_seeker=False,
            answer="Merci pour votre candidature.",
            answer_to_prescriber="Note privée pour le prescripteur.",
        )
        page = text_of(logged.get(self.url(job_application)))
        assert "Merci pour votre candidature." in page
        assert "Note privée pour le prescripteur." not in page
        assert RefusalReason.LACKING_SKILLS.label not in page
        assert "Motif de refus" not in page

    def test_refusal_reason_when_shared(self, logged, job_seeker):
        job_application = JobApplicationFactory(
            job_seeker=job_seeker,
            state=S.REFUSED,
            refusal_reason=RefusalReason.NO_POSITION,
            refusal_reason_shared_with_job_seeker=True,
        )
        page = text_of(logged.get(self.url(job_application)))
        assert f"Motif de refus : {RefusalReason.NO_POSITION.label}" in page


class TestRefusalReasonRule:
    """applications.md §4, §7: one rule for the job seeker's detail page and the refusal e-mail."""

    @pytest.mark.parametrize(
        "state,reason,shared,shown",
        [
            (S.REFUSED, RefusalReason.NO_POSITION, True, True),
            (S.REFUSED, RefusalReason.NO_POSITION, False, False),
            # A shared flag without a reason shows no empty "Motif de refus :".
            (S.REFUSED, "", True, False),
            # Moved on since the refusal (e.g. to prior_to_hire at a GEIQ): no longer the answer.
            (S.PRIOR_TO_HIRE, RefusalReason.NO_POSITION, True, False),
        ],
    )
    def test_shown_only_when_shared(self, logged, job_seeker, state, reason, shared, shown):
        job_application = JobApplicationFactory(
            job_seeker=job_seeker, state=state, refusal_reason=reason, refusal_reason_shared_with_job_seeker=shared
        )
        assert perms.job_seeker_sees_refusal_reason(job_application) is shown
        page = text_of(logged.get(reverse("application_detail_job_seeker", args=[job_application.pk])))
        assert ("Motif de refus" in page) is shown
