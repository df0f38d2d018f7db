"""Batch actions on received applications (applications.md §14), the answer page of postpone and pool (§3) and
the internal transfer (§10)."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from inclusion.applications import archiving, perms, transitions
from inclusion.applications.answer_messages import pool_default_answer
from inclusion.applications.enums import JobApplicationTransition as Transition
from inclusion.applications.forms_process import (
    AnswerForm,
    TransferForm,
)
from inclusion.applications.views_process.common import (
    NOT_ARCHIVED,
    UNKNOWN_APPLICATION,
    BatchReport,
    accept_url,
    drop_selection,
    error_text,
    get_selection,
    inbox_url,
    new_selection,
    next_url,
    report_for,
    require_employer,
    selected_applications,
    selection_gone,
)
from inclusion.applications.views_process.refusal import REFUSAL_STEPS

# --- Batch actions ------------------------------------------------------------------------------------------------

BATCH_ACTIONS = (
    "process",
    "postpone",
    "add_to_pool",
    "refuse",
    "archive",
    "unarchive",
    "transfer",
    "external_transfer",
    "accept",
)
# The actions that need more input continue on their page, with the applications their transition allows.
ACTION_TRANSITIONS = {
    "postpone": Transition.POSTPONE,
    "add_to_pool": Transition.ADD_TO_POOL,
    "refuse": Transition.REFUSE,
    "transfer": Transition.TRANSFER,
}


def _parse_ids(values):
    ids = set()
    for value in values:
        try:
            ids.add(uuid.UUID(str(value)))
        except ValueError:
            ids.add(value)  # counted as unknown below
    return ids


@require_POST
def applications_batch(request):
    """applications.md §14: one action on the applications checked in the inbox (or the one of a detail page).

    Applications of other companies (or unknown ids) are ignored and reported; each transition goes through
    `transitions.py`, whose refusals are reported one by one in the summary.
    """
    company = require_employer(request)
    back = next_url(request) or inbox_url()
    action = request.POST.get("action", "")
    if action not in BATCH_ACTIONS:
        messages.error(request, "Choisissez une action à appliquer aux candidatures sélectionnées.")
        return redirect(back)
    ids = _parse_ids(request.POST.getlist("application_ids"))
    if not ids:
        messages.error(request, "Sélectionnez au moins une candidature.")
        return redirect(back)
    valid_ids = [value for value in ids if isinstance(value, uuid.UUID)]
    job_applications = list(
        perms.received_by(company)
        .filter(pk__in=valid_ids)
        .select_related("job_seeker", "to_company")
        .order_by("job_seeker__last_name", "job_seeker__first_name", "pk")
    )
    report = BatchReport(action)
    report.skip_unknown(len(ids) - len(job_applications))
    return BATCH_HANDLERS[action](request, job_applications, report, back)


def _batch_immediate(run):
    """An action done at once on each application; `run(job_application, user)` raises the French refusal."""

    def handler(request, job_applications, report, back):
        for job_application in job_applications:
            try:
                run(job_application, request.user)
            except ValidationError as error:
                report.skip(job_application, error_text(error))
            else:
                report.done += 1
        report.send(request)
        return redirect(back)

    return handler


def _unarchive(job_application, user):
    if job_application.archived_at is None:
        raise ValidationError(NOT_ARCHIVED)
    archiving.unarchive(job_application)


def _eligible_for(transition, job_applications, report):
    """The applications whose state allows `transition`; the others are reported with the state machine's message."""
    eligible = []
    for job_application in job_applications:
        if transitions.is_allowed(job_application.state, transition):
            eligible.append(job_application)
        else:
            report.skip(job_application, transitions.transition_refusal_message(transition, job_application.state))
    return eligible


def _batch_with_page(action, url_name):
    """An action that needs more input: the eligible applications go on to `url_name` as a session selection."""

    def handler(request, job_applications, report, back):
        eligible = _eligible_for(ACTION_TRANSITIONS[action], job_applications, report)
        if not eligible:
            report.send(request)
            return redirect(back)
        if (
            action == "transfer"
            and not perms.transfer_target_companies(request.user, organization=request.current_organization).exists()
        ):
            messages.error(
                request,
                "Vous n'êtes membre d'aucune autre structure active : le transfert interne est impossible.",
            )
            return redirect(back)
        selection_id = new_selection(
            request, action=action, job_applications=eligible, back=back, skipped=report.skipped
        )
        if action == "refuse":
            return redirect(url_name, selection_id, REFUSAL_STEPS[0])
        return redirect(url_name, selection_id)

    return handler


def _single(request, job_applications, report, *, what):
    """The one application an action on exactly one needs, else None (with the French reason as a message)."""
    if len(job_applications) + len(report.skipped) != 1:
        messages.error(request, f"Sélectionnez une seule candidature pour {what}.")
        return None
    if not job_applications:
        messages.error(request, UNKNOWN_APPLICATION)
        return None
    return job_applications[0]


def _batch_accept(request, job_applications, report, back):
    """applications.md §14: accept only with exactly one selected; the accept wizard takes over."""
    job_application = _single(request, job_applications, report, what="l'accepter")
    if job_application is None:
        return redirect(back)
    if not transitions.is_allowed(job_application.state, Transition.ACCEPT):
        messages.error(request, transitions.transition_refusal_message(Transition.ACCEPT, job_application.state))
        return redirect(back)
    return redirect(accept_url(job_application))


def _batch_external_transfer(request, job_applications, report, back):
    """applications.md §10, §14: a single refused application."""
    job_application = _single(request, job_applications, report, what="la transférer vers une autre structure")
    if job_application is None:
        return redirect(back)
    if not transitions.is_allowed(job_application.state, Transition.EXTERNAL_TRANSFER):
        messages.error(
            request, transitions.transition_refusal_message(Transition.EXTERNAL_TRANSFER, job_application.state)
        )
        return redirect(back)
    return redirect("application_external_transfer", job_application.pk)


# --- Answer page (postpone, add to pool) --------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def applications_answer(request, selection_id, action):
    """applications.md §3: the answer to the job seeker before postponing (mandatory) or adding to the pool
    (optional, default text), for one or several applications."""
    selection = get_selection(request, selection_id, action)
    if selection is None:
        return selection_gone(request)
    company = request.current_organization
    job_applications = selected_applications(request, selection)
    is_postpone = action == "postpone"
    initial = {} if is_postpone else {"answer": pool_default_answer(company_name=company.display_name)}
    form = AnswerForm(request.POST if request.method == "POST" else None, required=is_postpone, initial=initial)
    if request.method == "POST" and form.is_valid():
        report = report_for(selection, action, job_applications)
        answer = form.cleaned_data["answer"]
        for job_application in job_applications:
            try:
                if is_postpone:
                    transitions.postpone(job_application, user=request.user, answer=answer)
                else:
                    transitions.add_to_pool(job_application, user=request.user, answer=answer)
            except ValidationError as error:
                report.skip(job_application, error_text(error))
            else:
                report.done += 1
        drop_selection(request, selection_id)
        report.send(request)
        return redirect(selection["back"])
    context = {
        "title": "Mettre en attente" if is_postpone else "Ajouter au vivier",
        "intro": (
            "La candidature reste en attente de votre décision ; le candidat et, le cas échéant, son prescripteur "
            "reçoivent votre message."
            if is_postpone
            else "La candidature est conservée dans votre vivier ; le candidat et, le cas échéant, son prescripteur "
            "reçoivent votre message."
        ),
        "submit_label": "Mettre en attente" if is_postpone else "Ajouter au vivier",
        "form": form,
        "job_applications": job_applications,
        "skipped": selection["skipped"],
        "back": selection["back"],
    }
    return render(request, "applications/process/answer.html", context)


def applications_postpone(request, selection_id):
    return applications_answer(request, selection_id, "postpone")


def applications_add_to_pool(request, selection_id):
    return applications_answer(request, selection_id, "add_to_pool")


# --- Internal transfer (applications.md §10) ----------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def applications_transfer(request, selection_id):
    """Transfer one or several applications to another company the employer is a member of."""
    selection = get_selection(request, selection_id, "transfer")
    if selection is None:
        return selection_gone(request)
    company = request.current_organization
    job_applications = selected_applications(request, selection)
    targets = perms.transfer_target_companies(request.user, organization=company)
    preselected = targets.filter(uid=_uuid_or_none(request.GET.get("structure"))).first()
    form = TransferForm(
        request.POST if request.method == "POST" else None,
        companies=targets,
        initial={"target": preselected.uid if preselected else None},
    )
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        report = report_for(selection, "transfer", job_applications)
        for job_application in job_applications:
            if not perms.can_transfer_to(request.user, job_application, organization=company, target_company=target):
                report.skip(job_application, "Vous ne pouvez pas transférer cette candidature vers cette structure.")
                continue
            try:
                transitions.transfer(job_application, user=request.user, target_company=target)
            except ValidationError as error:
                report.skip(job_application, error_text(error))
            else:
                report.done += 1
        drop_selection(request, selection_id)
        report.send(request)
        # Transferred applications leave this company: its inbox is the only page left to show.
        return redirect(inbox_url() if report.done else selection["back"])
    context = {
        "title": "Transférer vers une autre de mes structures",
        "form": form,
        "job_applications": job_applications,
        "skipped": selection["skipped"],
        "back": selection["back"],
    }
    return render(request, "applications/process/transfer.html", context)


def _uuid_or_none(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


BATCH_HANDLERS = {
    "process": _batch_immediate(lambda job_application, user: transitions.process(job_application, user=user)),
    "archive": _batch_immediate(lambda job_application, user: archiving.archive(job_application, user=user)),
    "unarchive": _batch_immediate(_unarchive),
    "postpone": _batch_with_page("postpone", "applications_postpone"),
    "add_to_pool": _batch_with_page("add_to_pool", "applications_add_to_pool"),
    "refuse": _batch_with_page("refuse", "refusal_wizard"),
    "transfer": _batch_with_page("transfer", "applications_transfer"),
    "accept": _batch_accept,
    "external_transfer": _batch_external_transfer,
}
