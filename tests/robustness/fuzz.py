"""What the form tests post, and what they expect back.

`form_data(fields)` draws the data of one submission: each field gets a plausible value (so that the form goes past
its first checks), nasty text, nothing at all, or several values at once; and a couple of fields the form does not
know may come along. `assert_answered_in_french(response)` is the property every page must hold.
"""

from hypothesis import strategies as st

from tests.robustness.strategies import nasty_numbers, nasty_text

MISSING = object()

# The marks of an error shown by a form or a message (DSFR error text, error alert, error message).
ERROR_MARKS = ("fr-error-text", "fr-alert--error", "fr-message--error", "fr-input-group--error")
# What a browser may receive: never a 500 (the test client raises on a server exception; a view returning a 500
# itself is caught here).
ANSWER_STATUSES = {200, 302, 303, 400, 403, 404, 405, 429}


def field_values(plausible, nasty=nasty_text):
    """One field as a browser or a robot sends it."""
    return st.one_of(
        plausible,
        nasty,
        st.just(MISSING),
        st.lists(st.one_of(plausible, nasty), min_size=2, max_size=3),  # the same field repeated
    )


unknown_fields = st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True), nasty_text, max_size=2)


@st.composite
def form_data(draw, fields, *, numbers=()):
    """The data of one submission of a form whose fields are {name: strategy of a plausible value}; `numbers` names
    the fields that hold numbers (they also receive numbers out of any range)."""
    data = {}
    for name, plausible in fields.items():
        value = draw(field_values(plausible, nasty_numbers if name in numbers else nasty_text))
        if value is not MISSING:
            data[name] = value
    return draw(unknown_fields) | data


def posted(data, name):
    """The value the view reads for `name` (`request.POST.get`: the last one when the field is repeated)."""
    value = data.get(name)
    return value[-1] if isinstance(value, list) and value else value


def html_of(response):
    return response.content.decode("utf-8", errors="replace")


def shows_error(response):
    html = html_of(response)
    return any(mark in html for mark in ERROR_MARKS)


def assert_answered_in_french(response, *, form_posted=False):
    """No server error; an HTML answer is a French page (a 4xx one says which error it is); a posted form that is
    shown again (200, 400) shows why."""
    assert response.status_code in ANSWER_STATUSES, response.status_code
    if response.status_code in (302, 303):
        return
    if response.get("Content-Type", "").startswith("text/html") and response.status_code != 405:
        html = html_of(response)
        assert '<html lang="fr"' in html
        if response.status_code in (400, 403, 404):
            assert "<h1" in html
    if form_posted and response.status_code in (200, 400):
        assert shows_error(response), "a posted form was shown again without any error"
