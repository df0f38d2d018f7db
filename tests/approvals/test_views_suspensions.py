"""The suspension screens of the last hiring SIAE: create, edit, end early, delete (pass_iae.md §13)."""

import datetime
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from inclusion.approvals import suspensions
from inclusion.approvals.enums import SuspensionReason
from inclusion.approvals.models import Suspension
from inclusion.companies.enums import CompanyKind
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.approvals.factories_suspensions_prolongations import hire
from tests.approvals.screens import employer_of, errors_of, messages_of, text_of
from tests.companies.factories import CompanyFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)
# pass_iae.md §13.2: a suspension starting today may end at the latest on today + 36 months − 1 day.
MAX_END_FROM_TODAY = datetime.date(2029, 3, 9)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel("2026-03-10 12:00 +01:00", tick=False):
        yield


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture
def approval(company):
    """A PASS that started 100 days ago, hired by `company` on its first day: the retroactivity floor is its start."""
    approval = ApprovalFactory(
        user=JobSeekerFactory(first_name="Camille", last_name="Martin"), start_at=TODAY - 100 * DAY
    )
    hire(approval, company, accepted_at=at(TODAY - 100 * DAY))
    return approval


def create_url(approval):
    return reverse("suspension_create", args=[approval.public_id])


def suspension_data(start=TODAY, end=TODAY + 30 * DAY, reason=SuspensionReason.CONTRACT_SUSPENDED, **extra):
    data = {"start_at": start.isoformat() if start else "", "end_at": end.isoformat() if end else "", "reason": reason}
    return {**data, **extra}


def ongoing_suspension(approval, company, *, start=None, end=None):
    """A suspension made through the rules (the PASS end moves), in progress today."""
    return suspensions.suspension_create(
        approval=approval,
        siae=company,
        start_at=start or TODAY - 5 * DAY,
        end_at=end or TODAY + 30 * DAY,
        reason=SuspensionReason.CONTRACT_SUSPENDED,
        by_user=None,
    )


def assert_nothing_saved(approval, end_at):
    approval.refresh_from_db()
    assert approval.end_at == end_at
    assert not Suspension.objects.filter(approval=approval).exists()


# Create -------------------------------------------------------------------------------------------------------------


def test_create_page_names_the_allowed_start_range(employer_client, approval):
    response = employer_client.get(create_url(approval))
    assert response.status_code == 200
    content = text_of(response)
    # pass_iae.md §13.2: from the hiring start (the PASS start here) to today.
    assert "Entre le 30/11/2025 et le 10/03/2026" in content
    assert 'type="date"' in content
    assert "Date de fin inconnue" in content
    # Contrat passerelle is offered to an ACI (§13.1), legacy reasons never.
    assert "Bascule dans l'expérimentation contrat passerelle" in content
    assert "Congé de maternité" not in content


def test_create_moves_the_pass_end_and_redirects_to_the_pass(employer_client, approval):
    end_before = approval.end_at
    response = employer_client.post(create_url(approval), suspension_data(end=TODAY + 30 * DAY))
    assert response.status_code == 302
    assert response["Location"] == reverse("approval_detail", args=[approval.public_id])
    suspension = Suspension.objects.get(approval=approval)
    assert (suspension.start_at, suspension.end_at) == (TODAY, TODAY + 30 * DAY)
    approval.refresh_from_db()
    # pass_iae.md §13.4: the PASS end moves by end − start.
    assert approval.end_at == end_before + 30 * DAY
    assert messages_of(response) == [
        f"La suspension du 10/03/2026 au 09/04/2026 est enregistrée. Le PASS IAE prend désormais fin le "
        f"{approval.end_at:%d/%m/%Y}."
    ]


def test_one_day_suspension_does_not_move_the_pass_end(employer_client, approval):
    end_before = approval.end_at
    response = employer_client.post(create_url(approval), suspension_data(start=TODAY, end=TODAY))
    assert response.status_code == 302
    suspension = Suspension.objects.get(approval=approval)
    assert suspension.start_at == suspension.end_at == TODAY
    approval.refresh_from_db()
    assert approval.end_at == end_before  # §13.4: the delta is end − start = 0


def test_unknown_end_date_sets_the_36_month_maximum(employer_client, approval):
    end_before = approval.end_at
    response = employer_client.post(create_url(approval), suspension_data(end=None, end_unknown="on"))
    assert response.status_code == 302
    suspension = Suspension.objects.get(approval=approval)
    assert suspension.end_at == MAX_END_FROM_TODAY
    approval.refresh_from_db()
    assert approval.end_at == end_before + (MAX_END_FROM_TODAY - TODAY)


def test_unknown_end_date_wins_over_a_typed_end(employer_client, approval):
    response = employer_client.post(create_url(approval), suspension_data(end=TODAY + 3 * DAY, end_unknown="on"))
    assert response.status_code == 302
    assert Suspension.objects.get(approval=approval).end_at == MAX_END_FROM_TODAY


@pytest.mark.parametrize(
    "start,allowed",
    [
        (TODAY - 101 * DAY, False),  # the day before the PASS start and hiring start
        (TODAY - 100 * DAY, True),
        (TODAY - 99 * DAY, True),
        (TODAY, True),
        (TODAY + DAY, False),  # never in the future
    ],
)
def test_start_boundaries(employer_client, approval, start, allowed):
    end_before = approval.end_at
    response = employer_client.post(create_url(approval), suspension_data(start=start, end=start + 10 * DAY))
    if allowed:
        assert response.status_code == 302
        assert Suspension.objects.filter(approval=approval, start_at=start).exists()
    else:
        assert response.status_code == 200
        [error] = errors_of(response, "start_at")
        assert "choisissez une date entre le 30/11/2025 et le 10/03/2026" in error
        assert_nothing_saved(approval, end_before)


def test_start_in_the_future_is_explained(employer_client, approval):
    response = employer_client.post(create_url(approval), suspension_data(start=TODAY + DAY, end=TODAY + 9 * DAY))
    [error] = errors_of(response, "start_at")
    assert error.startswith("La suspension ne peut pas commencer dans le futur")


@pytest.mark.parametrize(
    "end,allowed",
    [
        (TODAY - DAY, False),  # before the start
        (TODAY, True),
        (MAX_END_FROM_TODAY, True),
        (MAX_END_FROM_TODAY + DAY, False),  # beyond 36 months
    ],
)
def test_end_boundaries(employer_client, approval, end, allowed):
    end_before = approval.end_at
    response = employer_client.post(create_url(approval), suspension_data(start=TODAY, end=end))
    if allowed:
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        [error] = errors_of(response, "end_at")
        assert "choisissez une date entre le 10/03/2026 et le 09/03/2029" in error
        # The hint under the field names the range for the typed start too.
        assert "Entre le 10/03/2026 et le 09/03/2029" in text_of(response)
        assert_nothing_saved(approval, end_before)


def test_error_is_linked_to_its_field(employer_client, approval):
    response = employer_client.post(create_url(approval), suspension_data(start=TODAY + DAY))
    content = response.content.decode()
    assert 'aria-invalid="true"' in content
    assert 'aria-describedby="id_start_at-desc-error"' in content
    assert 'id="id_start_at-desc-error"' in content


@pytest.mark.parametrize("typed", ["31/02/2026", "demain", "99999-01-01", "0000-00-00"])
def test_bad_dates_get_a_french_message(employer_client, approval, typed):
    end_before = approval.end_at
    response = employer_client.post(create_url(approval), {**suspension_data(), "start_at": typed, "end_at": typed})
    assert response.status_code == 200
    assert errors_of(response, "start_at") == ["Saisissez une date valide, par exemple 15/03/2026."]
    assert_nothing_saved(approval, end_before)


def test_missing_end_without_unknown_end(employer_client, approval):
    response = employer_client.post(create_url(approval), suspension_data(end=None))
    assert errors_of(response, "end_at") == ["Indiquez la date de fin, ou cochez « Date de fin inconnue »."]
    assert not Suspension.objects.exists()


@pytest.mark.parametrize("reason", [SuspensionReason.SICKNESS, SuspensionReason.CONTRAT_PASSERELLE, "N_IMPORTE_QUOI"])
def test_reason_must_be_selectable_by_this_siae(client, reason):
    company = CompanyFactory(kind=CompanyKind.AI)  # §13.1: no contrat passerelle for an AI
    approval = ApprovalFactory(start_at=TODAY - 10 * DAY, with_hiring=company)
    client.force_login(employer_of(company))
    response = client.post(create_url(approval), suspension_data(reason=reason))
    assert response.status_code == 200
    assert errors_of(response, "reason") == ["Choisissez un des motifs proposés."]
    assert not Suspension.objects.exists()


def test_a_refusal_of_the_rules_is_shown_and_nothing_is_saved(employer_client, approval, company):
    """A future suspension (legacy data) the form cannot know about: the rule refuses the overlap."""
    SuspensionFactory(approval=approval, start_at=TODAY + 10 * DAY, end_at=TODAY + 20 * DAY)
    end_before = approval.end_at
    response = employer_client.post(create_url(approval), suspension_data(end=TODAY + 15 * DAY))
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert "chevauche la suspension du 20/03/2026 au 30/03/2026" in error
    assert error in text_of(response)
    approval.refresh_from_db()
    assert approval.end_at == end_before
    assert Suspension.objects.filter(approval=approval).count() == 1


def test_already_suspended_pass_gets_the_reason(employer_client, approval, company):
    ongoing_suspension(approval, company)
    response = employer_client.get(create_url(approval))
    assert response.status_code == 403
    assert "Le PASS IAE est déjà suspendu." in text_of(response)
    response = employer_client.post(create_url(approval), suspension_data())
    assert response.status_code == 403
    assert Suspension.objects.count() == 1


def test_an_earlier_hiring_siae_may_not_suspend(client, approval, company):
    """pass_iae.md §13.3: only the last hiring SIAE."""
    later = CompanyFactory(kind=CompanyKind.EI)
    hire(approval, later, accepted_at=at(TODAY - 5 * DAY), hiring_start_at=TODAY - 5 * DAY)
    client.force_login(employer_of(company))
    response = client.get(create_url(approval))
    assert response.status_code == 403
    assert "Seule la dernière SIAE ayant embauché le candidat peut suspendre son PASS IAE." in text_of(response)


def test_create_access(client, approval, company):
    url = create_url(approval)
    assert client.get(url)["Location"].startswith(reverse("login"))
    # Another company never sees the PASS: 404.
    client.force_login(employer_of(CompanyFactory()))
    assert client.get(url).status_code == 404
    # The wrong roles: 403, whatever the PASS.
    client.force_login(approval.user)
    assert client.get(url).status_code == 403
    prescriber = ProfessionalFactory()
    PrescriberOrganizationFactory(authorized=True, with_member=prescriber)
    client.force_login(prescriber)
    assert client.get(url).status_code == 403
    # An unknown PASS: 404.
    client.force_login(employer_of(company))
    assert client.get(reverse("suspension_create", args=[uuid.uuid4()])).status_code == 404


# Edit ---------------------------------------------------------------------------------------------------------------


def update_url(suspension):
    return reverse("suspension_update", args=[suspension.public_id])


def test_update_page_is_prefilled(employer_client, approval, company):
    suspension = ongoing_suspension(approval, company)
    response = employer_client.get(update_url(suspension))
    assert response.status_code == 200
    content = text_of(response)
    assert 'value="2026-03-05"' in content and 'value="2026-04-09"' in content
    assert "Suspension en cours du 05/03/2026 au 09/04/2026" in content


def test_update_applies_the_delta_difference(employer_client, approval, company):
    suspension = ongoing_suspension(approval, company)
    approval.refresh_from_db()
    end_before = approval.end_at
    data = suspension_data(start=TODAY - 5 * DAY, end=TODAY + 40 * DAY)
    response = employer_client.post(update_url(suspension), data)
    assert response.status_code == 302
    suspension.refresh_from_db()
    assert suspension.end_at == TODAY + 40 * DAY
    approval.refresh_from_db()
    assert approval.end_at == end_before + 10 * DAY


def test_update_with_invalid_end_saves_nothing(employer_client, approval, company):
    suspension = ongoing_suspension(approval, company)
    approval.refresh_from_db()
    end_before = approval.end_at
    response = employer_client.post(
        update_url(suspension), suspension_data(start=TODAY - 5 * DAY, end=TODAY - 6 * DAY)
    )
    assert response.status_code == 200
    [error] = errors_of(response, "end_at")
    assert "entre le 05/03/2026 et le 04/03/2029" in error
    suspension.refresh_from_db()
    assert suspension.end_at == TODAY + 30 * DAY
    approval.refresh_from_db()
    assert approval.end_at == end_before


def test_finished_suspension_cannot_be_changed(employer_client, approval, company):
    suspension = SuspensionFactory(approval=approval, start_at=TODAY - 20 * DAY, end_at=TODAY - DAY, siae=company)
    for name in ("suspension_update", "suspension_end_early", "suspension_delete"):
        response = employer_client.get(reverse(name, args=[suspension.public_id]))
        assert response.status_code == 403
        assert "Seule une suspension en cours peut être modifiée, terminée ou supprimée." in text_of(response)


@pytest.mark.parametrize("name", ["suspension_update", "suspension_end_early", "suspension_delete"])
def test_suspension_pages_access(client, approval, company, name):
    suspension = ongoing_suspension(approval, company)
    url = reverse(name, args=[suspension.public_id])
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(employer_of(CompanyFactory()))
    assert client.get(url).status_code == 404
    client.force_login(approval.user)
    assert client.get(url).status_code == 403
    client.force_login(employer_of(company))
    assert client.get(url).status_code == 200
    assert client.get(reverse(name, args=[uuid.uuid4()])).status_code == 404


# End early ("réintégration") ----------------------------------------------------------------------------------------


def end_early_url(suspension):
    return reverse("suspension_end_early", args=[suspension.public_id])


def test_end_early_page_names_the_range(employer_client, approval, company):
    suspension = ongoing_suspension(approval, company)
    response = employer_client.get(end_early_url(suspension))
    assert "Entre le 06/03/2026 et le 08/04/2026" in text_of(response)


@pytest.mark.parametrize(
    "first_day_back,allowed",
    [
        (TODAY - 5 * DAY, False),  # the start itself
        (TODAY - 4 * DAY, True),
        (TODAY + 29 * DAY, True),
        (TODAY + 30 * DAY, False),  # the end itself
    ],
)
def test_end_early_boundaries(employer_client, approval, company, first_day_back, allowed):
    suspension = ongoing_suspension(approval, company)
    approval.refresh_from_db()
    end_before = approval.end_at
    response = employer_client.post(end_early_url(suspension), {"first_day_back": first_day_back.isoformat()})
    suspension.refresh_from_db()
    approval.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        # pass_iae.md §13.5: the new end is the day before the first day back.
        assert suspension.end_at == first_day_back - DAY
        assert approval.end_at == end_before - (TODAY + 30 * DAY - suspension.end_at)
    else:
        assert response.status_code == 200
        [error] = errors_of(response, "first_day_back")
        assert "choisissez une date entre le 06/03/2026 et le 08/04/2026" in error
        assert suspension.end_at == TODAY + 30 * DAY
        assert approval.end_at == end_before


# Delete -------------------------------------------------------------------------------------------------------------


def delete_url(suspension):
    return reverse("suspension_delete", args=[suspension.public_id])


def test_delete_confirmation_shows_the_days_lost(employer_client, approval, company):
    suspension = ongoing_suspension(approval, company, start=TODAY - 5 * DAY)
    response = employer_client.get(delete_url(suspension))
    assert response.status_code == 200
    # pass_iae.md §13.5: today − start + 1.
    assert "6 jours de suspension perdus" in text_of(response)
    assert Suspension.objects.filter(pk=suspension.pk).exists()


def test_delete_removes_the_delta(employer_client, approval, company):
    end_before = approval.end_at
    suspension = ongoing_suspension(approval, company, start=TODAY, end=TODAY + 30 * DAY)
    response = employer_client.post(delete_url(suspension))
    assert response.status_code == 302
    assert not Suspension.objects.filter(pk=suspension.pk).exists()
    approval.refresh_from_db()
    assert approval.end_at == end_before
    assert messages_of(response)[0].startswith("La suspension est supprimée (1 jour de suspension perdu).")


def test_a_one_day_suspension_cannot_end_early(employer_client, approval, company):
    """pass_iae.md §13.5: no day lies strictly between its start and its end; deleting it stays possible."""
    suspension = ongoing_suspension(approval, company, start=TODAY, end=TODAY + DAY)
    response = employer_client.get(end_early_url(suspension))
    assert response.status_code == 403
    assert "Cette suspension est trop courte" in text_of(response)
    response = employer_client.get(delete_url(suspension))
    assert response.status_code == 200
    assert end_early_url(suspension) not in text_of(response)


def test_a_refusal_without_a_rule_reason_still_says_why(employer_client, approval, monkeypatch):
    """When the rules have nothing to object (the refusal comes from who is acting), the 403 page is never empty."""
    monkeypatch.setattr("inclusion.approvals.views_suspensions.perms.can_suspend", lambda *args: False)
    response = employer_client.get(create_url(approval))
    assert response.status_code == 403
    assert "Votre structure ne vous permet pas d'agir sur ce PASS IAE" in text_of(response)
