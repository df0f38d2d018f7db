"""GEIQ prior actions (applications.md §9); the state rules live in `inclusion/applications/prior_actions.py`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from inclusion.applications import perms, prior_actions
from inclusion.applications.forms_process import PriorActionForm
from inclusion.applications.models import PriorAction
from inclusion.applications.views_process.common import detail_url, error_text, received_application
from inclusion.utils.access import require

NOT_A_GEIQ = prior_actions.NOT_A_GEIQ
ALREADY_DELETED = "Cette action préalable à l'embauche est déjà supprimée."


# --- GEIQ prior actions (applications.md §9) ----------------------------------------------------------------------


def _geiq_application(request, job_application_id):
    job_application = received_application(request, job_application_id)
    require(perms.concerns_prior_actions(job_application.to_company), NOT_A_GEIQ)
    return job_application


def _prior_actions_closed(request, job_application):
    """The French reason prior actions cannot change in this state, shown on the detail page; None when they can."""
    reason = prior_actions.prior_actions_refusal_reason(job_application)
    if reason:
        messages.error(request, reason)
    return reason


def _prior_action_page(request, job_application, *, prior_action=None):
    initial = {}
    if prior_action is not None:
        initial = {"kind": prior_action.kind, "start_at": prior_action.start_at, "end_at": prior_action.end_at}
    form = PriorActionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {key: form.cleaned_data[key] for key in ("kind", "start_at", "end_at")}
        try:
            if prior_action is None:
                prior_actions.prior_action_add(job_application=job_application, user=request.user, **values)
            else:
                prior_actions.prior_action_update(prior_action, **values)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                "L'action préalable à l'embauche est enregistrée."
                if prior_action is None
                else "L'action préalable à l'embauche est modifiée.",
            )
            return redirect(detail_url(job_application) + "#actions-prealables")
    context = {
        "title": "Ajouter une action préalable à l'embauche"
        if prior_action is None
        else "Modifier l'action préalable à l'embauche",
        "job_application": job_application,
        "form": form,
        "detail_url": detail_url(job_application),
    }
    return render(request, "applications/process/prior_action_form.html", context)


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_http_methods(["GET", "HEAD", "POST"])
def prior_action_add(request, job_application_id):
    job_application = _geiq_application(request, job_application_id)
    if _prior_actions_closed(request, job_application):
        return redirect(detail_url(job_application))
    return _prior_action_page(request, job_application)


@require_http_methods(["GET", "HEAD", "POST"])
def prior_action_edit(request, job_application_id, prior_action_id):
    job_application = _geiq_application(request, job_application_id)
    prior_action = get_object_or_404(PriorAction, pk=prior_action_id, job_application=job_application)
    if _prior_actions_closed(request, job_application):
        return redirect(detail_url(job_application))
    return _prior_action_page(request, job_application, prior_action=prior_action)


@require_http_methods(["GET", "HEAD", "POST"])
def prior_action_delete(request, job_application_id, prior_action_id):
    job_application = _geiq_application(request, job_application_id)
    prior_action = PriorAction.objects.filter(pk=prior_action_id, job_application=job_application).first()
    if prior_action is None:  # the deletion posted twice (a double click), or a colleague's meanwhile
        messages.info(request, ALREADY_DELETED)
        return redirect(detail_url(job_application) + "#actions-prealables")
    if _prior_actions_closed(request, job_application):
        return redirect(detail_url(job_application))
    if request.method == "POST":
        try:
            prior_actions.prior_action_delete(prior_action, user=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, "L'action préalable à l'embauche est supprimée.")
        return redirect(detail_url(job_application) + "#actions-prealables")
    context = {
        "title": "Supprimer l'action préalable à l'embauche",
        "job_application": job_application,
        "prior_action": prior_action,
        "is_last": job_application.prior_actions.count() == 1,
        "detail_url": detail_url(job_application),
    }
    return render(request, "applications/process/prior_action_delete.html", context)
