"""Employer signup: a company without members is joined through a magic link mailed to its official e-mail.

organizations.md §8.6 (without ProConnect for now: the link opens a password signup, or the login).
"""

import datetime
import uuid
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inclusion.companies.models import Company
from inclusion.organizations.current import SESSION_KEY
from inclusion.organizations.memberships import add_member, first_contact, with_first_contacts
from inclusion.organizations.middleware import organization_not_required
from inclusion.prescribers.forms import digits_only
from inclusion.users.decorators import anonymous_signup_page
from inclusion.users.email_verification import send_email_verification
from inclusion.users.forms import ProfessionalAccountForm
from inclusion.users.models import User
from inclusion.users.validators import validate_siren
from inclusion.utils.emails import absolute_url, send_templated_email
from inclusion.utils.forms import DsfrFormMixin

MAGIC_LINK_SALT = "inclusion.companies.employer_signup"
MAGIC_LINK_MAX_AGE = datetime.timedelta(days=7)


# Rules ------------------------------------------------------------------------------------------------------------


def obfuscate_email(email):
    """'contact@exemple.fr' → 'c***@exemple.fr': enough to recognise one's address, not to harvest it."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def memberships_count(company):
    """Every membership the company ever had, active or not: it grows each time someone joins (rows are kept)."""
    return company.memberships.count()


def make_magic_link_token(company):
    # organizations.md §8.6. The address is signed too: a link mailed to a former auth_email dies when it changes.
    # So is the number of memberships: once someone has joined through the link, it is spent, even after every
    # member has left (otherwise anyone holding the old e-mail could become admin again for 7 days).
    payload = {"company": str(company.uid), "email": company.auth_email, "memberships": memberships_count(company)}
    return signing.dumps(payload, salt=MAGIC_LINK_SALT)


def magic_link_from_token(token):
    """(company, memberships count when the link was sent) for a valid, unexpired link, or (None, None)."""
    try:
        payload = signing.loads(token, salt=MAGIC_LINK_SALT, max_age=MAGIC_LINK_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None, None
    company = Company.objects.filter(uid=payload.get("company")).first()
    if company is None or not company.auth_email or company.auth_email.lower() != payload.get("email", "").lower():
        return None, None
    return company, payload.get("memberships")


def has_active_member(company):
    return company.memberships.active().exists()


def join_error(company, sent_with_memberships):
    """Why nobody may join the company through this magic link any more, or None.

    "spent": someone joined since the link was sent (and has left since, or the previous checks would say so).
    """
    if not Company.objects.active().filter(pk=company.pk).exists():
        return "inactive"
    if has_active_member(company):
        return "has_members"
    if memberships_count(company) != sent_with_memberships:
        return "spent"
    return None


@transaction.atomic
def join_company(company, user, sent_with_memberships):
    """The first member of a company joins it and becomes its admin; None when someone was quicker."""
    Company.objects.select_for_update().filter(pk=company.pk).exists()
    if join_error(company, sent_with_memberships):
        return None
    return add_member(company, user, by=user)


def send_magic_link(company):
    # The site's own address, never the request's Host header: the link must not point elsewhere.
    url = absolute_url(reverse("employer_signup_join", args=[make_magic_link_token(company)]))
    send_templated_email(
        [company.auth_email],
        "signup/emails/employer_magic_link",
        {"company": company, "url": url, "validity_days": MAGIC_LINK_MAX_AGE.days},
    )


# Forms ------------------------------------------------------------------------------------------------------------


class SirenForm(DsfrFormMixin, forms.Form):
    siren = forms.CharField(
        label="SIREN de votre structure",
        max_length=15,
        help_text="9 chiffres (le début de votre SIRET), par exemple 123 456 789.",
    )

    def clean_siren(self):
        siren = digits_only(self.cleaned_data["siren"])
        validate_siren(siren)
        return siren


# Views ------------------------------------------------------------------------------------------------------------


@anonymous_signup_page
@require_safe
def employer_signup(request):
    """Active companies of a SIREN, split by whether someone already manages them."""
    form = SirenForm(data=request.GET if "siren" in request.GET else None)
    context = {"title": "Inscription employeur", "form": form, "searched": False}
    if form.is_valid():
        companies = Company.objects.active().filter(siret__startswith=form.cleaned_data["siren"]).order_by("name")
        without_members, with_members = [], []
        for company in with_first_contacts(companies):
            contact = first_contact(company)
            if contact is None:
                company.obfuscated_auth_email = obfuscate_email(company.auth_email) if company.auth_email else ""
                without_members.append(company)
            else:
                company.contact = contact
                with_members.append(company)
        context.update(searched=True, without_members=without_members, with_members=with_members)
    return render(request, "signup/employer_search.html", context)


@anonymous_signup_page
@require_POST
def employer_signup_send_link(request):
    try:
        uid = uuid.UUID(request.POST.get("company", ""))
    except ValueError:
        raise Http404("Structure introuvable.") from None
    company = get_object_or_404(Company.objects.active(), uid=uid)
    back = f"{reverse('employer_signup')}?siren={company.siren}"
    if has_active_member(company):
        messages.error(request, f"« {company.display_name} » a déjà des membres : demandez-leur une invitation.")
    elif not company.auth_email:
        messages.error(
            request,
            f"Aucune adresse e-mail officielle n'est connue pour « {company.display_name} » : contactez le support.",
        )
    else:
        send_magic_link(company)
        messages.success(
            request,
            f"Un lien d'inscription valable {MAGIC_LINK_MAX_AGE.days} jours a été envoyé à "
            f"{obfuscate_email(company.auth_email)}.",
        )
    return redirect(back)


JOIN_ERRORS = {
    "inactive": (
        "Cette structure n'est plus active",
        "Son conventionnement a pris fin : elle ne peut plus accueillir de nouveaux membres. Contactez le support si "
        "c'est une erreur.",
    ),
    "has_members": (
        "Cette structure a déjà des membres",
        "Quelqu'un a déjà rejoint la structure avec ce lien : demandez-lui de vous inviter.",
    ),
}


@login_not_required
@organization_not_required
@require_http_methods(["GET", "POST"])
def employer_signup_join(request, token):
    company, sent_with_memberships = magic_link_from_token(token)
    if company is None:
        return _invalid_link(request)
    if error := join_error(company, sent_with_memberships):
        return _join_refused(request, company, error)
    if request.user.is_authenticated:
        return _join_as_logged_in_user(request, company, sent_with_memberships)
    return _join_with_new_account(request, company, sent_with_memberships)


def _invalid_link(request):
    return render(request, "signup/employer_join_invalid.html", {"title": "Lien invalide ou expiré"})


def _join_refused(request, company, error):
    if error == "spent":
        return _invalid_link(request)
    heading, explanation = JOIN_ERRORS[error]
    context = {
        "title": heading,
        "heading": heading,
        "explanation": explanation,
        "company": company,
        "contact": first_contact(company) if error == "has_members" else None,
    }
    return render(request, "signup/employer_join_refused.html", context)


def _join_as_logged_in_user(request, company, sent_with_memberships):
    if not request.user.is_professional:
        context = {"title": "Compte professionnel nécessaire", "company": company}
        return render(request, "signup/employer_join_wrong_account.html", context, status=403)
    if request.method == "POST":
        if join_company(company, request.user, sent_with_memberships) is None:
            return _join_refused(request, company, join_error(company, sent_with_memberships) or "has_members")
        return _welcome(request, company)
    context = {"title": "Rejoindre la structure", "company": company}
    return render(request, "signup/employer_join_confirm.html", context)


def _join_with_new_account(request, company, sent_with_memberships):
    existing_account = User.objects.filter(email=company.auth_email.lower()).exists()
    form = ProfessionalAccountForm(data=request.POST or None, initial={"email": company.auth_email})
    if request.method == "POST" and form.is_valid():
        # Following the link proves that its reader owns the auth_email; another address must be confirmed.
        email_verified = form.cleaned_data["email"] == company.auth_email.lower()
        try:
            with transaction.atomic():
                user = form.create_user(email_verified=email_verified)
                if join_company(company, user, sent_with_memberships) is None:
                    raise IntegrityError("joined meanwhile")
        except IntegrityError:
            error = join_error(company, sent_with_memberships)
            if error:
                return _join_refused(request, company, error)
            form.add_error(None, "Un compte existe déjà avec cette adresse e-mail : connectez-vous.")
        else:
            if not email_verified:
                send_email_verification(request, user)
                return redirect("employer_signup_done")
            login(request, user, backend="inclusion.users.backends.EmailBackend")
            return _welcome(request, company)
    context = {
        "title": "Rejoindre la structure",
        "company": company,
        "form": form,
        "existing_account": existing_account,
        "login_url": f"{reverse('login')}?{urlencode({'next': request.path})}",
    }
    return render(request, "signup/employer_join.html", context)


@login_not_required
@organization_not_required
@require_safe
def employer_signup_done(request):
    return render(request, "signup/done.html", {"title": "Vérifiez votre messagerie", "employer": True})


def _welcome(request, company):
    request.session[SESSION_KEY] = company.switch_key
    messages.success(
        request,
        f"Vous avez rejoint « {company.display_name} » et en êtes l'administrateur : vous pouvez inviter vos "
        "collègues.",
    )
    return redirect("dashboard")
