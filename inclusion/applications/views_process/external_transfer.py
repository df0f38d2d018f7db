"""External transfer of a refused application to another company (applications.md §10)."""

from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from inclusion.applications import perms, transitions
from inclusion.applications.enums import JobApplicationTransition as Transition
from inclusion.applications.enums import SenderKind
from inclusion.applications.forms_process import (
    CompanySearchForm,
    ExternalTransferForm,
)
from inclusion.applications.submission import SubmissionRefused, submit
from inclusion.applications.views_process.common import (
    RESUME_FILENAME,
    detail_url,
    error_text,
    new_selection,
    received_application,
)
from inclusion.companies.models import Company, CompanyMembership
from inclusion.utils.french import de

COMPANY_SEARCH_MAX_RESULTS = 20


# --- External transfer (applications.md §10) ----------------------------------------------------------------------


def _refused_application(request, job_application_id):
    """The refused application of the current company; None (with the state machine's message) otherwise."""
    job_application = received_application(request, job_application_id)
    if not transitions.is_allowed(job_application.state, Transition.EXTERNAL_TRANSFER):
        messages.error(
            request, transitions.transition_refusal_message(Transition.EXTERNAL_TRANSFER, job_application.state)
        )
        return job_application, False
    return job_application, True


def _search_companies(query, *, exclude, own):
    """Active companies whose name, brand or city contains `query` and that can receive the application: with an
    active member and not blocked (search_and_jobs / applications.md §18.15), unless one of the user's own (`own`)."""
    members = CompanyMembership.objects.active().filter(organization=OuterRef("pk"))
    return (
        Company.objects.active()
        .filter(Q(name__icontains=query) | Q(brand__icontains=query) | Q(city__icontains=query))
        .filter(Exists(members))
        .filter(Q(block_job_applications=False) | Q(pk__in=own))
        .exclude(pk=exclude.pk)
        .order_by("name", "pk")[:COMPANY_SEARCH_MAX_RESULTS]
    )


@require_safe
def application_external_transfer(request, job_application_id):
    """Step 1: find the company, by name or city."""
    job_application, allowed = _refused_application(request, job_application_id)
    if not allowed:
        return redirect(detail_url(job_application))
    company = request.current_organization
    form = CompanySearchForm(request.GET if "q" in request.GET else None)
    results = None
    if form.is_bound and form.is_valid():
        own = set(perms.transfer_target_companies(request.user, organization=company).values_list("pk", flat=True))
        found = _search_companies(form.cleaned_data["q"], exclude=company, own=own)
        results = [(result, result.pk in own) for result in found]
    context = {
        "title": "Transférer vers une autre structure",
        "job_application": job_application,
        "form": form,
        "results": results,
        "detail_url": detail_url(job_application),
    }
    return render(request, "applications/process/external_transfer_search.html", context)


def _quoted_message(job_application, *, user, company):
    """applications.md §10: the new message starts from a quote of the original one."""
    header = (
        f"Candidature transférée par {user.get_full_name()} ({company.display_name}), qui n'a pas pu y donner suite.\n"
    )
    if not job_application.message.strip():
        return header
    quote = "\n".join(f"> {line}" for line in job_application.message.splitlines())
    return f"{header}\nMessage de la candidature d'origine :\n{quote}\n"


def _copied_resume(job_application):
    """A copy of the original resume's content; `submit` saves it under a new random name."""
    with job_application.resume.open("rb") as original:
        return ContentFile(original.read(), name=RESUME_FILENAME)


@require_http_methods(["GET", "HEAD", "POST"])
def application_external_transfer_company(request, job_application_id, company_uid):
    """Step 2: jobs, message and resume for the chosen company; creates the new application (`submit`) and logs
    `external_transfer` on the original, in one transaction. One of the user's own companies: internal transfer."""
    job_application, allowed = _refused_application(request, job_application_id)
    if not allowed:
        return redirect(detail_url(job_application))
    company = request.current_organization
    target = get_object_or_404(Company.objects.active().exclude(pk=company.pk), uid=company_uid)
    if perms.can_transfer_to(request.user, job_application, organization=company, target_company=target):
        selection_id = new_selection(
            request,
            action="transfer",
            job_applications=[job_application],
            back=detail_url(job_application),
            skipped=[],
        )
        return redirect(reverse("applications_transfer", args=[selection_id]) + f"?structure={target.uid}")
    # A resume whose file is gone from the storage (an incident) is not offered: the transfer goes on without it.
    has_resume = bool(job_application.resume) and job_application.resume.storage.exists(job_application.resume.name)
    form = ExternalTransferForm(
        request.POST if request.method == "POST" else None,
        company=target,
        has_resume=has_resume,
        initial={"message": _quoted_message(job_application, user=request.user, company=company)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                keep_resume = has_resume and form.cleaned_data.get("keep_resume")
                submission = submit(
                    job_seeker=job_application.job_seeker,
                    company=target,
                    sender=request.user,
                    sender_kind=SenderKind.EMPLOYER,
                    sender_company=company,
                    selected_jobs=list(form.cleaned_data["selected_jobs"]),
                    message=form.cleaned_data["message"],
                    resume=_copied_resume(job_application) if keep_resume else None,
                )
                if submission.created:  # a double submit found the first one, already logged
                    transitions.external_transfer(job_application, user=request.user, target_company=target)
        except SubmissionRefused as error:
            form.add_error(None, error.messages)
        except transitions.TransitionError as error:
            messages.error(request, error_text(error))
            return redirect(detail_url(job_application))
        else:
            messages.success(
                request,
                f"La candidature {de(job_application.job_seeker.get_full_name())} a été transférée à "
                f"{target.display_name} : une nouvelle candidature lui a été envoyée.",
            )
            return redirect(detail_url(job_application))
    context = {
        "title": f"Transférer vers {target.display_name}",
        "job_application": job_application,
        "target": target,
        "form": form,
        "detail_url": detail_url(job_application),
        "search_url": reverse("application_external_transfer", args=[job_application.pk]),
    }
    return render(request, "applications/process/external_transfer_form.html", context)
