"""The application wizard step by step (applications.md §12, §13): who may start it, the guards, the NIR of a job
seeker, the eligibility steps, the resume, a double post, stale wizards and the end page."""

import datetime
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inclusion.applications import guards, submission
from inclusion.applications.models import JobApplication
from inclusion.companies.enums import CompanyKind
from inclusion.users.enums import LackOfNIRReason
from inclusion.users.models import JobSeekerProfile
from tests.applications.factories import JobApplicationFactory, pdf_upload
from tests.applications.test_apply_tunnels import (
    NOW,
    come_back_with,
    complete_job_seeker,
    follow_post,
    hiring_company,
    login,
    start,
    step_of,
    text,
)
from tests.approvals.factories import ApprovalFactory
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory, JobDescriptionFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory, GEIQEligibilityDiagnosisFactory
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import ProfessionalFactory, StaffFactory, valid_nir

pytestmark = pytest.mark.django_db

SIX_MB = 6 * 1024 * 1024


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def authorized_prescriber():
    prescriber = ProfessionalFactory()
    organization = PrescriberOrganizationFactory(authorized=True, with_member=prescriber)
    return prescriber, organization


def orienteur():
    user = ProfessionalFactory()
    PrescriberOrganizationFactory(with_member=user)
    return user


def to_jobs_step(client, user, company, job_seeker):
    """A proxy starts the wizard and comes back from the search with the person: the first page after that."""
    login(client, user)
    url, _ = start(client, company)
    return come_back_with(client, url, job_seeker)


def to_message_step(client, user, company, job_seeker):
    url, _ = to_jobs_step(client, user, company, job_seeker)
    url, response = follow_post(client, url, {"spontaneous": "on"})
    assert step_of(url) == "message", url
    return url, response


def job_seeker_to_message_step(client, job_seeker, company):
    login(client, job_seeker)
    url, _ = start(client, company)
    url, response = follow_post(client, url, {"spontaneous": "on"})
    assert step_of(url) == "message", url
    return url, response


class TestWhoMayApply:
    @pytest.mark.parametrize("make_user", [StaffFactory, "institution"], ids=["staff", "institution_member"])
    def test_staff_and_institution_members_are_refused(self, client, make_user):
        if make_user == "institution":
            user = ProfessionalFactory()
            InstitutionFactory(with_member=user)
        else:
            user = make_user()
        login(client, user)
        company = hiring_company()
        assert client.get(reverse("apply_start", args=[company.uid])).status_code == 403
        step = reverse("apply_step", args=[company.uid, uuid.uuid4(), "metiers"])
        assert client.get(step).status_code == 403
        assert not JobApplication.objects.exists()

    def test_anonymous_visitors_log_in_first_and_come_back(self, client):
        company = hiring_company()
        url = reverse("apply_start", args=[company.uid]) + "?job_description=" + str(uuid.uuid4())
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=/postuler/")

    def test_an_unknown_company_is_not_found(self, client):
        login(client, complete_job_seeker())
        assert client.get(reverse("apply_start", args=[uuid.uuid4()])).status_code == 404


class TestCompanyGuards:
    """applications.md §12: the company must take applications, before anything is asked."""

    def refused(self, client, company, reason):
        login(client, complete_job_seeker())
        response = client.get(reverse("apply_start", args=[company.uid]))
        assert response.status_code == 403
        assert reason in text(response)
        assert "Candidature impossible" in text(response)

    def test_a_blocked_company(self, client):
        company = hiring_company()
        JobDescriptionFactory(company=company)
        company.block_applications()
        self.refused(client, company, guards.COMPANY_BLOCKED)

    def test_a_company_without_members(self, client):
        self.refused(client, hiring_company(with_member=False), guards.COMPANY_WITHOUT_MEMBERS)

    def test_a_company_with_nothing_open(self, client):
        company = hiring_company()
        company.close_spontaneous_applications()
        self.refused(client, company, submission.NOTHING_TO_APPLY_TO)

    def test_a_sanctioned_siae_cannot_start_an_auto_prescription(self, client, monkeypatch):
        monkeypatch.setattr(submission, "siae_self_prescription_withdrawn", lambda company, on: True)
        employer = ProfessionalFactory()
        company = hiring_company(with_member=employer)
        login(client, employer)
        response = client.get(reverse("apply_start", args=[company.uid]))
        assert response.status_code == 403
        assert guards.SELF_PRESCRIPTION_WITHDRAWN in text(response)

    def test_a_sanction_is_checked_again_when_the_application_is_sent(self, client, monkeypatch):
        employer = ProfessionalFactory()
        company = hiring_company(with_member=employer)
        url, _ = to_message_step(client, employer, company, complete_job_seeker())
        monkeypatch.setattr(guards, "siae_self_prescription_withdrawn", lambda company, on: True)
        response = client.post(url, {"message": "", "advisor": str(employer.pk)})
        assert response.status_code == 200
        assert guards.SELF_PRESCRIPTION_WITHDRAWN in text(response)
        assert not JobApplication.objects.exists()


class TestPreviousApplications:
    """applications.md §12, §13.4: within 24 h refused with the reason; older: a confirmation page."""

    def test_within_24_hours_the_reason_is_shown(self, client):
        company = hiring_company()
        job_seeker = complete_job_seeker()
        JobApplicationFactory(job_seeker=job_seeker, to_company=company, created_at=NOW - datetime.timedelta(hours=23))
        login(client, job_seeker)
        response = client.get(reverse("apply_start", args=[company.uid]), follow=True)
        assert response.status_code == 403
        assert guards.APPLIED_WITHIN_24_HOURS in text(response)

    def test_an_older_application_asks_for_a_confirmation(self, client):
        company = hiring_company()
        job_seeker = complete_job_seeker()
        JobApplicationFactory(job_seeker=job_seeker, to_company=company, created_at=NOW - datetime.timedelta(hours=24))
        login(client, job_seeker)
        url, response = start(client, company)
        assert step_of(url) == "candidatures-precedentes"
        assert "Vous avez déjà postulé chez cet employeur" in text(response)
        assert "9 mars 2026" in text(response)
        url, _ = follow_post(client, url)
        assert step_of(url) == "metiers"

    def test_the_jobs_step_cannot_be_reached_before_confirming(self, client):
        company = hiring_company()
        job_seeker = complete_job_seeker()
        JobApplicationFactory(job_seeker=job_seeker, to_company=company, created_at=NOW - datetime.timedelta(days=3))
        login(client, job_seeker)
        url, _ = start(client, company)
        response = client.get(url.replace("candidatures-precedentes", "metiers"))
        assert response.status_code == 302
        assert step_of(response["Location"]) == "candidatures-precedentes"

    def test_a_proxy_is_told_the_person_already_applied(self, client):
        company = hiring_company()
        job_seeker = complete_job_seeker()
        JobApplicationFactory(job_seeker=job_seeker, to_company=company, created_at=NOW - datetime.timedelta(days=3))
        url, response = to_jobs_step(client, orienteur(), company, job_seeker)
        assert step_of(url) == "candidatures-precedentes"
        assert "Ce candidat a déjà postulé chez cet employeur" in text(response)


class TestWaitingPeriod:
    """applications.md §12, pass_iae.md §8: during the 2 years after a PASS IAE, an SIAE cannot be applied to unless
    an authorized prescriber sends the application (or made a valid diagnosis); other kinds are not concerned."""

    @pytest.fixture
    def job_seeker(self):
        job_seeker = complete_job_seeker()
        ended = NOW.date() - datetime.timedelta(days=365)
        diagnosis = EligibilityDiagnosisFactory(job_seeker=job_seeker, created_at=NOW - datetime.timedelta(days=1200))
        ApprovalFactory(
            user=job_seeker,
            start_at=ended - datetime.timedelta(days=729),
            end_at=ended,
            eligibility_diagnosis=diagnosis,
        )
        return job_seeker

    def test_the_job_seeker_is_told_why(self, client, job_seeker):
        login(client, job_seeker)
        response = client.get(reverse("apply_start", args=[hiring_company().uid]), follow=True)
        assert response.status_code == 403
        assert "un délai de carence de deux ans s'applique" in text(response)

    def test_an_ea_is_not_concerned(self, client, job_seeker):
        login(client, job_seeker)
        url, _ = start(client, hiring_company(kind=CompanyKind.EA))
        assert step_of(url) == "metiers"

    def test_an_authorized_prescriber_may_apply(self, client, job_seeker):
        prescriber, _ = authorized_prescriber()
        url, _ = to_jobs_step(client, prescriber, hiring_company(), job_seeker)
        assert step_of(url) == "metiers"


class TestJobsStep:
    def test_the_unpopular_badge_and_the_spontaneous_choice(self, client):
        company = hiring_company()
        unpopular = JobDescriptionFactory(company=company)
        popular = JobDescriptionFactory(company=company)
        JobApplicationFactory.create_batch(2, to_company=company).__iter__()
        for job_application in JobApplication.objects.all():
            job_application.selected_jobs.add(popular)
        login(client, complete_job_seeker())
        url, response = start(client, company)
        content = text(response)
        badge = "Soyez parmi les premiers à postuler"
        unpopular_label = re.search(rf'for="job-{unpopular.pk}">(.*?)</label>', content, re.S)[1]
        popular_label = re.search(rf'for="job-{popular.pk}">(.*?)</label>', content, re.S)[1]
        assert badge in unpopular_label
        assert badge not in popular_label
        assert "Candidature spontanée" in content

    def test_no_spontaneous_choice_when_the_company_does_not_take_them(self, client):
        company = hiring_company()
        job = JobDescriptionFactory(company=company)
        company.close_spontaneous_applications()
        login(client, complete_job_seeker())
        url, response = start(client, company)
        assert 'name="spontaneous"' not in text(response)
        # Forged anyway: refused, nothing chosen.
        response = client.post(url, {"spontaneous": "on"})
        assert "Choisissez au moins une fiche de poste" in text(response)
        url, _ = follow_post(client, url, {"jobs": [job.pk]})
        assert step_of(url) == "message"

    def test_exactly_one_of_jobs_or_spontaneous(self, client):
        company = hiring_company()
        job = JobDescriptionFactory(company=company)
        login(client, complete_job_seeker())
        url, _ = start(client, company)
        response = client.post(url, {})
        assert response.status_code == 200
        assert "Choisissez au moins une fiche de poste, ou la candidature spontanée." in text(response)
        response = client.post(url, {"jobs": [job.pk], "spontaneous": "on"})
        assert "pas les deux" in text(response)
        # What was ticked stays ticked.
        assert re.search(rf'value="{job.pk}"\s+checked', text(response))

    def test_a_closed_or_foreign_job_cannot_be_chosen(self, client):
        company = hiring_company()
        closed = JobDescriptionFactory(company=company, is_active=False)
        foreign = JobDescriptionFactory()
        login(client, complete_job_seeker())
        url, _ = start(client, company)
        for job in (closed, foreign):
            response = client.post(url, {"jobs": [job.pk]})
            assert response.status_code == 200
            assert 'class="fr-message fr-message--error"' in text(response)
        response = client.post(url, {"jobs": ["pas-un-nombre"]})
        assert response.status_code == 200

    def test_a_job_closed_before_sending_is_reported_with_the_message_kept(self, client):
        company = hiring_company()
        job = JobDescriptionFactory(company=company)
        login(client, complete_job_seeker())
        url, _ = start(client, company)
        url, _ = follow_post(client, url, {"jobs": [job.pk]})
        job.close_recruitment()
        company.close_spontaneous_applications()
        response = client.post(url, {"message": "Mon message"})
        assert response.status_code == 200
        assert guards.JOB_NOT_OPEN in text(response)
        assert "Mon message" in text(response)
        assert not JobApplication.objects.exists()


class TestEligibilitySteps:
    """applications.md §13.6: the IAE step only for an authorized prescriber applying to an SIAE for a person without a
    valid PASS IAE; the GEIQ step, optional, only for an authorized prescriber applying to a GEIQ."""

    def steps_after_jobs(self, client, user, company, job_seeker):
        url, _ = to_jobs_step(client, user, company, job_seeker)
        url, response = follow_post(client, url, {"spontaneous": "on"})
        return step_of(url), response

    def test_authorized_prescriber_siae_without_pass(self, client):
        prescriber, _ = authorized_prescriber()
        step, _ = self.steps_after_jobs(client, prescriber, hiring_company(), complete_job_seeker())
        assert step == "eligibilite-iae"

    def test_a_valid_diagnosis_is_shown_and_confirmed(self, client):
        prescriber, organization = authorized_prescriber()
        job_seeker = complete_job_seeker()
        EligibilityDiagnosisFactory(job_seeker=job_seeker, author_prescriber_organization=organization)
        step, response = self.steps_after_jobs(client, prescriber, hiring_company(), job_seeker)
        assert step == "eligibilite-iae"
        assert "Valable jusqu'au 9 septembre 2026 inclus" in text(response)
        assert "Continuer avec ce diagnostic" in text(response)

    def test_an_expired_diagnosis_must_be_renewed(self, client):
        prescriber, organization = authorized_prescriber()
        job_seeker = complete_job_seeker()
        EligibilityDiagnosisFactory(
            job_seeker=job_seeker,
            author_prescriber_organization=organization,
            created_at=NOW - datetime.timedelta(days=200),
        )
        step, response = self.steps_after_jobs(client, prescriber, hiring_company(), job_seeker)
        assert step == "eligibilite-iae"
        assert "Établir le diagnostic d'éligibilité" in text(response)

    def test_no_step_with_a_valid_pass(self, client):
        prescriber, _ = authorized_prescriber()
        job_seeker = complete_job_seeker()
        ApprovalFactory(user=job_seeker)
        step, _ = self.steps_after_jobs(client, prescriber, hiring_company(), job_seeker)
        assert step == "message"

    def test_no_step_for_an_orienteur(self, client):
        step, response = self.steps_after_jobs(client, orienteur(), hiring_company(), complete_job_seeker())
        assert step == "message"
        assert "Étape 3 sur 3" in text(response)  # candidate, jobs, message

    def test_no_step_for_an_employer(self, client):
        employer = ProfessionalFactory()
        CompanyFactory(with_member=employer)
        step, _ = self.steps_after_jobs(client, employer, hiring_company(), complete_job_seeker())
        assert step == "message"

    @pytest.mark.parametrize("kind", [CompanyKind.EA, CompanyKind.OPCS])
    def test_no_step_outside_siae_and_geiq(self, client, kind):
        prescriber, _ = authorized_prescriber()
        step, _ = self.steps_after_jobs(client, prescriber, hiring_company(kind=kind), complete_job_seeker())
        assert step == "message"

    def test_no_step_for_a_prescriber_who_is_also_a_member_of_the_siae(self, client):
        prescriber, _ = authorized_prescriber()
        company = hiring_company()
        CompanyMembershipFactory(organization=company, user=prescriber, is_admin=False)
        # The prescriber organization stays the current one: companies come first by default, so choose it.
        login(client, prescriber)
        client.post(
            reverse("switch_organization"),
            {"organization": prescriber.prescribermembership_set.get().organization.switch_key},
        )
        url, _ = start(client, company)
        url, _ = come_back_with(client, url, complete_job_seeker())
        url, _ = follow_post(client, url, {"spontaneous": "on"})
        assert step_of(url) == "message"  # eligibility.md §2.2: impartiality

    def test_geiq_step_is_optional(self, client):
        prescriber, _ = authorized_prescriber()
        job_seeker = complete_job_seeker()
        step, response = self.steps_after_jobs(client, prescriber, hiring_company(kind=CompanyKind.GEIQ), job_seeker)
        assert step == "eligibilite-geiq"
        content = text(response)
        geiq_url = reverse("eligibility_geiq_prescriber", args=[job_seeker.public_id])
        assert f'href="{geiq_url}?next=' in response.content.decode()
        assert "Continuer sans diagnostic" in content
        url = response.redirect_chain[-1][0]
        url, _ = follow_post(client, url)
        assert step_of(url) == "message"

    def test_geiq_step_shows_a_valid_prescriber_diagnosis(self, client):
        prescriber, organization = authorized_prescriber()
        job_seeker = complete_job_seeker()
        GEIQEligibilityDiagnosisFactory(
            from_prescriber=True, job_seeker=job_seeker, author_prescriber_organization=organization
        )
        step, response = self.steps_after_jobs(client, prescriber, hiring_company(kind=CompanyKind.GEIQ), job_seeker)
        assert step == "eligibilite-geiq"
        assert "Diagnostic d'éligibilité GEIQ" in text(response)

    def test_no_geiq_step_for_an_orienteur(self, client):
        step, _ = self.steps_after_jobs(
            client, orienteur(), hiring_company(kind=CompanyKind.GEIQ), complete_job_seeker()
        )
        assert step == "message"


class TestNIR:
    """applications.md §13.2: a job seeker without NIR is asked for it and may go on after one invalid attempt."""

    @pytest.fixture
    def job_seeker(self):
        job_seeker = complete_job_seeker()
        JobSeekerProfile.objects.filter(user=job_seeker).update(nir="")
        return job_seeker

    def test_a_valid_nir_is_saved(self, client, job_seeker):
        login(client, job_seeker)
        url, response = start(client, hiring_company())
        assert step_of(url) == "numero-securite-sociale"
        assert "Continuer sans numéro" not in text(response)
        nir = valid_nir(order=777)
        url, _ = follow_post(client, url, {"nir": nir})
        assert step_of(url) == "metiers"
        assert JobSeekerProfile.objects.get(user=job_seeker).nir == nir

    def test_after_one_invalid_attempt_the_job_seeker_may_go_on(self, client, job_seeker):
        login(client, job_seeker)
        url, _ = start(client, hiring_company())
        response = client.post(url, {"nir": "123"})
        assert response.status_code == 200
        assert "trop court" in text(response)
        assert "Continuer sans numéro de sécurité sociale" in text(response)
        url, _ = follow_post(client, url, {"skip": "1"})
        assert step_of(url) == "metiers"
        assert JobSeekerProfile.objects.get(user=job_seeker).nir == ""

    def test_skipping_without_an_attempt_is_not_possible(self, client, job_seeker):
        login(client, job_seeker)
        url, _ = start(client, hiring_company())
        response = client.post(url, {"skip": "1"})
        assert response.status_code == 200
        assert "Saisissez votre numéro de sécurité sociale." in text(response)

    def test_a_nir_of_someone_else_is_refused(self, client, job_seeker):
        other = complete_job_seeker()
        login(client, job_seeker)
        url, _ = start(client, hiring_company())
        response = client.post(url, {"nir": other.jobseeker_profile.nir})
        assert "déjà associé à un autre compte" in text(response)

    def test_a_job_seeker_with_a_lack_of_nir_reason_is_not_asked(self, client, job_seeker):
        JobSeekerProfile.objects.filter(user=job_seeker).update(lack_of_nir_reason=LackOfNIRReason.NO_NIR)
        login(client, job_seeker)
        url, _ = start(client, hiring_company())
        assert step_of(url) == "metiers"


class TestResume:
    """applications.md §13.7: a real PDF of at most 5 MB; an error keeps the rest of the form."""

    def test_a_6_mb_file_is_refused_with_a_french_message(self, client):
        url, _ = job_seeker_to_message_step(client, complete_job_seeker(), hiring_company())
        big = SimpleUploadedFile("cv.pdf", b"%PDF-1.7\n" + b"0" * SIX_MB, content_type="application/pdf")
        response = client.post(url, {"message": "Mon message motivé", "resume": big})
        assert response.status_code == 200
        content = text(response)
        assert "Le CV pèse 6,0 Mo : il ne doit pas dépasser 5 Mo." in content
        assert "Mon message motivé" in content
        assert not JobApplication.objects.exists()

    def test_a_text_file_renamed_pdf_is_refused(self, client):
        url, _ = job_seeker_to_message_step(client, complete_job_seeker(), hiring_company())
        fake = SimpleUploadedFile("cv.pdf", b"Pas un PDF du tout", content_type="application/pdf")
        response = client.post(url, {"message": "Mon message", "resume": fake})
        assert response.status_code == 200
        assert "Le CV doit être un fichier PDF" in text(response)
        assert "Mon message" in text(response)
        assert not JobApplication.objects.exists()

    def test_a_resume_is_recommended_when_a_chosen_job_asks_for_it(self, client):
        company = hiring_company()
        job = JobDescriptionFactory(company=company, is_resume_mandatory=True)
        login(client, complete_job_seeker())
        url, _ = start(client, company)
        url, response = follow_post(client, url, {"jobs": [job.pk]})
        assert "Recommandé : une des fiches de poste choisies demande un CV." in text(response)

    def test_a_valid_resume_is_attached(self, client):
        url, _ = job_seeker_to_message_step(client, complete_job_seeker(), hiring_company())
        client.post(url, {"message": "Bonjour", "resume": pdf_upload()})
        assert JobApplication.objects.get().resume


class TestDoublePost:
    """applications.md §18.10: a form posted twice gives one application and no error."""

    def test_the_same_form_posted_twice(self, client):
        url, _ = job_seeker_to_message_step(client, complete_job_seeker(), hiring_company())
        first = client.post(url, {"message": "Bonjour"})
        second = client.post(url, {"message": "Bonjour"})
        job_application = JobApplication.objects.get()
        done = reverse("apply_done", args=[job_application.pk])
        assert first["Location"] == second["Location"] == done
        assert client.get(done).status_code == 200

    def test_two_tabs_sending_within_10_seconds(self, client, time_machine):
        job_seeker = complete_job_seeker()
        company = hiring_company()
        first_tab, _ = job_seeker_to_message_step(client, job_seeker, company)
        second_tab, _ = job_seeker_to_message_step(client, job_seeker, company)
        assert first_tab != second_tab
        client.post(first_tab, {"message": "Bonjour"})
        time_machine.move_to(NOW + datetime.timedelta(seconds=5), tick=False)
        response = client.post(second_tab, {"message": "Bonjour"})
        job_application = JobApplication.objects.get()
        assert response["Location"] == reverse("apply_done", args=[job_application.pk])


class TestStaleWizards:
    def test_an_unknown_session_id_goes_back_to_the_start(self, client):
        company = hiring_company()
        login(client, complete_job_seeker())
        url = reverse("apply_step", args=[company.uid, uuid.uuid4(), "message"])
        response = client.get(url, follow=True)
        assert response.redirect_chain[0][0] == reverse("apply_start", args=[company.uid])
        assert "Cette candidature en cours n'existe plus" in text(response)
        # A new wizard started: a fresh session id.
        assert step_of(response.redirect_chain[-1][0]) == "metiers"

    def test_another_persons_session_id_is_unknown_here(self, client):
        company = hiring_company()
        url, _ = job_seeker_to_message_step(client, complete_job_seeker(), company)
        client.logout()
        intruder = complete_job_seeker()
        login(client, intruder)
        response = client.post(url, {"message": "Intrusion"})
        assert response.status_code == 302
        assert response["Location"] == reverse("apply_start", args=[company.uid])
        assert not JobApplication.objects.exists()

    def test_a_session_id_used_with_another_company_is_unknown_there(self, client):
        company, other = hiring_company(), hiring_company()
        url, _ = job_seeker_to_message_step(client, complete_job_seeker(), company)
        foreign = url.replace(str(company.uid), str(other.uid))
        response = client.post(foreign, {"message": "Bonjour"})
        assert response["Location"] == reverse("apply_start", args=[other.uid])
        assert not JobApplication.objects.exists()

    def test_two_tabs_keep_their_own_answers(self, client):
        company = hiring_company()
        first_job, second_job = JobDescriptionFactory(company=company), JobDescriptionFactory(company=company)
        login(client, complete_job_seeker())
        first_tab, _ = start(client, company)
        second_tab, _ = start(client, company)
        first_message, _ = follow_post(client, first_tab, {"jobs": [first_job.pk]})
        second_message, _ = follow_post(client, second_tab, {"jobs": [second_job.pk]})
        client.post(first_message, {"message": "Premier onglet"})
        job_application = JobApplication.objects.get()
        assert list(job_application.selected_jobs.all()) == [first_job]

    def test_an_unknown_step_is_not_found(self, client):
        company = hiring_company()
        login(client, complete_job_seeker())
        url, _ = start(client, company)
        assert client.get(url.replace("metiers", "etape-inconnue")).status_code == 404

    def test_an_unknown_job_seeker_coming_back_from_the_search(self, client):
        company = hiring_company()
        login(client, orienteur())
        url, _ = start(client, company)
        for value in (str(uuid.uuid4()), "pas-un-uuid"):
            response = client.get(url, {"job_seeker": value}, follow=True)
            assert "Ce candidat est introuvable" in text(response)
            assert step_of(response.redirect_chain[-1][0]) == "candidat"

    def test_a_deactivated_account_coming_back_from_the_search(self, client):
        """organizations.md §5.2: the search refuses a deactivated account; its public id in the URL is refused too."""
        company = hiring_company()
        job_seeker = complete_job_seeker(is_active=False)
        login(client, orienteur())
        url, _ = start(client, company)
        response = client.get(url, {"job_seeker": str(job_seeker.public_id)}, follow=True)
        assert "Ce candidat est introuvable" in text(response)
        assert step_of(response.redirect_chain[-1][0]) == "candidat"


class TestDataCheck:
    def test_proxies_are_warned_when_the_data_was_checked_long_ago(self, client):
        job_seeker = complete_job_seeker(last_checked_at=NOW - datetime.timedelta(days=200))
        prescriber, _ = authorized_prescriber()
        url, response = to_jobs_step(client, prescriber, hiring_company(), job_seeker)
        assert "vérifiées il y a plus de 6 mois" in text(response)

    def test_an_authorized_prescriber_completes_missing_data_first(self, client):
        prescriber, _ = authorized_prescriber()
        job_seeker = complete_job_seeker(address_line_1="")
        login(client, prescriber)
        url, _ = start(client, hiring_company())
        response = client.get(url, {"job_seeker": str(job_seeker.public_id)})
        data_step = response["Location"]
        assert step_of(data_step) == "informations"
        response = client.get(data_step)
        assert response["Location"].startswith(reverse("job_seeker_complete", args=[job_seeker.public_id]))


class TestDonePage:
    def test_a_proxy_allowed_to_edit_may_complete_address_and_phone(self, client):
        prescriber, _ = authorized_prescriber()
        job_seeker = complete_job_seeker(phone="")
        url, _ = to_message_step(client, prescriber, hiring_company(kind=CompanyKind.EA), job_seeker)
        response = client.post(url, {"message": "Bonjour", "advisor": str(prescriber.pk)}, follow=True)
        content = text(response)
        assert "Compléter les coordonnées" in content
        assert reverse("job_seeker_complete", args=[job_seeker.public_id]) + "?next=" in content

    def test_a_missing_city_counts_as_missing_contact_data(self, client):
        prescriber, _ = authorized_prescriber()
        job_seeker = complete_job_seeker()
        url, _ = to_message_step(client, prescriber, hiring_company(kind=CompanyKind.EA), job_seeker)
        type(job_seeker).objects.filter(pk=job_seeker.pk).update(city="")
        response = client.post(url, {"message": "Bonjour", "advisor": str(prescriber.pk)}, follow=True)
        assert "Compléter les coordonnées" in text(response)

    def test_complete_contact_data_offers_nothing(self, client):
        prescriber, _ = authorized_prescriber()
        url, _ = to_message_step(client, prescriber, hiring_company(kind=CompanyKind.EA), complete_job_seeker())
        response = client.post(url, {"message": "Bonjour", "advisor": str(prescriber.pk)}, follow=True)
        assert "Candidature envoyée" in text(response)
        assert "Compléter les coordonnées" not in text(response)

    def test_the_completer_page_then_takes_the_phone(self, client):
        """The link of the end page leads to a page with a phone field, which comes back to the end page."""
        prescriber, _ = authorized_prescriber()
        job_seeker = complete_job_seeker(phone="")
        url, _ = to_message_step(client, prescriber, hiring_company(kind=CompanyKind.EA), job_seeker)
        done = client.post(url, {"message": "Bonjour", "advisor": str(prescriber.pk)})["Location"]
        complete_url = re.search(r'href="([^"]*/completer/[^"]*)"', client.get(done).content.decode())[1]
        complete_url = complete_url.replace("&amp;", "&")
        form = client.get(complete_url).context["form"]
        assert "phone" in form.fields
        data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
        response = client.post(complete_url, {**data, "phone": "06 12 34 56 78"})
        assert response["Location"] == done
        job_seeker.refresh_from_db()
        assert job_seeker.phone == "06 12 34 56 78"
        assert "Compléter les coordonnées" not in text(client.get(done))

    def test_only_the_sender_sees_it(self, client):
        job_application = JobApplicationFactory(job_seeker=complete_job_seeker())
        login(client, complete_job_seeker())
        assert client.get(reverse("apply_done", args=[job_application.pk])).status_code == 404
        login(client, job_application.job_seeker)
        assert client.get(reverse("apply_done", args=[job_application.pk])).status_code == 200


class TestApplyButtons:
    """applications.md §13.1, §18.15: the company and job description cards offer to apply, unless the company takes
    no application."""

    def test_the_cards_link_to_the_wizard(self, client):
        company = hiring_company()
        job = JobDescriptionFactory(company=company)
        start_url = reverse("apply_start", args=[company.uid])
        assert f'href="{start_url}"' in text(client.get(reverse("company_card", args=[company.uid])))
        card = text(client.get(reverse("job_description_card", args=[job.uid])))
        assert f'href="{start_url}?job_description={job.uid}"' in card

    @pytest.mark.parametrize("situation", ["blocked", "without_members"])
    def test_no_button_when_the_company_takes_no_application(self, client, situation):
        company = hiring_company(with_member=situation != "without_members")
        job = JobDescriptionFactory(company=company)
        if situation == "blocked":
            company.block_applications()
        start_url = reverse("apply_start", args=[company.uid])
        assert start_url not in text(client.get(reverse("company_card", args=[company.uid])))
        assert start_url not in text(client.get(reverse("job_description_card", args=[job.uid])))

    def test_no_button_for_institution_members(self, client):
        user = ProfessionalFactory()
        InstitutionFactory(with_member=user)
        login(client, user)
        company = hiring_company()
        assert reverse("apply_start", args=[company.uid]) not in text(
            client.get(reverse("company_card", args=[company.uid]))
        )

    def test_no_button_for_staff(self, client):
        login(client, StaffFactory())
        company = hiring_company()
        assert reverse("apply_start", args=[company.uid]) not in text(
            client.get(reverse("company_card", args=[company.uid]))
        )

    def test_a_job_seeker_and_a_prescriber_see_the_button(self, client):
        company = hiring_company()
        prescriber = ProfessionalFactory()
        PrescriberOrganizationFactory(with_member=prescriber)
        for user in (complete_job_seeker(), prescriber):
            login(client, user)
            assert reverse("apply_start", args=[company.uid]) in text(
                client.get(reverse("company_card", args=[company.uid]))
            )
