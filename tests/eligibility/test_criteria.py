"""The 18 IAE and 28 GEIQ criteria are seeded with their levels and annexes (eligibility.md §3, §7.2)."""

import pytest
from django.db import IntegrityError, transaction

from inclusion.eligibility.criteria import sync_criteria
from inclusion.eligibility.models import AdministrativeCriteria, GEIQAdministrativeCriteria

pytestmark = pytest.mark.django_db

IAE_LEVELS = {
    "RSA": "1",
    "ASS": "1",
    "AAH": "1",
    "DETLD": "1",
    "CAP_BEP": "2",
    "SENIOR": "2",
    "JEUNE": "2",
    "ASE": "2",
    "DELD": "2",
    "TH": "2",
    "PI": "2",
    "PSH_PR": "2",
    "REF_DA": "2",
    "ZRR": "2",
    "QPV": "2",
    "DETENTION_MJ": "2",
    "FLE": "2",
    "PM": "2",
}

# code: (annex, level, parent)
GEIQ = {
    "JEUNE": ("2", "2", None),
    "JEUNE_SQ": ("1", None, "JEUNE"),
    "SENIOR": ("2", "2", None),
    "MINIMA": ("1", None, None),
    "RSA": ("2", "1", "MINIMA"),
    "ASS": ("2", "1", "MINIMA"),
    "AAH": ("2", "1", "MINIMA"),
    "AUTRE_MINIMA": ("0", None, "MINIMA"),
    "TH": ("1+2", "2", None),
    "REF_DA": ("1+2", "2", None),
    "RS_PS_DA": ("2", "2", None),
    "CAP_BEP": ("2", "2", None),
    "FLE": ("2", "2", None),
    "SANS_TRAVAIL_12": ("1", None, None),
    "FT": ("0", None, None),
    "DELD_12": ("0", None, "FT"),
    "DELD": ("2", "2", "FT"),
    "DETLD": ("2", "1", "FT"),
    "DE_45": ("1", None, None),
    "RECONVERSION": ("1", None, None),
    "SIAE_CUI": ("1", None, None),
    "PSH_PR": ("2", "2", None),
    "QPV": ("1+2", "2", None),
    "ZRR": ("1+2", "2", None),
    "PI": ("2", "2", None),
    "ASE": ("2", "2", None),
    "DETENTION_MJ": ("1+2", "2", None),
    "PM": ("2", "2", None),
}


def test_the_18_iae_criteria_and_their_levels():
    criteria = {criterion.code: criterion.level for criterion in AdministrativeCriteria.objects.all()}
    assert criteria == IAE_LEVELS
    assert sum(1 for level in criteria.values() if level == "1") == 4
    assert sum(1 for level in criteria.values() if level == "2") == 14


def test_iae_display_order_is_level_then_rank():
    codes = list(AdministrativeCriteria.objects.values_list("code", flat=True))
    assert codes == list(IAE_LEVELS)
    ranks = AdministrativeCriteria.objects.filter(level="2").values_list("ui_rank", flat=True)
    assert list(ranks) == list(range(1, 15))


def test_only_rsa_aah_pi_and_th_are_certifiable():
    certifiable = dict(AdministrativeCriteria.objects.exclude(certifiable_by="").values_list("code", "certifiable_by"))
    assert certifiable == {
        "RSA": "API_PARTICULIER",
        "AAH": "API_PARTICULIER",
        "PI": "API_PARTICULIER",
        "TH": "FRANCE_TRAVAIL",
    }
    assert not AdministrativeCriteria.objects.get(code="ASS").is_certifiable


def test_labels_are_verbatim():
    assert AdministrativeCriteria.objects.get(code="DETLD").name == "DETLD (+ 24 mois)"
    assert AdministrativeCriteria.objects.get(code="ZRR").name == "Résident ZRR/ZFRR"


def test_the_28_geiq_criteria_with_annex_level_and_parent():
    criteria = {c.code: (c.annex, c.level, c.parent_id) for c in GEIQAdministrativeCriteria.objects.all()}
    assert criteria == GEIQ
    assert len(criteria) == 28


def test_geiq_certifiable_criteria_follow_the_same_sources():
    by_code = {c.code: c.certifiable_by for c in GEIQAdministrativeCriteria.objects.all() if c.is_certifiable}
    assert by_code == {
        "RSA": "API_PARTICULIER",
        "AAH": "API_PARTICULIER",
        "PI": "API_PARTICULIER",
        "TH": "FRANCE_TRAVAIL",
    }


def test_geiq_level_requires_annex_2():
    criterion = GEIQAdministrativeCriteria.objects.get(code="MINIMA")
    criterion.level = "2"
    with pytest.raises(IntegrityError), transaction.atomic():
        criterion.save()


def test_sync_is_idempotent():
    sync_criteria()
    sync_criteria()
    assert AdministrativeCriteria.objects.count() == 18
    assert GEIQAdministrativeCriteria.objects.count() == 28
