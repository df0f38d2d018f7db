"""Template hygiene checks that Django itself does not make."""

from pathlib import Path

INCLUSION = Path(__file__).resolve().parents[2] / "inclusion"


def unclosed_comment_lines(text):
    """The numbers of the lines that open a `{# … #}` comment without closing it."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]


def test_the_check_finds_a_comment_continued_on_the_next_line():
    assert unclosed_comment_lines("<p>\n{# one line #}\n{# two\nlines #}\n") == [3]


def test_no_template_comment_spans_several_lines():
    # `{# … #}` ends at the end of its line: a comment continued on the next line is printed to the user
    # (use {% comment %} for several lines).
    offenders = [
        f"{path.relative_to(INCLUSION)}:{number}"
        for path in sorted(INCLUSION.rglob("templates/**/*"))
        if path.is_file()
        for number in unclosed_comment_lines(path.read_text())
    ]
    assert offenders == []
