"""Properties of the NIR rules (organizations.md §4.1): the validator, the normaliser, the identity checks and the
birth data read from a NIR. The NIRs are built from the notes (`strategies.spec_nir_key`), not from the code."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from hypothesis import assume, example, given
from hypothesis import strategies as st

from inclusion.geo.models import CommuneFormerCode, Country
from inclusion.users import job_seeker_data
from inclusion.users.enums import Title
from inclusion.users.validators import nir_identity_errors, normalize_nir, validate_nir
from tests.geo.factories import CommuneFactory, DepartmentFactory
from tests.robustness.strategies import (
    INVALID_MONTHS,
    NIR_SEX_DIGITS,
    dates,
    nasty_text,
    nir_parts,
    spec_nir_key,
    well_formed_nirs,
)

SPECIMEN = "269054958815780"  # the sample NIR of public documentation (settings.NIR_DENYLIST)

# Text that looks like a NIR closely enough to reach the deeper checks (layout, sex digit, month, key).
nir_like_text = st.text(st.sampled_from("0123456789AaBb2 \t\u00a0٣"), min_size=13, max_size=18)


def refusal(value):
    """The ValidationError validate_nir raises for `value` (any other exception fails the test)."""
    with pytest.raises(ValidationError) as excinfo:
        validate_nir(value)
    return excinfo.value


def is_french_nir_message(error):
    [message] = error.messages
    return "numéro de sécurité sociale" in message


@given(st.one_of(nasty_text, nir_like_text))
@example("")
@example("\x00" * 15)
@example("ß" * 8)  # 8 characters that normalise to 16
@example("1 90 03 2a 123 456 00")
def test_any_text_is_accepted_or_refused_with_a_french_message(value):
    try:
        validate_nir(value)
    except ValidationError as error:
        assert is_french_nir_message(error)
    else:
        # Accepted: then it is a NIR of the notes once normalised.
        nir = normalize_nir(value)
        assert len(nir) == 15 and nir[0] in NIR_SEX_DIGITS
        assert int(nir[13:]) == spec_nir_key(nir[:13])


@given(nasty_text)
def test_the_length_errors_name_the_side(value):
    length = len(normalize_nir(value))
    assume(length != 15)
    assert refusal(value).code == ("nir_too_long" if length > 15 else "nir_too_short")


@given(st.one_of(nasty_text, nir_like_text))
def test_normalisation_is_idempotent_and_leaves_no_space_nor_lower_case(value):
    nir = normalize_nir(value)
    assert normalize_nir(nir) == nir
    assert not any(character.isspace() for character in nir)
    assert nir == nir.upper()


@given(well_formed_nirs())
@example("190032A004123" + f"{spec_nir_key('190032A004123'):02d}")  # Corsica
@example("2990397105001" + f"{spec_nir_key('2990397105001'):02d}")  # overseas, fictitious month 99
@example("8004299001001" + f"{spec_nir_key('8004299001001'):02d}")  # temporary number, born abroad
def test_every_well_formed_nir_is_accepted(nir):
    assume(nir not in django_settings.NIR_DENYLIST)
    validate_nir(nir)


@given(well_formed_nirs(), st.lists(st.sampled_from([" ", "  ", "\t", "\u00a0"]), min_size=15, max_size=15))
def test_spaces_and_lower_case_are_forgiven(nir, separators):
    assume(nir not in django_settings.NIR_DENYLIST)
    typed = "".join(separator + character for separator, character in zip(separators, nir.lower(), strict=True))
    validate_nir(typed)
    assert normalize_nir(typed) == nir


@given(well_formed_nirs(), st.data())
def test_any_single_digit_change_is_refused(nir, data):
    """Changing one digit moves the 13-digit number by d × 10^k, never a multiple of the prime 97: the key no longer
    matches (or the sex digit, the month or the layout is wrong first)."""
    position = data.draw(st.sampled_from([index for index, character in enumerate(nir) if character.isdigit()]))
    digit = data.draw(st.sampled_from([digit for digit in "0123456789" if digit != nir[position]]))
    changed = nir[:position] + digit + nir[position + 1 :]
    assert is_french_nir_message(refusal(changed))


@given(nir_parts(), st.integers(0, 99))
def test_a_wrong_key_is_refused(first_13, key):
    assume(key != spec_nir_key(first_13))
    assert refusal(f"{first_13}{key:02d}").code == "nir_key"


@given(nir_parts(months=st.sampled_from(INVALID_MONTHS)))
def test_months_13_to_19_43_to_49_and_00_are_refused(first_13):
    assert refusal(f"{first_13}{spec_nir_key(first_13):02d}").code == "nir_month"


@given(nir_parts(), st.sampled_from("0569"))
def test_other_first_digits_are_refused(first_13, sex):
    first_13 = sex + first_13[1:]
    assert refusal(f"{first_13}{spec_nir_key(first_13):02d}").code == "nir_sex_digit"


@pytest.mark.parametrize(
    "typed", [SPECIMEN, "2 69 05 49 588 157 80", "269054958815780".lower(), " 2690549588157 80 "], ids=str
)
def test_the_specimen_of_the_documentation_is_refused(typed):
    assert SPECIMEN in django_settings.NIR_DENYLIST
    # The specimen is a well-formed NIR: only the denylist refuses it.
    assert int(SPECIMEN[13:]) == spec_nir_key(SPECIMEN[:13])
    assert refusal(typed).code == "nir_specimen"


@given(well_formed_nirs(), st.sampled_from(["", Title.M, Title.MME]), st.one_of(st.none(), dates))
def test_identity_checks_never_fail_on_a_valid_nir(nir, title, birthdate):
    errors = nir_identity_errors(nir, title=title, birthdate=birthdate)
    assert all(isinstance(error, str) and error for error in errors)
    expected_title = Title.M if nir[0] in "137" else Title.MME
    assert any("civilité" in error for error in errors) == bool(title and title != expected_title)


@given(well_formed_nirs(months=st.integers(1, 12)), dates)
def test_a_birthdate_matching_the_nir_is_consistent(nir, birthdate):
    """organizations.md §4.1: a real month compares YYMM, a fictitious one YY only."""
    assume(nir[0] in "12")
    year, month = int(nir[1:3]), int(nir[3:5])
    matching = datetime.date(birthdate.year // 100 * 100 + year, month, 1)
    assert nir_identity_errors(nir, title=None, birthdate=matching) == []


# --- Birth data read from a NIR (job_seeker_data.birth_data_from_nir)


@pytest.fixture
def places(db):
    """A few places of the reference data: Lyon (and one of its arrondissements), Ajaccio, Basse-Terre, a commune
    merged into Lyon, France and Morocco. The full reference data may also be loaded by other tests of the run."""
    lyon = CommuneFactory()
    CommuneFactory(code_insee="69383", name="Lyon 3e Arrondissement", kind="ARM", parent=lyon, postal_codes="")
    CommuneFormerCode.objects.get_or_create(former_code="69999", defaults={"commune": lyon, "relation": "COMD"})
    CommuneFactory(
        code_insee="2A004",
        name="Ajaccio",
        department=DepartmentFactory(code="2A", name="Corse-du-Sud"),
        postal_codes="20000",
    )
    CommuneFactory(
        code_insee="97105",
        name="Basse-Terre",
        department=DepartmentFactory(code="971", name="Guadeloupe"),
        postal_codes="97100",
    )
    france = Country.objects.get_or_create(
        insee_code=Country.FRANCE_INSEE_CODE, defaults={"asp_code": "100", "name": "FRANCE", "kind": "country"}
    )[0]
    Country.objects.get_or_create(insee_code="99350", defaults={"asp_code": "350", "name": "MAROC", "kind": "country"})
    return france


# NIRs whose characters 6 to 10 name the places above, or nothing known.
place_codes = st.one_of(
    st.sampled_from(["69123", "69383", "69999", "2A004", "97105", "99350", "99999"]), st.just(None)
)


@given(nir=well_formed_nirs(), code=place_codes)
def test_birth_data_of_a_valid_nir(places, nir, code):
    if code is not None:
        first_13 = nir[:5] + code + nir[10:13]
        nir = f"{first_13}{spec_nir_key(first_13):02d}"
    country, place = job_seeker_data.birth_data_from_nir(nir)
    if nir[0] not in "12":
        # Temporary numbers (7, 8) and 3 / 4 carry no reliable birth place.
        assert (country, place) == (None, None)
    elif nir[5:7] == "99":
        assert place is None
        assert country is None or country.insee_code == nir[5:10]
    elif place is not None:
        assert country == places
        # The commune itself, its successor, or the whole commune of an arrondissement: never an arrondissement.
        assert place.kind != "ARM"
        assert nir[5:10] in {place.code_insee, *place.former_codes.values_list("former_code", flat=True)} or (
            place.arrondissements.filter(code_insee=nir[5:10]).exists()
        )
    else:
        assert country is None


@given(nasty_text)
def test_birth_data_of_anything_else_is_unknown(places, value):
    """A text that is not a 15-character NIR of a real person designates no place (and never reaches the
    database)."""
    assume(len(value) != 15 or value[0] not in "12")
    assert job_seeker_data.birth_data_from_nir(value) == (None, None)
