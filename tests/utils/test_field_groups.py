"""The list filters' field groups and inputs, written in Python (inclusion/utils/field_groups.py, widgets.py), say what
django-dsfr's and Django's templates say: same elements, attributes, labels, hints, values and checked options, for
every filter of the received and sent lists, empty and filled in. A field with errors keeps the templates."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.http import QueryDict

from inclusion.applications import filters, perms
from inclusion.utils.widgets import PythonInputMixin
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.prescribers.factories import PrescriberMembershipFactory


class _Tree(HTMLParser):
    """The markup as a list of (tag, sorted attributes) and texts, whitespace between tags ignored."""

    def __init__(self):
        super().__init__()
        self.items = []

    def handle_starttag(self, tag, attrs):
        # django-dsfr marks its radios and checkboxes with a dsfr="dsfr" attribute, which HTML does not know.
        self.items.append((tag, sorted((name, value) for name, value in attrs if name != "dsfr")))

    def handle_endtag(self, tag):
        self.items.append(("/" + tag,))

    def handle_data(self, data):
        if " ".join(data.split()):
            self.items.append(" ".join(data.split()))


def tree(html):
    parser = _Tree()
    parser.feed(str(html))
    return parser.items


def template_markup(bound_field):
    return super(type(bound_field), bound_field).as_field_group()


def received_form(data=None):
    company = CompanyFactory()
    employer = CompanyMembershipFactory(organization=company).user
    JobApplicationFactory(to_company=company)
    scope = perms.received_by(company)
    return filters.ReceivedFilterForm(data, scope=scope, viewer=employer, company=company)


def sent_form(data=None):
    membership = PrescriberMembershipFactory()
    scope = perms.sent_by(membership.user, membership.organization)
    return filters.SentFilterForm(data, scope=scope, viewer=membership.user, organization=membership.organization)


FILLED = QueryDict(
    "archived=all&states=new&states=accepted&start_date=2026-01-05&departments=69&eligibility=validated"
    "&senders_search=Du&pass_status=active"
)


@pytest.mark.parametrize("build", [received_form, sent_form], ids=["received", "sent"])
@pytest.mark.parametrize("data", [None, FILLED], ids=["empty", "filled"])
def test_each_filter_says_what_the_templates_say(db, build, data):
    form = build(data)
    assert form.is_bound is (data is not None)
    compared = 0
    for bound_field in form:
        if bound_field.errors:
            continue
        assert tree(bound_field.as_field_group()) == tree(template_markup(bound_field)), bound_field.name
        compared += 1
    assert compared >= 12


@pytest.mark.parametrize("build", [received_form, sent_form], ids=["received", "sent"])
@pytest.mark.parametrize("data", [None, FILLED], ids=["empty", "filled"])
def test_each_input_says_what_the_widget_templates_say(db, build, data):
    form = build(data)
    compared = 0
    for bound_field in form:
        widget = bound_field.field.widget
        if not isinstance(widget, PythonInputMixin | filters.FilterSearchInput):
            continue
        attrs = bound_field.build_widget_attrs({"id": bound_field.auto_id}, widget)
        arguments = {"name": bound_field.html_name, "value": bound_field.value(), "attrs": attrs}
        written = widget.render(**arguments)
        assert tree(written) == tree(forms.Widget.render(widget, **arguments, renderer=form.renderer)), (
            bound_field.name
        )
        compared += 1
    assert compared >= 5  # two dates and the "Ajouter …" inputs


def test_the_filled_in_values_are_checked_and_written(db):
    form = received_form(FILLED)
    archived = str(form["archived"].as_field_group())
    assert 'value="all" id="id_archived_2" checked' in archived
    assert 'value="active" id="id_archived_0" checked' not in archived
    assert 'value="2026-01-05"' in str(form["start_date"].as_field_group())
    assert 'value="accepted" id="id_states_4" checked' in str(form["states"].as_field_group())


def test_a_field_with_errors_keeps_the_templates(db):
    form = received_form(QueryDict("start_date=pas-une-date"))
    html = str(form["start_date"].as_field_group())
    assert "fr-input-group--error" in html
    assert "Saisissez une date valide (jj/mm/aaaa)." in html
