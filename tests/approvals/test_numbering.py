"""PASS IAE numbers (pass_iae.md §2, §3, §20.1, §20.5)."""

import datetime
import itertools

import pytest
from django.db import IntegrityError, transaction

from inclusion.approvals import rules
from inclusion.approvals.enums import Origin
from inclusion.approvals.models import Approval, CancelledApproval
from tests.approvals.factories import ApprovalFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.users.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def prefix(settings):
    settings.PASS_IAE_NUMBER_PREFIX = "99999"
    return "99999"


def live(number):
    return ApprovalFactory(number=number)


def cancelled(number):
    return CancelledApproval.objects.create(number=number, start_at=START, end_at=START)


def test_the_first_number():
    assert rules.next_approval_number() == "999990000001"


def test_the_prefix_comes_from_the_settings(settings):
    settings.PASS_IAE_NUMBER_PREFIX = "12345"
    live("999990000050")  # another prefix: ignored
    assert rules.next_approval_number() == "123450000001"


def test_continues_above_the_highest_live_number():
    live("999990000003")
    live("999990000012")
    live("999990000007")
    assert rules.next_approval_number() == "999990000013"


def test_continues_above_cancelled_numbers():
    live("999990000003")
    cancelled("999990000041")
    assert rules.next_approval_number() == "999990000042"


def test_continues_above_legacy_numbers():
    # Legacy scheme: prefix + 2-digit year + 5-digit yearly counter; the last 7 characters read as an integer.
    live("999992100012")
    cancelled("999991900999")
    assert rules.next_approval_number() == "999992100013"


def test_ignores_non_prefixed_numbers():
    live("ABCDE1234567")
    live("999980999999")
    assert rules.next_approval_number() == "999990000001"


def test_a_number_is_never_reused():
    approvals = [live(f"99999000000{n}") for n in range(1, 6)]
    rules.approval_delete(approvals[-1])
    rules.approval_delete(approvals[0])
    assert rules.next_approval_number() == "999990000006"


@pytest.mark.parametrize(
    "highest,expected",
    [("999999999998", "999999999999"), ("999999999999", None)],
    ids=["last number available", "none left"],
)
def test_overflow_is_a_hard_error(highest, expected):
    live(highest)
    if expected:
        assert rules.next_approval_number() == expected
    else:
        with pytest.raises(rules.ApprovalError, match="Plus aucun numéro de PASS IAE n'est disponible"):
            rules.next_approval_number()


def test_overflow_counts_cancelled_numbers_too():
    cancelled("999999999999")
    with pytest.raises(rules.ApprovalError):
        rules.next_approval_number()


@pytest.mark.django_db(transaction=True)
def test_must_run_inside_the_transaction_saving_the_pass():
    with pytest.raises(RuntimeError):
        rules.next_approval_number()
    with transaction.atomic():
        assert rules.next_approval_number() == "999990000001"


def test_display_in_groups_of_5_2_5():
    assert live("999990000123").number_with_spaces == "99999 00 00123"


class TestManualEntry:
    def test_a_new_pass_cannot_be_given_a_prefixed_number(self):
        assert "attribués automatiquement" in rules.manual_number_error("999990000001")

    def test_a_legacy_number_changes_only_to_another_non_prefixed_one(self):
        assert "ne commençant pas par 99999" in rules.manual_number_error(
            "999990000002", current_number="591152012345"
        )
        assert rules.manual_number_error("ABCDE1234567", current_number="591152012345") is None

    @pytest.mark.parametrize("number", ["999990000002", "ABCDE1234567"])
    def test_a_number_issued_by_the_platform_never_changes(self, number):
        # pass_iae.md §2: never reused; dropping it without a cancelled snapshot would let it be issued again.
        assert (
            rules.manual_number_error(number, current_number="999990000001")
            == "Un numéro délivré par la plateforme ne se modifie pas."
        )

    def test_keeping_the_current_number_is_fine(self):
        assert rules.manual_number_error("999990000001", current_number="999990000001") is None

    @pytest.mark.parametrize("number", ["ABCDE123456", "ABCDE12345678", "ABCDE12345-7", "ABCDÉ1234567"])
    def test_exactly_12_alphanumeric_characters(self, number):
        assert rules.manual_number_error(number) == "Le numéro doit compter exactement 12 caractères alphanumériques."

    def test_a_legacy_agrement_number(self):
        assert rules.manual_number_error("591152012345") is None

    @pytest.mark.parametrize("holder", [live, cancelled])
    def test_unique_across_live_and_cancelled_pass(self, holder):
        holder("591152012345")
        assert (
            rules.manual_number_error("591152012345")
            == "Ce numéro est déjà attribué à un PASS IAE, en cours ou annulé."
        )

    @pytest.mark.parametrize(
        "number,origin,forced",
        [
            ("591152012345", Origin.ADMIN, Origin.PE_APPROVAL),
            ("591152012345", Origin.AI_STOCK, Origin.PE_APPROVAL),
            ("999990000001", Origin.AI_STOCK, Origin.AI_STOCK),
            ("", Origin.ADMIN, Origin.ADMIN),
        ],
    )
    def test_a_non_prefixed_number_forces_origin_pe_approval(self, number, origin, forced):
        assert rules.origin_for_number(number, origin) == forced


class TestOriginsConstraint:
    numbers = itertools.count(1)

    def create(self, origin, diagnosis):
        job_seeker = JobSeekerFactory()
        with transaction.atomic():
            return Approval.objects.create(
                number=f"ABCDE{next(self.numbers):07d}",
                user=job_seeker,
                start_at=START,
                end_at=rules.default_end_at(START),
                origin=origin,
                eligibility_diagnosis=EligibilityDiagnosisFactory(job_seeker=job_seeker) if diagnosis else None,
            )

    @pytest.mark.parametrize("origin", [Origin.DEFAULT, Origin.ADMIN])
    def test_default_and_admin_need_a_diagnosis(self, origin):
        assert self.create(origin, diagnosis=True).pk
        with pytest.raises(IntegrityError):
            self.create(origin, diagnosis=False)

    @pytest.mark.parametrize("origin", [Origin.PE_APPROVAL, Origin.AI_STOCK])
    def test_pe_approval_and_ai_stock_have_none(self, origin):
        assert self.create(origin, diagnosis=False).pk
        with pytest.raises(IntegrityError):
            self.create(origin, diagnosis=True)

    @pytest.mark.parametrize("end_after_start,ok", [(-1, False), (0, False), (1, True)])
    def test_start_strictly_before_end(self, end_after_start, ok):
        approval = ApprovalFactory.build(
            user=JobSeekerFactory(), start_at=START, end_at=START + datetime.timedelta(days=end_after_start)
        )
        approval.eligibility_diagnosis = EligibilityDiagnosisFactory(job_seeker=approval.user)
        if ok:
            approval.save()
        else:
            with pytest.raises(IntegrityError), transaction.atomic():
                approval.save()
