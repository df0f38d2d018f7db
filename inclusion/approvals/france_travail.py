"""The outbox of PASS IAE changes sent to France Travail (pass_iae.md §19).

Every PASS and every cancelled-PASS snapshot carries a notification status: `pending` (something changed) →
`ready` (may be sent) → `success` | `error`, with the time, the endpoint and the return code. A periodic job
(`manage.py notify_france_travail --wet-run`) prepares the items and sends the ready ones in small batches through a
pluggable client: the real one is configured by `settings.FRANCE_TRAVAIL_CLIENT` (a dotted path); tests and local runs
use `FakeFranceTravailClient`, which answers in-process (ARCHITECTURE.md decision 4).
"""

import dataclasses
import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from inclusion.approvals.enums import FranceTravailNotificationStatus as Status
from inclusion.approvals.models import Approval, CancelledApproval
from inclusion.companies.enums import CompanyKind
from inclusion.utils.dates import today as today_in_paris

# Small batches: France Travail's API is rate-limited and each call is one PASS.
BATCH_SIZE = 100

DEFAULT_CLIENT = "inclusion.approvals.france_travail.FakeFranceTravailClient"

# pass_iae.md §1: France Travail "type SIAE" codes sent with a PASS.
FT_SIAE_KIND_CODES = {
    CompanyKind.ACI: "836",
    CompanyKind.AI: "837",
    CompanyKind.EI: "838",
    CompanyKind.ETTI: "839",
    CompanyKind.EITI: "840",
}


@dataclasses.dataclass(frozen=True)
class Notification:
    """What France Travail is told about one PASS."""

    number: str
    start_at: datetime.date
    end_at: datetime.date
    last_name: str
    first_name: str
    birthdate: datetime.date | None
    nir: str
    france_travail_id: str
    siae_siret: str
    siae_kind_code: str


@dataclasses.dataclass(frozen=True)
class Answer:
    success: bool
    endpoint: str
    code: str


class FranceTravailClient:
    """The interface every client implements: one call per PASS, never raises for a refusal (it answers one)."""

    def notify(self, notification: Notification) -> Answer:
        raise NotImplementedError


class FakeFranceTravailClient(FranceTravailClient):
    """In-process stand-in: records what it is told; numbers listed in `refused_numbers` get an error code."""

    ENDPOINT = "fake/maj-pass-iae"
    SUCCESS_CODE = "S000"
    ERROR_CODE = "E001"

    def __init__(self, refused_numbers=()):
        self.refused_numbers = set(refused_numbers)
        self.sent = []

    def notify(self, notification):
        self.sent.append(notification)
        if notification.number in self.refused_numbers:
            return Answer(success=False, endpoint=self.ENDPOINT, code=self.ERROR_CODE)
        return Answer(success=True, endpoint=self.ENDPOINT, code=self.SUCCESS_CODE)


def get_client():
    return import_string(getattr(settings, "FRANCE_TRAVAIL_CLIENT", DEFAULT_CLIENT))()


def approval_notification(approval):
    user = approval.user
    profile = getattr(user, "jobseeker_profile", None)
    return Notification(
        number=approval.number,
        start_at=approval.start_at,
        end_at=approval.end_at,
        last_name=user.last_name,
        first_name=user.first_name,
        birthdate=profile.birthdate if profile else None,
        nir=profile.nir if profile else "",
        france_travail_id=profile.pole_emploi_id if profile else "",
        siae_siret=approval.origin_siae_siret,
        siae_kind_code=FT_SIAE_KIND_CODES.get(approval.origin_siae_kind, ""),
    )


def cancelled_approval_notification(cancelled):
    """pass_iae.md §10, §19: a cancelled PASS is sent with end = start."""
    return Notification(
        number=cancelled.number,
        start_at=cancelled.start_at,
        end_at=cancelled.start_at,
        last_name=cancelled.user_last_name,
        first_name=cancelled.user_first_name,
        birthdate=cancelled.user_birthdate,
        nir=cancelled.user_nir,
        france_travail_id=cancelled.user_id_national_pe,
        siae_siret=cancelled.origin_siae_siret,
        siae_kind_code=FT_SIAE_KIND_CODES.get(cancelled.origin_siae_kind, ""),
    )


def mark_ready(*, on=None):
    """pending → ready for what may be sent: every cancelled PASS, and the PASS already started (§19: a PASS
    starting in the future is never sent; it becomes ready on its first day). Returns the number of items."""
    day = on or today_in_paris()
    approvals = Approval.objects.filter(ft_notification_status=Status.PENDING, start_at__lte=day)
    cancelled = CancelledApproval.objects.filter(ft_notification_status=Status.PENDING)
    return approvals.update(ft_notification_status=Status.READY) + cancelled.update(
        ft_notification_status=Status.READY
    )


def _record(model, pk, answer, now):
    # Only an item still `ready` takes the answer: a date change during the call made it pending again, and the
    # new dates must be sent on the next run.
    model.objects.filter(pk=pk, ft_notification_status=Status.READY).update(
        ft_notification_status=Status.SUCCESS if answer.success else Status.ERROR,
        ft_notification_at=now,
        ft_notification_endpoint=answer.endpoint,
        ft_notification_code=answer.code,
    )


def _send_batch(model, to_notification, *, client, batch_size, now):
    items = model.objects.filter(ft_notification_status=Status.READY).order_by("pk")
    if model is Approval:
        items = items.select_related("user__jobseeker_profile")
    items = list(items[:batch_size])
    sent = 0
    for item in items:
        answer = client.notify(to_notification(item))
        _record(model, item.pk, answer, now)
        sent += answer.success
    return sent, len(items) - sent, len(items)


def send_ready_items(*, client=None, batch_size=BATCH_SIZE, max_batches=None, now=None, progress=None):
    """Sends the ready items, `batch_size` at a time, until none is left or `max_batches` batches were sent.

    Returns (sent, failed). Each answer is recorded as soon as it arrives, so an interrupted run loses nothing and
    the next run goes on with what is still ready.
    """
    client = client or get_client()
    now = now or timezone.now()
    sent = failed = batches = 0
    for model, to_notification in (
        (Approval, approval_notification),
        (CancelledApproval, cancelled_approval_notification),
    ):
        while max_batches is None or batches < max_batches:
            batch_sent, batch_failed, size = _send_batch(
                model, to_notification, client=client, batch_size=batch_size, now=now
            )
            sent, failed, batches = sent + batch_sent, failed + batch_failed, batches + 1
            if progress is not None:
                progress(size)
            if size < batch_size:
                break
    return sent, failed
