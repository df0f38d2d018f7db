from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from inclusion.organizations.current import (
    SESSION_KEY,
    active_organizations,
    choose_current_organization,
    lacks_required_france_travail_agency,
    role_for,
)
from inclusion.users.enums import UserKind


def organization_not_required(view_func):
    """Marks a view that a professional without any active organization may still reach (login, legal pages...)."""
    view_func.organization_not_required = True
    return view_func


class CurrentOrganizationMiddleware:
    """Computes once per request `request.current_organization`, `request.organizations` and `request.role`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.current_organization = None
        request.organizations = []
        request.role = None
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        if user.kind == UserKind.PROFESSIONAL:
            request.organizations = active_organizations(user)
            request.current_organization = choose_current_organization(
                request.organizations, request.session.get(SESSION_KEY)
            )
            if not getattr(view_func, "organization_not_required", False):
                # organizations.md §1.1: a professional without any active organization is logged out, and so is
                # a France Travail agent who belongs to no France Travail agency.
                if request.current_organization is None:
                    logout(request)
                    return redirect("no_organization")
                if lacks_required_france_travail_agency(user, request.organizations):
                    logout(request)
                    return redirect(reverse("no_organization") + "?motif=france-travail")
        request.role = role_for(user, request.current_organization)
        return None
