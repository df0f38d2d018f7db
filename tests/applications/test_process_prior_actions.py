"""GEIQ prior actions (applications.md §9): the pages, and the state rules of `prior_actions.py`."""

import datetime
import html

import pytest
from django.urls import reverse

from inclusion.applications import prior_actions, transitions
from inclusion.applications.enums import PROCESSED_STATES, JobApplicationState, JobApplicationTransition
from inclusion.applications.models import PriorAction
from inclusion.companies.enums import CompanyKind
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory

NOW = datetime.datetime(2026, 3, 10, 11, tzinfo=datetime.UTC)
State = JobApplicationState
Transition = JobApplicationTransition
MONDAY = datetime.date(2026, 3, 16)


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def geiq(db):
    return CompanyFactory(kind=CompanyKind.GEIQ, name="GEIQ BTP", with_member=True)


@pytest.fixture
def employer(geiq):
    return geiq.memberships.get().user


def application_in(state, company):
    processed_at = NOW - datetime.timedelta(days=1) if state in PROCESSED_STATES else None
    return JobApplicationFactory(state=state, processed_at=processed_at, to_company=company)


def add_url(job_application):
    return reverse("prior_action_add", args=[job_application.pk])


def form_data(start=MONDAY, end=MONDAY, kind="POE"):
    return {"kind": kind, "start_at": start.isoformat(), "end_at": end.isoformat()}


def text(response):
    return " ".join(html.unescape(response.content.decode()).split())


def transitions_of(job_application):
    return list(job_application.logs.values_list("transition", flat=True))


def action(job_application, start=MONDAY, end=MONDAY):
    return PriorAction.objects.create(job_application=job_application, kind="PMSMP", start_at=start, end_at=end)


class TestDates:
    """applications.md §9: an inclusive range, end ≥ start."""

    def test_end_on_the_start_day(self, employer_client, geiq):
        job_application = application_in(State.PROCESSING, geiq)
        response = employer_client.post(add_url(job_application), form_data(MONDAY, MONDAY))
        assert response.status_code == 302
        assert PriorAction.objects.get().end_at == MONDAY

    def test_end_the_day_after(self, employer_client, geiq):
        job_application = application_in(State.PROCESSING, geiq)
        employer_client.post(add_url(job_application), form_data(MONDAY, MONDAY + datetime.timedelta(days=1)))
        assert PriorAction.objects.count() == 1

    def test_end_the_day_before_is_refused_and_the_input_kept(self, employer_client, geiq):
        job_application = application_in(State.PROCESSING, geiq)
        response = employer_client.post(add_url(job_application), form_data(MONDAY, MONDAY - datetime.timedelta(1)))
        assert response.status_code == 200
        page = text(response)
        assert "La date de fin ne peut pas être antérieure à la date de début." in page
        assert 'value="2026-03-15"' in page
        assert not PriorAction.objects.exists()
        assert job_application.logs.count() == 0

    def test_the_rule_refuses_it_too(self, geiq, employer):
        job_application = application_in(State.PROCESSING, geiq)
        with pytest.raises(prior_actions.PriorActionError):
            prior_actions.prior_action_add(
                job_application=job_application,
                user=employer,
                kind="POE",
                start_at=MONDAY,
                end_at=MONDAY - datetime.timedelta(days=1),
            )
        assert not PriorAction.objects.exists()

    def test_a_missing_date_and_an_unknown_kind(self, employer_client, geiq):
        job_application = application_in(State.NEW, geiq)
        response = employer_client.post(add_url(job_application), {"kind": "PIZZA", "start_at": "", "end_at": "x"})
        page = text(response)
        assert "Choisissez un type proposé." in page
        assert "Indiquez une date." in page
        assert "Saisissez une date valide, par exemple 15/03/2026." in page


class TestStateRules:
    def test_the_first_action_moves_to_prior_to_hire_the_second_does_not(self, employer_client, geiq, employer):
        job_application = application_in(State.PROCESSING, geiq)
        employer_client.post(add_url(job_application), form_data())
        job_application.refresh_from_db()
        assert job_application.state == State.PRIOR_TO_HIRE
        assert transitions_of(job_application) == [Transition.MOVE_TO_PRIOR_TO_HIRE]
        assert job_application.logs.get().user == employer
        employer_client.post(add_url(job_application), form_data(kind="AFPR"))
        assert PriorAction.objects.count() == 2
        assert transitions_of(job_application) == [Transition.MOVE_TO_PRIOR_TO_HIRE]

    def test_deleting_the_last_action_goes_back_to_processing(self, employer_client, geiq, employer):
        job_application = application_in(State.NEW, geiq)
        first = prior_actions.prior_action_add(
            job_application=job_application, user=employer, kind="PMSMP", start_at=MONDAY, end_at=MONDAY
        )
        second = action(job_application)
        employer_client.post(reverse("prior_action_delete", args=[job_application.pk, first.pk]))
        job_application.refresh_from_db()
        assert job_application.state == State.PRIOR_TO_HIRE
        response = employer_client.get(reverse("prior_action_delete", args=[job_application.pk, second.pk]))
        assert "la candidature repassera à l'état « À l'étude »" in text(response)
        employer_client.post(reverse("prior_action_delete", args=[job_application.pk, second.pk]))
        job_application.refresh_from_db()
        assert job_application.state == State.PROCESSING
        assert transitions_of(job_application) == [Transition.MOVE_TO_PRIOR_TO_HIRE, Transition.CANCEL_PRIOR_TO_HIRE]

    def test_deleting_the_last_action_of_a_postponed_application_keeps_its_state(
        self, employer_client, geiq, employer
    ):
        job_application = application_in(State.PRIOR_TO_HIRE, geiq)
        prior_action = action(job_application)
        transitions.postpone(job_application, user=employer, answer="On attend la fin de la PMSMP.")
        employer_client.post(reverse("prior_action_delete", args=[job_application.pk, prior_action.pk]))
        job_application.refresh_from_db()
        assert job_application.state == State.POSTPONED
        assert transitions_of(job_application) == [Transition.POSTPONE]

    def test_the_form_posted_twice_records_the_action_once(self, employer_client, geiq):
        job_application = application_in(State.PROCESSING, geiq)
        first = employer_client.post(add_url(job_application), form_data())

        second = employer_client.post(add_url(job_application), form_data())

        assert first.status_code == second.status_code == 302
        assert PriorAction.objects.filter(job_application=job_application).count() == 1
        assert transitions_of(job_application) == [Transition.MOVE_TO_PRIOR_TO_HIRE]
        # Another kind, or other dates, is another action.
        employer_client.post(add_url(job_application), form_data(kind="AFPR"))
        employer_client.post(add_url(job_application), form_data(end=MONDAY + datetime.timedelta(days=1)))
        assert PriorAction.objects.filter(job_application=job_application).count() == 3

    def test_the_deletion_posted_twice_deletes_once_and_says_so(self, employer_client, geiq, employer):
        job_application = application_in(State.PRIOR_TO_HIRE, geiq)
        prior_action = action(job_application)
        delete_url = reverse("prior_action_delete", args=[job_application.pk, prior_action.pk])
        employer_client.post(delete_url)

        response = employer_client.post(delete_url, follow=True)

        assert response.status_code == 200
        assert response.resolver_match.url_name == "application_detail_company"
        assert "Cette action préalable à l'embauche est déjà supprimée." in text(response)
        assert transitions_of(job_application) == [Transition.CANCEL_PRIOR_TO_HIRE]

    def test_editing_changes_no_state(self, employer_client, geiq):
        job_application = application_in(State.PRIOR_TO_HIRE, geiq)
        prior_action = action(job_application)
        edit_url = reverse("prior_action_edit", args=[job_application.pk, prior_action.pk])
        assert employer_client.get(edit_url).context["form"].initial["kind"] == "PMSMP"
        employer_client.post(edit_url, form_data(MONDAY, MONDAY + datetime.timedelta(days=4), kind="MRS"))
        prior_action.refresh_from_db()
        assert (prior_action.kind, prior_action.end_at) == ("MRS", datetime.date(2026, 3, 20))
        assert not job_application.logs.exists()

    @pytest.mark.parametrize("url_name", ["prior_action_add", "prior_action_edit", "prior_action_delete"])
    def test_never_once_accepted(self, employer_client, geiq, url_name):
        job_application = application_in(State.ACCEPTED, geiq)
        prior_action = action(job_application)
        args = [job_application.pk] if url_name == "prior_action_add" else [job_application.pk, prior_action.pk]
        response = employer_client.post(reverse(url_name, args=args), form_data(), follow=True)
        assert (
            "Impossible de modifier les actions préalables à l'embauche d'une candidature à l'état « Acceptée »."
            in text(response)
        )
        assert PriorAction.objects.get() == prior_action
        prior_action.refresh_from_db()
        assert prior_action.kind == "PMSMP"


class TestGEIQOnly:
    def test_the_pages_are_refused_to_other_companies(self, client, db):
        aci = CompanyFactory(kind=CompanyKind.ACI, with_member=True)
        client.force_login(aci.memberships.get().user)
        job_application = application_in(State.NEW, aci)
        assert client.get(add_url(job_application)).status_code == 403
        assert "Actions préalables à l'embauche" not in text(
            client.get(reverse("application_detail_company", args=[job_application.pk]))
        )

    def test_the_rule_refuses_other_companies(self, db):
        job_application = application_in(State.NEW, CompanyFactory(kind=CompanyKind.EI))
        assert prior_actions.prior_actions_refusal_reason(job_application) == prior_actions.NOT_A_GEIQ

    def test_the_detail_page_lists_the_actions(self, employer_client, geiq):
        job_application = application_in(State.PRIOR_TO_HIRE, geiq)
        prior_action = action(job_application, MONDAY, MONDAY + datetime.timedelta(days=4))
        page = text(employer_client.get(reverse("application_detail_company", args=[job_application.pk])))
        assert "Période de mise en situation en milieu professionnel (PMSMP)" in page
        assert "Du 16/03/2026 au 20/03/2026" in page
        assert reverse("prior_action_edit", args=[job_application.pk, prior_action.pk]) in page
        assert add_url(job_application) in page

    def test_an_action_of_another_application_is_a_404(self, employer_client, geiq):
        job_application = application_in(State.PRIOR_TO_HIRE, geiq)
        other = action(application_in(State.PRIOR_TO_HIRE, geiq))
        assert (
            employer_client.get(reverse("prior_action_edit", args=[job_application.pk, other.pk])).status_code == 404
        )
