"""Prolongations of a PASS IAE (pass_iae.md §14): limits and caps, window, who, chaining, the PASS end, contact
fields, the AI's report file, the validator. Today is frozen on Tuesday 10 March 2026 (Europe/Paris)."""

import datetime
import io
import zipfile

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from inclusion.approvals import prolongations
from inclusion.approvals.enums import (
    ApprovalEventKind,
    FranceTravailNotificationStatus,
    ProlongationReason,
    ProlongationRequestStatus,
)
from inclusion.approvals.models import ApprovalEvent, Prolongation, ProlongationRequest
from inclusion.companies.enums import CompanyKind
from inclusion.prescribers.enums import AuthorizationStatus, PrescriberOrganizationKind
from inclusion.utils.emails import absolute_url
from inclusion.utils.french import de
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.approvals.factories_suspensions_prolongations import (
    ProlongationFactory,
    ProlongationRequestFactory,
    approval_ending,
    hire,
    xlsx_file,
)
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.factories import ProfessionalFactory

TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)
PASS_END = datetime.date(2026, 6, 30)
R = ProlongationReason

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


@pytest.fixture
def approval(company):
    return approval_ending(PASS_END, hired_by=company)


@pytest.fixture
def prescriber():
    return ProfessionalFactory()


@pytest.fixture
def prescriber_organization(prescriber):
    return PrescriberOrganizationFactory(authorized=True, with_member=prescriber)


def declare(approval, company, employer, end_at, reason=R.COMPLETE_TRAINING, **kwargs):
    return prolongations.prolongation_declare(
        approval=approval, siae=company, by_user=employer, end_at=end_at, reason=reason, **kwargs
    )


def with_used_days(approval, *chunks):
    """Prolongation rows chaining up to the PASS end, of `(reason, days)` each (they do not move the PASS end)."""
    start = approval.end_at - datetime.timedelta(days=sum(days for _reason, days in chunks))
    for reason, days in chunks:
        end = start + datetime.timedelta(days=days)
        ProlongationFactory(approval=approval, start_at=start, end_at=end, reason=reason)
        start = end


def message(error_info):
    return " ".join(error_info.value.messages)


def codes(approval, company):
    return [code for code, _label in prolongations.selectable_prolongation_reasons(approval, siae=company)]


class TestLimits:
    def test_the_limits_of_the_law(self):
        limits = {reason: tuple(limit) for reason, limit in prolongations.PROLONGATION_LIMITS.items()}
        assert limits == {
            R.SENIOR_CDI: (3650, None, False),
            R.COMPLETE_TRAINING: (365, None, False),
            R.RQTH: (365, 1095, True),
            R.SENIOR: (365, 1825, True),
            R.PARTICULAR_DIFFICULTIES: (365, 1095, True),
            R.HEALTH_CONTEXT: (365, 365, True),
        }

    @pytest.mark.parametrize("reason,max_days", [(R.COMPLETE_TRAINING, 365), (R.SENIOR_CDI, 3650)])
    def test_max_per_prolongation(self, approval, company, employer, reason, max_days):
        with pytest.raises(ValidationError) as error:
            declare(approval, company, employer, PASS_END + (max_days + 1) * DAY, reason)
        latest = PASS_END + max_days * DAY
        assert message(error) == f"La date de fin doit être comprise entre le 01/07/2026 et le {latest:%d/%m/%Y}."
        assert declare(approval, company, employer, latest, reason).end_at == latest

    def test_at_least_one_day(self, approval, company, employer):
        with pytest.raises(ValidationError, match="entre le 01/07/2026 et le"):
            declare(approval, company, employer, PASS_END)
        assert declare(approval, company, employer, PASS_END + DAY).end_at == PASS_END + DAY

    def test_the_cap_counts_the_days_of_every_reason(self, company, employer, prescriber, prescriber_organization):
        approval = ApprovalFactory(start_at=datetime.date(2023, 6, 1), end_at=PASS_END, with_hiring=company)
        with_used_days(approval, (R.COMPLETE_TRAINING, 500), (R.SENIOR_CDI, 100), (R.COMPLETE_TRAINING, 200))
        assert prolongations.prolongation_used_days(approval) == 800
        # RQTH: cap 1 095 − 800 used = 295 days left, under the 365 per prolongation.
        assert prolongations.prolongation_max_end(approval, reason=R.RQTH) == PASS_END + 295 * DAY
        # SENIOR: cap 1 825 − 800 = 1 025 left: the 365 per prolongation apply.
        assert prolongations.prolongation_max_end(approval, reason=R.SENIOR) == PASS_END + 365 * DAY
        # No cap for COMPLETE_TRAINING.
        assert prolongations.prolongation_max_end(approval, reason=R.COMPLETE_TRAINING) == PASS_END + 365 * DAY
        validation = {"validator": prescriber, "prescriber_organization": prescriber_organization}
        with pytest.raises(ValidationError) as error:
            declare(approval, company, employer, PASS_END + 296 * DAY, R.RQTH, **validation)
        assert message(error) == "La date de fin doit être comprise entre le 01/07/2026 et le 21/04/2027."
        request = declare(approval, company, employer, PASS_END + 295 * DAY, R.RQTH, **validation)
        assert request.end_at == datetime.date(2027, 4, 21)

    def test_pending_requests_are_not_counted(self, approval):
        ProlongationRequestFactory(approval=approval, end_at=PASS_END + 300 * DAY)
        assert prolongations.prolongation_used_days(approval) == 0

    def test_the_edited_prolongation_is_not_counted(self, approval):
        with_used_days(approval, (R.RQTH, 300), (R.RQTH, 200))
        edited = approval.prolongations.get(end_at=PASS_END)
        assert prolongations.prolongation_used_days(approval, editing=edited) == 300
        assert (
            prolongations.prolongation_max_end(approval, reason=R.RQTH, editing=edited) == edited.start_at + 365 * DAY
        )

    @pytest.mark.parametrize("used,selectable", [(1094, True), (1095, False)])
    def test_a_reason_whose_cap_is_used_up_is_not_selectable(self, approval, company, employer, used, selectable):
        with_used_days(approval, (R.COMPLETE_TRAINING, used))
        assert (R.RQTH in codes(approval, company)) is selectable
        assert R.SENIOR in codes(approval, company)
        if selectable:
            assert prolongations.prolongation_max_end(approval, reason=R.RQTH) == PASS_END + DAY
        else:
            with pytest.raises(ValidationError) as error:
                declare(approval, company, employer, PASS_END + DAY, R.RQTH)
            assert message(error) == (
                "Le plafond de 1095 jours de prolongation du motif « RQTH - Reconnaissance de la qualité de "
                "travailleur handicapé » est atteint pour ce PASS IAE."
            )

    def test_health_context_is_never_selectable(self, approval, company, employer):
        assert R.HEALTH_CONTEXT not in codes(approval, company)
        with pytest.raises(ValidationError, match="Ce motif de prolongation n'est pas disponible."):
            declare(approval, company, employer, PASS_END + DAY, R.HEALTH_CONTEXT)

    @pytest.mark.parametrize(
        "kind,allowed",
        [
            (CompanyKind.AI, True),
            (CompanyKind.ACI, True),
            (CompanyKind.EI, False),
            (CompanyKind.ETTI, False),
            (CompanyKind.EITI, False),
        ],
    )
    def test_particular_difficulties_only_for_ai_and_aci(self, employer, kind, allowed):
        siae = CompanyFactory(kind=kind, with_member=employer)
        approval = approval_ending(PASS_END, hired_by=siae)
        assert (R.PARTICULAR_DIFFICULTIES in codes(approval, siae)) is allowed
        if not allowed:
            with pytest.raises(ValidationError, match="réservé aux associations intermédiaires"):
                declare(approval, siae, employer, PASS_END + DAY, R.PARTICULAR_DIFFICULTIES)


class TestWindow:
    @pytest.mark.parametrize(
        "end_at,allowed",
        [
            (datetime.date(2027, 3, 9), True),
            (datetime.date(2027, 3, 10), True),  # today = end − 12 months
            (datetime.date(2027, 3, 11), False),
            (datetime.date(2025, 9, 11), True),
            (datetime.date(2025, 9, 10), True),  # today = end + 6 months
            (datetime.date(2025, 9, 9), False),
        ],
    )
    def test_from_12_months_before_the_end_to_6_months_after(self, company, end_at, allowed):
        approval = approval_ending(end_at, hired_by=company)
        reason = prolongations.prolongation_refusal_reason(approval, siae=company)
        if allowed:
            assert reason is None
        else:
            start, end = prolongations.prolongation_window(approval)
            assert reason == (
                f"Ce PASS IAE ne peut être prolongé qu'entre le {start:%d/%m/%Y} et le {end:%d/%m/%Y} "
                "(de 12 mois avant sa fin à 6 mois après)."
            )

    def test_window(self, approval):
        assert prolongations.prolongation_window(approval) == (datetime.date(2025, 6, 30), datetime.date(2026, 12, 30))

    def test_only_the_latest_pass(self, company):
        old = approval_ending(datetime.date(2025, 12, 31), hired_by=company)
        ApprovalFactory(user=old.user, start_at=datetime.date(2026, 2, 1), with_hiring=company)
        assert prolongations.prolongation_refusal_reason(old, siae=company) == (
            "Seul le dernier PASS IAE du candidat peut être prolongé."
        )

    @pytest.mark.parametrize(
        "start_at,end_at,suspended",
        [(TODAY - 10 * DAY, TODAY - DAY, False), (TODAY, TODAY, True), (TODAY + DAY, TODAY + 10 * DAY, False)],
    )
    def test_not_while_suspended(self, approval, company, start_at, end_at, suspended):
        SuspensionFactory(approval=approval, start_at=start_at, end_at=end_at)
        reason = prolongations.prolongation_refusal_reason(approval, siae=company)
        assert (
            reason == "Ce PASS IAE est suspendu : il ne peut pas être prolongé pendant la suspension."
        ) is suspended
        assert (reason is None) is not suspended

    def test_not_while_a_request_is_pending(self, approval, company, employer):
        ProlongationRequestFactory(approval=approval)
        with pytest.raises(ValidationError, match="Une demande de prolongation est déjà en attente pour ce PASS IAE."):
            declare(approval, company, employer, PASS_END + DAY)

    def test_a_processed_request_does_not_block(self, approval, company):
        ProlongationRequestFactory(approval=approval, status=ProlongationRequestStatus.DENIED)
        assert prolongations.prolongation_refusal_reason(approval, siae=company) is None


class TestWho:
    def test_any_siae_that_hired_with_the_pass(self, approval, company, employer):
        other = CompanyFactory(kind=CompanyKind.EI, with_member=True)
        hire(approval, other, hiring_start_at=datetime.date(2025, 9, 1))
        # `company` is not the last hiring SIAE any more, and may still prolong.
        assert prolongations.prolongation_refusal_reason(approval, siae=company) is None
        assert prolongations.prolongation_refusal_reason(approval, siae=other) is None

    def test_an_siae_without_hiring(self, approval):
        assert prolongations.prolongation_refusal_reason(approval, siae=CompanyFactory()) == (
            "Seule une SIAE ayant embauché le candidat avec ce PASS IAE peut le prolonger."
        )

    def test_a_non_siae(self, approval):
        geiq = CompanyFactory(kind=CompanyKind.GEIQ)
        hire(approval, geiq)
        assert prolongations.prolongation_refusal_reason(approval, siae=geiq) == (
            "Seule une SIAE peut prolonger un PASS IAE."
        )

    def test_the_declarant_is_a_member_active_or_not(self, approval, company):
        with pytest.raises(ValidationError, match="Le déclarant doit être membre de la SIAE"):
            declare(approval, company, ProfessionalFactory(), PASS_END + DAY)
        former = CompanyMembershipFactory(organization=company, is_admin=False, is_active=False).user
        assert declare(approval, company, former, PASS_END + DAY).declared_by == former


class TestEffect:
    def test_an_immediate_prolongation_moves_the_pass_end_to_its_end(self, approval, company, employer, mailoutbox):
        approval.ft_notification_status = FranceTravailNotificationStatus.SUCCESS
        approval.save()
        prolongation = declare(approval, company, employer, PASS_END + 100 * DAY, reason_explanation="Formation")
        assert isinstance(prolongation, Prolongation)
        assert (prolongation.start_at, prolongation.end_at) == (PASS_END, PASS_END + 100 * DAY)
        assert (prolongation.declared_by, prolongation.declared_by_siae, prolongation.validated_by) == (
            employer,
            company,
            None,
        )
        assert approval.end_at == PASS_END + 100 * DAY
        approval.refresh_from_db()
        assert approval.end_at == prolongation.end_at
        assert approval.ft_notification_status == FranceTravailNotificationStatus.PENDING
        event = ApprovalEvent.objects.get(approval=approval)
        assert event.kind == ApprovalEventKind.PROLONGATION_CREATED
        assert mailoutbox == []

    def test_chaining(self, approval, company, employer):
        first = declare(approval, company, employer, PASS_END + 100 * DAY)
        second = declare(approval, company, employer, PASS_END + 200 * DAY, R.SENIOR_CDI)
        assert second.start_at == first.end_at
        approval.refresh_from_db()
        assert approval.end_at == PASS_END + 200 * DAY

    def test_update_and_delete(self, approval, company, employer):
        prolongation = declare(approval, company, employer, PASS_END + 100 * DAY)
        prolongations.prolongation_update(prolongation, end_at=PASS_END + 50 * DAY, by_user=employer)
        approval.refresh_from_db()
        assert approval.end_at == PASS_END + 50 * DAY
        with pytest.raises(ValidationError, match="entre le 01/07/2026 et le 30/06/2027"):
            prolongations.prolongation_update(prolongation, end_at=PASS_END + 366 * DAY, by_user=employer)
        prolongations.prolongation_delete(prolongation, by_user=employer)
        approval.refresh_from_db()
        assert approval.end_at == PASS_END
        assert not approval.prolongations.exists()
        assert list(ApprovalEvent.objects.filter(approval=approval).values_list("kind", flat=True)) == [
            ApprovalEventKind.PROLONGATION_CREATED,
            ApprovalEventKind.PROLONGATION_UPDATED,
            ApprovalEventKind.PROLONGATION_DELETED,
        ]

    def test_only_the_last_prolongation_may_change(self, approval, company, employer):
        # pass_iae.md §14.2: prolongations chain end to start and the PASS ends with the last one.
        first = declare(approval, company, employer, PASS_END + 50 * DAY)
        last = declare(approval, company, employer, PASS_END + 100 * DAY)
        refused = (
            "Seule la dernière prolongation du PASS IAE, celle qui prend fin avec lui le 08/10/2026, peut être "
            "modifiée ou supprimée."
        )
        with pytest.raises(ValidationError) as error:
            prolongations.prolongation_update(first, end_at=PASS_END + 30 * DAY, by_user=employer)
        assert message(error) == refused
        with pytest.raises(ValidationError) as error:
            prolongations.prolongation_delete(first, by_user=employer)
        assert message(error) == refused
        approval.refresh_from_db()
        first.refresh_from_db()
        assert (first.end_at, approval.end_at) == (PASS_END + 50 * DAY, PASS_END + 100 * DAY)
        # The last one may change, and the PASS follows it.
        prolongations.prolongation_update(last, end_at=PASS_END + 80 * DAY, by_user=employer)
        approval.refresh_from_db()
        assert approval.end_at == last.end_at == PASS_END + 80 * DAY
        prolongations.prolongation_delete(last, by_user=employer)
        approval.refresh_from_db()
        assert approval.end_at == first.end_at
        # The first one is now the last one.
        prolongations.prolongation_update(first, end_at=PASS_END + 30 * DAY, by_user=employer)
        approval.refresh_from_db()
        assert approval.end_at == PASS_END + 30 * DAY

    def test_an_overlap_is_refused_in_french(self, approval, company, employer):
        # A prolongation already covering the PASS end (inconsistent data entered by hand).
        ProlongationFactory(approval=approval, start_at=PASS_END - 10 * DAY, end_at=PASS_END + DAY)
        with pytest.raises(ValidationError) as error:
            declare(approval, company, employer, PASS_END + 10 * DAY)
        assert message(error) == (
            "Cette période chevauche la prolongation du 20/06/2026 au 01/07/2026. "
            "Les prolongations d'un même PASS IAE ne peuvent pas se chevaucher."
        )


class TestContactFields:
    def test_not_for_the_immediate_reasons(self, approval, company, employer):
        with pytest.raises(ValidationError, match="ne concernent que les motifs"):
            declare(approval, company, employer, PASS_END + DAY, contact_email="rh@example.com")

    def test_an_interview_needs_an_email_and_a_phone(
        self, approval, company, employer, prescriber, prescriber_organization
    ):
        validation = {"validator": prescriber, "prescriber_organization": prescriber_organization}
        with pytest.raises(ValidationError, match="indiquez un e-mail et un téléphone"):
            declare(
                approval,
                company,
                employer,
                PASS_END + DAY,
                R.SENIOR,
                require_phone_interview=True,
                contact_email="rh@example.com",
                **validation,
            )
        request = declare(
            approval,
            company,
            employer,
            PASS_END + DAY,
            R.SENIOR,
            require_phone_interview=True,
            contact_email="rh@example.com",
            contact_phone="0102030405",
            **validation,
        )
        assert (request.require_phone_interview, request.contact_email, request.contact_phone) == (
            True,
            "rh@example.com",
            "0102030405",
        )

    def test_a_bad_email(self, approval, company, employer, prescriber, prescriber_organization):
        with pytest.raises(ValidationError, match="L'e-mail de contact n'est pas une adresse valide."):
            declare(
                approval,
                company,
                employer,
                PASS_END + DAY,
                R.RQTH,
                contact_email="pas-une-adresse",
                validator=prescriber,
                prescriber_organization=prescriber_organization,
            )


def sized_xlsx(size):
    """A real .xlsx of exactly `size` bytes (stored entries: the size grows byte for byte with the padding)."""
    overhead = xlsx_file(padding=1).size - 1
    return xlsx_file(padding=size - overhead)


class TestReportFile:
    @pytest.fixture
    def ai(self, employer):
        return CompanyFactory(kind=CompanyKind.AI, with_member=employer)

    @pytest.fixture
    def declare_rqth(self, ai, employer, prescriber, prescriber_organization):
        approval = approval_ending(PASS_END, hired_by=ai)

        def run(report_file, siae=ai, reason=R.RQTH):
            return declare(
                approval,
                siae,
                employer,
                PASS_END + DAY,
                reason,
                report_file=report_file,
                **(
                    {"validator": prescriber, "prescriber_organization": prescriber_organization}
                    if prolongations.PROLONGATION_LIMITS[reason].needs_validation
                    else {}
                ),
            )

        return run

    def test_mandatory_for_an_ai(self, declare_rqth):
        with pytest.raises(ValidationError, match=r"La fiche bilan \(fichier .xlsx\) est obligatoire pour ce motif."):
            declare_rqth(None)

    def test_a_real_xlsx_is_stored(self, declare_rqth):
        request = declare_rqth(xlsx_file())
        request.refresh_from_db()
        assert request.report_file.name.endswith(".xlsx")
        assert request.report_file.size > 0

    @pytest.mark.parametrize(
        "upload,error",
        [
            (
                lambda: SimpleUploadedFile("bilan.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
                r"La fiche bilan doit être un classeur Excel au format \.xlsx\.",
            ),
            (
                lambda: SimpleUploadedFile("bilan.xlsx", b"pas un classeur"),
                r"La fiche bilan doit être un classeur Excel au format \.xlsx\.",
            ),
        ],
        ids=["an old .xls", "not a zip"],
    )
    def test_not_an_xlsx(self, declare_rqth, upload, error):
        with pytest.raises(ValidationError, match=error):
            declare_rqth(upload())

    def test_a_zip_without_content_types_is_not_an_xlsx(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("notes.txt", "bonjour")
        with pytest.raises(ValidationError, match="doit être un classeur Excel"):
            prolongations.validate_report_file(SimpleUploadedFile("bilan.xlsx", buffer.getvalue()))

    @pytest.mark.parametrize("size,allowed", [(1024 * 1024, True), (1024 * 1024 + 1, False)])
    def test_at_most_1_mb(self, declare_rqth, size, allowed):
        upload = sized_xlsx(size)
        assert upload.size == size
        if allowed:
            assert declare_rqth(upload).report_file
        else:
            with pytest.raises(ValidationError, match="La fiche bilan pèse un peu plus de 1 Mo : elle ne doit pas"):
                declare_rqth(upload)

    def test_refused_from_another_kind(self, declare_rqth, employer):
        aci = CompanyFactory(kind=CompanyKind.ACI, with_member=employer)
        approval = approval_ending(PASS_END, hired_by=aci)
        with pytest.raises(ValidationError, match="La fiche bilan n'est demandée qu'aux associations intermédiaires"):
            declare(approval, aci, employer, PASS_END + DAY, report_file=xlsx_file())

    def test_refused_with_another_reason(self, declare_rqth):
        with pytest.raises(ValidationError, match="La fiche bilan n'est demandée qu'aux associations intermédiaires"):
            declare_rqth(xlsx_file(), reason=R.COMPLETE_TRAINING)

    def test_required_only_for_an_ai_and_the_three_reasons(self, ai, company):
        assert prolongations.report_file_required(R.RQTH, siae=ai)
        assert prolongations.report_file_required(R.PARTICULAR_DIFFICULTIES, siae=ai)
        assert not prolongations.report_file_required(R.COMPLETE_TRAINING, siae=ai)
        assert not prolongations.report_file_required(R.RQTH, siae=company)


class TestValidator:
    def run(self, approval, company, employer, **kwargs):
        return declare(approval, company, employer, PASS_END + 30 * DAY, R.RQTH, **kwargs)

    def test_mandatory(self, approval, company, employer):
        with pytest.raises(ValidationError, match="Indiquez le prescripteur habilité"):
            self.run(approval, company, employer)

    def test_must_belong_to_an_authorized_organization(self, approval, company, employer):
        orienteur = ProfessionalFactory()
        organization = PrescriberOrganizationFactory(with_member=orienteur)
        with pytest.raises(ValidationError, match="Ce prescripteur n'est membre d'aucune organisation habilitée."):
            self.run(approval, company, employer, validator=orienteur, prescriber_organization=organization)

    def test_a_deactivated_membership_does_not_count(self, approval, company, employer):
        prescriber = ProfessionalFactory()
        organization = PrescriberOrganizationFactory(authorized=True)
        PrescriberMembershipFactory(organization=organization, user=prescriber, is_admin=False, is_active=False)
        with pytest.raises(ValidationError, match="Ce prescripteur n'est membre d'aucune organisation habilitée."):
            self.run(approval, company, employer, validator=prescriber, prescriber_organization=organization)

    def test_the_organization_must_be_one_of_his(self, approval, company, employer, prescriber):
        PrescriberOrganizationFactory(authorized=True, with_member=prescriber)
        unauthorized = PrescriberOrganizationFactory(
            kind=PrescriberOrganizationKind.ML,
            authorization_status=AuthorizationStatus.REFUSED,
            with_member=prescriber,
        )
        for organization in (PrescriberOrganizationFactory(authorized=True), unauthorized, None):
            with pytest.raises(ValidationError, match="Choisissez une des organisations habilitées"):
                self.run(approval, company, employer, validator=prescriber, prescriber_organization=organization)

    def test_no_validator_for_an_immediate_reason(
        self, approval, company, employer, prescriber, prescriber_organization
    ):
        with pytest.raises(ValidationError, match="ne demande pas de validation"):
            declare(
                approval,
                company,
                employer,
                PASS_END + DAY,
                R.COMPLETE_TRAINING,
                validator=prescriber,
                prescriber_organization=prescriber_organization,
            )


class TestRequestCreation:
    def test_a_request_is_created_and_the_prescriber_is_emailed(
        self,
        approval,
        company,
        employer,
        prescriber,
        prescriber_organization,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            request = declare(
                approval,
                company,
                employer,
                PASS_END + 90 * DAY,
                R.RQTH,
                reason_explanation="Reconnaissance obtenue en janvier.",
                validator=prescriber,
                prescriber_organization=prescriber_organization,
                require_phone_interview=True,
                contact_email="rh@example.com",
                contact_phone="0102030405",
            )
        assert isinstance(request, ProlongationRequest)
        assert (request.status, request.assigned_to, request.start_at, request.end_at) == (
            ProlongationRequestStatus.PENDING,
            prescriber,
            PASS_END,
            PASS_END + 90 * DAY,
        )
        # Nothing moves until the request is granted.
        approval.refresh_from_db()
        assert approval.end_at == PASS_END
        assert not approval.prolongations.exists()
        event = ApprovalEvent.objects.get(approval=approval)
        assert event.kind == ApprovalEventKind.REQUEST_CREATED
        assert (event.data["from_status"], event.data["to_status"]) == (None, "PENDING")
        [mail] = mailoutbox
        assert mail.to == [prescriber.email]
        job_seeker = approval.user.get_full_name()
        assert mail.subject == f"Demande de prolongation du PASS IAE {de(job_seeker)} à traiter"
        assert "du 30/06/2026 au 28/09/2026 (90 jours)" in mail.body
        assert "RQTH - Reconnaissance de la qualité de travailleur handicapé" in mail.body
        assert "Reconnaissance obtenue en janvier." in mail.body
        assert "souhaite un entretien téléphonique" in mail.body
        assert "rh@example.com" in mail.body and "0102030405" in mail.body
        assert "un refus doit être motivé par écrit et notifié" in mail.body
        assert "décret n° 2021-1128" in mail.body and "article R. 5132-1-8" in mail.body
        assert absolute_url("/prescripteur/demandes-de-prolongation/") in mail.body

    def test_nothing_is_emailed_when_the_declaration_is_refused(
        self, approval, company, employer, prescriber, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
            declare(approval, company, employer, PASS_END + 400 * DAY, R.RQTH, validator=prescriber)
        assert mailoutbox == []
        assert not ProlongationRequest.objects.exists()
