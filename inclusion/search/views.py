"""Public search pages and public cards (search_and_jobs.md §3.4, §4, §5, §6). No login required."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from inclusion.applications.perms import can_apply
from inclusion.companies.models import JobDescription
from inclusion.organizations.middleware import organization_not_required
from inclusion.prescribers.models import PrescriberOrganization
from inclusion.search import page_cache, rules
from inclusion.search.forms import CompanySearchForm, JobDescriptionSearchForm, PrescriberSearchForm
from inclusion.utils.french import de


def public_page(view):
    return login_not_required(organization_not_required(require_safe(view)))


def _form(form_class, request):
    """Bound once a commune was asked for; the first visit shows an empty form without errors."""
    if "city" in request.GET or "city_name" in request.GET:
        return form_class(request.GET)
    return form_class()


def _page(request, rows):
    page = Paginator(rows, rules.PAGE_SIZE).get_page(request.GET.get("page"))
    page.page_range = list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    return page


def _tab_url(url_name, form):
    """The other tab keeps the commune, distance, kinds and departments (search_and_jobs.md §4.2)."""
    data = form.cleaned_data
    query = {
        "city": data["commune"].slug,
        "city_name": str(data["commune"]),
        "distance": data["distance"],
        "kinds": data["kinds"],
        "departments": data["departments"],
    }
    return f"{reverse(url_name)}?{urlencode(query, doseq=True)}"


def _in_chosen_departments(form, hits):
    """search_and_jobs.md §4.1: the departments filter offers the departments of the results, then keeps the hits of
    the chosen ones (all of them when none is chosen)."""
    data = form.cleaned_data
    form.fields["departments"].choices = rules.department_choices(
        data["commune"], hits, rules.hit_department, rules.hit_department_name, selected=data["departments"]
    )
    return rules.in_departments(hits, data["departments"], rules.hit_department)


def _tabs(form, companies, job_descriptions):
    """§4.2: both tabs show both counts and keep the criteria."""
    return {
        "company_count": len(companies),
        "job_description_count": len(job_descriptions),
        "companies_url": _tab_url("search_companies", form),
        "job_descriptions_url": _tab_url("search_job_descriptions", form),
    }


def _results_title(subject, count, form):
    data = form.cleaned_data
    plural = "s" if count > 1 else ""
    return f"{subject} à {data['distance']} km {de(str(data['commune']))} — {count} résultat{plural}"


def _search_page(request, kind, form_class, title, results):
    """A search page (`kind`: companies, job_descriptions, prescribers). Its content is rendered without the request,
    so that nothing of the visitor enters it and `page_cache` may serve it to anyone; the layout is rendered around
    it for each visitor. `results(request, form)` gives the context of a valid search."""

    def render_content():
        form = _form(form_class, request)
        context = {"form": form, "title": title, "tab": kind, "query": request.GET}
        searched = form.is_bound and form.is_valid()
        if searched:
            context |= {"searched": True, **results(request, form)}
        return context["title"], render_to_string(f"search/{kind}.html", context), searched

    title, content = page_cache.content(kind, request, render_content)
    return render(request, "search/page.html", {"title": title, "content": content})


@public_page
def search_companies(request):
    return _search_page(request, "companies", CompanySearchForm, "Rechercher un employeur inclusif", _company_results)


def _company_results(request, form):
    data = form.cleaned_data
    commune, radius, departments = data["commune"], data["distance"], data["departments"]
    companies = _in_chosen_departments(
        form, rules.company_hits_around(commune=commune, radius_km=radius, kinds=data["kinds"])
    )
    # §4.2: the companies tab also shows the count of matching job descriptions.
    job_descriptions = rules.job_description_hits_around(commune=commune, radius_km=radius, kinds=data["kinds"])
    job_descriptions = rules.in_departments(job_descriptions, departments, rules.hit_department)
    page_obj = _page(request, companies)
    page_obj.object_list = rules.with_card_details(rules.load_companies(page_obj.object_list))
    return {
        "page_obj": page_obj,
        **_tabs(form, companies, job_descriptions),
        "title": _results_title("Employeurs", len(companies), form),
    }


@public_page
def search_job_descriptions(request):
    return _search_page(
        request,
        "job_descriptions",
        JobDescriptionSearchForm,
        "Rechercher une fiche de poste",
        _job_description_results,
    )


def _job_description_results(request, form):
    data = form.cleaned_data
    commune, radius, departments = data["commune"], data["distance"], data["departments"]
    job_descriptions = rules.job_description_hits_around(
        commune=commune,
        radius_km=radius,
        kinds=data["kinds"],
        contract_types=data["contract_types"],
        domains=data["domains"],
    )
    job_descriptions = _in_chosen_departments(form, job_descriptions)
    # §4.2: the job descriptions tab also shows the count of matching companies.
    companies = rules.company_hits_around(commune=commune, radius_km=radius, kinds=data["kinds"])
    companies = rules.in_departments(companies, departments, rules.hit_department)
    page_obj = _page(request, job_descriptions)
    page_obj.object_list = rules.with_job_description_badges(rules.load_job_descriptions(page_obj.object_list))
    return {
        "page_obj": page_obj,
        **_tabs(form, companies, job_descriptions),
        "title": _results_title("Fiches de poste", len(job_descriptions), form),
    }


@public_page
def search_prescribers(request):
    return _search_page(
        request, "prescribers", PrescriberSearchForm, "Rechercher un prescripteur habilité", _prescriber_results
    )


def _prescriber_results(request, form):
    prescribers = rules.prescribers_around(
        commune=form.cleaned_data["commune"], radius_km=form.cleaned_data["distance"]
    )
    return {
        "page_obj": _page(request, prescribers),
        "prescriber_count": len(prescribers),
        "title": _results_title("Prescripteurs habilités", len(prescribers), form),
    }


def _active_job_descriptions(company):
    return (
        company.job_descriptions.filter(is_active=True)
        .select_related("appellation", "location")
        .order_by("-last_employer_update_at", "-pk")
    )


def _apply_context(request, company):
    """applications.md §13.1: « Postuler » shows when the company takes applications (§18.15) and the visitor may
    apply, or is anonymous (the wizard asks them to log in first); otherwise the notice says why."""
    takes_applications = rules.company_takes_applications(company)
    may_apply = not request.user.is_authenticated or can_apply(request.user, request.current_organization)
    return {"takes_applications": takes_applications, "show_apply_button": takes_applications and may_apply}


@public_page
def company_card(request, company_uid):
    # search_and_jobs.md §4.2: only active and searchable companies are public.
    company = get_object_or_404(rules.searchable_companies(), uid=company_uid)
    rules.with_unpopular_flags([company])
    context = {
        "title": company.display_name,
        "company": company,
        "job_descriptions": _active_job_descriptions(company),
        **_apply_context(request, company),
    }
    return render(request, "search/company_card.html", context)


@public_page
def job_description_card(request, job_description_uid):
    # search_and_jobs.md §3.4: an active job description of an active, searchable company.
    job_description = get_object_or_404(
        JobDescription.objects.filter(is_active=True).select_related("appellation__rome", "location"),
        uid=job_description_uid,
    )
    company = get_object_or_404(rules.searchable_companies(), pk=job_description.company_id)
    job_description.company = company
    context = {
        "title": f"{job_description.display_name} — {company.display_name}",
        "job_description": job_description,
        "company": company,
        "other_job_descriptions": _active_job_descriptions(company).exclude(pk=job_description.pk),
        **_apply_context(request, company),
        # §3.4: employers of the company get an edit link (the edition acts for the current organization).
        "can_edit": request.current_organization == company,
    }
    return render(request, "search/job_description_card.html", context)


@public_page
def prescriber_card(request, organization_uid):
    # search_and_jobs.md §6: only authorized organizations are public.
    organization = get_object_or_404(PrescriberOrganization.objects.authorized(), uid=organization_uid)
    return render(request, "search/prescriber_card.html", {"title": organization.name, "organization": organization})
