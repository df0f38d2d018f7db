"""Prescriber signup: find the organization, ask to join it, or create it (organizations.md §9.2, §9.3)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from inclusion.organizations.memberships import first_contact
from inclusion.organizations.middleware import organization_not_required
from inclusion.prescribers.forms import (
    InvitationRequestForm,
    OrganizationSearchForm,
    PrescriberSignupForm,
    SafirSearchForm,
)
from inclusion.prescribers.models import PrescriberOrganization
from inclusion.users.decorators import anonymous_signup_page
from inclusion.users.email_verification import send_email_verification
from inclusion.utils.emails import absolute_url, send_templated_email


@anonymous_signup_page
@require_safe
def prescriber_signup(request):
    """Step 1: the SIRET (or the SAFIR code of a France Travail agency) finds registered organizations."""
    search_form = OrganizationSearchForm(data=request.GET if "siret" in request.GET else None)
    safir_form = SafirSearchForm(data=request.GET if "ft-safir" in request.GET else None, prefix="ft")
    context = {
        "title": "Inscription prescripteur",
        "search_form": search_form,
        "safir_form": safir_form,
        "organizations": None,
        "create_url": None,
    }
    if search_form.is_valid():
        context["organizations"] = list(search_form.matching_organizations())
        query = {"siret": search_form.cleaned_data["siret"]}
        context["create_url"] = f"{reverse('prescriber_signup_create')}?{urlencode(query)}"
    elif safir_form.is_valid():
        context["organizations"] = list(safir_form.matching_organizations())
        context["searched_safir"] = True
    return render(request, "signup/prescriber_search.html", context)


@anonymous_signup_page
@require_http_methods(["GET", "POST"])
def prescriber_signup_create(request):
    """Step 2: the organization and its first member, in one form."""
    if request.method == "POST":
        form = PrescriberSignupForm(data=request.POST)
    else:
        form = PrescriberSignupForm(initial={"siret": request.GET.get("siret", "")[:20]})
    if request.method == "POST" and form.is_valid():
        try:
            user, _organization = form.save()
        except IntegrityError:
            # Someone registered the same e-mail or (SIRET, kind) between validation and insertion.
            form.add_error(None, "Ce compte ou cette organisation vient d'être créé : recommencez votre recherche.")
        else:
            send_email_verification(request, user)
            return redirect("prescriber_signup_done")
    return render(request, "signup/prescriber_create.html", {"form": form, "title": "Inscrire mon organisation"})


@login_not_required
@organization_not_required
@require_safe
def prescriber_signup_done(request):
    return render(request, "signup/done.html", {"title": "Vérifiez votre messagerie", "employer": False})


@anonymous_signup_page
@require_http_methods(["GET", "POST"])
def prescriber_request_invitation(request, uid):
    """Nobody joins an organization without its members' consent: they are asked to send an invitation."""
    organization = get_object_or_404(PrescriberOrganization, uid=uid)
    # organizations.md §9.3: the first admin receives the request, else the first member.
    contact = first_contact(organization)
    contact_email = contact.email if contact else None
    form = InvitationRequestForm(data=request.POST or None)
    if request.method == "POST" and contact_email and form.is_valid():
        send_templated_email(
            [contact_email],
            "signup/emails/invitation_request",
            {"organization": organization, "requester": form.cleaned_data, "site_url": absolute_url("/")},
        )
        messages.success(
            request,
            f"Votre demande a été envoyée à un administrateur de « {organization.display_name} ». Vous recevrez "
            "une invitation par e-mail s'il l'accepte.",
        )
        return redirect("prescriber_signup")
    context = {
        "title": "Demander une invitation",
        "organization": organization,
        "form": form,
        "has_contact": bool(contact_email),
    }
    return render(request, "signup/request_invitation.html", context)
