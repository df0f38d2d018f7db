"""The application lists and the read-only detail pages (applications.md §11, §14, §15, §16).

- `applications_received`: the employer inbox of the current company (counters, filters, batch actions);
- `applications_sent` and `application_detail_sender`: what a prescriber (or an employer for another company) sent;
- `applications_job_seeker` and `application_detail_job_seeker`: the job seeker's own applications;
- `applications_export` and `applications_export_month`: the XLSX export (§15), written in `export.py`;
- `applications_received_filter` and `applications_sent_filter`: the autocomplete of the filters over people and
  organizations, searched inside the list's scope (the lists never enumerate them).

Scopes and access come from `perms.py`, filters and list data from `filters.py`; names go through
`users.display.display_name_for` (§16). Each list runs a fixed number of queries whatever its number of rows.
"""

import datetime
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from inclusion.applications import export, filters, perms
from inclusion.applications.counters import company_counters, to_process_states
from inclusion.applications.enums import PENDING_STATES, JobApplicationState, SenderKind
from inclusion.applications.models import JobApplication
from inclusion.users.display import display_name_for
from inclusion.users.perms import can_view_personal_information
from inclusion.utils.access import require, require_visible
from inclusion.utils.dates import today

# DSFR badge of each state (applications.md §2 labels).
STATE_BADGES = {
    JobApplicationState.NEW: "new",
    JobApplicationState.PROCESSING: "info",
    JobApplicationState.POSTPONED: "warning",
    JobApplicationState.PRIOR_TO_HIRE: "purple-glycine",
    JobApplicationState.POOL: "blue-ecume",
    JobApplicationState.ACCEPTED: "success",
    JobApplicationState.REFUSED: "error",
    JobApplicationState.CANCELLED: "brown-caramel",
    JobApplicationState.OBSOLETE: "beige-gris-galet",
}

# applications.md §14: the batch actions of the inbox, in the order of the menu. Transfers need a second company
# (§10), the external transfer a single refused application and the acceptance a single application: the processing
# pages check and explain it.
BATCH_ACTIONS = (
    ("process", "Mettre à l'étude"),
    ("postpone", "Mettre en attente"),
    ("add_to_pool", "Mettre au vivier"),
    ("refuse", "Décliner"),
    ("archive", "Archiver"),
    ("unarchive", "Désarchiver"),
    ("transfer", "Transférer vers une autre de mes structures"),
    ("external_transfer", "Transférer vers une autre structure"),
    ("accept", "Accepter"),
)

ONE_WEEK = datetime.timedelta(days=7)


def _optional_url(name, *args):
    """The URL of a page another part of the journey provides, or None while it is not there."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def sender_name(viewer, job_application, *, organization):
    """The sender's name; a job seeker who applied alone is shown as the personal-data rule says (§16)."""
    sender = job_application.sender
    if sender is None:
        return "Compte supprimé"
    if job_application.sender_kind == SenderKind.JOB_SEEKER:
        return display_name_for(viewer, sender, organization=organization)
    return sender.get_full_name()


def sender_structure(job_application, *, viewer_organization=None):
    """The sender's organization or company; left out when it is the viewer's own (it goes without saying)."""
    structure = job_application.sender_prescriber_organization or job_application.sender_company
    if structure is None or structure == viewer_organization:
        return ""
    return structure.display_name


def _jobs(job_application):
    return [job.display_name for job in job_application.selected_jobs.all()]


def _row(request, job_application, *, criteria, detail_url_name, with_eligibility):
    organization = request.current_organization
    row = {
        "job_application": job_application,
        "job_seeker_name": display_name_for(request.user, job_application.job_seeker, organization=organization),
        "jobs": _jobs(job_application),
        "sender_name": sender_name(request.user, job_application, organization=organization),
        "sender_kind": job_application.sender_kind_label,
        "sender_structure": sender_structure(job_application, viewer_organization=organization),
        "state_badge": STATE_BADGES[job_application.state],
        "detail_url": _optional_url(detail_url_name, job_application.pk),
        "with_eligibility": with_eligibility,
    }
    if with_eligibility:
        names = criteria.get(filters.list_diagnosis_id(job_application), [])
        row.update(
            eligibility_validated=filters.eligibility_validated(job_application),
            has_valid_pass=job_application.has_valid_pass,
            criteria=names[: filters.CRITERIA_SHOWN],
            more_criteria=max(len(names) - filters.CRITERIA_SHOWN, 0),
        )
    return row


def _page(request, ordered, rows=None, count=None):
    """The requested page of `ordered` (the filtered list). With `rows`, the page's ids are read first, with the
    filters' conditions only, then those rows from `rows` with everything a row shows: the row annotations (PASS,
    diagnosis) and joins are computed for the 20 rows of the page, not for the 10 000 of a large company's inbox.
    A job seeker's own list is short: it is read in one go. `count`, when the caller knows it, spares the COUNT."""
    paginator = Paginator(
        ordered if rows is None else ordered.values_list("pk", flat=True), filters.APPLICATIONS_PER_PAGE
    )
    if count is not None:
        paginator.count = count
    page = paginator.get_page(request.GET.get("page"))
    if rows is not None:
        by_id = {row.pk: row for row in rows.filter(pk__in=list(page.object_list)).order_by()}
        page.object_list = [by_id[pk] for pk in page.object_list if pk in by_id]  # deleted meanwhile: left out
    page.page_range = list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    return page


def _filter_data(request, form_class):
    """Bound only when a filter is set: `?page=2` alone is no filter (the defaults then apply). A bound form keeps
    the defaults of the fields left out (e.g. "active" applications), so that the form shows what is applied."""
    filtered = any(value for name in form_class.base_fields for value in request.GET.getlist(name))
    if not filtered:
        return None
    data = request.GET.copy()
    for name, field in form_class.base_fields.items():
        if field.initial is not None and name not in data:
            data[name] = field.initial
    return data


# --- Employer inbox


@require_safe
def applications_received(request):
    company = request.current_organization
    require(perms.can_list_received(request.user, company), "Cette page est réservée aux employeurs.")
    on, now = today(), timezone.now()
    scope = perms.received_by(company, now=now)
    form = filters.ReceivedFilterForm(
        _filter_data(request, filters.ReceivedFilterForm), scope=scope, viewer=request.user, company=company
    )
    with_eligibility = company.is_siae
    list_data = {"on": on, "for_siae": company if with_eligibility else None, "with_eligibility": with_eligibility}
    filtered = form.filter(filters.with_filter_data(scope, form=form, **list_data), on=on)
    counters = company_counters(company, now=now)
    # Unfiltered, the list is the active applications of the inbox, which the counters have just counted.
    count = None if form.is_bound else counters["active"]
    rows = filters.with_list_data(scope, **list_data)
    page = _page(request, filtered.order_by("-created_at", "pk"), rows=rows, count=count)
    criteria = filters.criteria_by_diagnosis(page.object_list) if with_eligibility else {}
    rows = [
        _row(
            request,
            job_application,
            criteria=criteria,
            detail_url_name="application_detail_company",
            with_eligibility=with_eligibility,
        )
        for job_application in page.object_list
    ]
    context = {
        "title": "Candidatures reçues",
        "company": company,
        "counters": counters,
        "counter_urls": _counter_urls(company),
        "form": form,
        "page_obj": page,
        "rows": rows,
        "is_filtered": form.is_bound,
        "with_eligibility": with_eligibility,
        "batch_url": _optional_url("applications_batch"),
        "batch_actions": _batch_actions(request),
    }
    return render(request, "applications/lists/received.html", context)


def _counter_urls(company):
    """Each counter links to the inbox filtered on its states (applications.md §17)."""
    base = reverse("applications_received")
    return {
        "to_process": f"{base}?{urlencode({'states': to_process_states(company)}, doseq=True)}",
        "postponed": f"{base}?{urlencode({'states': JobApplicationState.POSTPONED})}",
        "pool": f"{base}?{urlencode({'states': JobApplicationState.POOL})}",
    }


def _batch_actions(request):
    """applications.md §10: the internal transfer needs another company of the user to transfer to (read from the
    organizations the middleware already loaded: no query)."""
    companies = [org for org in request.organizations if getattr(org, "organization_type", None) == "company"]
    can_transfer = len(companies) > 1
    return [(value, label) for value, label in BATCH_ACTIONS if value != "transfer" or can_transfer]


# --- Sent applications


@require_safe
def applications_sent(request):
    organization = request.current_organization
    require(
        perms.can_list_sent(request.user, organization), "Cette page est réservée aux prescripteurs et aux employeurs."
    )
    on = today()
    scope = perms.sent_by(request.user, organization)
    form = filters.SentFilterForm(
        _filter_data(request, filters.SentFilterForm), scope=scope, viewer=request.user, organization=organization
    )
    # eligibility.md §2.5: without an SIAE, only the prescriber diagnoses count (an SIAE's own diagnoses are its own).
    filtered = form.filter(filters.with_filter_data(scope, form=form, on=on, for_siae=None), on=on)
    page = _page(request, filtered.order_by("-created_at", "pk"), rows=filters.with_list_data(scope, on=on))
    criteria = filters.criteria_by_diagnosis(page.object_list)
    rows = [
        _row(
            request,
            job_application,
            criteria=criteria,
            detail_url_name="application_detail_sender",
            with_eligibility=job_application.to_company.is_siae,
        )
        for job_application in page.object_list
    ]
    context = {
        "title": "Candidatures envoyées",
        "organization": organization,
        "form": form,
        "page_obj": page,
        "rows": rows,
        "is_filtered": form.is_bound,
        "apply_url": _optional_url("job_seeker_find"),
    }
    return render(request, "applications/lists/sent.html", context)


# --- Autocomplete of the filters over people and organizations (issue 7)


def _filter_suggestions(request, form_class, scope, field):
    """GET ?term=… → {"results": [{"value", "label"}]} (contract of static/js/autocomplete.js): the objects of the
    list's scope whose name matches, at most 15, sorted by label; never a job seeker the viewer may not name (§16)."""
    if field not in form_class.SEARCHED:
        raise Http404("Ce filtre n'existe pas.")
    found = filters.search_in_scope(
        field,
        scope,
        request.GET.get("term", ""),
        viewer=request.user,
        organization=request.current_organization,
    )
    return JsonResponse({"results": [{"value": value, "label": label} for value, label in found]})


@require_safe
def applications_received_filter(request, field):
    company = request.current_organization
    require(perms.can_list_received(request.user, company), "Cette page est réservée aux employeurs.")
    return _filter_suggestions(request, filters.ReceivedFilterForm, perms.received_by(company), field)


@require_safe
def applications_sent_filter(request, field):
    organization = request.current_organization
    require(
        perms.can_list_sent(request.user, organization), "Cette page est réservée aux prescripteurs et aux employeurs."
    )
    return _filter_suggestions(request, filters.SentFilterForm, perms.sent_by(request.user, organization), field)


def _logs(job_application):
    return job_application.logs.select_related("target_company").order_by("created_at", "pk")


@require_safe
def application_detail_sender(request, job_application_id):
    organization = request.current_organization
    require(
        perms.can_list_sent(request.user, organization), "Cette page est réservée aux prescripteurs et aux employeurs."
    )
    job_application = get_object_or_404(_detail_queryset(), pk=job_application_id)
    if not perms.can_view_as_sender(request.user, job_application, organization=organization):
        # Not in the sender's scope: its existence is not disclosed.
        raise Http404("Candidature introuvable.")
    job_seeker = job_application.job_seeker
    context = {
        "title": "Candidature envoyée",
        "job_application": job_application,
        "job_seeker_name": display_name_for(request.user, job_seeker, organization=organization),
        "can_view_personal_information": can_view_personal_information(
            request.user, job_seeker, organization=organization
        ),
        "jobs": _jobs(job_application),
        "state_badge": STATE_BADGES[job_application.state],
        "sender_name": sender_name(request.user, job_application, organization=organization),
        "sender_kind": job_application.sender_kind_label,
        "sender_structure": sender_structure(job_application),
        "show_company_contact": perms.sender_sees_company_contact(job_application),
        "resume_url": _resume_url(request, job_application),
        "logs": _logs(job_application),
        "back_url": reverse("applications_sent"),
    }
    return render(request, "applications/lists/detail_sender.html", context)


def _detail_queryset():
    return JobApplication.objects.select_related(
        "job_seeker",
        "sender",
        "sender_company",
        "sender_prescriber_organization",
        "to_company",
        "approval",
        "hired_job__appellation",
    ).prefetch_related(Prefetch("selected_jobs", queryset=filters.jobs_queryset()))


def _resume_url(request, job_application):
    if not perms.can_download_resume(request.user, job_application, organization=request.current_organization):
        return None
    return _optional_url("application_resume", job_application.pk)


# --- The job seeker's own applications


@require_safe
def applications_job_seeker(request):
    require(perms.can_list_own(request.user), "Cette page est réservée aux candidats.")
    form = filters.JobSeekerFilterForm(_filter_data(request, filters.JobSeekerFilterForm))
    applications = (
        perms.of_job_seeker(request.user)
        .select_related("to_company")
        .prefetch_related(Prefetch("selected_jobs", queryset=filters.jobs_queryset()))
    )
    page = _page(request, form.ordered(form.filter(applications, on=today())))
    now = timezone.now()
    rows = [
        {
            "job_application": job_application,
            "jobs": _jobs(job_application),
            "state_badge": STATE_BADGES[job_application.state],
            "detail_url": reverse("application_detail_job_seeker", args=[job_application.pk]),
            "weeks_since_update": _weeks_since_update(job_application, now),
        }
        for job_application in page.object_list
    ]
    context = {
        "title": "Mes candidatures",
        "form": form,
        "page_obj": page,
        "rows": rows,
        "is_filtered": form.is_bound,
        "search_url": _optional_url("search_companies"),
    }
    return render(request, "applications/lists/job_seeker.html", context)


def _weeks_since_update(job_application, now):
    """applications.md §14: pending applications show the weeks elapsed since their last change."""
    if job_application.state not in PENDING_STATES:
        return None
    return (now - job_application.updated_at) // ONE_WEEK


@require_safe
def application_detail_job_seeker(request, job_application_id):
    require(perms.can_list_own(request.user), "Cette page est réservée aux candidats.")
    job_application = get_object_or_404(_detail_queryset(), pk=job_application_id)
    require_visible(perms.can_view_as_job_seeker(request.user, job_application), "Candidature introuvable.")
    context = {
        "title": "Ma candidature",
        "job_application": job_application,
        "jobs": _jobs(job_application),
        "state_badge": STATE_BADGES[job_application.state],
        "sender_kind": job_application.sender_kind_label,
        "sender_structure": sender_structure(job_application),
        "is_proxy_application": job_application.sender_kind != SenderKind.JOB_SEEKER,
        "show_refusal_reason": perms.job_seeker_sees_refusal_reason(job_application),
        "resume_url": _resume_url(request, job_application),
        "approval_url": _optional_url("job_seeker_approval") if job_application.approval_id else None,
        "back_url": reverse("applications_job_seeker"),
    }
    return render(request, "applications/lists/detail_job_seeker.html", context)


# --- Export (applications.md §15)


def _export_scope(request):
    organization = request.current_organization
    require(
        perms.can_export(request.user, organization),
        "L'export des candidatures est réservé aux employeurs et aux prescripteurs.",
    )
    return perms.export_scope(request.user, organization)


@require_safe
def applications_export(request):
    scope = _export_scope(request)
    months = (
        scope.order_by()
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )
    months = [{"month": row["month"], "count": row["count"], "key": f"{row['month']:%Y-%m}"} for row in months]
    context = {
        "title": "Exporter les candidatures",
        "organization": request.current_organization,
        "is_employer": perms.can_list_received(request.user, request.current_organization),
        "months": months,
        "total": sum(month["count"] for month in months),
        "all_key": export.ALL_MONTHS,
    }
    return render(request, "applications/lists/export.html", context)


@require_safe
def applications_export_month(request, month):
    scope = _export_scope(request)
    try:
        period = export.parse_month(month)
    except ValueError as error:
        raise Http404("Ce mois n'existe pas.") from error
    applications = export.in_period(scope, period)
    content = export.export_xlsx(applications, viewer=request.user, organization=request.current_organization)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{export.filename(period)}"'
    return response
