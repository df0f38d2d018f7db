"""The employer space: the company card, the job descriptions and the company-level switches.

Every view acts for `request.current_organization` (a company) and checks a `perms.py` predicate through
`employer_view`; objects are fetched inside that company, so another company's job description is a 404.
"""

from functools import wraps

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from inclusion.companies import perms
from inclusion.companies.forms import CompanyEditForm, JobDescriptionForm
from inclusion.companies.freshness import needs_refresh, spontaneous_applications_need_refresh
from inclusion.companies.models import Company, JobDescription
from inclusion.utils.access import require

# The steps of the forms with a preview (organizations.md §8.6, search_and_jobs.md §3.4).
STEP_EDIT, STEP_CONFIRM = "edit", "confirm"


def employer_view(predicate):
    """Runs the view for the current company when `predicate(user, company)` allows it, else 403.

    Anonymous visitors never get here (LoginRequiredMiddleware sends them to the login page). The view receives the
    company as its second argument.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            company = request.current_organization
            require(predicate(request.user, company), "Cette page est réservée aux employeurs de la structure.")
            return view(request, company, *args, **kwargs)

        return wrapper

    return decorator


def _job_description_of(company, uid):
    # Scoped to the company: a job description of another company is not disclosed (404).
    return get_object_or_404(
        JobDescription.objects.filter(company=company).select_related("appellation__rome", "location"), uid=uid
    )


def _form_with_preview(request, form, *, templates, context, save):
    """A form, then a preview of the result, then the save (organizations.md §8.6 "form with preview").

    The preview page carries the submitted values in hidden inputs: "Modifier" goes back to the filled form,
    "Enregistrer" validates again and calls `save(form)`, which returns the response.
    """
    form_template, preview_template = templates
    if request.method == "POST" and form.is_valid():
        step = request.POST.get("step")
        if step == STEP_CONFIRM:
            return save(form)
        if step != STEP_EDIT:
            return render(request, preview_template, {**context, "form": form, "preview": form.instance})
    return render(request, form_template, {**context, "form": form})


# Company card -------------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@employer_view(perms.can_edit_company)
def company_edit(request, company):
    # A fresh copy: the preview shows unsaved values, the header keeps showing the saved company.
    company = Company.objects.select_related("commune").get(pk=company.pk)
    form = CompanyEditForm(request.POST if request.method == "POST" else None, instance=company)

    def save(form):
        form.save()
        messages.success(request, "Les informations de votre structure ont été enregistrées.")
        return redirect("job_description_list")

    return _form_with_preview(
        request,
        form,
        templates=("companies/company_edit.html", "companies/company_edit_preview.html"),
        context={"title": "Modifier les informations de la structure", "company": company},
        save=save,
    )


# Job descriptions -------------------------------------------------------------------------------------------------


@require_http_methods(["GET"])
@employer_view(perms.can_manage_job_descriptions)
def job_description_list(request, company):
    now = timezone.now()
    # search_and_jobs.md §3.4: active first, then by last update (the model's default ordering, spelled out here).
    job_descriptions = list(
        company.job_descriptions.select_related("appellation", "location").order_by(
            "-is_active", "-last_employer_update_at", "pk"
        )
    )
    rows = [
        {"job": job, "needs_refresh": job.is_active and needs_refresh(job.last_employer_update_at, now)}
        for job in job_descriptions
    ]
    context = {
        "title": "Fiches de poste",
        "company": company,
        "rows": rows,
        "active_count": sum(1 for job in job_descriptions if job.is_active),
        "can_edit_company": perms.can_edit_company(request.user, company),
        "spontaneous_needs_refresh": spontaneous_applications_need_refresh(company, now),
    }
    return render(request, "companies/job_description_list.html", context)


def _job_description_form_page(request, company, job_description, *, title):
    form = JobDescriptionForm(
        request.POST if request.method == "POST" else None, instance=job_description, company=company
    )
    created = job_description._state.adding

    def save(form):
        job = form.save()
        verb = "créée" if created else "enregistrée"
        messages.success(request, f"La fiche de poste « {job.display_name} » a été {verb}.")
        return redirect("job_description_list")

    return _form_with_preview(
        request,
        form,
        templates=("companies/job_description_form.html", "companies/job_description_preview.html"),
        context={"title": title, "company": company, "job_description": job_description, "created": created},
        save=save,
    )


@require_http_methods(["GET", "POST"])
@employer_view(perms.can_manage_job_descriptions)
def job_description_create(request, company):
    return _job_description_form_page(
        request, company, JobDescription(company=company), title="Nouvelle fiche de poste"
    )


@require_http_methods(["GET", "POST"])
@employer_view(perms.can_manage_job_descriptions)
def job_description_edit(request, company, job_description_uid):
    job_description = _job_description_of(company, job_description_uid)
    return _job_description_form_page(request, company, job_description, title="Modifier la fiche de poste")


@require_POST
@employer_view(perms.can_manage_job_descriptions)
def job_description_toggle(request, company, job_description_uid):
    job_description = _job_description_of(company, job_description_uid)
    action = request.POST.get("action")
    if action == "open":
        was_active = job_description.is_active
        job_description.open_recruitment()
        if was_active:
            messages.success(request, f"Vous avez confirmé que « {job_description.display_name} » recrute toujours.")
        else:
            messages.success(request, f"Le recrutement est ouvert pour « {job_description.display_name} ».")
    elif action == "close":
        job_description.close_recruitment()
        messages.success(request, f"Le recrutement est fermé pour « {job_description.display_name} ».")
    else:
        messages.error(request, "Action inconnue : choisissez d'ouvrir ou de fermer le recrutement.")
    return redirect("job_description_list")


@require_http_methods(["GET", "POST"])
@employer_view(perms.can_manage_job_descriptions)
def job_description_delete(request, company, job_description_uid):
    job_description = _job_description_of(company, job_description_uid)
    if request.method == "POST":
        name = job_description.display_name
        job_description.delete()
        messages.success(request, f"La fiche de poste « {name} » a été supprimée.")
        return redirect("job_description_list")
    context = {"title": "Supprimer la fiche de poste", "job_description": job_description}
    return render(request, "companies/job_description_delete.html", context)


# Company-level switches (organizations.md §8.7) -------------------------------------------------------------------


@require_POST
@employer_view(perms.can_manage_job_descriptions)
def company_spontaneous_applications(request, company):
    action = request.POST.get("action")
    is_open = company.spontaneous_applications_open_since is not None
    if action in ("open", "refresh") and (action == "open" or is_open):
        company.open_spontaneous_applications()
        if action == "open" and not is_open:
            messages.success(request, "Les candidatures spontanées sont ouvertes.")
        else:
            messages.success(request, "Vous avez confirmé que les candidatures spontanées restent ouvertes.")
    elif action == "refresh":
        messages.error(request, "Les candidatures spontanées sont fermées : ouvrez-les d'abord.")
    elif action == "close":
        company.close_spontaneous_applications()
        messages.success(request, "Les candidatures spontanées sont fermées.")
    else:
        messages.error(request, "Action inconnue pour les candidatures spontanées.")
    return redirect("job_description_list")


@require_POST
@employer_view(perms.can_manage_job_descriptions)
def company_block_applications(request, company):
    action = request.POST.get("action")
    if action == "block":
        company.block_applications()
        messages.success(
            request, "Les candidatures sont bloquées : candidats et prescripteurs ne peuvent plus postuler chez vous."
        )
    elif action == "unblock":
        company.unblock_applications()
        messages.success(request, "Les candidatures sont à nouveau possibles.")
    else:
        messages.error(request, "Action inconnue pour le blocage des candidatures.")
    return redirect("job_description_list")
