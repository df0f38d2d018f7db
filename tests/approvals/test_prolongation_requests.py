"""Prolongation requests (pass_iae.md §15): one pending per PASS, grant, deny, their e-mails and history, the
organization's list. Today is frozen on Tuesday 10 March 2026 (Europe/Paris)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from inclusion.approvals import prolongations, suspensions
from inclusion.approvals.enums import (
    ApprovalEventKind,
    FranceTravailNotificationStatus,
    ProlongationReason,
    ProlongationRequestDenyProposedAction,
    ProlongationRequestDenyReason,
    ProlongationRequestStatus,
    SuspensionReason,
)
from inclusion.approvals.models import ApprovalEvent, Prolongation, ProlongationRequest
from inclusion.companies.enums import CompanyKind
from tests.approvals.factories_suspensions_prolongations import (
    ProlongationFactory,
    ProlongationRequestFactory,
    approval_ending,
    xlsx_file,
)
from tests.companies.factories import CompanyFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.factories import ProfessionalFactory

DAY = datetime.timedelta(days=1)
TODAY = datetime.date(2026, 3, 10)
PASS_END = datetime.date(2026, 6, 30)
NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
Deny = ProlongationRequestDenyReason
Action = ProlongationRequestDenyProposedAction

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def employer():
    return ProfessionalFactory()


@pytest.fixture
def company(employer):
    return CompanyFactory(kind=CompanyKind.AI, with_member=employer)


@pytest.fixture
def prescriber():
    return ProfessionalFactory()


@pytest.fixture
def organization(prescriber):
    return PrescriberOrganizationFactory(authorized=True, with_member=prescriber)


@pytest.fixture
def approval(company):
    return approval_ending(PASS_END, hired_by=company)


@pytest.fixture
def request_(approval, company, employer, prescriber, organization, django_capture_on_commit_callbacks):
    """A pending SENIOR request declared through the rules, with every field the grant must copy."""
    with django_capture_on_commit_callbacks(execute=True):
        return prolongations.prolongation_declare(
            approval=approval,
            siae=company,
            by_user=employer,
            end_at=PASS_END + 200 * DAY,
            reason=ProlongationReason.SENIOR,
            reason_explanation="Personne de 52 ans.",
            validator=prescriber,
            prescriber_organization=organization,
            report_file=xlsx_file(),
            require_phone_interview=True,
            contact_email="rh@example.com",
            contact_phone="0102030405",
        )


@pytest.fixture
def run(django_capture_on_commit_callbacks, mailoutbox):
    """Runs a rule and lets the e-mails queued after commit leave (those of the fixtures are forgotten)."""

    def run(rule, *args, **kwargs):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return rule(*args, **kwargs)

    return run


def message(error_info):
    return " ".join(error_info.value.messages)


class TestOnePendingRequest:
    def test_a_second_declaration_is_refused(self, request_, approval, company, employer, prescriber, organization):
        with pytest.raises(ValidationError, match="Une demande de prolongation est déjà en attente pour ce PASS IAE."):
            prolongations.prolongation_declare(
                approval=approval,
                siae=company,
                by_user=employer,
                end_at=PASS_END + DAY,
                reason=ProlongationReason.RQTH,
                validator=prescriber,
                prescriber_organization=organization,
                report_file=xlsx_file(),
            )

    def test_the_database_constraint_becomes_a_french_message(
        self, request_, approval, company, employer, prescriber, organization, monkeypatch
    ):
        # What a concurrent declaration would meet: the code check passed, the unique constraint did not.
        monkeypatch.setattr(prolongations, "_has_pending_request", lambda approval: False)
        with pytest.raises(ValidationError) as error:
            prolongations.prolongation_declare(
                approval=approval,
                siae=company,
                by_user=employer,
                end_at=PASS_END + DAY,
                reason=ProlongationReason.RQTH,
                validator=prescriber,
                prescriber_organization=organization,
                report_file=xlsx_file(),
            )
        assert message(error) == "Une demande de prolongation est déjà en attente pour ce PASS IAE."
        assert ProlongationRequest.objects.count() == 1
        assert ApprovalEvent.objects.filter(kind=ApprovalEventKind.REQUEST_CREATED).count() == 1


class TestGrant:
    def test_grant_creates_exactly_one_prolongation_validated_by_the_processor(
        self, request_, approval, organization, run, mailoutbox
    ):
        # Any member of the addressed organization processes it, not only the assignee.
        colleague = PrescriberMembershipFactory(organization=organization, is_admin=False).user
        approval.ft_notification_status = FranceTravailNotificationStatus.SUCCESS
        approval.save()
        prolongation = run(prolongations.request_grant, request_, by_user=colleague)
        assert Prolongation.objects.get() == prolongation
        assert prolongation.validated_by == colleague
        assert prolongation.request == request_
        copied = [
            "approval_id",
            "start_at",
            "end_at",
            "reason",
            "reason_explanation",
            "declared_by_id",
            "declared_by_siae_id",
            "prescriber_organization_id",
            "created_by_id",
            "require_phone_interview",
            "contact_email",
            "contact_phone",
        ]
        assert {f: getattr(prolongation, f) for f in copied} == {f: getattr(request_, f) for f in copied}
        assert prolongation.report_file.name == request_.report_file.name != ""
        request_.refresh_from_db()
        assert (request_.status, request_.processed_by, request_.processed_at) == (
            ProlongationRequestStatus.GRANTED,
            colleague,
            NOW,
        )
        approval.refresh_from_db()
        assert approval.end_at == PASS_END + 200 * DAY
        assert approval.ft_notification_status == FranceTravailNotificationStatus.PENDING
        event = ApprovalEvent.objects.get(kind=ApprovalEventKind.REQUEST_GRANTED)
        assert (event.user, event.data["from_status"], event.data["to_status"]) == (colleague, "PENDING", "GRANTED")
        assert sorted(mail.to[0] for mail in mailoutbox) == sorted([request_.declared_by.email, approval.user.email])
        for mail in mailoutbox:
            assert "acceptée" in mail.subject
            assert "Le PASS IAE prend désormais fin le 16/01/2027." in mail.body

    def test_a_processed_request_cannot_be_processed_again(self, request_, prescriber, run):
        run(prolongations.request_grant, request_, by_user=prescriber)
        with pytest.raises(ValidationError, match=r"Cette demande de prolongation a déjà été traitée \(Acceptée\)."):
            prolongations.request_grant(request_, by_user=prescriber)
        with pytest.raises(ValidationError, match="déjà été traitée"):
            prolongations.request_deny(request_, by_user=prescriber, reason=Deny.SIAE, reason_explanation="Non.")
        assert Prolongation.objects.count() == 1

    @pytest.mark.parametrize("active", [True, False])
    def test_only_an_active_member_of_the_organization(self, request_, organization, active):
        outsider = PrescriberMembershipFactory(
            organization=PrescriberOrganizationFactory(authorized=True), is_admin=False
        ).user
        former = PrescriberMembershipFactory(organization=organization, is_admin=False, is_active=active).user
        processors = [outsider] if active else [outsider, former]
        for processor in processors:
            with pytest.raises(ValidationError, match="Seul un membre de l'organisation habilitée sollicitée"):
                prolongations.request_grant(request_, by_user=processor)
        if active:
            assert prolongations.request_grant(request_, by_user=former).validated_by == former

    def test_an_overlap_is_shown_in_french_and_nothing_changes(self, request_, approval, prescriber, mailoutbox):
        ProlongationFactory(approval=approval, start_at=PASS_END + 100 * DAY, end_at=PASS_END + 300 * DAY)
        with pytest.raises(ValidationError) as error:
            prolongations.request_grant(request_, by_user=prescriber)
        assert message(error) == (
            "Cette période chevauche la prolongation du 08/10/2026 au 26/04/2027. "
            "Les prolongations d'un même PASS IAE ne peuvent pas se chevaucher."
        )
        request_.refresh_from_db()
        assert request_.status == ProlongationRequestStatus.PENDING
        assert Prolongation.objects.count() == 1

    def suspend_for_30_days(self, approval, company, employer):
        """A suspension created while the request waits (it is allowed): the PASS end moves 29 days later (§13.4)."""
        suspensions.suspension_create(
            approval=approval,
            siae=company,
            start_at=TODAY,
            end_at=TODAY + 29 * DAY,
            reason=SuspensionReason.CONTRACT_SUSPENDED,
            by_user=employer,
        )
        approval.refresh_from_db()
        assert approval.end_at == PASS_END + 29 * DAY

    def test_after_a_suspension_the_prolongation_starts_at_the_new_pass_end(
        self, request_, approval, company, employer, prescriber, run, mailoutbox
    ):
        # pass_iae.md §14.2: start = the current PASS end, and the new PASS end = the prolongation end.
        self.suspend_for_30_days(approval, company, employer)
        prolongation = run(prolongations.request_grant, request_, by_user=prescriber)
        approval.refresh_from_db()
        # The requested 200 days are kept, from the new PASS end.
        assert (prolongation.start_at, prolongation.end_at) == (PASS_END + 29 * DAY, PASS_END + 229 * DAY)
        assert approval.end_at == prolongation.end_at
        # The request and its prolongation agree.
        assert (request_.start_at, request_.end_at) == (prolongation.start_at, prolongation.end_at)
        request_.refresh_from_db()
        assert (request_.start_at, request_.end_at) == (prolongation.start_at, prolongation.end_at)
        event = ApprovalEvent.objects.get(kind=ApprovalEventKind.REQUEST_GRANTED)
        assert (event.data["previous_start_at"], event.data["previous_end_at"]) == ("2026-06-30", "2027-01-16")
        assert (event.data["start_at"], event.data["end_at"]) == ("2026-07-29", "2027-02-14")
        for mail in mailoutbox:
            assert "Le PASS IAE prend désormais fin le 14/02/2027." in mail.body

    def test_without_a_move_of_the_pass_end_the_dates_are_those_requested(self, request_, approval, prescriber):
        prolongation = prolongations.request_grant(request_, by_user=prescriber)
        approval.refresh_from_db()
        assert (prolongation.start_at, prolongation.end_at) == (PASS_END, PASS_END + 200 * DAY)
        assert approval.end_at == prolongation.end_at
        event = ApprovalEvent.objects.get(kind=ApprovalEventKind.REQUEST_GRANTED)
        assert "previous_start_at" not in event.data

    def test_the_moved_dates_are_checked_for_overlaps(self, request_, approval, company, employer, prescriber):
        # Entered by hand: it overlaps the moved dates [29/07/2026, 14/02/2027), not the requested ones.
        ProlongationFactory(approval=approval, start_at=PASS_END + 210 * DAY, end_at=PASS_END + 220 * DAY)
        self.suspend_for_30_days(approval, company, employer)
        with pytest.raises(ValidationError) as error:
            prolongations.request_grant(request_, by_user=prescriber)
        assert message(error) == (
            "Cette période chevauche la prolongation du 26/01/2027 au 05/02/2027. "
            "Les prolongations d'un même PASS IAE ne peuvent pas se chevaucher."
        )
        # Nothing changed, not even the caller's copy of the request.
        assert (request_.start_at, request_.end_at) == (PASS_END, PASS_END + 200 * DAY)
        request_.refresh_from_db()
        assert (request_.status, request_.start_at) == (ProlongationRequestStatus.PENDING, PASS_END)
        approval.refresh_from_db()
        assert approval.end_at == PASS_END + 29 * DAY
        assert Prolongation.objects.count() == 1

    def test_the_employer_is_not_emailed_when_no_siae_declared_it(
        self, approval, prescriber, organization, run, mailoutbox
    ):
        request = ProlongationRequestFactory(
            approval=approval,
            assigned_to=prescriber,
            prescriber_organization=organization,
            declared_by_siae=CompanyFactory(kind=CompanyKind.GEIQ),
        )
        run(prolongations.request_grant, request, by_user=prescriber)
        assert [mail.to for mail in mailoutbox] == [[approval.user.email]]


class TestDeny:
    def deny(self, request, by_user, **kwargs):
        return prolongations.request_deny(request, by_user=by_user, **kwargs)

    def test_a_reason_other_than_iae(self, request_, approval, prescriber, run, mailoutbox):
        run(
            self.deny,
            request_,
            prescriber,
            reason=Deny.DURATION,
            reason_explanation="Six mois suffiront.",
        )
        request_.refresh_from_db()
        assert (request_.status, request_.processed_by, request_.processed_at) == (
            ProlongationRequestStatus.DENIED,
            prescriber,
            NOW,
        )
        assert (request_.deny_reason, request_.deny_reason_explanation) == (Deny.DURATION, "Six mois suffiront.")
        assert request_.deny_proposed_actions is None
        assert request_.deny_proposed_actions_explanation == ""
        assert not Prolongation.objects.exists()
        approval.refresh_from_db()
        assert approval.end_at == PASS_END
        event = ApprovalEvent.objects.get(kind=ApprovalEventKind.REQUEST_DENIED)
        assert (event.data["from_status"], event.data["to_status"], event.data["deny_reason"]) == (
            "PENDING",
            "DENIED",
            "DURATION",
        )
        assert sorted(mail.to[0] for mail in mailoutbox) == sorted([request_.declared_by.email, approval.user.email])
        for mail in mailoutbox:
            assert "refusée" in mail.subject
            assert Deny.DURATION.label in mail.body
            assert "Six mois suffiront." in mail.body
            assert "Actions envisagées" not in mail.body

    def test_iae_with_proposed_actions(self, request_, prescriber, run, mailoutbox):
        run(
            self.deny,
            request_,
            prescriber,
            reason=Deny.IAE,
            reason_explanation="La personne est prête pour un emploi classique.",
            proposed_actions=[Action.OTHER, Action.EXIT_IAE],
            proposed_actions_explanation="Orientation vers France Travail.",
        )
        request_.refresh_from_db()
        assert request_.deny_proposed_actions == ["EXIT_IAE", "OTHER"]
        assert request_.deny_proposed_actions_explanation == "Orientation vers France Travail."
        assert Action.EXIT_IAE.label in mailoutbox[0].body
        assert "Orientation vers France Travail." in mailoutbox[0].body

    @pytest.mark.parametrize(
        "kwargs,error",
        [
            ({"reason": "", "reason_explanation": "x"}, "Choisissez le motif du refus."),
            ({"reason": Deny.SIAE, "reason_explanation": "  "}, "Expliquez le motif du refus"),
            (
                {"reason": Deny.IAE, "reason_explanation": "x", "proposed_actions_explanation": "y"},
                "Indiquez au moins une action envisagée",
            ),
            (
                {
                    "reason": Deny.IAE,
                    "reason_explanation": "x",
                    "proposed_actions": [],
                    "proposed_actions_explanation": "y",
                },
                "Indiquez au moins une action envisagée",
            ),
            (
                {"reason": Deny.IAE, "reason_explanation": "x", "proposed_actions": [Action.OTHER]},
                "Expliquez les actions envisagées.",
            ),
            (
                {
                    "reason": Deny.IAE,
                    "reason_explanation": "x",
                    "proposed_actions": ["FLY"],
                    "proposed_actions_explanation": "y",
                },
                "Une des actions envisagées n'existe pas.",
            ),
            (
                {
                    "reason": Deny.REASON,
                    "reason_explanation": "x",
                    "proposed_actions": [Action.OTHER],
                    "proposed_actions_explanation": "y",
                },
                "Les actions envisagées ne se renseignent que pour le motif",
            ),
        ],
        ids=[
            "no reason",
            "blank explanation",
            "iae without actions",
            "iae with an empty list",
            "iae without actions explanation",
            "unknown action",
            "actions with another reason",
        ],
    )
    def test_refused(self, request_, prescriber, kwargs, error, mailoutbox):
        with pytest.raises(ValidationError, match=error):
            self.deny(request_, prescriber, **kwargs)
        request_.refresh_from_db()
        assert request_.status == ProlongationRequestStatus.PENDING
        assert not ApprovalEvent.objects.filter(kind=ApprovalEventKind.REQUEST_DENIED).exists()


class TestPendingRequestsFor:
    def test_the_pending_requests_of_the_organization_newest_first(self, organization, prescriber):
        older = ProlongationRequestFactory(
            prescriber_organization=organization, assigned_to=prescriber, created_at=timezone.now() - 2 * DAY
        )
        newer = ProlongationRequestFactory(prescriber_organization=organization, assigned_to=prescriber)
        ProlongationRequestFactory(
            prescriber_organization=organization, assigned_to=prescriber, status=ProlongationRequestStatus.GRANTED
        )
        ProlongationRequestFactory()  # another organization
        assert list(prolongations.pending_requests_for(organization)) == [newer, older]

    def test_one_query_whatever_the_number_of_requests(self, organization, prescriber, django_assert_num_queries):
        for _ in range(5):
            ProlongationRequestFactory(prescriber_organization=organization, assigned_to=prescriber)
        with django_assert_num_queries(1):
            rows = [
                (
                    r.approval.number,
                    r.approval.user.get_full_name(),
                    r.approval.user.jobseeker_profile.birthdate,
                    r.declared_by.email,
                    r.declared_by_siae.display_name,
                    r.assigned_to.email,
                )
                for r in prolongations.pending_requests_for(organization)
            ]
        assert len(rows) == 5
