"""The invitation lifetime (README.md §2.2: expired ⇔ now ≥ sent_at + validity days) and its stored invariants."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from inclusion.companies.models import CompanyInvitation
from tests.companies.factories import CompanyFactory

SENT_AT = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)


def invite(**fields):
    return CompanyInvitation.objects.create(
        organization=CompanyFactory(),
        **{"email": "Awa.Diallo@Exemple.fr", "first_name": "Awa", "last_name": "Diallo", "sent_at": SENT_AT, **fields},
    )


@pytest.mark.parametrize(
    "elapsed,pending",
    [
        (datetime.timedelta(days=14) - datetime.timedelta(seconds=1), True),
        (datetime.timedelta(days=14), False),
        (datetime.timedelta(days=15), False),
    ],
)
def test_an_invitation_is_valid_14_days_by_default(db, elapsed, pending):
    invitation = invite()
    now = SENT_AT + elapsed
    assert invitation.is_pending(now) is pending
    assert CompanyInvitation.objects.pending(now).exists() is pending


def test_an_accepted_invitation_is_no_longer_pending(db):
    invitation = invite(accepted_at=SENT_AT)
    assert not invitation.is_pending(SENT_AT)
    assert not CompanyInvitation.objects.pending(SENT_AT).exists()


def test_the_email_is_stored_lower_case_and_found_whatever_its_case(db):
    invite()
    assert CompanyInvitation.objects.for_email(" AWA.diallo@exemple.FR").get().email == "awa.diallo@exemple.fr"


@pytest.mark.parametrize("days,accepted", [(0, False), (1, True), (90, True), (91, False)])
def test_validity_is_between_1_and_90_days(db, days, accepted):
    if accepted:
        assert invite(validity_days=days).expires_at == SENT_AT + datetime.timedelta(days=days)
    else:
        with pytest.raises(IntegrityError):
            invite(validity_days=days)


def test_pending_defaults_to_now(db):
    invite(sent_at=timezone.now())
    assert CompanyInvitation.objects.pending().count() == 1
