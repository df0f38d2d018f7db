"""Suspensions of a PASS IAE (pass_iae.md §13): reasons, dates, who, the PASS end arithmetic, early end, deletion,
automatic end at a hiring. Today is frozen on Tuesday 10 March 2026 (Europe/Paris)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from inclusion.approvals import suspensions
from inclusion.approvals.enums import ApprovalEventKind, FranceTravailNotificationStatus, SuspensionReason
from inclusion.approvals.models import ApprovalEvent, Suspension
from inclusion.companies.enums import CompanyKind
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.approvals.factories_suspensions_prolongations import hire
from tests.approvals.screens import LOADINGS, as_loaded_by
from tests.companies.factories import CompanyFactory
from tests.users.factories import ProfessionalFactory

TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)
PARIS = ZoneInfo("Europe/Paris")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel("2026-03-10 12:00 +01:00", tick=False):
        yield


@pytest.fixture
def employer():
    return ProfessionalFactory()


@pytest.fixture
def company(employer):
    return CompanyFactory(kind=CompanyKind.ACI, with_member=employer)


def pass_hired(company, start_at=datetime.date(2025, 6, 1)):
    """A 730-day PASS hired with by `company` on its first day (1 June 2025 → 31 May 2027 by default)."""
    return ApprovalFactory(start_at=start_at, with_hiring=company)


def create(approval, company, employer, start_at, end_at, reason=SuspensionReason.CONTRACT_SUSPENDED, **kwargs):
    return suspensions.suspension_create(
        approval=approval,
        siae=company,
        start_at=start_at,
        end_at=end_at,
        reason=reason,
        by_user=employer,
        **kwargs,
    )


def message(error_info):
    return " ".join(error_info.value.messages)


class TestMaxEnd:
    @pytest.mark.parametrize(
        "start_at,max_end",
        [
            (datetime.date(2026, 3, 10), datetime.date(2029, 3, 9)),
            # A 31st: 36 months later is a 31st too, the max end is the 30th.
            (datetime.date(2026, 1, 31), datetime.date(2029, 1, 30)),
            # relativedelta clamps 29/02 + 36 months to 28/02, the max end is the 27th.
            (datetime.date(2024, 2, 29), datetime.date(2027, 2, 27)),
        ],
    )
    def test_start_plus_36_months_minus_one_day(self, start_at, max_end):
        assert suspensions.suspension_max_end(start_at) == max_end

    def test_the_max_end_is_accepted_the_day_after_is_refused(self, company, employer):
        approval = pass_hired(company)
        max_end = datetime.date(2029, 3, 9)
        with pytest.raises(ValidationError) as error:
            create(approval, company, employer, TODAY, max_end + DAY)
        assert message(error) == (
            "La date de fin doit être comprise entre le 10/03/2026 et le 09/03/2029 (36 mois au plus)."
        )
        suspension = create(approval, company, employer, TODAY, max_end)
        assert suspension.end_at == max_end

    def test_a_31st_start_with_the_max_end(self, company, employer):
        approval = pass_hired(company, start_at=datetime.date(2025, 1, 2))
        with pytest.raises(ValidationError):
            create(approval, company, employer, datetime.date(2026, 1, 31), datetime.date(2029, 1, 31))
        suspension = create(approval, company, employer, datetime.date(2026, 1, 31), datetime.date(2029, 1, 30))
        assert suspension.end_at == datetime.date(2029, 1, 30)

    def test_end_before_start_is_refused(self, company, employer):
        approval = pass_hired(company)
        with pytest.raises(ValidationError, match="La date de fin doit être comprise entre le 10/03/2026"):
            create(approval, company, employer, TODAY, TODAY - DAY)


class TestStart:
    def test_today_is_allowed_tomorrow_is_refused(self, company, employer):
        approval = pass_hired(company)
        with pytest.raises(ValidationError) as error:
            create(approval, company, employer, TODAY + DAY, TODAY + 10 * DAY)
        assert message(error) == "La date de début doit être comprise entre le 01/06/2025 et le 10/03/2026."
        assert create(approval, company, employer, TODAY, TODAY).start_at == TODAY

    @pytest.mark.parametrize("start_at,allowed", [(TODAY - 366 * DAY, False), (TODAY - 365 * DAY, True)])
    def test_at_most_365_days_back(self, company, employer, start_at, allowed):
        # PASS and hiring older than a year: the floor is today − 365 days = 10/03/2025.
        approval = pass_hired(company, start_at=datetime.date(2024, 12, 1))
        assert suspensions.suspension_min_start(approval) == datetime.date(2025, 3, 10)
        if allowed:
            assert create(approval, company, employer, start_at, start_at + 30 * DAY).start_at == start_at
        else:
            with pytest.raises(ValidationError, match="entre le 10/03/2025 et le 10/03/2026"):
                create(approval, company, employer, start_at, start_at + 30 * DAY)

    @pytest.mark.parametrize(
        "start_at,allowed",
        [(datetime.date(2025, 9, 30), False), (datetime.date(2025, 10, 1), True), (datetime.date(2025, 10, 2), True)],
    )
    def test_not_before_the_last_hiring_start(self, company, employer, start_at, allowed):
        # The PASS started with an earlier hiring elsewhere; this company hired on 01/10/2025.
        approval = ApprovalFactory(start_at=datetime.date(2025, 4, 1), with_hiring=CompanyFactory())
        hire(
            approval,
            company,
            hiring_start_at=datetime.date(2025, 10, 1),
            accepted_at=datetime.datetime(2025, 9, 20, tzinfo=PARIS),
        )
        assert suspensions.suspension_min_start(approval) == datetime.date(2025, 10, 1)
        if allowed:
            assert create(approval, company, employer, start_at, TODAY).start_at == start_at
        else:
            with pytest.raises(ValidationError, match="entre le 01/10/2025 et le 10/03/2026"):
                create(approval, company, employer, start_at, TODAY)

    @pytest.mark.parametrize(
        "start_at,allowed",
        [(datetime.date(2025, 12, 31), False), (datetime.date(2026, 1, 1), True), (datetime.date(2026, 1, 2), True)],
    )
    def test_not_before_the_day_after_the_last_finished_suspension(self, company, employer, start_at, allowed):
        approval = pass_hired(company)
        SuspensionFactory(approval=approval, start_at=datetime.date(2025, 11, 1), end_at=datetime.date(2025, 12, 31))
        assert suspensions.suspension_min_start(approval) == datetime.date(2026, 1, 1)
        if allowed:
            # Inclusive ranges: starting the day after the other one ends is no overlap.
            assert create(approval, company, employer, start_at, TODAY).start_at == start_at
        else:
            with pytest.raises(ValidationError, match="entre le 01/01/2026 et le 10/03/2026"):
                create(approval, company, employer, start_at, TODAY)

    def test_the_365_days_floor_wins_over_an_older_finished_suspension(self, company, employer):
        approval = pass_hired(company, start_at=datetime.date(2024, 6, 1))
        SuspensionFactory(approval=approval, start_at=datetime.date(2024, 7, 1), end_at=datetime.date(2024, 7, 31))
        assert suspensions.suspension_min_start(approval) == datetime.date(2025, 3, 10)

    def test_on_edit_the_365_days_count_from_the_creation_date(self, company, employer):
        approval = pass_hired(company, start_at=datetime.date(2024, 6, 1))
        suspension = SuspensionFactory(
            approval=approval,
            start_at=datetime.date(2025, 12, 1),
            end_at=datetime.date(2026, 6, 30),
            created_at=datetime.datetime(2025, 12, 1, 10, tzinfo=PARIS),
        )
        assert suspensions.suspension_min_start(approval, editing=suspension) == datetime.date(2024, 12, 1)
        with pytest.raises(ValidationError, match="entre le 01/12/2024 et le 10/03/2026"):
            suspensions.suspension_update(
                suspension,
                start_at=datetime.date(2024, 11, 30),
                end_at=suspension.end_at,
                reason=suspension.reason,
                by_user=employer,
            )
        suspensions.suspension_update(
            suspension,
            start_at=datetime.date(2024, 12, 1),
            end_at=suspension.end_at,
            reason=suspension.reason,
            by_user=employer,
        )
        suspension.refresh_from_db()
        assert suspension.start_at == datetime.date(2024, 12, 1)

    def test_not_before_the_pass_start(self, company, employer):
        approval = pass_hired(company, start_at=TODAY - 10 * DAY)
        with pytest.raises(ValidationError, match="entre le 28/02/2026 et le 10/03/2026"):
            create(approval, company, employer, TODAY - 11 * DAY, TODAY)


class TestOverlap:
    def test_overlapping_another_suspension_is_refused_adjacent_is_allowed(self, company, employer):
        approval = pass_hired(company)
        # A later suspension (entered by the support, for example).
        SuspensionFactory(approval=approval, start_at=datetime.date(2026, 4, 1), end_at=datetime.date(2026, 4, 30))
        with pytest.raises(ValidationError) as error:
            create(approval, company, employer, TODAY, datetime.date(2026, 4, 1))
        assert message(error) == (
            "Cette période chevauche la suspension du 01/04/2026 au 30/04/2026. "
            "Les suspensions d'un même PASS IAE ne peuvent pas se chevaucher."
        )
        assert approval.suspensions.count() == 1
        assert create(approval, company, employer, TODAY, datetime.date(2026, 3, 31)).end_at == datetime.date(
            2026, 3, 31
        )

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint exists on PostgreSQL only")
    def test_the_database_refuses_an_overlap(self, company):
        approval = pass_hired(company)
        SuspensionFactory(approval=approval, start_at=TODAY, end_at=TODAY + 10 * DAY)
        with pytest.raises(IntegrityError), transaction.atomic():
            SuspensionFactory(approval=approval, start_at=TODAY + 10 * DAY, end_at=TODAY + 20 * DAY)

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint exists on PostgreSQL only")
    def test_an_overlap_missed_by_the_code_check_gets_a_french_message(self, company, employer, monkeypatch):
        # What a concurrent transaction would do: the overlap appears after the code check.
        approval = pass_hired(company)
        SuspensionFactory(approval=approval, start_at=TODAY + 5 * DAY, end_at=TODAY + 10 * DAY)
        monkeypatch.setattr(suspensions, "_check_no_overlap", lambda *args, **kwargs: None)
        end_before = approval.end_at
        with pytest.raises(ValidationError, match="chevauche une autre suspension"):
            create(approval, company, employer, TODAY, TODAY + 5 * DAY)
        approval.refresh_from_db()
        assert approval.end_at == end_before


class TestArithmetic:
    """pass_iae.md §13.4: the PASS end moves by `end − start`, one day less than the inclusive length."""

    def test_a_one_day_suspension_leaves_the_end_unchanged(self, company, employer):
        approval = pass_hired(company)
        end_before = approval.end_at
        create(approval, company, employer, TODAY, TODAY)
        approval.refresh_from_db()
        assert approval.end_at == end_before

    def test_a_ten_day_suspension_adds_nine_days(self, company, employer):
        approval = pass_hired(company)
        end_before = approval.end_at
        create(approval, company, employer, TODAY, TODAY + 9 * DAY)
        # The caller's copy shows the new end too.
        assert approval.end_at == end_before + 9 * DAY
        approval.refresh_from_db()
        assert approval.end_at == end_before + 9 * DAY

    def test_update_removes_the_old_delta_and_adds_the_new_one(self, company, employer):
        approval = pass_hired(company)
        end_before = approval.end_at
        suspension = create(approval, company, employer, TODAY - 5 * DAY, TODAY + 4 * DAY)
        suspensions.suspension_update(
            suspension,
            start_at=TODAY - 10 * DAY,
            end_at=TODAY + 19 * DAY,
            reason=SuspensionReason.CONTRACT_BROKEN,
            by_user=employer,
        )
        approval.refresh_from_db()
        assert approval.end_at == end_before + 29 * DAY
        suspension.refresh_from_db()
        assert (suspension.start_at, suspension.end_at, suspension.reason) == (
            TODAY - 10 * DAY,
            TODAY + 19 * DAY,
            SuspensionReason.CONTRACT_BROKEN,
        )

    def test_delete_removes_the_delta_and_returns_the_days_lost(self, company, employer):
        approval = pass_hired(company)
        end_before = approval.end_at
        suspension = create(approval, company, employer, TODAY - 5 * DAY, TODAY + 24 * DAY)
        assert suspensions.suspension_delete(suspension, by_user=employer) == 6  # today − start + 1
        approval.refresh_from_db()
        assert approval.end_at == end_before
        assert not approval.suspensions.exists()

    def test_every_change_resets_the_france_travail_status_and_is_logged(self, company, employer):
        approval = pass_hired(company)
        end_before = approval.end_at
        approval.ft_notification_status = FranceTravailNotificationStatus.SUCCESS
        approval.save()
        suspension = create(approval, company, employer, TODAY, TODAY + 9 * DAY)
        approval.refresh_from_db()
        assert approval.ft_notification_status == FranceTravailNotificationStatus.PENDING
        event = ApprovalEvent.objects.get(approval=approval)
        assert (event.kind, event.user) == (ApprovalEventKind.SUSPENSION_CREATED, employer)
        assert event.data["approval_end_at_before"] == end_before.isoformat()
        assert event.data["approval_end_at_after"] == (end_before + 9 * DAY).isoformat()
        for change in (
            lambda: suspensions.suspension_end_early(suspension, first_day_back=TODAY + 2 * DAY, by_user=employer),
            lambda: suspensions.suspension_delete(suspension, by_user=employer),
        ):
            approval.ft_notification_status = FranceTravailNotificationStatus.SUCCESS
            approval.save()
            change()
            approval.refresh_from_db()
            assert approval.ft_notification_status == FranceTravailNotificationStatus.PENDING
        assert list(ApprovalEvent.objects.filter(approval=approval).values_list("kind", flat=True)) == [
            ApprovalEventKind.SUSPENSION_CREATED,
            ApprovalEventKind.SUSPENSION_UPDATED,
            ApprovalEventKind.SUSPENSION_DELETED,
        ]


class TestEarlyEnd:
    @pytest.fixture
    def suspended(self, company, employer):
        approval = pass_hired(company)
        end_before = approval.end_at
        suspension = create(approval, company, employer, datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
        return approval, suspension, end_before

    @pytest.mark.parametrize("first_day_back", [datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)])
    def test_the_first_day_back_must_be_strictly_inside(self, suspended, employer, first_day_back):
        _approval, suspension, _end_before = suspended
        with pytest.raises(ValidationError) as error:
            suspensions.suspension_end_early(suspension, first_day_back=first_day_back, by_user=employer)
        assert message(error) == "La date de réintégration doit être comprise entre le 02/03/2026 et le 30/03/2026."

    @pytest.mark.parametrize(
        "first_day_back,new_end",
        [
            (datetime.date(2026, 3, 2), datetime.date(2026, 3, 1)),
            (datetime.date(2026, 3, 30), datetime.date(2026, 3, 29)),
        ],
    )
    def test_the_suspension_ends_the_day_before(self, suspended, employer, first_day_back, new_end):
        approval, suspension, end_before = suspended
        suspensions.suspension_end_early(suspension, first_day_back=first_day_back, by_user=employer)
        suspension.refresh_from_db()
        approval.refresh_from_db()
        assert suspension.end_at == new_end
        assert approval.end_at == end_before + (new_end - datetime.date(2026, 3, 1))

    @pytest.mark.parametrize(
        "start_at,end_at,possible",
        [
            # A first day back strictly between the start and the end: at least three days.
            (TODAY, TODAY, False),
            (TODAY, TODAY + DAY, False),
            (TODAY, TODAY + 2 * DAY, True),
            (TODAY - 2 * DAY, TODAY, True),
            # Only a suspension in progress.
            (TODAY - 5 * DAY, TODAY - DAY, False),
            (TODAY + DAY, TODAY + 5 * DAY, False),
        ],
    )
    def test_can_end_early(self, start_at, end_at, possible):
        suspension = Suspension(start_at=start_at, end_at=end_at)
        assert suspensions.suspension_can_end_early(suspension) is possible


@pytest.mark.parametrize("started_days_ago,lost", [(0, 1), (1, 2), (30, 31)])
def test_days_lost_by_a_deletion_count_today(started_days_ago, lost):
    # pass_iae.md §13.5: today − start + 1.
    suspension = Suspension(start_at=TODAY - started_days_ago * DAY, end_at=TODAY + 10 * DAY)
    assert suspensions.suspension_days_lost(suspension) == lost
    assert suspensions.suspension_days_lost(suspension, on=TODAY + DAY) == lost + 1


class TestWho:
    def test_the_last_hiring_siae_may_suspend_an_earlier_one_may_not(self, company, employer):
        earlier = CompanyFactory(kind=CompanyKind.EI)
        approval = ApprovalFactory(start_at=datetime.date(2025, 4, 1))
        hire(approval, earlier, accepted_at=datetime.datetime(2025, 3, 25, tzinfo=PARIS))
        hire(
            approval,
            company,
            hiring_start_at=datetime.date(2025, 10, 1),
            accepted_at=datetime.datetime(2025, 9, 25, tzinfo=PARIS),
        )
        assert suspensions.suspension_refusal_reason(approval, siae=company) is None
        assert suspensions.suspension_refusal_reason(approval, siae=earlier) == (
            "Seule la dernière SIAE ayant embauché le candidat peut suspendre son PASS IAE."
        )
        with pytest.raises(ValidationError, match="Seule la dernière SIAE"):
            create(approval, earlier, employer, TODAY, TODAY)

    def test_a_company_without_hiring_may_not(self, company):
        approval = pass_hired(CompanyFactory())
        assert suspensions.suspension_refusal_reason(approval, siae=company) is not None

    def test_a_non_siae_may_not(self):
        geiq = CompanyFactory(kind=CompanyKind.GEIQ)
        approval = ApprovalFactory(start_at=datetime.date(2025, 6, 1), with_hiring=geiq)
        assert (
            suspensions.suspension_refusal_reason(approval, siae=geiq) == "Seule une SIAE peut suspendre un PASS IAE."
        )

    @pytest.mark.parametrize(
        "start_at,end_at,in_progress",
        [
            (TODAY + DAY, TODAY + 730 * DAY, False),  # not started
            (TODAY, TODAY + 729 * DAY, True),  # starts today
            (TODAY - 729 * DAY, TODAY, True),  # ends today
            (TODAY - 730 * DAY, TODAY - DAY, False),  # ended yesterday
        ],
    )
    def test_the_pass_must_be_in_progress(self, company, start_at, end_at, in_progress):
        approval = ApprovalFactory(start_at=start_at, end_at=end_at, with_hiring=company)
        reason = suspensions.suspension_refusal_reason(approval, siae=company)
        if in_progress:
            assert reason is None
        else:
            assert reason == "Le PASS IAE n'est pas en cours : il ne peut pas être suspendu."

    def test_not_already_suspended(self, company, employer):
        approval = pass_hired(company)
        create(approval, company, employer, TODAY - 3 * DAY, TODAY)
        assert suspensions.suspension_refusal_reason(approval, siae=company) == "Le PASS IAE est déjà suspendu."
        # Tomorrow the suspension is over: a new one may start.
        assert suspensions.suspension_refusal_reason(approval, siae=company, on=TODAY + DAY) is None

    @pytest.mark.parametrize("loading", LOADINGS)
    @pytest.mark.parametrize(
        "end_at,suspended",
        [(TODAY - DAY, False), (TODAY, True), (TODAY + DAY, True)],
        ids=["ended yesterday", "ends today", "ends tomorrow"],
    )
    def test_the_suspension_covering_today_whether_prefetched_or_not(self, company, loading, end_at, suspended):
        """The PASS pages read the covering suspension among the prefetched ones; same answer as the database's."""
        approval = pass_hired(company)
        SuspensionFactory(approval=approval, siae=company, start_at=TODAY - 10 * DAY, end_at=end_at)
        reason = suspensions.suspension_refusal_reason(as_loaded_by(loading, approval), siae=company)
        assert (reason == "Le PASS IAE est déjà suspendu.") is suspended

    @pytest.mark.parametrize(
        "start_at,end_at,editable",
        [
            (TODAY - 10 * DAY, TODAY - DAY, False),  # finished yesterday
            (TODAY - 10 * DAY, TODAY, True),  # ends today
            (TODAY, TODAY + 10 * DAY, True),  # starts today
            (TODAY + DAY, TODAY + 10 * DAY, False),  # starts tomorrow
        ],
    )
    def test_only_a_suspension_in_progress_is_edited(self, company, employer, start_at, end_at, editable):
        approval = pass_hired(company)
        suspension = SuspensionFactory(approval=approval, start_at=start_at, end_at=end_at)
        reason = suspensions.suspension_edit_refusal_reason(suspension, siae=company)
        if editable:
            assert reason is None
        else:
            assert reason == "Seule une suspension en cours peut être modifiée, terminée ou supprimée."
            with pytest.raises(ValidationError, match="Seule une suspension en cours"):
                suspensions.suspension_delete(suspension, by_user=employer)

    def test_an_earlier_siae_may_not_edit(self, company, employer):
        approval = pass_hired(CompanyFactory(), start_at=datetime.date(2025, 4, 1))
        hire(approval, company, hiring_start_at=datetime.date(2025, 10, 1))
        suspension = SuspensionFactory(approval=approval, start_at=TODAY, end_at=TODAY + 10 * DAY)
        other = approval.job_applications.exclude(to_company=company).get().to_company
        assert suspensions.suspension_edit_refusal_reason(suspension, siae=company) is None
        assert suspensions.suspension_edit_refusal_reason(suspension, siae=other) is not None


class TestReasons:
    @pytest.mark.parametrize(
        "kind,passerelle",
        [(CompanyKind.ACI, True), (CompanyKind.EI, True), (CompanyKind.AI, False), (CompanyKind.ETTI, False)],
    )
    def test_contrat_passerelle_only_for_aci_and_ei(self, kind, passerelle):
        codes = [code for code, _label in suspensions.selectable_suspension_reasons(CompanyFactory(kind=kind))]
        assert (SuspensionReason.CONTRAT_PASSERELLE in codes) is passerelle
        assert set(codes) - {SuspensionReason.CONTRAT_PASSERELLE} == {
            SuspensionReason.CONTRACT_SUSPENDED,
            SuspensionReason.CONTRACT_BROKEN,
            SuspensionReason.FINISHED_CONTRACT,
            SuspensionReason.APPROVAL_BETWEEN_CTA_MEMBERS,
        }

    def test_a_legacy_reason_is_refused(self, company, employer):
        approval = pass_hired(company)
        with pytest.raises(ValidationError, match="Ce motif de suspension n'est pas disponible"):
            create(approval, company, employer, TODAY, TODAY, reason=SuspensionReason.SICKNESS)

    def test_contrat_passerelle_is_refused_to_an_ai(self, employer):
        ai = CompanyFactory(kind=CompanyKind.AI, with_member=employer)
        approval = pass_hired(ai)
        with pytest.raises(ValidationError, match="Ce motif de suspension n'est pas disponible"):
            create(approval, ai, employer, TODAY, TODAY, reason=SuspensionReason.CONTRAT_PASSERELLE)


class TestLiftAtHiring:
    """pass_iae.md §13.6: a hiring attaching the PASS ends its suspension the day before the hiring start."""

    @pytest.fixture
    def suspended(self, company, employer):
        approval = pass_hired(company)
        end_before = approval.end_at
        suspension = create(approval, company, employer, TODAY - 10 * DAY, TODAY + 50 * DAY)
        return approval, suspension, end_before

    def test_the_suspension_ends_the_day_before_the_hiring(self, suspended, employer):
        approval, suspension, end_before = suspended
        suspensions.lift_suspension_at_hiring(approval, hiring_start_at=TODAY + 5 * DAY, by_user=employer)
        suspension.refresh_from_db()
        assert suspension.end_at == TODAY + 4 * DAY
        approval.refresh_from_db()
        assert approval.end_at == end_before + 14 * DAY
        assert ApprovalEvent.objects.filter(kind=ApprovalEventKind.SUSPENSION_LIFTED).count() == 1

    def test_a_hiring_the_day_after_the_start_leaves_a_one_day_suspension(self, suspended):
        approval, suspension, end_before = suspended
        suspensions.lift_suspension_at_hiring(approval, hiring_start_at=suspension.start_at + DAY)
        suspension.refresh_from_db()
        assert suspension.end_at == suspension.start_at
        approval.refresh_from_db()
        assert approval.end_at == end_before

    def test_a_hiring_on_the_start_day_deletes_it(self, suspended):
        approval, suspension, end_before = suspended
        suspensions.lift_suspension_at_hiring(approval, hiring_start_at=suspension.start_at)
        assert not Suspension.objects.filter(pk=suspension.pk).exists()
        approval.refresh_from_db()
        assert approval.end_at == end_before

    def test_a_legacy_reason_is_not_lifted(self, company):
        approval = pass_hired(company)
        suspension = SuspensionFactory(
            approval=approval, start_at=TODAY - DAY, end_at=TODAY + 30 * DAY, reason=SuspensionReason.SICKNESS
        )
        assert suspensions.has_unliftable_suspension(approval)
        assert suspensions.lift_suspension_at_hiring(approval, hiring_start_at=TODAY + DAY) is None
        suspension.refresh_from_db()
        assert suspension.end_at == TODAY + 30 * DAY

    @pytest.mark.parametrize(
        "start_at,end_at,reason,blocks",
        [
            (TODAY - 30 * DAY, TODAY - DAY, SuspensionReason.SICKNESS, False),  # over yesterday
            (TODAY - 30 * DAY, TODAY, SuspensionReason.SICKNESS, True),
            (TODAY + DAY, TODAY + 30 * DAY, SuspensionReason.SICKNESS, False),  # not started
            (TODAY - 30 * DAY, TODAY, SuspensionReason.CONTRACT_BROKEN, False),  # liftable
        ],
    )
    def test_has_unliftable_suspension(self, company, start_at, end_at, reason, blocks):
        approval = pass_hired(company)
        SuspensionFactory(approval=approval, start_at=start_at, end_at=end_at, reason=reason)
        assert suspensions.has_unliftable_suspension(approval) is blocks
