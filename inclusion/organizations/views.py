from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inclusion.organizations import invitations, perms
from inclusion.organizations.current import SESSION_KEY, is_active_member
from inclusion.organizations.forms import InvitationFormSet, InvitationSignupForm, MemberAdminForm, prefill_from
from inclusion.organizations.memberships import member_deactivate as member_deactivate_rule
from inclusion.organizations.memberships import member_set_admin as member_set_admin_rule
from inclusion.organizations.middleware import organization_not_required
from inclusion.organizations.models import INVITATION_DEFAULT_VALIDITY_DAYS, MAX_PENDING_INVITATIONS
from inclusion.organizations.perms import can_switch_organization
from inclusion.users.email_verification import mark_email_verified
from inclusion.users.models import User
from inclusion.utils.access import deny, require
from inclusion.utils.next_url import safe_next_url

# Shown when the invited address belongs to a job seeker or staff account (organizations.md §7).
NOT_PROFESSIONAL = "not_professional"


@require_POST
def switch_organization(request):
    key = request.POST.get("organization", "")
    organization = next((o for o in request.organizations if o.switch_key == key), None)
    # organizations.md §11.2: switching to a non-member or inactive organization is a 404.
    if organization is None or not can_switch_organization(request.user, organization):
        raise Http404("Organisation introuvable.")
    request.session[SESSION_KEY] = organization.switch_key
    messages.info(request, f"Vous agissez maintenant pour « {organization.display_name} ».")
    return HttpResponseRedirect(safe_next_url(request) or reverse("dashboard"))


# organizations.md §6: the members page shows 50 members per page.
MEMBERS_PER_PAGE = 50


def _refuse(request):
    """403, saying why when member management is blocked for the current organization (organizations.md §8.4)."""
    organization = request.current_organization
    reason = perms.member_management_blocked_reason(organization) if organization is not None else None
    if reason:
        context = {"title": "Gestion des collaborateurs suspendue", "reason": reason}
        return render(request, "organizations/members_blocked.html", context, status=403)
    deny("Vous n'avez pas accès aux collaborateurs de cette organisation.")


@require_safe
def members(request):
    organization = request.current_organization
    if not perms.can_view_members(request.user, organization):
        return _refuse(request)
    memberships = (
        organization.memberships.active()
        .select_related("user")
        .order_by(Lower("user__last_name"), Lower("user__first_name"), "pk")
    )
    page = Paginator(memberships, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    pending = list(invitations.pending_invitations(organization).select_related("sender").order_by("-sent_at"))
    context = {
        "title": "Collaborateurs",
        "organization": organization,
        "page_obj": page,
        "members_count": page.paginator.count,
        "admins_count": organization.memberships.admins().count(),
        "pending_invitations": pending,
        # organizations.md §6: the invite link is hidden when 50 invitations are pending.
        "can_invite_more": len(pending) < MAX_PENDING_INVITATIONS,
        "viewer_is_admin": perms.can_manage_members(request.user, organization),
    }
    return render(request, "organizations/members.html", context)


@require_http_methods(["GET", "POST"])
def members_invite(request):
    organization = request.current_organization
    if not perms.can_invite(request.user, organization):
        return _refuse(request)
    if request.method == "POST" and "ajouter" in request.POST:
        # "Ajouter une personne": the same rows again plus an empty one, without validating yet.
        formset = InvitationFormSet(organization=organization, prefill=prefill_from(request.POST))
    elif request.method == "POST":
        formset = InvitationFormSet(request.POST, organization=organization)
        if formset.is_valid():
            try:
                sent = invitations.invitations_send(
                    organization=organization, sender=request.user, invitees=formset.invitees()
                )
            except ValueError:  # another batch took the last places since the form was checked
                messages.error(request, "Trop d'invitations sont en attente : aucune invitation n'a été envoyée.")
            else:
                emails = ", ".join(invitation.email for invitation in sent)
                messages.success(
                    request,
                    f"{len(sent)} invitation(s) envoyée(s), valable(s) {INVITATION_DEFAULT_VALIDITY_DAYS} jours : "
                    f"{emails}.",
                )
                return redirect("members")
    else:
        formset = InvitationFormSet(organization=organization)
    context = {
        "title": "Inviter des collaborateurs",
        "organization": organization,
        "formset": formset,
        "remaining": invitations.remaining_invitation_slots(organization),
        "france_travail_only": invitations.requires_france_travail_email(organization),
        "validity_days": INVITATION_DEFAULT_VALIDITY_DAYS,
    }
    return render(request, "organizations/members_invite.html", context)


def _member_to_change(request, membership_id):
    """The other active member of the current organization an admin acts on: 403 for non-admins and for oneself,
    404 for anyone who is not an active member of the current organization."""
    organization = request.current_organization
    if not perms.can_manage_members(request.user, organization):
        return None, _refuse(request)
    membership = get_object_or_404(organization.memberships.active().select_related("user"), pk=membership_id)
    require(perms.can_change_member(request.user, membership), "Vous ne pouvez pas modifier vos propres droits.")
    return membership, None


@require_POST
def member_set_admin(request, membership_id):
    membership, refusal = _member_to_change(request, membership_id)
    if refusal:
        return refusal
    form = MemberAdminForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choix invalide : indiquez si la personne doit être administrateur ou non.")
        return redirect("members")
    is_admin = form.cleaned_data["is_admin"]
    member_set_admin_rule(membership=membership, is_admin=is_admin, by=request.user)
    name = membership.user.get_full_name()
    if is_admin:
        messages.success(request, f"{name} est maintenant administrateur. Un e-mail l'en informe.")
    else:
        messages.success(request, f"{name} n'est plus administrateur. Un e-mail l'en informe.")
    return redirect("members")


@require_http_methods(["GET", "POST"])
def member_deactivate(request, membership_id):
    membership, refusal = _member_to_change(request, membership_id)
    if refusal:
        return refusal
    if request.method == "POST":
        member_deactivate_rule(membership=membership, by=request.user)
        messages.success(
            request,
            f"{membership.user.get_full_name()} ne fait plus partie de « {membership.organization.display_name} ». "
            "Un e-mail l'en informe.",
        )
        return redirect("members")
    context = {"title": "Retirer un collaborateur", "membership": membership, "organization": membership.organization}
    return render(request, "organizations/member_deactivate.html", context)


def _invitation_refused(request, invitation, problem, status):
    context = {"title": "Invitation non valable", "invitation": invitation, "problem": problem}
    return render(request, "organizations/invitation_invalid.html", context, status=status)


def _joined(request, organization):
    invitations.switch_to(request, organization)
    return redirect("dashboard")


@login_not_required
@organization_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, organization_type, invitation_uid):
    model = invitations.INVITATION_MODELS.get(organization_type)
    if model is None:
        raise Http404("Invitation introuvable.")
    invitation = get_object_or_404(model.objects.select_related("organization", "sender"), uid=invitation_uid)
    organization = invitation.organization
    user = request.user
    # Back from the login page: the login hook has accepted the invitation already.
    if (
        invitation.accepted_at is not None
        and invitations.can_accept_invitation(user, invitation)
        and is_active_member(user, organization)
    ):
        return _joined(request, organization)
    problem = invitations.invitation_problem(invitation)
    if problem is not None:
        return _invitation_refused(request, invitation, problem, status=410)
    if user.is_authenticated and user.email != invitation.email:
        return _invitation_for_another_account(request, invitation)
    if user.is_authenticated:
        if not invitations.can_accept_invitation(user, invitation):
            return _invitation_refused(request, invitation, NOT_PROFESSIONAL, status=403)
        if request.method == "POST":
            try:
                invitations.invitation_accept(invitation=invitation, user=user)
            except ValueError:  # accepted (double click) or expired since the page was shown
                return redirect(request.path)
            messages.success(request, f"Vous avez rejoint « {organization.display_name} ».")
            return _joined(request, organization)
        context = {"title": f"Rejoindre {organization.display_name}", "invitation": invitation}
        return render(request, "organizations/invitation_join.html", context)
    existing = User.objects.filter(email=invitation.email).first()
    if existing is not None:
        if not existing.is_professional:
            return _invitation_refused(request, invitation, NOT_PROFESSIONAL, status=403)
        messages.info(
            request,
            f"Connectez-vous avec l'adresse {invitation.email} pour rejoindre « {organization.display_name} ».",
        )
        return redirect_to_login(request.get_full_path())
    return _invitation_signup(request, invitation)


def _invitation_for_another_account(request, invitation):
    """organizations.md §7: logged in with another e-mail ⇒ logout, then on with the invited address.

    The logout takes a click (a CSRF-protected POST): a mere link must not log anyone out.
    """
    if request.method == "POST" and request.POST.get("action") == "logout":
        email = request.user.email
        logout(request)
        messages.warning(
            request,
            f"Cette invitation a été envoyée à {invitation.email} : vous avez été déconnecté(e) de votre compte "
            f"{email or ''}. Poursuivez avec l'adresse invitée.",
        )
        # Back as an anonymous visitor: the signup form, or the login page when the address has an account.
        return redirect(request.get_full_path())
    context = {"title": "Invitation pour un autre compte", "invitation": invitation}
    return render(request, "organizations/invitation_other_account.html", context)


def _invitation_signup(request, invitation):
    """New account from an invitation: password signup for the three types (ProConnect is not available here)."""
    organization = invitation.organization
    form = InvitationSignupForm(data=request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
                # The person followed a link mailed to this address: it is verified.
                mark_email_verified(user)
                invitations.invitation_accept(invitation=invitation, user=user)
        except IntegrityError:
            # Someone created an account with this e-mail between the page display and the submission.
            form.add_error(None, "Un compte existe déjà avec cette adresse e-mail : connectez-vous pour continuer.")
        except ValueError:  # the invitation was accepted or expired since the page was shown
            return redirect(request.path)
        else:
            login(request, user, backend="inclusion.users.backends.EmailBackend")
            messages.success(
                request, f"Votre compte est créé et vous avez rejoint « {organization.display_name} ». Bienvenue !"
            )
            return _joined(request, organization)
    context = {"title": "Créer votre compte professionnel", "invitation": invitation, "form": form}
    return render(request, "organizations/invitation_signup.html", context)
