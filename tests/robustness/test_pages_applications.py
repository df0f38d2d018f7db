"""The application forms under random input (issue 6 §5): the message step of the application wizard, the batch
actions and the refusal wizard, the contract step of the accept wizard (dates, job, GEIQ hours), and the later edit
of the contract dates. Each page is requested as the persona it is for."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from inclusion.applications.enums import JobApplicationState
from inclusion.companies.enums import CompanyKind
from tests.applications.factories import JobApplicationFactory, pdf_upload
from tests.applications.test_apply_tunnels import complete_job_seeker, hiring_company
from tests.applications.test_hiring_accept import open_wizard, received
from tests.applications.test_process_refusal import from_prescriber
from tests.approvals.factories_approvals_core import noon
from tests.companies.factories import CompanyFactory, JobDescriptionFactory
from tests.geo.factories import CommuneFactory
from tests.robustness.fuzz import assert_answered_in_french, form_data, posted
from tests.robustness.helpers import examples, rolled_back
from tests.robustness.strategies import nasty_text, posted_dates
from tests.users.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def frozen_today(time_machine, settings):
    time_machine.move_to(noon(TODAY), tick=False)
    settings.PASS_IAE_NUMBER_PREFIX = "99999"


def near_today():
    """Dates as the contract fields receive them, around today's bounds (today, +6 months, +30 days)."""
    days = st.one_of(st.sampled_from([-1, 0, 1, 29, 30, 31, 183, 184, 185]), st.integers(-400, 400))
    as_dates = days.map(lambda n: TODAY + datetime.timedelta(days=n))
    return st.one_of(as_dates.map(datetime.date.isoformat), as_dates.map(lambda day: f"{day:%d/%m/%Y}"), posted_dates)


# --- Application wizard: the message step (applications.md §13.7)

files = st.one_of(
    st.just("PDF"),
    st.builds(
        lambda name, content: SimpleUploadedFile(name, content, content_type="application/pdf"),
        st.sampled_from(["cv.pdf", "cv.PDF", "cv.exe", "cv", "a" * 200 + ".pdf"]),
        st.binary(max_size=300),
    ),
)


@pytest.fixture
def message_step(client):
    """An employer orients a person towards another company (the prescription tunnel): the message step, with the
    advisor choice of proxies."""
    from tests.applications.test_apply_steps import to_message_step

    employer = ProfessionalFactory()
    CompanyFactory(with_member=employer)
    url, _response = to_message_step(client, employer, hiring_company(), complete_job_seeker())
    return url, employer


@examples(12)
@given(
    data=form_data(
        {"message": st.just("Je recommande cette personne."), "advisor": st.sampled_from(["me", "non-reference", "0"])}
    ),
    resume=st.one_of(st.none(), files),
)
@example(data={"message": "\x00", "advisor": ["me", "me"]}, resume=None)
def test_application_message_step(client, message_step, data, resume):
    url, employer = message_step
    if posted(data, "advisor") == "me":
        data["advisor"] = str(employer.pk)
    if resume is not None:
        data["resume"] = pdf_upload() if resume == "PDF" else resume
    with rolled_back():
        response = client.post(url, data)
    assert_answered_in_french(response, form_posted=True)


# --- Batch actions and the refusal wizard (applications.md §7, §14)


@pytest.fixture
def received_applications(client):
    employer = ProfessionalFactory()
    company = CompanyFactory(kind=CompanyKind.ACI, with_member=employer)
    applications = [
        from_prescriber(company, state=JobApplicationState.PROCESSING),
        JobApplicationFactory(to_company=company, state=JobApplicationState.NEW),
    ]
    client.force_login(employer)
    return applications


ids = st.one_of(st.uuids().map(str), nasty_text, st.just("APP"), st.just("OTHER_COMPANY"))


@examples(15)
@given(
    data=form_data(
        {
            "action": st.sampled_from(["refuse", "postpone", "add_to_pool", "process", "archive", "transfer", "x"]),
            "application_ids": st.lists(ids, max_size=3),
            "next": st.sampled_from(["/entreprise/candidatures/", "https://ailleurs.example/", ""]),
        }
    )
)
def test_batch_actions(client, received_applications, data):
    with rolled_back():
        other = JobApplicationFactory(state=JobApplicationState.NEW)  # another company's
        values = data.get("application_ids")
        if isinstance(values, list):
            names = {"APP": str(received_applications[0].pk), "OTHER_COMPANY": str(other.pk)}
            data["application_ids"] = [
                names.get(value, value) if isinstance(value, str) else value for value in values
            ]
        response = client.post(reverse("applications_batch"), data)
        assert_answered_in_french(response)
        if response.status_code == 302:
            assert "ailleurs.example" not in response["Location"]
            assert_answered_in_french(client.get(response["Location"]))
        # Another company's application is never touched.
        other.refresh_from_db()
        assert other.state == JobApplicationState.NEW


REFUSAL_STEPS = {
    "motif": {"reason": st.sampled_from(["not_mobile", "other", "auto", "non_eligible", ""]), "shared": st.just("on")},
    "message": {"answer": st.just("Nous ne pouvons pas donner suite."), "back": st.just("1")},
    "prescripteur": {"answer_to_prescriber": st.just("Merci pour votre orientation."), "back": st.just("1")},
}
VALID_REFUSAL = {"motif": {"reason": "not_mobile"}, "message": {"answer": "Message au candidat."}}


@examples(15)
@given(step=st.sampled_from(list(REFUSAL_STEPS)), data=st.data())
def test_refusal_wizard(client, received_applications, step, data):
    posted_data = data.draw(form_data(REFUSAL_STEPS[step]), label="posted")
    with rolled_back():
        start = client.post(
            reverse("applications_batch"),
            {"action": "refuse", "application_ids": [str(application.pk) for application in received_applications]},
        )
        wizard = start["Location"].rsplit("/", 2)[0]
        for previous in list(REFUSAL_STEPS)[: list(REFUSAL_STEPS).index(step)]:
            assert client.post(f"{wizard}/{previous}/", VALID_REFUSAL[previous]).status_code == 302
        response = client.post(f"{wizard}/{step}/", posted_data)
        assert_answered_in_french(response, form_posted="back" not in posted_data)
        if response.status_code == 302:
            assert_answered_in_french(client.get(response["Location"]))


# --- Accept wizard: the contract step (applications.md §8.1, §8.2)


@pytest.fixture(params=[CompanyKind.ACI, CompanyKind.GEIQ])
def accept_wizard(request, client):
    CommuneFactory()  # Lyon, the location of a new job
    application = received(request.param)
    JobDescriptionFactory(company=application.to_company)
    return open_wizard(client, application), application


contract_fields = {
    "action": st.sampled_from(["contract", "geiq_continue", "confirm", "other"]),
    "hiring_start_at": near_today(),
    "hiring_end_at": st.one_of(st.just(""), near_today()),
    "hired_job": st.sampled_from(["", "nouveau", "JOB", "00000000-0000-0000-0000-000000000000"]),
    "new_job_appellation": st.sampled_from(["Agent / Agente de propreté de locaux (K2204)", "Maçon", ""]),
    "new_job_appellation_code": st.sampled_from(["10571", "", "99999"]),
    "new_job_location": st.sampled_from(["Lyon (69)", "Lyon", ""]),
    "new_job_location_slug": st.sampled_from(["lyon-69", ""]),
    "geiq_contract_type": st.sampled_from(["APPRENTICESHIP", "PROFESSIONAL_TRAINING", "OTHER", "CDI"]),
    "geiq_contract_type_details": st.just("Contrat aidé"),
    "geiq_hours_per_week": st.sampled_from(["0", "1", "35", "48", "49"]),
    "geiq_qualification_type": st.sampled_from(["STATE_DIPLOMA", "CQP", "CCN"]),
    "geiq_qualification_level": st.sampled_from(["LEVEL_3", "LEVEL_4", "NOT_RELEVANT"]),
    "geiq_planned_training_hours": st.sampled_from(["0", "150", str(2**31 - 1), str(2**31), "-1"]),
    "geiq_inverted_vae_contract": st.sampled_from(["on", ""]),
    "advisor": st.sampled_from(["me", "non-reference", "0"]),
    "answer": st.just("Bienvenue !"),
}


@examples(10)
@given(
    data=form_data(
        contract_fields,
        numbers=("geiq_hours_per_week", "geiq_planned_training_hours", "advisor", "new_job_appellation_code"),
    )
)
@example(
    data={
        "action": "contract",
        "hiring_start_at": "2026-03-15",
        "hired_job": "nouveau",
        "advisor": "me",
        "new_job_appellation_code": "\x00",
        "new_job_appellation": "\x00",
        "new_job_location": "Lyon",
    }
)
def test_accept_contract_step_then_confirmation(client, accept_wizard, data):
    wizard_url, application = accept_wizard
    if posted(data, "advisor") == "me":
        data["advisor"] = str(application.employer.pk)
    if posted(data, "hired_job") == "JOB":
        data["hired_job"] = str(application.to_company.job_descriptions.get().uid)
    with rolled_back():
        response = client.post(wizard_url, data)
        assert_answered_in_french(response, form_posted=posted(data, "action") == "contract")
        # Whatever was kept, the next page (eligibility or confirmation) answers, and so does a confirmation.
        assert_answered_in_french(client.get(wizard_url))
        assert_answered_in_french(client.post(wizard_url, {"action": "confirm"}))


# --- Later edit of the contract dates (applications.md §8.3)


@pytest.fixture
def accepted_contract(client):
    application = received(
        "ACI",
        state=JobApplicationState.ACCEPTED,
        hiring_start_at=TODAY + datetime.timedelta(days=10),
        accepted_at=noon(TODAY),
    )
    client.force_login(application.employer)
    return reverse("application_contract_edit", args=[application.pk])


@examples(12)
@given(data=form_data({"hiring_start_at": near_today(), "hiring_end_at": st.one_of(st.just(""), near_today())}))
def test_contract_dates_edit(client, accepted_contract, data):
    with rolled_back():
        response = client.post(accepted_contract, data)
    assert_answered_in_french(response, form_posted=True)
