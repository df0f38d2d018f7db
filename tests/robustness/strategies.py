"""Hypothesis strategies shared by the robustness tests: NIRs, dates, and the nasty text a form may receive."""

import datetime

from hypothesis import strategies as st

# --- NIR (organizations.md §4.1), written from the notes, independently of inclusion/users/validators.py

NIR_SEX_DIGITS = "123478"
# Metropolitan departments (01–95, Corsica written 2A / 2B since 1976, "20" before), overseas (97, 98) and abroad (99).
DEPARTMENTS = [f"{number:02d}" for number in range(1, 100)] + ["2A", "2B"]
# Real months, then the two fictitious ranges (unknown month of birth).
VALID_MONTHS = [*range(1, 13), *range(20, 43), *range(50, 100)]
INVALID_MONTHS = [0, *range(13, 20), *range(43, 50)]
valid_months = st.sampled_from(VALID_MONTHS)


def spec_nir_key(first_13: str) -> int:
    """organizations.md §4.1 rule 6: 2A → 19, 2B → 18, then 97 − (the 13 digits mod 97)."""
    department = {"2A": "19", "2B": "18"}.get(first_13[5:7], first_13[5:7])
    return 97 - int(first_13[:5] + department + first_13[7:]) % 97


@st.composite
def nir_parts(draw, months=valid_months):
    """The 13 first characters of a NIR: sex · year · month · department · commune · order."""
    sex = draw(st.sampled_from(NIR_SEX_DIGITS))
    year = draw(st.integers(0, 99))
    month = draw(months)
    department = draw(st.sampled_from(DEPARTMENTS))
    commune = draw(st.integers(1, 999))
    order = draw(st.integers(1, 999))
    return f"{sex}{year:02d}{month:02d}{department}{commune:03d}{order:03d}"


def well_formed_nirs(months=valid_months):
    """Valid NIRs: the 13 characters and their key."""
    return nir_parts(months).map(lambda first_13: f"{first_13}{spec_nir_key(first_13):02d}")


# --- Text

# Everything a browser (or a robot) may send in a field: any code point but surrogates (Django refuses to decode
# them, the test client cannot encode them), NUL bytes and control characters included.
ANY_CHARACTER = st.characters(exclude_categories=("Cs",))
nasty_text = st.one_of(
    st.text(ANY_CHARACTER, max_size=40),
    st.text(ANY_CHARACTER, min_size=200, max_size=400),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "\u202e\u200b",  # right-to-left override, zero-width space
            "𝕏" * 30,  # astral plane
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "%00",
            "../../etc/passwd",
            "9" * 30,
            "-1",
            "1e309",
            "NaN",
            "٣",  # an Arabic-Indic digit: isdigit() but not [0-9]
            "ß" * 5,  # upper-cases to twice as many characters
            "x" * 5_000,
        ]
    ),
)
# What an integer field may receive: numbers out of any range, and text.
nasty_numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["0", "-0", "+1", "1.5", "1,5", "1e3", "inf", "9" * 400, "0x10", " 7 ", "٣"]),
    nasty_text,
)

# --- Dates: the whole calendar the rules may meet, with a bias towards 29 February and the ends of months and years.

EARLIEST = datetime.date(1950, 1, 1)
LATEST = datetime.date(2100, 12, 31)
_interesting = st.sampled_from(
    [
        datetime.date(2024, 2, 28),
        datetime.date(2024, 2, 29),
        datetime.date(2024, 3, 1),
        datetime.date(2025, 2, 28),
        datetime.date(2025, 12, 31),
        datetime.date(2026, 1, 1),
        datetime.date(2028, 2, 29),
        datetime.date(2000, 2, 29),
        datetime.date(2100, 2, 28),
        datetime.date(2026, 3, 29),  # the Sunday of the spring DST change in Europe/Paris
        datetime.date(2026, 10, 25),  # the Sunday of the autumn DST change
    ]
)
dates = st.one_of(st.dates(EARLIEST, LATEST), _interesting)
# Dates as a form posts them: dd/mm/yyyy, ISO, or anything else.
posted_dates = st.one_of(
    dates.map(lambda day: f"{day:%d/%m/%Y}"),
    dates.map(datetime.date.isoformat),
    st.sampled_from(["31/02/2026", "29/02/2025", "00/00/0000", "01/13/2026", "9999-99-99", "01/01/0001", "1/1/10000"]),
    nasty_text,
)
