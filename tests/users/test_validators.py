"""The identifier rules of organizations.md §4, at their edges."""

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from inclusion.users.enums import Title
from inclusion.users.validators import (
    CharacterClassesValidator,
    nir_identity_errors,
    nir_key,
    normalize_nir,
    validate_birthdate,
    validate_france_travail_id,
    validate_job_seeker_email,
    validate_naf,
    validate_nir,
    validate_post_code,
    validate_safir,
    validate_siren,
    validate_siret,
)


def spec_key(first_13):
    """organizations.md §4.1 rule 6, written independently of the code under test."""
    department = {"2A": "19", "2B": "18"}.get(first_13[5:7], first_13[5:7])
    return 97 - int(first_13[:5] + department + first_13[7:]) % 97


def make_nir(sex="1", year="90", month="03", department="69", commune="123", order="456"):
    first_13 = f"{sex}{year}{month}{department}{commune}{order}"
    assert len(first_13) == 13
    return f"{first_13}{nir_key(first_13):02d}"


def error_code(validator, value):
    with pytest.raises(ValidationError) as excinfo:
        validator(value)
    return excinfo.value.code


# NIR -----------------------------------------------------------------------------------------------------------


def test_make_nir_uses_the_documented_key():
    for first_13 in ["1900369123456", "2850113055001", "190032A004123", "290032B033045", "7990199001001"]:
        assert nir_key(first_13) == spec_key(first_13)


def test_valid_nir_is_accepted():
    validate_nir(make_nir())


def test_nir_is_normalised_before_validation():
    nir = make_nir(department="2A", commune="004")
    spaced_lower = f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7].lower()} {nir[7:10]} {nir[10:13]} {nir[13:]}"
    assert normalize_nir(spaced_lower) == nir
    validate_nir(spaced_lower)
    validate_nir(f"  {nir}\t")


def test_nir_with_14_characters_is_too_short():
    with pytest.raises(ValidationError, match="trop court") as excinfo:
        validate_nir(make_nir()[:14])
    assert excinfo.value.code == "nir_too_short"


def test_nir_with_16_characters_is_too_long():
    with pytest.raises(ValidationError, match="trop long") as excinfo:
        validate_nir(make_nir() + "0")
    assert excinfo.value.code == "nir_too_long"


def test_spaces_do_not_count_in_the_nir_length():
    # 15 significant characters, 20 with the spaces: neither too long nor too short.
    nir = make_nir()
    validate_nir(" ".join([nir[:5], nir[5:10], nir[10:]]) + "   ")


@pytest.mark.parametrize("sex", ["1", "2", "3", "4", "7", "8"])
def test_nir_sex_digit_accepted(sex):
    validate_nir(make_nir(sex=sex))


@pytest.mark.parametrize("sex", ["0", "5", "6", "9"])
def test_nir_sex_digit_refused(sex):
    assert error_code(validate_nir, make_nir(sex=sex)) == "nir_sex_digit"


@pytest.mark.parametrize("month", ["01", "12", "20", "42", "50", "99"])
def test_nir_month_accepted(month):
    validate_nir(make_nir(month=month))


@pytest.mark.parametrize("month", ["00", "13", "19", "43", "49"])
def test_nir_month_refused(month):
    assert error_code(validate_nir, make_nir(month=month)) == "nir_month"


def test_nir_key_off_by_one_is_refused():
    nir = make_nir()
    key = int(nir[13:])
    assert 1 < key < 97  # both neighbours are two-digit keys
    for wrong_key in (key - 1, key + 1):
        with pytest.raises(ValidationError, match="clé de contrôle") as excinfo:
            validate_nir(f"{nir[:13]}{wrong_key:02d}")
        assert excinfo.value.code == "nir_key"


@pytest.mark.parametrize("department,substitute", [("2A", "19"), ("2B", "18")])
def test_corsican_nir_key_uses_the_substitution(department, substitute):
    first_13 = f"19003{department}004123"
    key = 97 - int(f"19003{substitute}004123") % 97
    validate_nir(f"{first_13}{key:02d}")
    # The key of the other Corsican department is not accepted.
    other = {"19": "18", "18": "19"}[substitute]
    wrong_key = 97 - int(f"19003{other}004123") % 97
    assert wrong_key != key
    assert error_code(validate_nir, f"{first_13}{wrong_key:02d}") == "nir_key"


@pytest.mark.parametrize(
    "first_13",
    [
        "1900369A23456",  # letter in the commune
        "19A0369123456",  # letter in the year
        "190036912345B",  # letter in the order number
        "190032C123456",  # not a Corsican department
        "1900320A23456",  # "2A" out of place
        "A900369123456",  # letter for the sex digit
    ],
)
def test_nir_with_letters_outside_the_corsican_department_is_refused(first_13):
    assert error_code(validate_nir, f"{first_13}12") == "nir_layout"


def test_nir_with_letters_in_the_key_is_refused():
    assert error_code(validate_nir, make_nir()[:13] + "1A") == "nir_layout"


def test_nir_with_non_ascii_digits_is_refused():
    nir = make_nir()
    arabic_indic = nir.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert error_code(validate_nir, arabic_indic) == "nir_layout"


def test_specimen_nir_is_refused(settings):
    specimen = "269054958815780"
    assert specimen in settings.NIR_DENYLIST
    assert spec_key(specimen[:13]) == int(specimen[13:])  # refused for being the specimen, not for its key
    with pytest.raises(ValidationError, match="exemple") as excinfo:
        validate_nir(specimen)
    assert excinfo.value.code == "nir_specimen"
    assert error_code(validate_nir, "2 69 05 49 588 157 80") == "nir_specimen"


def test_nir_denylist_comes_from_the_settings(settings):
    nir = make_nir()
    settings.NIR_DENYLIST = [nir]
    assert error_code(validate_nir, nir) == "nir_specimen"
    settings.NIR_DENYLIST = []
    validate_nir("269054958815780")


# NIR consistency with the title and the birthdate --------------------------------------------------------------


@pytest.mark.parametrize(
    "sex,expected_title",
    [("1", Title.M), ("3", Title.M), ("7", Title.M), ("2", Title.MME), ("4", Title.MME), ("8", Title.MME)],
)
def test_title_must_match_the_sex_digit(sex, expected_title):
    nir = make_nir(sex=sex)
    assert nir_identity_errors(nir, title=expected_title, birthdate=None) == []
    wrong_title = Title.MME if expected_title == Title.M else Title.M
    assert nir_identity_errors(nir, title=wrong_title, birthdate=None) == [
        "La civilité ne correspond pas au premier chiffre du numéro de sécurité sociale."
    ]


@pytest.mark.parametrize("sex", ["1", "2"])
def test_real_nir_month_compares_year_and_month(sex):
    nir = make_nir(sex=sex, year="90", month="03")
    assert nir_identity_errors(nir, title=None, birthdate=datetime.date(1990, 3, 1)) == []
    assert nir_identity_errors(nir, title=None, birthdate=datetime.date(1990, 3, 31)) == []
    for birthdate in (datetime.date(1990, 4, 1), datetime.date(1990, 2, 28), datetime.date(1991, 3, 15)):
        assert nir_identity_errors(nir, title=None, birthdate=birthdate) == [
            "L'année et le mois de naissance ne correspondent pas au numéro de sécurité sociale."
        ]


@pytest.mark.parametrize("month", ["20", "42", "50", "99"])
def test_fictitious_nir_month_compares_the_year_only(month):
    nir = make_nir(sex="2", year="90", month=month)
    assert nir_identity_errors(nir, title=Title.MME, birthdate=datetime.date(1990, 1, 1)) == []
    assert nir_identity_errors(nir, title=Title.MME, birthdate=datetime.date(1990, 12, 31)) == []
    assert nir_identity_errors(nir, title=Title.MME, birthdate=datetime.date(1989, 12, 31)) == [
        "L'année de naissance ne correspond pas au numéro de sécurité sociale."
    ]


@pytest.mark.parametrize("sex", ["3", "4", "7", "8"])
def test_no_birthdate_comparison_for_other_sex_digits(sex):
    nir = make_nir(sex=sex, year="90", month="03")
    assert nir_identity_errors(nir, title=None, birthdate=datetime.date(1975, 11, 2)) == []


def test_title_and_birthdate_errors_add_up():
    nir = make_nir(sex="1", year="90", month="03")
    assert len(nir_identity_errors(nir, title=Title.MME, birthdate=datetime.date(1991, 3, 1))) == 2


# Birthdate ------------------------------------------------------------------------------------------------------


@time_machine.travel("2026-06-15 12:00", tick=False)
@pytest.mark.parametrize(
    "birthdate,code",
    [
        (datetime.date(2010, 6, 16), "birthdate_too_young"),  # turns 16 tomorrow
        (datetime.date(2010, 6, 15), "birthdate_too_young"),  # 16 today: not strictly older
        (datetime.date(2010, 6, 14), None),  # 16 years and 1 day
        (datetime.date(1926, 6, 16), None),  # 100 years minus 1 day
        (datetime.date(1926, 6, 15), "birthdate_too_old"),  # exactly 100 years
        (datetime.date(1926, 6, 14), "birthdate_too_old"),
    ],
)
def test_birthdate_bounds(birthdate, code):
    if code is None:
        validate_birthdate(birthdate)
    else:
        assert error_code(validate_birthdate, birthdate) == code


def test_birthdate_messages_are_french():
    with time_machine.travel("2026-06-15 12:00", tick=False):
        with pytest.raises(ValidationError, match="plus de 16 ans"):
            validate_birthdate(datetime.date(2010, 6, 15))
        with pytest.raises(ValidationError, match="moins de 100 ans"):
            validate_birthdate(datetime.date(1926, 6, 15))


def test_birthdate_uses_the_french_date():
    # 22:30 UTC on 14 June is already 15 June in Paris.
    with time_machine.travel(datetime.datetime(2026, 6, 14, 22, 30, tzinfo=datetime.UTC), tick=False):
        assert error_code(validate_birthdate, datetime.date(2010, 6, 15)) == "birthdate_too_young"
        validate_birthdate(datetime.date(2010, 6, 14))


def test_birthdate_on_29_february():
    # Born on 29 February 2008: still 15 on the 28th, 16 (not strictly older) on the 29th, accepted on 1 March.
    born = datetime.date(2008, 2, 29)
    with time_machine.travel("2024-02-28 12:00", tick=False):
        assert error_code(validate_birthdate, born) == "birthdate_too_young"
    with time_machine.travel("2024-02-29 12:00", tick=False):
        assert error_code(validate_birthdate, born) == "birthdate_too_young"
        validate_birthdate(datetime.date(2008, 2, 28))
        assert error_code(validate_birthdate, datetime.date(1924, 2, 29)) == "birthdate_too_old"
        validate_birthdate(datetime.date(1924, 3, 1))
    with time_machine.travel("2024-03-01 12:00", tick=False):
        validate_birthdate(born)


def test_birthdate_on_29_february_in_a_common_year():
    # Today is 28 February 2026: 16 years ago is 28 February 2010, 100 years ago 28 February 1926.
    with time_machine.travel("2026-02-28 12:00", tick=False):
        validate_birthdate(datetime.date(2010, 2, 27))
        assert error_code(validate_birthdate, datetime.date(2010, 2, 28)) == "birthdate_too_young"
        assert error_code(validate_birthdate, datetime.date(1926, 2, 28)) == "birthdate_too_old"
        validate_birthdate(datetime.date(1926, 3, 1))


# France Travail identifier -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["12345678", "1234567A", "1234567z", "12345678901"])
def test_france_travail_id_accepted(value):
    validate_france_travail_id(value)


@pytest.mark.parametrize(
    "value",
    [
        "1234567",  # 7
        "123456789",  # 9
        "1234567890",  # 10
        "123456789012",  # 12
        "1234567é",  # not ASCII
        "１２３４５６７８",  # full-width digits
        "A2345678",  # letter in the first seven
        "123456A8",
        "1234567-",
        "1234567890A",  # 11 characters must be digits
        "",
    ],
)
def test_france_travail_id_refused(value):
    with pytest.raises(ValidationError, match="7 chiffres suivis d'un chiffre ou d'une lettre") as excinfo:
        validate_france_travail_id(value)
    assert excinfo.value.code == "france_travail_id"


# SIRET, SIREN, NAF, SAFIR, post code --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "validator,length,code",
    [
        (validate_siret, 14, "siret"),
        (validate_siren, 9, "siren"),
        (validate_safir, 5, "safir"),
        (validate_post_code, 5, "post_code"),
    ],
)
def test_digit_identifiers(validator, length, code):
    digits = "1234567890123456"
    validator(digits[:length])
    validator("0" * length)  # leading zeros are kept
    for wrong in (
        digits[: length - 1],
        digits[: length + 1],
        "A" + digits[: length - 1],
        digits[: length - 1] + "a",
        digits[: length - 2] + " 1",
        digits[:length] + "\n",
    ):
        assert error_code(validator, wrong) == code, wrong


def test_digit_identifier_messages_are_french():
    with pytest.raises(ValidationError, match="Le numéro SIRET doit comporter 14 chiffres."):
        validate_siret("1234")
    with pytest.raises(ValidationError, match="Le code postal doit comporter 5 chiffres."):
        validate_post_code("2A004")


@pytest.mark.parametrize("value", ["8810C", "0111Z", "9999A"])
def test_naf_accepted(value):
    validate_naf(value)


@pytest.mark.parametrize("value", ["8810c", "881C", "88100C", "8810CC", "88.10C", "8810", "C8810", "8810C\n"])
def test_naf_refused(value):
    assert error_code(validate_naf, value) == "naf"


# E-mails ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [
        "jean.dupont@pole-emploi.fr",
        "jean.dupont@francetravail.fr",
        "Jean.Dupont@Pole-Emploi.FR",
        "JEAN.DUPONT@FRANCETRAVAIL.FR",
    ],
)
def test_job_seeker_email_refuses_france_travail_addresses(email):
    with pytest.raises(ValidationError, match="adresse personnelle") as excinfo:
        validate_job_seeker_email(email)
    assert excinfo.value.code == "france_travail_email"


@pytest.mark.parametrize(
    "email",
    ["jean.dupont@example.com", "francetravail.fr@gmail.com", "pole-emploi@laposte.net", "a@francetravail.org"],
)
def test_job_seeker_email_accepts_other_addresses(email):
    validate_job_seeker_email(email)


# Passwords ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "abcdefghijklmnopq",  # lower case only
        "abcdefgh12345678",  # lower case + digits
        "ABCDEFGH-IJKLMNOP",  # upper case + special
        "12345678!!!!????",  # digits + special
    ],
)
def test_password_with_fewer_than_3_classes_is_refused(password):
    with pytest.raises(ValidationError, match="au moins 3 des 4 types de caractères") as excinfo:
        CharacterClassesValidator().validate(password)
    assert excinfo.value.code == "password_character_classes"


@pytest.mark.parametrize(
    "password",
    [
        "abcdefgh1234567A",  # lower + upper + digit
        "abcdefgh-1234567",  # lower + special + digit
        "ABCDEFGH 1234567",  # upper + space + digit
        "Abcdefgh-ijklmno",  # upper + lower + special
    ],
)
def test_password_with_3_classes_is_accepted(password):
    CharacterClassesValidator().validate(password)


def test_password_settings_require_16_characters_and_3_classes():
    with pytest.raises(ValidationError) as excinfo:
        validate_password("Kx7vertPlume93a")  # 15 characters, 3 classes
    assert [error.code for error in excinfo.value.error_list] == ["password_too_short"]
    assert "16 caractères" in excinfo.value.messages[0]

    validate_password("Kx7vertPlume93ab")  # 16 characters, 3 classes

    with pytest.raises(ValidationError) as excinfo:
        validate_password("kxsevertplume93ab")  # 17 characters, 2 classes
    assert [error.code for error in excinfo.value.error_list] == ["password_character_classes"]


@pytest.mark.parametrize(
    "validator,value",
    [
        (validate_siret, "٨١٢٣٤٥٦٧٨٠٠٠١١"),  # 14 Arabic-Indic digits
        (validate_siren, "٨١٢٣٤٥٦٧٨"),
        (validate_safir, "٦٩٠٣١"),
        (validate_post_code, "٦٩٠٠١"),
        (validate_naf, "٨٨١٠C"),
    ],
)
def test_identifiers_need_ascii_digits(validator, value):
    with pytest.raises(ValidationError):
        validator(value)
