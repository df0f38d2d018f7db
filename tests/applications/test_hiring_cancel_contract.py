"""Cancelling a hiring (pass_iae.md §10); editing the contract dates later (applications.md §8.3, pass_iae.md §5)."""

import datetime
import html

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from inclusion.applications.enums import JobApplicationState, Origin
from inclusion.approvals.models import Approval, CancelledApproval
from inclusion.utils.french import de
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory
from tests.approvals.factories_approvals_core import noon
from tests.companies.factories import CompanyFactory
from tests.users.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db

State = JobApplicationState
TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen_today(time_machine, settings):
    time_machine.move_to(noon(TODAY), tick=False)
    settings.PASS_IAE_NUMBER_PREFIX = "99999"


def hired(client, *, state=State.ACCEPTED, hiring_start_at=TODAY + 10 * DAY, approval=None, **fields):
    """An application of an ACI whose employer is logged in; accepted with a PASS by default."""
    employer = ProfessionalFactory()
    company = CompanyFactory(kind="ACI", with_member=employer)
    if approval is None and state == State.ACCEPTED:
        approval = ApprovalFactory(start_at=hiring_start_at)
    job_seeker = approval.user if approval is not None else None
    application = JobApplicationFactory(
        to_company=company,
        state=state,
        hiring_start_at=hiring_start_at,
        approval=approval if state == State.ACCEPTED else None,
        **({"job_seeker": job_seeker} if job_seeker else {}),
        **fields,
    )
    client.force_login(employer)
    return application


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def text(response):
    return html.unescape(response.content.decode())


def cancel_url(application):
    return reverse("application_cancel", args=[application.pk])


def edit_url(application):
    return reverse("application_contract_edit", args=[application.pk])


class TestCancel:
    def test_the_pass_of_its_only_hiring_is_deleted(self, client):
        application = hired(client)
        number = application.approval.number_with_spaces

        page = client.get(cancel_url(application))
        assert page.status_code == 200
        assert f"Le PASS IAE n° {number} sera supprimé" in page.content.decode()

        response = client.post(cancel_url(application))

        assert response.status_code == 302
        application.refresh_from_db()
        assert (application.state, application.approval, application.accepted_at, application.accepted_by) == (
            State.CANCELLED,
            None,
            None,
            None,
        )
        assert not Approval.objects.exists()
        assert CancelledApproval.objects.count() == 1
        assert messages_of(response) == [
            f"L'embauche {de(application.job_seeker.get_full_name())} est annulée. Le PASS IAE n° {number} est "
            "supprimé."
        ]

    def test_a_pass_carried_by_another_hiring_is_kept(self, client):
        application = hired(client)
        JobApplicationFactory(
            job_seeker=application.job_seeker,
            state=State.ACCEPTED,
            approval=application.approval,
            hiring_start_at=TODAY,
        )
        assert "est conservé" in client.get(cancel_url(application)).content.decode()

        client.post(cancel_url(application))

        application.refresh_from_db()
        assert application.state == State.CANCELLED
        assert Approval.objects.count() == 1

    def test_refused_for_the_ai_stock_with_its_message(self, client):
        application = hired(client, origin=Origin.AI_STOCK)
        message = "provient de l'import du stock des associations intermédiaires"
        assert message in text(client.get(cancel_url(application)))

        response = client.post(cancel_url(application))

        assert response.status_code == 400
        assert message in text(response)
        application.refresh_from_db()
        assert application.state == State.ACCEPTED

    def test_only_an_accepted_application(self, client):
        application = hired(client, state=State.PROCESSING)
        response = client.post(cancel_url(application))
        assert "Impossible d'annuler l'embauche d'une candidature à l'état « À l'étude »." in text(response)
        application.refresh_from_db()
        assert application.state == State.PROCESSING

    def test_posted_twice_cancels_once(self, client):
        application = hired(client)
        client.post(cancel_url(application))
        response = client.post(cancel_url(application))
        assert response.status_code == 302
        assert messages_of(response)[-1] == "Cette embauche est déjà annulée."
        assert application.logs.filter(transition="cancel").count() == 1


class TestContractEdit:
    @pytest.mark.parametrize("state", [s for s in State.values if s != State.ACCEPTED])
    def test_forbidden_unless_accepted(self, client, state):
        application = hired(client, state=state)
        assert client.get(edit_url(application)).status_code == 403
        assert client.post(edit_url(application), {"hiring_start_at": TODAY.isoformat()}).status_code == 403

    @pytest.mark.parametrize(
        "start,accepted",
        [(TODAY - DAY, False), (TODAY, True), (TODAY + 30 * DAY, True), (TODAY + 31 * DAY, False)],
    )
    def test_start_between_today_and_30_days(self, client, start, accepted):
        application = hired(client)
        response = client.post(edit_url(application), {"hiring_start_at": start.isoformat()})
        application.refresh_from_db()
        if accepted:
            assert response.status_code == 302
            assert application.hiring_start_at == start
        else:
            assert response.status_code == 400
            assert response.context["form"].errors["hiring_start_at"] == [
                "La date de début du contrat doit être comprise entre le 10/03/2026 et le 09/04/2026."
            ]
            assert application.hiring_start_at == TODAY + 10 * DAY

    @pytest.mark.parametrize("days,accepted", [(-1, False), (0, True)])
    def test_end_not_before_start(self, client, days, accepted):
        application = hired(client)
        start = TODAY + 5 * DAY
        data = {"hiring_start_at": start.isoformat(), "hiring_end_at": (start + days * DAY).isoformat()}
        response = client.post(edit_url(application), data)
        assert (response.status_code == 302) == accepted

    def test_a_pass_not_started_follows_the_new_start(self, client):
        application = hired(client)
        new_start = TODAY + 20 * DAY

        response = client.post(edit_url(application), {"hiring_start_at": new_start.isoformat()})

        approval = Approval.objects.get()
        assert (approval.start_at, approval.end_at) == (new_start, new_start + 729 * DAY)
        assert f"PASS IAE n° {approval.number_with_spaces} : du 30/03/2026 au 28/03/2028." in messages_of(response)[0]

    @pytest.mark.parametrize("days_before_pass_end,accepted", [(1, True), (0, False)])
    def test_strictly_before_the_end_of_a_started_pass(self, client, days_before_pass_end, accepted):
        pass_end = TODAY + 10 * DAY
        approval = ApprovalFactory(start_at=pass_end - 729 * DAY, end_at=pass_end)
        application = hired(client, approval=approval, hiring_start_at=TODAY + 2 * DAY)

        start = pass_end - days_before_pass_end * DAY
        response = client.post(edit_url(application), {"hiring_start_at": start.isoformat()})

        assert (response.status_code == 302) == accepted
        approval.refresh_from_db()
        assert approval.end_at == pass_end  # a started PASS never moves

    def test_a_started_contract_is_no_longer_edited(self, client):
        application = hired(client, hiring_start_at=TODAY)
        page = client.get(edit_url(application))
        assert page.status_code == 200
        assert page.context["form"] is None
        assert "Le contrat a commencé le 10/03/2026" in page.content.decode()
        client.post(edit_url(application), {"hiring_start_at": (TODAY + DAY).isoformat()})
        application.refresh_from_db()
        assert application.hiring_start_at == TODAY
