"""Filters and list data of the application lists (applications.md §14, §16).

The scope of a list comes from `perms.py` (`received_by`, `sent_by`, `of_job_seeker`); this module narrows it with the
filters of §14 and adds what the rows show (job seeker department, eligibility, diagnosis criteria) as SQL
annotations, so that a page costs a fixed number of queries whatever its number of rows.

Rules stay where they live: the diagnosis precedence is `eligibility.rules.visible_diagnoses` (§2.5), the PASS
validity is `Approval.objects.valid` (pass_iae.md §4), who sees a name is `users.perms` (§16).
"""

from django import forms
from django.db import models
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf, Substr

from inclusion.applications.enums import JobApplicationState
from inclusion.applications.models import JobApplication
from inclusion.approvals.models import Approval, Suspension
from inclusion.companies.enums import CompanyKind
from inclusion.companies.models import JobDescription
from inclusion.eligibility.criteria import IAE_CRITERIA
from inclusion.eligibility.models import SelectedAdministrativeCriteria
from inclusion.eligibility.rules import visible_diagnoses
from inclusion.geo.models import Department
from inclusion.users.enums import UserKind
from inclusion.users.models import User
from inclusion.users.perms import can_view_personal_information
from inclusion.utils.forms import DsfrFormMixin

# applications.md §14: every list shows 20 applications per page.
APPLICATIONS_PER_PAGE = 20
# applications.md §14: the criteria column shows the first 3 criteria, then "+ N".
CRITERIA_SHOWN = 3
# The value of the "spontaneous application" choice of the jobs filter (no job description selected).
SPONTANEOUS = "spontanee"

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


def with_list_data(queryset, *, on, for_siae=None, with_eligibility=True):
    """The applications with what a list row shows, in a fixed number of queries.

    Adds `job_seeker_department`, and with `with_eligibility`: `has_valid_pass`, `considered_diagnosis_id`
    (eligibility.md §2.5 for `for_siae`) and `list_diagnosis_id` (the diagnosis attached at hiring, else the considered
    one: the criteria shown and filtered on).
    """
    queryset = queryset.select_related(
        "job_seeker", "sender", "sender_company", "sender_prescriber_organization", "to_company", "approval"
    ).annotate(job_seeker_department=department_code_expression())
    if with_eligibility:
        queryset = queryset.annotate(
            has_valid_pass=has_valid_pass(on),
            considered_diagnosis_id=considered_diagnosis(for_siae=for_siae, on=on),
            list_diagnosis_id=Coalesce(F("eligibility_diagnosis_id"), F("considered_diagnosis_id")),
        )
    return queryset.prefetch_related(
        models.Prefetch("selected_jobs", queryset=jobs_queryset()),
    )


def jobs_queryset():
    return JobDescription.objects.select_related("appellation").order_by("pk")


def eligibility_validated(job_application):
    """applications.md §14: the eligibility is validated when the job seeker holds a valid PASS or a considered-valid
    diagnosis (eligibility.md §2.5). Reads the annotations of `with_list_data`."""
    return bool(job_application.has_valid_pass or job_application.considered_diagnosis_id)


def criteria_by_diagnosis(job_applications):
    """{diagnosis pk: [criterion names in display order]} for the rows' `list_diagnosis_id`. One query."""
    diagnosis_ids = {ja.list_diagnosis_id for ja in job_applications if getattr(ja, "list_diagnosis_id", None)}
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


# --- Choices of the filters, read from the list's scope in one query


def _person(pk, public_id, kind, first_name, last_name, created_by_id):
    """A user as the personal-data rule reads it (applications.md §16), built from a row without a query."""
    return User(
        pk=pk, public_id=public_id, kind=kind, first_name=first_name, last_name=last_name, created_by_id=created_by_id
    )


def _name_key(label):
    return label.casefold()


class ScopeChoices:
    """The senders, organizations, companies, job seekers, departments and jobs present in a list's scope.

    applications.md §16: a job seeker whose name the viewer may not see is left out of the job seeker choices (the
    filter would otherwise disclose the name), and so is a job seeker sender among the senders.
    """

    def __init__(self, scope, *, viewer, organization):
        self.senders, self.prescriber_organizations, self.sender_companies = {}, {}, {}
        self.to_companies, self.job_seekers, self.departments, self.jobs = {}, {}, {}, {}
        self.has_spontaneous = False
        rows = (
            scope.order_by()
            .annotate(department=department_code_expression())
            .annotate(department_name=Subquery(Department.objects.filter(code=OuterRef("department")).values("name")))
            .values(
                "sender_id",
                "sender__public_id",
                "sender__kind",
                "sender__first_name",
                "sender__last_name",
                "sender__created_by_id",
                "sender_prescriber_organization__uid",
                "sender_prescriber_organization__name",
                "sender_company__uid",
                "sender_company__name",
                "sender_company__brand",
                "to_company__uid",
                "to_company__name",
                "to_company__brand",
                "job_seeker_id",
                "job_seeker__public_id",
                "job_seeker__kind",
                "job_seeker__first_name",
                "job_seeker__last_name",
                "job_seeker__created_by_id",
                "selected_jobs__uid",
                "selected_jobs__custom_name",
                "selected_jobs__appellation__name",
                "department",
                "department_name",
            )
            .distinct()
        )
        for row in rows:
            self._add(row, viewer=viewer, organization=organization)

    def _add(self, row, *, viewer, organization):
        job_seeker = _person(
            row["job_seeker_id"],
            row["job_seeker__public_id"],
            row["job_seeker__kind"],
            row["job_seeker__first_name"],
            row["job_seeker__last_name"],
            row["job_seeker__created_by_id"],
        )
        if can_view_personal_information(viewer, job_seeker, organization=organization):
            self.job_seekers[str(job_seeker.public_id)] = job_seeker.get_inverted_full_name()
        if row["sender_id"]:
            sender = _person(
                row["sender_id"],
                row["sender__public_id"],
                row["sender__kind"],
                row["sender__first_name"],
                row["sender__last_name"],
                row["sender__created_by_id"],
            )
            if sender.kind != UserKind.JOB_SEEKER or can_view_personal_information(
                viewer, sender, organization=organization
            ):
                self.senders[str(sender.public_id)] = sender.get_inverted_full_name()
        if row["sender_prescriber_organization__uid"]:
            self.prescriber_organizations[str(row["sender_prescriber_organization__uid"])] = row[
                "sender_prescriber_organization__name"
            ]
        if row["sender_company__uid"]:
            self.sender_companies[str(row["sender_company__uid"])] = (
                row["sender_company__brand"] or row["sender_company__name"]
            )
        self.to_companies[str(row["to_company__uid"])] = row["to_company__brand"] or row["to_company__name"]
        if row["department"]:
            self.departments[row["department"]] = row["department_name"]
        if row["selected_jobs__uid"]:
            self.jobs[str(row["selected_jobs__uid"])] = (
                row["selected_jobs__custom_name"] or row["selected_jobs__appellation__name"]
            )
        else:
            self.has_spontaneous = True

    @staticmethod
    def sorted_choices(mapping):
        return sorted(mapping.items(), key=lambda item: (_name_key(item[1]), item[0]))

    def job_choices(self):
        choices = self.sorted_choices(self.jobs)
        if self.has_spontaneous:
            choices.append((SPONTANEOUS, "Candidature spontanée"))
        return choices

    def department_choices(self):
        return [(code, f"{name} ({code})" if name else code) for code, name in sorted(self.departments.items())]


# --- Forms


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Saisissez une date valide (jj/mm/aaaa)."},
    )


def _multiple(label, choices=(), help_text=""):
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=choices,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Ce choix ne fait pas partie des choix proposés : retirez-le."},
    )


class BaseApplicationFilterForm(DsfrFormMixin, forms.Form):
    """The filters shared by the lists; `filter(queryset)` applies the fields that are valid (an invalid field is
    reported and ignored, the others still apply: nothing typed is lost)."""

    states = _multiple("État de la candidature")
    start_date = _date_field("À partir du")
    end_date = _date_field("Jusqu'au")

    # The date range is shown as one group of the filters panel; every other field is its own group.
    GROUP_TITLES = {"start_date": "Date de candidature", "end_date": "Date de candidature"}

    def filter_groups(self):
        """[{"title", "id", "fields", "expanded"}]: the panel's accordions, open when a field holds a value or an
        error."""
        groups = []
        for bound_field in self:
            title = self.GROUP_TITLES.get(bound_field.name, bound_field.label)
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
    """applications.md §14: the filters of the received and sent lists."""

    job_seeker = forms.ChoiceField(
        label="Candidat",
        required=False,
        help_text="Choisir un candidat affiche toutes ses candidatures et ignore les autres filtres.",
        error_messages={"invalid_choice": "Ce candidat ne fait pas partie de la liste : choisissez-en un autre."},
    )
    senders = _multiple("Émetteurs")
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

    def __init__(self, data=None, *, choices, with_iae_filters, with_prior_to_hire, **kwargs):
        super().__init__(data, **kwargs)
        self.choices = choices
        self.fields["states"].choices = _state_choices(with_prior_to_hire=with_prior_to_hire)
        self.fields["job_seeker"].choices = [("", "Tous les candidats"), *choices.sorted_choices(choices.job_seekers)]
        self.fields["senders"].choices = choices.sorted_choices(choices.senders)
        self.fields["departments"].choices = choices.department_choices()
        self.fields["selected_jobs"].choices = choices.job_choices()
        if not with_iae_filters:
            for name in self.IAE_FIELDS:
                del self.fields[name]

    def filter(self, queryset, *, on):
        data = self.values()
        if data.get("job_seeker"):
            # applications.md §14: the job seeker filter overrides the others (archived ones included).
            return queryset.filter(job_seeker__public_id=data["job_seeker"])
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
    `prior_to_hire` for GEIQ only."""

    sender_prescriber_organizations = _multiple("Organisations prescriptrices émettrices")
    sender_companies = _multiple("Structures émettrices")

    field_order = [
        "archived",
        "states",
        "start_date",
        "end_date",
        "job_seeker",
        "senders",
        "sender_prescriber_organizations",
        "sender_companies",
        "selected_jobs",
        "departments",
        "eligibility",
        "criteria",
        "pass_status",
    ]

    def __init__(self, data=None, *, choices, company):
        super().__init__(
            data,
            choices=choices,
            with_iae_filters=company.is_siae,
            with_prior_to_hire=company.kind == CompanyKind.GEIQ,
        )
        self.fields["sender_prescriber_organizations"].choices = choices.sorted_choices(
            choices.prescriber_organizations
        )
        self.fields["sender_companies"].choices = choices.sorted_choices(choices.sender_companies)
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
    """applications.md §14 "Sent": adds the target companies."""

    to_companies = _multiple("Structures destinataires")

    field_order = [
        "archived",
        "states",
        "start_date",
        "end_date",
        "job_seeker",
        "senders",
        "to_companies",
        "selected_jobs",
        "departments",
        "eligibility",
        "criteria",
        "pass_status",
    ]

    def __init__(self, data=None, *, choices):
        super().__init__(data, choices=choices, with_iae_filters=True, with_prior_to_hire=True)
        self.fields["to_companies"].choices = choices.sorted_choices(choices.to_companies)
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
