"""How many criteria a diagnosis needs, and which cannot go together (eligibility.md §4, invariant §8.3)."""

import pytest

from inclusion.eligibility import rules
from inclusion.eligibility.enums import AuthorKind

EMPLOYER = AuthorKind.EMPLOYER
LEVEL_2 = ["CAP_BEP", "ASE", "PI", "PM"]


@pytest.mark.parametrize(
    "kind,refused,accepted",
    [("AI", 1, 2), ("ETTI", 1, 2), ("ACI", 2, 3), ("EI", 2, 3), ("EITI", 2, 3)],
)
def test_level_2_count_boundaries(kind, refused, accepted):
    errors = rules.criteria_errors(LEVEL_2[:refused], author_kind=EMPLOYER, company_kind=kind)
    assert errors == [
        f"Pour une structure de type {kind}, sélectionnez au moins 1 critère de niveau 1 ou au moins {accepted} "
        "critères de niveau 2."
    ]
    assert rules.criteria_errors(LEVEL_2[:accepted], author_kind=EMPLOYER, company_kind=kind) == []


@pytest.mark.parametrize("kind", ["AI", "ETTI", "ACI", "EI", "EITI"])
@pytest.mark.parametrize("level_1", ["RSA", "ASS", "AAH", "DETLD"])
def test_one_level_1_alone_is_enough_for_every_kind(kind, level_1):
    assert rules.criteria_errors([level_1], author_kind=EMPLOYER, company_kind=kind) == []


@pytest.mark.parametrize("kind", ["AI", "ACI"])
def test_employer_with_no_criterion_is_refused(kind):
    assert rules.criteria_errors([], author_kind=EMPLOYER, company_kind=kind)


def test_level_1_does_not_count_as_level_2():
    # ACI: 2 level-2 + nothing of level 1 is refused; the count of level 2 ignores level-1 criteria.
    assert rules.criteria_errors(["CAP_BEP", "ASE"], author_kind=EMPLOYER, company_kind="ACI")
    assert rules.criteria_errors(["CAP_BEP", "ASE", "RSA"], author_kind=EMPLOYER, company_kind="ACI") == []


def test_prescriber_needs_no_criterion():
    assert rules.criteria_errors([], author_kind=AuthorKind.PRESCRIBER) == []
    assert rules.criteria_errors(["PM"], author_kind=AuthorKind.PRESCRIBER) == []


@pytest.mark.parametrize("author_kind", [AuthorKind.PRESCRIBER, AuthorKind.EMPLOYER])
@pytest.mark.parametrize(
    "pair,message",
    [
        (
            ["SENIOR", "JEUNE"],
            "Les critères « Senior (+50 ans) », « Jeune (-26 ans) » ne peuvent pas être sélectionnés ensemble.",
        ),
        (
            ["DETLD", "DELD"],
            "Les critères « DETLD (+ 24 mois) », « DELD (12-24 mois) » ne peuvent pas être sélectionnés ensemble.",
        ),
    ],
)
def test_mutual_exclusions_for_every_author(author_kind, pair, message):
    codes = [*pair, "RSA"]  # enough criteria otherwise
    assert rules.criteria_errors(codes, author_kind=author_kind, company_kind="AI") == [message]


def test_each_excluded_criterion_alone_is_fine():
    for code in ("SENIOR", "JEUNE", "DETLD", "DELD"):
        assert rules.criteria_errors([code, "RSA"], author_kind=EMPLOYER, company_kind="AI") == []


def test_unknown_criterion():
    assert rules.criteria_errors(["NOPE"], author_kind=AuthorKind.PRESCRIBER) == ["Critère inconnu : NOPE."]


@pytest.mark.parametrize("kind", ["GEIQ", "EA", "EATT", "OPCS"])
def test_employer_criteria_only_for_siae(kind):
    assert rules.criteria_errors(["RSA"], author_kind=EMPLOYER, company_kind=kind) == [rules.NOT_AN_SIAE]
