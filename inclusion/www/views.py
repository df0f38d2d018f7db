from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from inclusion.organizations.enums import Role
from inclusion.organizations.middleware import organization_not_required
from inclusion.organizations.perms import is_admin_of
from inclusion.www.dashboard import cards_for, employer_alerts, redirect_before_dashboard


def public_page(view):
    return login_not_required(organization_not_required(require_safe(view)))


@public_page
def home(request):
    return render(request, "www/home.html", {"title": "Accueil"})


@require_safe
def dashboard(request):
    if url_name := redirect_before_dashboard(request.user):
        return redirect(url_name)
    organization = request.current_organization
    is_admin = is_admin_of(request.user, organization)
    context = {
        "title": "Tableau de bord",
        "cards": cards_for(request.role, user=request.user, organization=organization, is_admin=is_admin),
        "employer_alerts": employer_alerts(organization) if request.role == Role.EMPLOYER else None,
    }
    return render(request, "www/dashboard.html", context)


@public_page
def no_organization(request):
    context = {
        "title": "Aucune organisation active",
        "france_travail_agent": request.GET.get("motif") == "france-travail",
    }
    return render(request, "www/no_organization.html", context)


@public_page
def accessibility(request):
    return render(request, "www/accessibility.html", {"title": "Déclaration d'accessibilité"})


@public_page
def legal_notice(request):
    return render(request, "www/legal_notice.html", {"title": "Mentions légales"})


@public_page
def personal_data(request):
    return render(request, "www/personal_data.html", {"title": "Données personnelles"})
