"""Suspension screens for the last hiring SIAE (pass_iae.md §13): create, edit, end early ("réintégration"), delete.

Each view: the visitor acts as an employer (else 403, whatever the PASS), the PASS is one they may see (else 404),
the perms predicate allows the action (else a 403 page saying why), then the form, then the rule, which stays the
authority on every date (`suspensions.py`); its refusals are shown on the form and nothing is saved.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from inclusion.approvals import perms, suspensions
from inclusion.approvals.forms import SuspensionEndEarlyForm, SuspensionForm, add_rule_errors, format_date
from inclusion.approvals.models import Approval, Suspension
from inclusion.organizations.enums import Role
from inclusion.organizations.perms import acts_as
from inclusion.utils.access import require, require_visible
from inclusion.utils.dates import today as paris_today

REFUSED_TEMPLATE = "approvals/suspension_prolongation_refused.html"
# When the rules have nothing to object, the refusal comes from who is acting: a company past its 30-day grace period
# (organizations.md §8.4) or a membership that ended. A 403 page always says why.
NO_RIGHTS_REASON = (
    "Votre structure ne vous permet pas d'agir sur ce PASS IAE : elle est désactivée depuis plus de 30 jours ou "
    "vous n'en êtes plus membre actif. Si vous agissez pour plusieurs organisations, vérifiez l'organisation choisie "
    "dans votre tableau de bord."
)


def acting_employer(request):
    """The company the visitor acts for; any other role is refused before the PASS is even looked up."""
    require(
        acts_as(request.user, request.current_organization, Role.EMPLOYER), "Cette page est réservée aux employeurs."
    )
    return request.current_organization


def visible_approval(request, public_id):
    """The PASS, when the visitor may know it exists (pass_iae.md §17), else 404."""
    approval = get_object_or_404(Approval.objects.select_related("user"), public_id=public_id)
    require_visible(
        perms.can_view_approval(request.user, request.current_organization, approval), "PASS IAE introuvable."
    )
    return approval


def _visible_suspension(request, public_id):
    suspension = get_object_or_404(Suspension.objects.select_related("approval__user", "siae"), public_id=public_id)
    require_visible(
        perms.can_view_approval(request.user, request.current_organization, suspension.approval),
        "Suspension introuvable.",
    )
    return suspension


def approval_detail_url(approval):
    return reverse("approval_detail", args=[approval.public_id])


def refused(request, approval, *, title, reason):
    """A 403 that says why: the employer sees the PASS, so the reason discloses nothing."""
    context = {"title": title, "approval": approval, "reason": reason or NO_RIGHTS_REASON}
    return render(request, REFUSED_TEMPLATE, context, status=403)


def _form_data(request):
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "POST"])
def suspension_create(request, public_id):
    company = acting_employer(request)
    approval = visible_approval(request, public_id)
    today = paris_today()
    title = "Suspendre le PASS IAE"
    if not perms.can_suspend(request.user, company, approval):
        reason = suspensions.suspension_refusal_reason(approval, siae=company, on=today)
        return refused(request, approval, title=title, reason=reason)
    form = SuspensionForm(_form_data(request), approval=approval, siae=company, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            suspension = suspensions.suspension_create(
                approval=approval,
                siae=company,
                **_suspension_fields(form),
                by_user=request.user,
                on=today,
            )
        except ValidationError as error:
            add_rule_errors(form, error)
        else:
            messages.success(
                request,
                f"La suspension du {format_date(suspension.start_at)} au {format_date(suspension.end_at)} est "
                f"enregistrée. Le PASS IAE prend désormais fin le {format_date(approval.end_at)}.",
            )
            return redirect(approval_detail_url(approval))
    context = {"title": title, "approval": approval, "form": form, "editing": False}
    return render(request, "approvals/suspension_form.html", context)


def _suspension_fields(form):
    """What the employer typed, as the suspension rules take it."""
    return {name: form.cleaned_data[name] for name in ("start_at", "end_at", "reason", "reason_explanation")}


def _editable_suspension(request, public_id, *, title):
    """(company, suspension, refusal response): the refusal is None when the visitor may change the suspension."""
    company = acting_employer(request)
    suspension = _visible_suspension(request, public_id)
    if perms.can_edit_suspension(request.user, company, suspension):
        return company, suspension, None
    reason = suspensions.suspension_edit_refusal_reason(suspension, siae=company)
    return company, suspension, refused(request, suspension.approval, title=title, reason=reason)


@require_http_methods(["GET", "POST"])
def suspension_update(request, public_id):
    title = "Modifier la suspension"
    company, suspension, refusal = _editable_suspension(request, public_id, title=title)
    if refusal:
        return refusal
    approval = suspension.approval
    today = paris_today()
    form = SuspensionForm(_form_data(request), approval=approval, siae=company, suspension=suspension, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            suspensions.suspension_update(
                suspension,
                **_suspension_fields(form),
                by_user=request.user,
                on=today,
            )
        except ValidationError as error:
            add_rule_errors(form, error)
        else:
            messages.success(
                request,
                f"La suspension est modifiée : du {format_date(suspension.start_at)} au "
                f"{format_date(suspension.end_at)}. Le PASS IAE prend désormais fin le "
                f"{format_date(approval.end_at)}.",
            )
            return redirect(approval_detail_url(approval))
    context = {"title": title, "approval": approval, "form": form, "editing": True, "suspension": suspension}
    return render(request, "approvals/suspension_form.html", context)


@require_http_methods(["GET", "POST"])
def suspension_end_early(request, public_id):
    title = "Mettre fin à la suspension"
    _company, suspension, refusal = _editable_suspension(request, public_id, title=title)
    if refusal:
        return refusal
    approval = suspension.approval
    if not suspensions.suspension_can_end_early(suspension, on=paris_today()):
        reason = "Cette suspension est trop courte pour qu'on y mette fin plus tôt : supprimez-la si besoin."
        return refused(request, approval, title=title, reason=reason)
    form = SuspensionEndEarlyForm(_form_data(request), suspension=suspension)
    if request.method == "POST" and form.is_valid():
        try:
            suspensions.suspension_end_early(
                suspension, first_day_back=form.cleaned_data["first_day_back"], by_user=request.user, on=paris_today()
            )
        except ValidationError as error:
            add_rule_errors(form, error)
        else:
            messages.success(
                request,
                f"La suspension prend fin le {format_date(suspension.end_at)}. Le PASS IAE prend désormais fin le "
                f"{format_date(approval.end_at)}.",
            )
            return redirect(approval_detail_url(approval))
    context = {"title": title, "approval": approval, "form": form, "suspension": suspension}
    return render(request, "approvals/suspension_end_early.html", context)


@require_http_methods(["GET", "POST"])
def suspension_delete(request, public_id):
    title = "Supprimer la suspension"
    _company, suspension, refusal = _editable_suspension(request, public_id, title=title)
    if refusal:
        return refusal
    approval = suspension.approval
    today = paris_today()
    error = None
    if request.method == "POST":
        try:
            days_lost = suspensions.suspension_delete(suspension, by_user=request.user, on=today)
        except ValidationError as refusal_error:
            error = " ".join(refusal_error.messages)
        else:
            messages.success(
                request,
                f"La suspension est supprimée ({days_lost} jour{'s' if days_lost > 1 else ''} de suspension "
                f"perdu{'s' if days_lost > 1 else ''}). Le PASS IAE prend désormais fin le "
                f"{format_date(approval.end_at)}.",
            )
            return redirect(approval_detail_url(approval))
    context = {
        "title": title,
        "approval": approval,
        "suspension": suspension,
        "days_lost": suspensions.suspension_days_lost(suspension, on=today),
        "can_end_early": suspensions.suspension_can_end_early(suspension, on=today),
        "error": error,
    }
    return render(request, "approvals/suspension_delete.html", context)
