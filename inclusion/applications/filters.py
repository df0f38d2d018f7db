"""Filters and list data of the application lists (applications.md §14, §16).

The scope of a list comes from `perms.py` (`received_by`, `sent_by`, `of_job_seeker`); this module narrows it with the
filters of §14 and adds what the rows show (job seeker department, eligibility, diagnosis criteria) as SQL
annotations, so that a page costs a fixed number of queries whatever its number of rows.

Rules stay where they live: the diagnosis precedence is `eligibility.rules.visible_diagnoses` (§2.5), the PASS
validity is `Approval.objects.valid` (pass_iae.md §4), who sees a name is `users.perms` (§16).
"""

import uuid
from dataclasses import dataclass

from django import forms
from django.db import models
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, Lower, NullIf, Substr
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from inclusion.applications.enums import JobApplicationState
from inclusion.applications.models import JobApplication
from inclusion.approvals.models import Approval, Suspension
from inclusion.companies.enums import CompanyKind
from inclusion.companies.models import JobDescription
from inclusion.eligibility.criteria import IAE_CRITERIA
from inclusion.eligibility.models import SelectedAdministrativeCriteria
from inclusion.eligibility.rules import visible_diagnoses
from inclusion.geo import reference
from inclusion.jobs.views import search_words, word_prefix_regex
from inclusion.users.enums import UserKind
from inclusion.users.models import User
from inclusion.users.perms import can_view_personal_information
from inclusion.utils.field_groups import FieldGroupBoundField
from inclusion.utils.forms import DsfrFormMixin
from inclusion.utils.widgets import CHECKBOXES_TEMPLATE, CheckboxList, DateInput, PythonInputMixin

# applications.md §14: every list shows 20 applications per page.
APPLICATIONS_PER_PAGE = 20
# applications.md §14: the criteria column shows the first 3 criteria, then "+ N".
CRITERIA_SHOWN = 3
# The value of the "spontaneous application" choice of the jobs filter (no job description selected).
SPONTANEOUS = "spontanee"
SPONTANEOUS_CHOICE = (SPONTANEOUS, "Candidature spontanée")

IAE_CRITERIA_ORDER = {criterion.code: rank for rank, criterion in enumerate(IAE_CRITERIA)}
IAE_CRITERIA_NAMES = {criterion.code: criterion.name for criterion in IAE_CRITERIA}


class Archived(models.TextChoices):
    """applications.md §11: lists show the non-archived applications by default."""

    ACTIVE = "active", "Candidatures actives"
    ARCHIVED = "archived", "Candidatures archivées"
    ALL = "all", "Toutes les candidatures"


class PassStatus(models.TextChoices):
    """applications.md §14: the PASS IAE status of the job seeker (pass_iae.md §11 states, grouped)."""

    ACTIVE = "active", "PASS IAE valide"
    SUSPENDED = "suspended", "PASS IAE suspendu"
    EXPIRED = "expired", "PASS IAE expiré"


class EligibilityStatus(models.TextChoices):
    VALIDATED = "validated", "Éligibilité IAE validée"
    PENDING = "pending", "Éligibilité IAE à valider"


class JobSeekerOrdering(models.TextChoices):
    """applications.md §14 "Job seeker": ordering by date (newest first, the default) or by company name."""

    DATE = "date", "Plus récentes d'abord"
    NAME = "name", "Structure, de A à Z"


# --- SQL expressions on the job seeker of an application


def department_code_expression(prefix="job_seeker__"):
    """The department code of a person's address (organizations.md §2: derived from the address): the commune's
    department when the commune is known, else read from the post code (97x and 98x on three characters; Corsica:
    200xx–201xx is 2A, 202xx–206xx is 2B). Empty without address.

    applications.md §15 "Reference differs": the export's department column holds this code, not the post code.
    """
    post_code = f"{prefix}post_code"
    return Case(
        When(**{f"{prefix}commune__isnull": False}, then=F(f"{prefix}commune__department__code")),
        When(**{post_code: ""}, then=Value("")),
        When(
            Q(**{f"{post_code}__startswith": "97"}) | Q(**{f"{post_code}__startswith": "98"}),
            then=Substr(post_code, 1, 3),
        ),
        When(Q(**{f"{post_code}__startswith": "200"}) | Q(**{f"{post_code}__startswith": "201"}), then=Value("2A")),
        When(**{f"{post_code}__startswith": "20"}, then=Value("2B")),
        default=Substr(post_code, 1, 2),
        output_field=CharField(),
    )


def _starts_with(field, *prefixes):
    return _any_of([Q(**{f"{field}__startswith": prefix}) for prefix in prefixes])


def _approvals_of_job_seeker():
    return Approval.objects.filter(user=OuterRef("job_seeker_id"))


def _suspended_on(on):
    return Exists(Suspension.objects.filter(approval=OuterRef("pk"), start_at__lte=on, end_at__gte=on))


def has_valid_pass(on):
    """pass_iae.md §4: the job seeker holds a valid (current or future) PASS."""
    return Exists(_approvals_of_job_seeker().valid(on))


def considered_diagnosis(*, for_siae, on):
    """eligibility.md §2.5 in SQL: the pk of the job seeker's last considered-valid IAE diagnosis, visible for
    `for_siae` (None: prescriber diagnoses only, the prescribers' and the exports' view).

    Same precedence as `eligibility.rules.last_considered_valid_diagnosis`: the visible diagnoses, prescriber-authored
    first, newest first; a valid one, or any when the job seeker holds a valid PASS.
    """
    diagnoses = visible_diagnoses(OuterRef("job_seeker_id"), for_siae=for_siae).filter(
        # Inside this subquery, OuterRef points at the diagnosis, whose job seeker is the application's.
        Q(expires_at__gt=on) | Exists(Approval.objects.valid(on).filter(user=OuterRef("job_seeker_id")))
    )
    return Subquery(diagnoses.values("pk")[:1])


def _pass_status_condition(status, on):
    valid = _approvals_of_job_seeker().valid(on)
    if status == PassStatus.SUSPENDED:
        return Exists(valid.filter(_suspended_on(on)))
    if status == PassStatus.ACTIVE:
        return Exists(valid.filter(~_suspended_on(on)))
    # Expired: a PASS whose end is past, and no valid one since.
    return Exists(_approvals_of_job_seeker().filter(end_at__lt=on)) & ~Exists(valid)


def _eligibility_expressions(*, on, for_siae):
    return {
        "has_valid_pass": has_valid_pass(on),
        "considered_diagnosis_id": considered_diagnosis(for_siae=for_siae, on=on),
    }


def _filter_expressions(*, on, for_siae, with_eligibility):
    expressions = {"job_seeker_department": department_code_expression()}
    if with_eligibility:
        expressions |= _eligibility_expressions(on=on, for_siae=for_siae)
        expressions["list_diagnosis_id"] = Coalesce(F("eligibility_diagnosis_id"), F("considered_diagnosis_id"))
    return expressions


_LIST_RELATIONS = ("job_seeker", "sender", "sender_company", "sender_prescriber_organization", "to_company")
# What a row of the received and sent lists reads (views_lists._row, the lists' templates, `display_name_for`,
# `sender_kind_label`): only these columns are loaded. All of them cost ~40 dates to parse per row for the two shown.
_LIST_COLUMNS = (
    "state",
    "created_at",
    "archived_at",
    "sender_kind",
    "eligibility_diagnosis",
    "job_seeker__first_name",
    "job_seeker__last_name",
    "job_seeker__kind",
    "job_seeker__created_by",
    "sender__first_name",
    "sender__last_name",
    "sender__kind",
    "sender__created_by",
    "sender_company__name",
    "sender_company__brand",
    "sender_prescriber_organization__name",
    "sender_prescriber_organization__authorization_status",
    "to_company__name",
    "to_company__brand",
    "to_company__kind",
)


def with_list_data(queryset, *, on, for_siae=None, with_eligibility=True):
    """The applications with what a list row shows, in a fixed number of queries.

    With `with_eligibility`, adds `has_valid_pass` and `considered_diagnosis_id` (eligibility.md §2.5 for `for_siae`);
    `list_diagnosis_id(row)` then gives the diagnosis whose criteria the row shows. The department, which rows do not
    show, is left to the filters (two joins and a CASE less to plan for each page).
    """
    queryset = queryset.select_related(*_LIST_RELATIONS).only(*_LIST_RELATIONS, *_LIST_COLUMNS)
    if with_eligibility:
        queryset = queryset.annotate(**_eligibility_expressions(on=on, for_siae=for_siae))
    # A row shows the job's name only: its texts (missions, profile) stay in the database.
    jobs = jobs_queryset().only("custom_name", "appellation__name")
    return queryset.prefetch_related(models.Prefetch("selected_jobs", queryset=jobs))


def list_diagnosis_id(job_application):
    """The diagnosis whose criteria a row shows and the criteria filter reads: the one attached at hiring, else the
    considered one (the SQL of the filter is `_filter_expressions`' `list_diagnosis_id`)."""
    if job_application.eligibility_diagnosis_id is not None:
        return job_application.eligibility_diagnosis_id
    return getattr(job_application, "considered_diagnosis_id", None)


# The filter values each filter reads: `with_filter_data` computes those of the filters in use only.
_VALUES_READ_BY_FILTER = {
    "departments": ("job_seeker_department",),
    "eligibility": ("has_valid_pass", "considered_diagnosis_id"),
    "criteria": ("considered_diagnosis_id", "list_diagnosis_id"),
}


def with_filter_data(queryset, *, form, on, for_siae=None, with_eligibility=True):
    """The values that the form's filters in use read, computed by the database where they are read and never
    selected. Without such a filter, the list's ids are read from the applications table alone."""
    values = form.values()
    needed = {name for field, names in _VALUES_READ_BY_FILTER.items() if values.get(field) for name in names}
    if not needed:
        return queryset
    expressions = _filter_expressions(on=on, for_siae=for_siae, with_eligibility=with_eligibility)
    return queryset.alias(**{name: expression for name, expression in expressions.items() if name in needed})


def jobs_queryset():
    return JobDescription.objects.select_related("appellation").order_by("pk")


def eligibility_validated(job_application):
    """applications.md §14: the eligibility is validated when the job seeker holds a valid PASS or a considered-valid
    diagnosis (eligibility.md §2.5). Reads the annotations of `with_list_data`."""
    return bool(job_application.has_valid_pass or job_application.considered_diagnosis_id)


def criteria_by_diagnosis(job_applications):
    """{diagnosis pk: [criterion names in display order]} for the rows' `list_diagnosis_id`. One query."""
    diagnosis_ids = {list_diagnosis_id(ja) for ja in job_applications} - {None}
    if not diagnosis_ids:
        return {}
    codes = {}
    rows = SelectedAdministrativeCriteria.objects.filter(eligibility_diagnosis_id__in=diagnosis_ids).values_list(
        "eligibility_diagnosis_id", "administrative_criteria_id"
    )
    for diagnosis_id, code in rows:
        codes.setdefault(diagnosis_id, []).append(code)
    return {
        diagnosis_id: [
            IAE_CRITERIA_NAMES.get(code, code) for code in sorted(found, key=lambda c: IAE_CRITERIA_ORDER.get(c, 99))
        ]
        for diagnosis_id, found in codes.items()
    }


# --- Choices of the filters (issue 7): nothing here grows with the number of applications of the list
#
# People and organizations are never enumerated: a filter over them shows the values already chosen (resolved in one
# query, inside the list's scope) and an "Ajouter …" input that searches the scope (`search_in_scope`, also the JSON
# endpoint of the autocomplete). Departments come from the reference table, kept in the cache; the inbox's jobs are
# the company's own.


def _person(pk, public_id, kind, first_name, last_name, created_by_id):
    """A user as the personal-data rule reads it (applications.md §16), built from a row without a query."""
    return User(
        pk=pk, public_id=public_id, kind=kind, first_name=first_name, last_name=last_name, created_by_id=created_by_id
    )


def _name_key(label):
    return label.casefold()


# How many suggestions an autocomplete of the filters offers.
MAX_SUGGESTIONS = 15
# The name of the text input that adds a value to the searched filter `name`.
SEARCH_SUFFIX = "_search"


def _company_label(prefix=""):
    # organizations.md §8.2: the brand overrides the name on display (Company.display_name).
    return Coalesce(NullIf(f"{prefix}brand", Value("")), f"{prefix}name")


def _job_label():
    # JobDescription.display_name.
    return Coalesce(NullIf("custom_name", Value("")), "appellation__name")


@dataclass(frozen=True)
class SearchedFilter:
    """A filter over the people or organizations of a list's scope (applications.md §14), searched, never listed."""

    relation: str  # the JobApplication field pointing at the filtered object
    key: str  # the object's public identifier: the value the filter submits
    search_fields: tuple[str, ...]  # what a typed text is matched against, word by word
    add_label: str
    no_match: str  # "{term}" is the typed text
    several: str
    label: object = None  # SQL expression of the label; None for people (named through users.perms)

    @property
    def is_person(self):
        return self.label is None

    def objects_in(self, scope):
        """The filtered objects that appear in `scope`: one EXISTS, whatever the size of the scope."""
        return (
            self._model()._default_manager.order_by().filter(Exists(scope.filter(**{self.relation: OuterRef("pk")})))
        )

    def listed_in(self, scope):
        """The same objects, their ids read from `scope` first (one query, through the scope's index). Searched by
        name and sorted in one query, PostgreSQL read every user of the country instead (1.7 s with 1.5 M people,
        for an inbox of 10 000 applications; docs/performance.md)."""
        ids = list(scope.order_by().values_list(self.relation, flat=True).distinct())
        return self._model()._default_manager.order_by().filter(pk__in=ids)

    def _model(self):
        return JobApplication._meta.get_field(self.relation).related_model


def _not_in_list(noun):
    return f"{noun} de cette liste ne correspond à « {{term}} »."


def _several(plural):
    return f"Plusieurs {plural} correspondent : précisez ou choisissez dans la liste."


PERSON_NAME = ("first_name", "last_name")
SEARCHED_FILTERS = {
    "job_seeker": SearchedFilter(
        "job_seeker", "public_id", PERSON_NAME, "Rechercher un candidat", _not_in_list("Aucun candidat"),
        _several("candidats"),
    ),
    "senders": SearchedFilter(
        "sender", "public_id", PERSON_NAME, "Ajouter un émetteur", _not_in_list("Aucun émetteur"),
        _several("émetteurs"),
    ),
    "sender_prescriber_organizations": SearchedFilter(
        "sender_prescriber_organization", "uid", ("name",), "Ajouter une organisation",
        _not_in_list("Aucune organisation"), _several("organisations"), label=F("name"),
    ),
    "sender_companies": SearchedFilter(
        "sender_company", "uid", ("name", "brand"), "Ajouter une structure", _not_in_list("Aucune structure"),
        _several("structures"), label=_company_label(),
    ),
    "to_companies": SearchedFilter(
        "to_company", "uid", ("name", "brand"), "Ajouter une structure", _not_in_list("Aucune structure"),
        _several("structures"), label=_company_label(),
    ),
    # The sent list's jobs come from any company: named with their company.
    "selected_jobs": SearchedFilter(
        "selected_jobs", "uid", ("custom_name", "appellation__name"), "Ajouter un poste",
        _not_in_list("Aucun poste"), _several("postes"),
        label=Concat(_job_label(), Value(" — "), _company_label("company__"), output_field=CharField()),
    ),
}  # fmt: skip


def _matching(objects, words, fields):
    """The `objects` of which every typed word starts a word of one of `fields`, whatever the accents and the case
    (a portable regex: jobs.views). The fields are searched as one text: one regex per word and row."""
    text = Coalesce(fields[0], Value(""))
    for field in fields[1:]:
        text = Concat(text, Value(" "), Coalesce(field, Value("")), output_field=CharField())
    objects = objects.annotate(searched_text=text)
    for word in words:
        objects = objects.filter(searched_text__iregex=word_prefix_regex(word))
    return objects


def _nameable(searched, person, *, viewer, organization):
    """applications.md §16: a job seeker whose name the viewer may not see is never offered nor shown by a filter
    (it would disclose the name), neither as job seeker nor as sender. Professionals who sent are always named."""
    if searched.relation == "sender" and person.kind != UserKind.JOB_SEEKER:
        return True
    return can_view_personal_information(viewer, person, organization=organization)


def _nameable_in_sql(viewer, organization):
    """What SQL can narrow of `_nameable` before a search's LIMIT, so that refused rows do not take the places of
    nameable ones: a viewer who may name a job seeker he has nothing to do with names them all; the others, at most
    the accounts they created (users.perms). `_nameable` still decides on every row found."""
    stranger = _person(None, None, UserKind.JOB_SEEKER, "", "", None)
    if can_view_personal_information(viewer, stranger, organization=organization):
        return Q()
    return ~Q(kind=UserKind.JOB_SEEKER) | Q(created_by=viewer) | Q(pk=viewer.pk)


PERSON_COLUMNS = ("pk", "public_id", "kind", "first_name", "last_name", "created_by_id")


def search_in_scope(name, scope, term, *, viewer, organization, limit=MAX_SUGGESTIONS):
    """[(value, label)] of the objects of the searched filter `name` in `scope` whose name matches every word of
    `term` (each word starts a word of the name, accents and case ignored), sorted by label, at most `limit`."""
    searched = SEARCHED_FILTERS[name]
    words = search_words(term)
    if not words:
        return []
    objects = _matching(searched.listed_in(scope), words, searched.search_fields)
    if searched.is_person:
        rows = objects.filter(_nameable_in_sql(viewer, organization)).order_by(
            Lower("last_name"), Lower("first_name"), "pk"
        )
        people = [_person(*row) for row in rows.values_list(*PERSON_COLUMNS)[:limit]]
        found = [
            (str(person.public_id), person.get_inverted_full_name())
            for person in people
            if _nameable(searched, person, viewer=viewer, organization=organization)
        ]
    else:
        rows = objects.annotate(label=searched.label).order_by(Lower("label"), "pk")
        found = [(str(key), label) for key, label in rows.values_list(searched.key, "label")[:limit]]
    return sorted(found, key=_choice_key)


def resolve_typed(name, scope, term, *, viewer, organization):
    """(value, label) of the one object a text typed without choosing a suggestion names, else (None, error): the
    same search as the autocomplete; among several matches, one whose label has exactly the typed words wins."""
    searched = SEARCHED_FILTERS[name]
    found = search_in_scope(name, scope, term, viewer=viewer, organization=organization)
    exact = [item for item in found if sorted(search_words(item[1])) == sorted(search_words(term))]
    if len(found) == 1 or len(exact) == 1:
        return (found if len(found) == 1 else exact)[0], None
    return None, (searched.several if found else searched.no_match.format(term=term))


def _uuid_or_none(value):
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return None


def _union_columns(field, key, label, person=False):
    """The columns every branch of the labels query selects, in the same order."""
    null_text, null_integer = Value("", output_field=CharField()), Value(None, output_field=models.IntegerField())
    return {
        "field": Value(field, output_field=CharField()),
        "key": F(key),
        "label": null_text if person else label,
        "person_pk": F("pk") if person else null_integer,
        "person_kind": F("kind") if person else null_text,
        "person_first_name": F("first_name") if person else null_text,
        "person_last_name": F("last_name") if person else null_text,
        "person_created_by_id": F("created_by_id") if person else null_integer,
    }


def choice_labels(scope, selected, *, viewer, organization, jobs_of=None):
    """{field: {value: label}} of the values `selected` ({field: [values]}) of the searched filters that exist in
    `scope` and may be named (applications.md §16), and with `jobs_of` every job description of that company (the
    inbox's jobs filter). One query (a UNION), none when there is nothing to look up."""
    branches = []
    for name, values in selected.items():
        keys = [key for key in map(_uuid_or_none, values) if key is not None]
        if not keys:
            continue
        searched = SEARCHED_FILTERS[name]
        objects = searched.objects_in(scope).filter(**{f"{searched.key}__in": keys})
        branches.append(objects.annotate(**_union_columns(name, searched.key, searched.label, searched.is_person)))
    if jobs_of is not None:
        jobs = JobDescription.objects.order_by().filter(company=jobs_of)
        branches.append(jobs.annotate(**_union_columns("selected_jobs", "uid", _job_label())))
    labels = {name: {} for name in selected}
    if not branches:
        return labels
    columns = list(_union_columns("", "pk", None))
    rows = branches[0].values(*columns).union(*(branch.values(*columns) for branch in branches[1:]), all=True)
    for row in rows:
        key, field = str(row["key"]), row["field"]
        if row["person_pk"] is None:
            labels.setdefault(field, {})[key] = row["label"]
            continue
        person = _person(
            row["person_pk"],
            row["key"],
            row["person_kind"],
            row["person_first_name"],
            row["person_last_name"],
            row["person_created_by_id"],
        )
        if _nameable(SEARCHED_FILTERS[field], person, viewer=viewer, organization=organization):
            labels[field][key] = person.get_inverted_full_name()
    return labels


def department_choices():
    """[(code, "Name (code)")] of every department, from the reference table: reading which departments the list's
    job seekers live in meant joining every application of the list to its job seeker (0.1 s for a company with
    10 000 applications), and a person looking for their department finds it either way."""
    return [(code, f"{name} ({code})") for code, name in reference.departments()]


def _choice_key(item):
    return (_name_key(item[1]), item[0])


# --- Forms


class FilterSearchInput(forms.TextInput):
    """The "Ajouter …" input of a searched filter, with the hidden input the autocomplete fills (same parameter name
    as the filter's checkboxes: the GET form submits the chosen value alongside the checked ones)."""

    template_name = "applications/lists/widgets/filter_search.html"

    def __init__(self, target):
        self.target = target
        super().__init__(
            attrs={"autocomplete": "off", "data-autocomplete-target": f"id_{target}_new", "spellcheck": "false"}
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["target"] = {"name": self.target, "id": f"id_{self.target}_new"}
        return context

    def render(self, name, value, attrs=None, renderer=None):
        """The markup of the template, written in Python (`PythonInputMixin`)."""
        widget = self.get_context(name, value, attrs)["widget"]
        hidden = format_html('<input type="hidden" name="{}" id="{}" value="">', self.target, widget["target"]["id"])
        return format_html("{}\n{}", mark_safe(PythonInputMixin.input_html(widget)), hidden)


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Saisissez une date valide (jj/mm/aaaa)."},
    )


def _multiple(label, choices=(), help_text="", invalid="Ce choix ne fait pas partie des choix proposés : retirez-le."):
    field = forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=choices,
        help_text=help_text,
        widget=CheckboxList,
        template_name=CHECKBOXES_TEMPLATE,
        error_messages={"invalid_choice": invalid},
    )
    field.hide_when_empty = False  # a searched filter shows its fieldset only once a value is chosen
    return field


def _search(name, help_text="Saisissez au moins 2 lettres, puis choisissez dans la liste."):
    return forms.CharField(
        label=SEARCHED_FILTERS[name].add_label,
        required=False,
        max_length=100,
        help_text=help_text,
        widget=FilterSearchInput(target=name),
        error_messages={"max_length": "Saisissez au plus 100 caractères."},
    )


class BaseApplicationFilterForm(DsfrFormMixin, forms.Form):
    """The filters shared by the lists; `filter(queryset)` applies the fields that are valid (an invalid field is
    reported and ignored, the others still apply: nothing typed is lost)."""

    # Rendered on every visit of a list: the field groups are written in Python (utils/field_groups.py).
    bound_field_class = FieldGroupBoundField

    states = _multiple("État de la candidature")
    start_date = _date_field("À partir du")
    end_date = _date_field("Jusqu'au")

    # The date range is shown as one group of the filters panel; a searched filter and its "Ajouter …" input are one
    # group; every other field is its own group.
    GROUP_TITLES = {"start_date": "Date de candidature", "end_date": "Date de candidature"}

    def _group_title(self, bound_field):
        if bound_field.name.endswith(SEARCH_SUFFIX):
            return self.fields[bound_field.name.removesuffix(SEARCH_SUFFIX)].label
        return self.GROUP_TITLES.get(bound_field.name, bound_field.label)

    def filter_groups(self):
        """[{"title", "id", "fields", "expanded"}]: the panel's accordions, open when a field holds a value or an
        error."""
        groups = []
        for bound_field in self:
            title = self._group_title(bound_field)
            if not groups or groups[-1]["title"] != title:
                groups.append({"title": title, "id": f"filtre-{bound_field.name}", "fields": [], "expanded": False})
            groups[-1]["fields"].append(bound_field)
            if bound_field.errors or bound_field.value() not in (None, "", []):
                groups[-1]["expanded"] = True
        return groups

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("start_date"), cleaned_data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "La date de fin doit être postérieure ou égale à la date de début.")
        return cleaned_data

    def values(self):
        if not self.is_bound:
            return {name: field.initial for name, field in self.fields.items()}
        self.is_valid()
        return self.cleaned_data

    def filter(self, queryset, *, on):
        data = self.values()
        if data.get("states"):
            queryset = queryset.filter(state__in=data["states"])
        if data.get("start_date"):
            queryset = queryset.filter(created_at__date__gte=data["start_date"])
        if data.get("end_date"):
            queryset = queryset.filter(created_at__date__lte=data["end_date"])
        return queryset


def _state_choices(*, with_prior_to_hire):
    """applications.md §9, §14: `prior_to_hire` exists only for a GEIQ."""
    return [
        (state.value, state.label)
        for state in JobApplicationState
        if with_prior_to_hire or state != JobApplicationState.PRIOR_TO_HIRE
    ]


class ProfessionalFilterForm(BaseApplicationFilterForm):
    """applications.md §14: the filters of the received and sent lists.

    The searched filters (`SEARCHED`) hold the chosen values as checked boxes, plus an "Ajouter …" input
    (`<name>_search`): the autocomplete fills a hidden input of the filter's own name; without JavaScript the typed
    text is resolved here by the same search (one match: applied; none or several: an error on the input, the other
    filters still apply).
    """

    job_seeker = _multiple(
        "Candidat",
        help_text="Choisir un candidat affiche toutes ses candidatures et ignore les autres filtres.",
        invalid="Ce candidat ne fait pas partie de la liste : choisissez-en un autre.",
    )
    job_seeker_search = _search(
        "job_seeker",
        help_text="Choisir un candidat affiche toutes ses candidatures et ignore les autres filtres. Saisissez au "
        "moins 2 lettres de son nom, puis choisissez dans la liste.",
    )
    senders = _multiple("Émetteurs")
    senders_search = _search("senders")
    pass_status = _multiple("PASS IAE", PassStatus.choices)
    criteria = _multiple("Critères administratifs", [(criterion.code, criterion.name) for criterion in IAE_CRITERIA])
    eligibility = forms.ChoiceField(
        label="Éligibilité IAE",
        required=False,
        choices=[("", "Peu importe"), *EligibilityStatus.choices],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choisissez un statut d'éligibilité proposé."},
    )
    departments = _multiple("Département du candidat")
    selected_jobs = _multiple("Postes recherchés")
    archived = forms.ChoiceField(
        label="Archivage",
        required=False,
        initial=Archived.ACTIVE,
        choices=Archived.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choisissez un choix d'archivage proposé."},
    )

    # Filters that need IAE data: only shown (and applied) where they make sense.
    IAE_FIELDS = ("pass_status", "criteria", "eligibility")
    SEARCHED = ("job_seeker", "senders")
    # The URL of the autocomplete endpoint, given a field name.
    SEARCH_URL_NAME = None

    def __init__(self, data=None, *, scope, viewer, organization, with_iae_filters, with_prior_to_hire, jobs_of=None):
        self.scope, self.viewer, self.organization = scope, viewer, organization
        self.typing_errors = {}
        data = data.copy() if data is not None else None
        selected = {name: self._chosen(data, name) for name in self.SEARCHED}
        labels = choice_labels(scope, selected, viewer=viewer, organization=organization, jobs_of=jobs_of)
        if data is not None:
            for name in self.SEARCHED:
                self._resolve_typed(data, name, labels[name])
        super().__init__(data)
        self.fields["states"].choices = _state_choices(with_prior_to_hire=with_prior_to_hire)
        for name in self.SEARCHED:
            self.fields[name].choices = sorted(labels[name].items(), key=_choice_key)
            self.fields[name].hide_when_empty = True
            self.fields[name + SEARCH_SUFFIX].widget.attrs["data-autocomplete-url"] = reverse(
                self.SEARCH_URL_NAME, args=[name]
            )
        self.fields["departments"].choices = department_choices()
        if "selected_jobs" not in self.SEARCHED:
            self.fields["selected_jobs"].choices = sorted(labels.get("selected_jobs", {}).items(), key=_choice_key)
        self.fields["selected_jobs"].choices = [*self.fields["selected_jobs"].choices, SPONTANEOUS_CHOICE]
        if not with_iae_filters:
            for name in self.IAE_FIELDS:
                del self.fields[name]

    def _chosen(self, data, name):
        """The values of a searched filter in the request; the job seeker filter keeps one, the last chosen (the
        autocomplete's hidden input comes after the checked box)."""
        if data is None:
            return []
        values = list(dict.fromkeys(value for value in data.getlist(name) if value))
        if name == "job_seeker":
            values = values[-1:]
        data.setlist(name, values)
        return values

    def _resolve_typed(self, data, name, labels):
        """A text typed in the "Ajouter …" input: ignored when it is the label of a value already chosen (the
        autocomplete wrote it there), else resolved by the search; an applied text leaves the input empty."""
        search_name = name + SEARCH_SUFFIX
        term = data.get(search_name, "").strip()
        if not term or len(term) > self.base_fields[search_name].max_length:
            return
        chosen = data.getlist(name)
        if any(_name_key(labels[key]) == _name_key(term) for key in chosen if key in labels):
            data[search_name] = ""
            return
        found, error = resolve_typed(name, self.scope, term, viewer=self.viewer, organization=self.organization)
        if error:
            self.typing_errors[search_name] = error
            return
        key, label = found
        labels[key] = label
        data.setlist(name, [key] if name == "job_seeker" else list(dict.fromkeys([*chosen, key])))
        data[search_name] = ""

    def clean(self):
        cleaned_data = super().clean()
        for name, error in self.typing_errors.items():
            self.add_error(name, error)
        return cleaned_data

    def filter(self, queryset, *, on):
        data = self.values()
        if data.get("job_seeker"):
            # applications.md §14: the job seeker filter overrides the others (archived ones included).
            return queryset.filter(job_seeker__public_id=data["job_seeker"][0])
        queryset = super().filter(queryset, on=on)
        queryset = _filter_archived(queryset, data.get("archived") or Archived.ACTIVE)
        if data.get("senders"):
            queryset = queryset.filter(sender__public_id__in=data["senders"])
        if data.get("pass_status"):
            queryset = queryset.filter(_any_of([_pass_status_condition(status, on) for status in data["pass_status"]]))
        if data.get("criteria"):
            queryset = queryset.filter(
                Exists(
                    SelectedAdministrativeCriteria.objects.filter(
                        eligibility_diagnosis_id=OuterRef("list_diagnosis_id"),
                        administrative_criteria_id__in=data["criteria"],
                    )
                )
            )
        if data.get("eligibility") == EligibilityStatus.VALIDATED:
            queryset = queryset.filter(Q(has_valid_pass=True) | Q(considered_diagnosis_id__isnull=False))
        elif data.get("eligibility") == EligibilityStatus.PENDING:
            queryset = queryset.filter(has_valid_pass=False, considered_diagnosis_id__isnull=True)
        if data.get("departments"):
            queryset = queryset.filter(job_seeker_department__in=data["departments"])
        if data.get("selected_jobs"):
            queryset = queryset.filter(_jobs_condition(data["selected_jobs"]))
        return queryset


def _filter_archived(queryset, archived):
    if archived == Archived.ACTIVE:
        return queryset.filter(archived_at__isnull=True)
    if archived == Archived.ARCHIVED:
        return queryset.filter(archived_at__isnull=False)
    return queryset


def _jobs_condition(values):
    through = JobApplication.selected_jobs.through
    uids = [value for value in values if value != SPONTANEOUS]
    conditions = [Exists(through.objects.filter(jobapplication_id=OuterRef("pk"), jobdescription__uid__in=uids))]
    if SPONTANEOUS in values:
        conditions.append(~Exists(through.objects.filter(jobapplication_id=OuterRef("pk"))))
    return _any_of(conditions)


def _any_of(conditions):
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined | condition
    return combined


class ReceivedFilterForm(ProfessionalFilterForm):
    """applications.md §14 "Received": adds the sender organizations and sender companies; IAE filters for SIAE only,
    `prior_to_hire` for GEIQ only. The jobs are the company's own job descriptions."""

    sender_prescriber_organizations = _multiple("Organisations prescriptrices émettrices")
    sender_prescriber_organizations_search = _search("sender_prescriber_organizations")
    sender_companies = _multiple("Structures émettrices")
    sender_companies_search = _search("sender_companies")

    SEARCHED = ("job_seeker", "senders", "sender_prescriber_organizations", "sender_companies")
    SEARCH_URL_NAME = "applications_received_filter"
    field_order = [
        "archived",
        "states",
        "start_date",
        "end_date",
        "job_seeker",
        "job_seeker_search",
        "senders",
        "senders_search",
        "sender_prescriber_organizations",
        "sender_prescriber_organizations_search",
        "sender_companies",
        "sender_companies_search",
        "selected_jobs",
        "departments",
        "eligibility",
        "criteria",
        "pass_status",
    ]

    def __init__(self, data=None, *, scope, viewer, company):
        super().__init__(
            data,
            scope=scope,
            viewer=viewer,
            organization=company,
            with_iae_filters=company.is_siae,
            with_prior_to_hire=company.kind == CompanyKind.GEIQ,
            jobs_of=company,
        )
        self.order_fields(self.field_order)

    def filter(self, queryset, *, on):
        data = self.values()
        queryset = super().filter(queryset, on=on)
        if data.get("job_seeker"):
            return queryset
        if data.get("sender_prescriber_organizations"):
            queryset = queryset.filter(sender_prescriber_organization__uid__in=data["sender_prescriber_organizations"])
        if data.get("sender_companies"):
            queryset = queryset.filter(sender_company__uid__in=data["sender_companies"])
        return queryset


class SentFilterForm(ProfessionalFilterForm):
    """applications.md §14 "Sent": adds the target companies; the jobs, of any company, are searched too."""

    to_companies = _multiple("Structures destinataires")
    to_companies_search = _search("to_companies")
    selected_jobs_search = _search("selected_jobs")

    SEARCHED = ("job_seeker", "senders", "to_companies", "selected_jobs")
    SEARCH_URL_NAME = "applications_sent_filter"
    field_order = [
        "archived",
        "states",
        "start_date",
        "end_date",
        "job_seeker",
        "job_seeker_search",
        "senders",
        "senders_search",
        "to_companies",
        "to_companies_search",
        "selected_jobs",
        "selected_jobs_search",
        "departments",
        "eligibility",
        "criteria",
        "pass_status",
    ]

    def __init__(self, data=None, *, scope, viewer, organization):
        super().__init__(
            data,
            scope=scope,
            viewer=viewer,
            organization=organization,
            with_iae_filters=True,
            with_prior_to_hire=True,
        )
        self.order_fields(self.field_order)

    def filter(self, queryset, *, on):
        data = self.values()
        queryset = super().filter(queryset, on=on)
        if data.get("job_seeker"):
            return queryset
        if data.get("to_companies"):
            queryset = queryset.filter(to_company__uid__in=data["to_companies"])
        return queryset


class JobSeekerFilterForm(BaseApplicationFilterForm):
    """applications.md §14 "Job seeker": states, creation dates and ordering."""

    ordering = forms.ChoiceField(
        label="Trier par",
        required=False,
        initial=JobSeekerOrdering.DATE,
        choices=JobSeekerOrdering.choices,
        error_messages={"invalid_choice": "Choisissez un tri proposé."},
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["states"].choices = _state_choices(with_prior_to_hire=True)

    def ordered(self, queryset):
        if self.values().get("ordering") == JobSeekerOrdering.NAME:
            return queryset.order_by(
                Coalesce(NullIf("to_company__brand", Value("")), "to_company__name"), "-created_at", "pk"
            )
        return queryset.order_by("-created_at", "pk")
