"""Which companies are active, in grace period, searchable (organizations.md §8.3–8.4, conventionnement.md §1.1)."""

import datetime
import itertools

import pytest
import time_machine
from django.core.exceptions import ValidationError

from inclusion.companies.enums import SIAE_KINDS, CompanyKind, CompanySource, FinancialAnnexState
from inclusion.companies.models import Company, Convention, FinancialAnnex
from inclusion.companies.validators import parse_financial_annex_number, validate_financial_annex_number
from tests.companies.factories import CompanyFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 9, 15, 10, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 9, 15)

# Convention states: (is_active, days since deactivation) or None for no convention.
CONVENTION_STATES = {
    "sans convention": None,
    "convention active": (True, None),
    "désactivée il y a 10 jours": (False, 10),
    "désactivée il y a 40 jours": (False, 40),
}


def expected_active(kind, source, convention_state, is_searchable):
    """organizations.md §8.3, restated as a table independent of the code under test."""
    if kind == CompanyKind.RESERVED:
        return True
    if kind in (CompanyKind.OPCS, CompanyKind.GEIQ, CompanyKind.EA, CompanyKind.EATT):
        return is_searchable  # listed (GEIQ, EA, EATT: the list imports hide those that leave their list)
    if source == CompanySource.STAFF_CREATED:
        return True
    return CONVENTION_STATES[convention_state] == (True, None)


def make_company(asp_id, kind, source, convention_state, is_searchable):
    state = CONVENTION_STATES[convention_state]
    convention = None
    if state is not None:
        is_active, days = state
        convention = Convention.objects.create(
            asp_id=asp_id,
            kind=kind,
            siret_signature="41007919800017",
            is_active=is_active,
            deactivated_at=None if days is None else NOW - datetime.timedelta(days=days),
        )
    return CompanyFactory(kind=kind, source=source, convention=convention, is_searchable=is_searchable)


CASES = list(itertools.product(CompanyKind, CompanySource, CONVENTION_STATES, [True, False]))


def test_queryset_and_property_agree_with_the_rule_on_every_case():
    with time_machine.travel(NOW, tick=False):
        companies = {case: make_company(asp_id, *case) for asp_id, case in enumerate(CASES, start=1)}
        active_pks = set(Company.objects.active().values_list("pk", flat=True))
        mismatches = []
        for case, company in companies.items():
            company = Company.objects.select_related("convention").get(pk=company.pk)
            expected = expected_active(*case)
            if company.is_active != expected or (company.pk in active_pks) != expected:
                mismatches.append((case, expected, company.is_active, company.pk in active_pks))
    assert mismatches == []
    assert len(CASES) == 10 * 5 * 4 * 2


def test_grace_period_queryset_and_methods_agree_on_every_case():
    with time_machine.travel(NOW, tick=False):
        companies = {case: make_company(asp_id, *case) for asp_id, case in enumerate(CASES, start=1)}
        in_use = set(Company.objects.active_or_in_grace_period().values_list("pk", flat=True))
        searchable = set(Company.objects.searchable().values_list("pk", flat=True))
        mismatches = []
        for case, company in companies.items():
            kind, source, convention_state, is_searchable = case
            company = Company.objects.select_related("convention").get(pk=company.pk)
            in_grace = (
                kind in SIAE_KINDS
                and source != CompanySource.STAFF_CREATED
                and convention_state == "désactivée il y a 10 jours"
            )
            active = expected_active(*case)
            if (
                company.is_in_grace_period() != in_grace
                or company.is_active_or_in_grace_period() != (active or in_grace)
                or (company.pk in in_use) != (active or in_grace)
                or (company.pk in searchable) != (active and is_searchable)
            ):
                mismatches.append(case)
    assert mismatches == []


@pytest.mark.parametrize(
    "elapsed,in_grace",
    [
        (datetime.timedelta(days=29, hours=23, minutes=59), True),
        (datetime.timedelta(days=30), False),
        (datetime.timedelta(days=30, seconds=1), False),
    ],
)
def test_grace_period_lasts_30_days_after_deactivation(elapsed, in_grace):
    deactivated_at = datetime.datetime(2026, 8, 1, 10, 0, tzinfo=datetime.UTC)
    convention = Convention.objects.create(
        asp_id=1,
        kind=CompanyKind.ACI,
        siret_signature="41007919800017",
        is_active=False,
        deactivated_at=deactivated_at,
    )
    company = CompanyFactory(source=CompanySource.ASP, convention=convention)
    with time_machine.travel(deactivated_at + elapsed, tick=False):
        assert not company.is_active
        assert company.is_in_grace_period() is in_grace
        assert convention.is_in_grace_period() is in_grace
        assert (company in Company.objects.active_or_in_grace_period()) is in_grace
        assert company not in Company.objects.searchable()  # never searchable during the grace period
    # The explicit `now` gives the same answer.
    assert company.is_in_grace_period(now=deactivated_at + elapsed) is in_grace
    assert (company in Company.objects.active_or_in_grace_period(now=deactivated_at + elapsed)) is in_grace


def test_grace_period_end():
    deactivated_at = datetime.datetime(2026, 8, 1, 10, 0, tzinfo=datetime.UTC)
    convention = Convention(is_active=False, deactivated_at=deactivated_at)
    assert convention.grace_period_end() == datetime.datetime(2026, 8, 31, 10, 0, tzinfo=datetime.UTC)
    assert Convention(is_active=True).grace_period_end() is None


def test_searchable_needs_active_and_the_searchable_flag():
    geiq = CompanyFactory(kind=CompanyKind.GEIQ, source=CompanySource.GEIQ)
    hidden_geiq = CompanyFactory(kind=CompanyKind.GEIQ, source=CompanySource.GEIQ, is_searchable=False)
    inactive_aci = CompanyFactory(
        source=CompanySource.ASP,
        convention=Convention.objects.create(
            asp_id=1, kind=CompanyKind.ACI, siret_signature="41007919800017", is_active=False, deactivated_at=NOW
        ),
    )
    assert list(Company.objects.searchable()) == [geiq]
    assert not hidden_geiq.is_active and not inactive_aci.is_active


@pytest.mark.parametrize(
    "number,pieces",
    [
        ("ACI069240012A1M0", ("ACI", "069", "24", "0012", "1", "0")),
        ("EI02A240012A0M0", ("EI", "02A", "24", "0012", "0", "0")),  # Corse-du-Sud
        ("AI02B991234A3M12", ("AI", "02B", "99", "1234", "3", "12")),  # Haute-Corse
        ("ETTI974240001A0M0", ("ETTI", "974", "24", "0001", "0", "0")),  # La Réunion
        ("EITI075240001A0M1", ("EITI", "075", "24", "0001", "0", "1")),
    ],
)
def test_financial_annex_numbers_accepted(number, pieces):
    validate_financial_annex_number(number)
    parsed = parse_financial_annex_number(number)
    assert tuple(parsed[key] for key in ("measure", "department", "year", "order", "amendment", "modification")) == (
        pieces
    )


@pytest.mark.parametrize(
    "number",
    [
        "ACI69240012A1M0",  # department on 2 characters
        "ACI069240012",  # no amendment / modification
        "ACI069240012A1",  # no modification
        "ACI0692400123A1M0",  # 7 digits after the department
        "EA069240012A1M0",  # not an SIAE measure
        "aci069240012A1M0",  # lower case
        "ACI0692A0012A1M0",  # letter outside the department
        " ACI069240012A1M0",
        "",
    ],
)
def test_financial_annex_numbers_refused(number):
    with pytest.raises(ValidationError, match="Numéro d'annexe financière invalide"):
        validate_financial_annex_number(number)
    assert parse_financial_annex_number(number) is None


@pytest.mark.parametrize(
    "state,end_at,active",
    [
        (FinancialAnnexState.VALID, TODAY, False),
        (FinancialAnnexState.VALID, TODAY + datetime.timedelta(days=1), True),
        (FinancialAnnexState.PROVISIONAL, TODAY + datetime.timedelta(days=1), True),
        (FinancialAnnexState.VALID, TODAY - datetime.timedelta(days=1), False),
        *[
            (state, TODAY + datetime.timedelta(days=365), False)
            for state in FinancialAnnexState
            if state not in (FinancialAnnexState.VALID, FinancialAnnexState.PROVISIONAL)
        ],
    ],
)
def test_financial_annex_active_on_its_state_and_end_date(state, end_at, active):
    convention = Convention.objects.create(asp_id=1, kind=CompanyKind.ACI, siret_signature="41007919800017")
    annex = FinancialAnnex.objects.create(
        number="ACI069240012A1M0", convention=convention, state=state, start_at="2024-01-01", end_at=end_at
    )
    # 23:30 in Paris on 15 September is still the 15th there (21:30 UTC).
    with time_machine.travel(datetime.datetime(2026, 9, 15, 21, 30, tzinfo=datetime.UTC), tick=False):
        assert annex.is_active() is active
        assert FinancialAnnex.objects.active().filter(pk=annex.pk).exists() is active
    assert annex.is_active(on=TODAY) is active
    assert FinancialAnnex.objects.active(on=TODAY).filter(pk=annex.pk).exists() is active
