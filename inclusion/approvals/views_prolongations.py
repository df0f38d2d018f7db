"""Prolongation screens (pass_iae.md §14, §15).

- The employer declares a prolongation: immediate for `SENIOR_CDI` and `COMPLETE_TRAINING`, a request to an
  authorized prescriber for the other reasons (`prolongation_declare`).
- The authorized prescriber lists the requests addressed to the organization it acts for, opens one, grants it, or
  denies it through a 3-step wizard, and downloads its fiche bilan.

Request pages: the visitor acts for an authorized prescriber organization (else 403, whatever the request), the
request is addressed to that organization (else 404), then the perms predicate of the action (else 403).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inclusion.approvals import perms, prolongations
from inclusion.approvals.enums import (
    ProlongationRequestDenyProposedAction,
    ProlongationRequestDenyReason,
    ProlongationRequestStatus,
)
from inclusion.approvals.forms import (
    DENY_STEP_FIELDS,
    DENY_STEP_REASON,
    DENY_STEP_TITLES,
    ProlongationForm,
    ProlongationRequestDenyForm,
    add_rule_errors,
    deny_steps_for,
    format_date,
)
from inclusion.approvals.models import Prolongation, ProlongationRequest
from inclusion.approvals.views_suspensions import (
    acting_employer,
    approval_detail_url,
    refused,
    visible_approval,
)
from inclusion.utils import uploads
from inclusion.utils.access import require
from inclusion.utils.dates import today as paris_today
from inclusion.utils.french import de

REQUESTS_PER_PAGE = 20
# The two buttons of the declaration form: search the prescriber by e-mail, or send.
ACTION_FIND_PRESCRIBER = "find_prescriber"


# The employer's declaration (pass_iae.md §14.2, §15.2) ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def prolongation_declare(request, public_id):
    company = acting_employer(request)
    approval = visible_approval(request, public_id)
    today = paris_today()
    title = "Prolonger le PASS IAE"
    if not perms.can_prolong(request.user, company, approval):
        reason = prolongations.prolongation_refusal_reason(approval, siae=company, on=today)
        return refused(request, approval, title=title, reason=reason)
    posted = request.method == "POST"
    searching = posted and request.POST.get("action") == ACTION_FIND_PRESCRIBER
    form = ProlongationForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        approval=approval,
        siae=company,
        searching_prescriber=searching,
    )
    if posted and form.is_valid() and not searching:
        data = form.cleaned_data
        try:
            result = prolongations.prolongation_declare(
                approval=approval,
                siae=company,
                by_user=request.user,
                end_at=data["end_at"],
                reason=data["reason"],
                reason_explanation=data["reason_explanation"],
                validator=form.validator if "prescriber_organization" in data else None,
                prescriber_organization=data.get("prescriber_organization"),
                report_file=data.get("report_file"),
                require_phone_interview=data.get("require_phone_interview", False),
                contact_email=data.get("contact_email", ""),
                contact_phone=data.get("contact_phone", ""),
                on=today,
            )
        except ValidationError as error:
            add_rule_errors(form, error)
        else:
            messages.success(request, _declared_message(result, approval))
            return redirect(approval_detail_url(approval))
    context = {
        "title": title,
        "approval": approval,
        "form": form,
        "company": company,
        "action_find_prescriber": ACTION_FIND_PRESCRIBER,
    }
    return render(request, "approvals/prolongation_declare.html", context)


def _declared_message(result, approval):
    if isinstance(result, Prolongation):
        return f"La prolongation est enregistrée : le PASS IAE prend désormais fin le {format_date(approval.end_at)}."
    return (
        f"Demande envoyée à {result.assigned_to.get_full_name()} ({result.prescriber_organization.display_name}). "
        f"Si elle est acceptée, le PASS IAE prendra fin le {format_date(result.end_at)}. La réponse vous sera envoyée "
        "par e-mail."
    )


# The authorized prescriber's requests (pass_iae.md §15.3) -----------------------------------------------------------


def _acting_prescriber_organization(request):
    organization = request.current_organization
    require(
        perms.can_process_prolongation_requests(request.user, organization),
        "Cette page est réservée aux prescripteurs habilités.",
    )
    return organization


def _requests_of(organization):
    return ProlongationRequest.objects.filter(prescriber_organization=organization)


def _request_of(organization, public_id):
    # Scoped to the organization: a request addressed elsewhere is not disclosed (404).
    return get_object_or_404(
        _requests_of(organization).select_related(
            "approval__user", "declared_by", "declared_by_siae", "assigned_to", "processed_by"
        ),
        public_id=public_id,
    )


def _processable_request(request, public_id):
    organization = _acting_prescriber_organization(request)
    prolongation_request = _request_of(organization, public_id)
    require(
        perms.can_process_request(request.user, organization, prolongation_request),
        "Vous ne pouvez pas traiter cette demande de prolongation.",
    )
    return prolongation_request


def _already_processed(request, prolongation_request):
    """A processed request is final (pass_iae.md §15.1): say so instead of acting again."""
    status = prolongation_request.get_status_display().lower()
    if prolongation_request.processed_at is not None:
        status += f" le {format_date(timezone.localdate(prolongation_request.processed_at))}"
    messages.error(
        request,
        f"Cette demande de prolongation a déjà été traitée ({status}) : elle ne peut plus être acceptée ni refusée.",
    )
    return redirect("prolongation_request_detail", public_id=prolongation_request.public_id)


def _is_pending(prolongation_request):
    return prolongation_request.status == ProlongationRequestStatus.PENDING


@require_safe
def prolongation_requests(request):
    organization = _acting_prescriber_organization(request)
    # Pending first ("À traiter"), then the processed ones, newest first in each group.
    requests = (
        _requests_of(organization)
        .select_related("approval__user", "declared_by_siae")
        .annotate(processed_rank=Case(When(status=ProlongationRequestStatus.PENDING, then=Value(0)), default=Value(1)))
        .order_by("processed_rank", "-created_at", "-pk")
    )
    page = Paginator(requests, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    # The dates the grant would record (the PASS, already joined, gives its current end): no query per row.
    rows = [_request_row(prolongation_request) for prolongation_request in page.object_list]
    context = {
        "title": "Demandes de prolongation",
        "organization": organization,
        "page_obj": page,
        "rows": rows,
        "pending_count": _requests_of(organization).filter(status=ProlongationRequestStatus.PENDING).count(),
    }
    return render(request, "approvals/request_list.html", context)


def _request_row(prolongation_request):
    start_at, end_at = prolongations.request_effective_dates(prolongation_request)
    return {"prolongation_request": prolongation_request, "start_at": start_at, "end_at": end_at}


@require_safe
def prolongation_request_detail(request, public_id):
    organization = _acting_prescriber_organization(request)
    prolongation_request = _request_of(organization, public_id)
    # pass_iae.md §14.2: the dates the grant would record, which differ from the requested ones when the PASS end
    # moved while the request waited (a suspension).
    start_at, end_at = prolongations.request_effective_dates(prolongation_request)
    context = {
        "title": "Demande de prolongation",
        "prolongation_request": prolongation_request,
        "approval": prolongation_request.approval,
        "start_at": start_at,
        "end_at": end_at,
        "dates_moved": start_at != prolongation_request.start_at,
        "can_process": _is_pending(prolongation_request)
        and perms.can_process_request(request.user, organization, prolongation_request),
        "can_download_report": bool(prolongation_request.report_file)
        and perms.can_download_report_file(request.user, organization, prolongation_request),
        "duration_days": (end_at - start_at).days,
        "proposed_actions": [
            ProlongationRequestDenyProposedAction(action).label
            for action in prolongation_request.deny_proposed_actions or []
            if action in ProlongationRequestDenyProposedAction.values
        ],
    }
    return render(request, "approvals/request_detail.html", context)


@require_POST
def prolongation_request_grant(request, public_id):
    prolongation_request = _processable_request(request, public_id)
    if not _is_pending(prolongation_request):
        return _already_processed(request, prolongation_request)
    try:
        prolongation = prolongations.request_grant(prolongation_request, by_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("prolongation_request_detail", public_id=prolongation_request.public_id)
    messages.success(
        request,
        f"La demande de prolongation est acceptée : le PASS IAE "
        f"{de(prolongation_request.approval.user.get_full_name())} prend désormais fin le "
        f"{format_date(prolongation.end_at)}. L'employeur et la personne sont prévenus par e-mail.",
    )
    return redirect("prolongation_requests")


def _deny_step(request, prolongation_request, form, step):
    reason = form["reason"].value()
    steps = deny_steps_for(reason)
    # Before the reason is known, the wizard announces its longest path.
    if step == DENY_STEP_REASON and not reason:
        steps = deny_steps_for(ProlongationRequestDenyReason.IAE)
    total = max(len(steps), step)
    shown = DENY_STEP_FIELDS[step]
    carried = []
    for name in form.fields:
        if name in shown:
            continue
        value = form[name].value()
        values = value if isinstance(value, list | tuple) else [value]
        carried.extend((name, item) for item in values if item not in (None, ""))
    context = {
        "title": "Refuser la demande de prolongation",
        "prolongation_request": prolongation_request,
        "approval": prolongation_request.approval,
        "form": form,
        "step": step,
        "steps": total,
        "step_title": DENY_STEP_TITLES[step],
        "next_step_title": DENY_STEP_TITLES.get(step + 1) if step < total else "",
        "step_fields": [form[name] for name in shown],
        "carried": carried,
    }
    return render(request, "approvals/request_deny.html", context)


def _posted_step(data):
    try:
        step = int(data.get("step", DENY_STEP_REASON))
    except (TypeError, ValueError):
        return DENY_STEP_REASON
    return step if step in DENY_STEP_FIELDS else DENY_STEP_REASON


def _raw_answers(data):
    return {
        name: data.getlist(name) if name == "proposed_actions" else data.get(name, "")
        for name in ProlongationRequestDenyForm.base_fields
    }


@require_http_methods(["GET", "POST"])
def prolongation_request_deny(request, public_id):
    """pass_iae.md §15.3: (1) reason, (2) mandatory explanation, (3) for the reason IAE only, proposed actions and
    their explanation. The answers travel in hidden inputs; the last step validates them all again."""
    prolongation_request = _processable_request(request, public_id)
    if not _is_pending(prolongation_request):
        return _already_processed(request, prolongation_request)
    if request.method == "GET":
        return _deny_step(request, prolongation_request, ProlongationRequestDenyForm(step=DENY_STEP_REASON), 1)
    step = _posted_step(request.POST)
    if "back" in request.POST:
        previous = max(step - 1, DENY_STEP_REASON)
        form = ProlongationRequestDenyForm(initial=_raw_answers(request.POST), step=previous)
        return _deny_step(request, prolongation_request, form, previous)
    form = ProlongationRequestDenyForm(request.POST, step=step)
    if not form.is_valid():
        # An answer of an earlier step may have been tampered with: show the step that holds the error.
        shown = form.first_step_with_errors() or step
        if shown != step:
            form = ProlongationRequestDenyForm(request.POST, step=shown)
            form.is_valid()
        return _deny_step(request, prolongation_request, form, shown)
    data = form.cleaned_data
    last_step = deny_steps_for(data["reason"])[-1]
    if step < last_step:
        following = ProlongationRequestDenyForm(initial=_raw_answers(request.POST), step=step + 1)
        return _deny_step(request, prolongation_request, following, step + 1)
    is_iae = data["reason"] == ProlongationRequestDenyReason.IAE
    try:
        prolongations.request_deny(
            prolongation_request,
            by_user=request.user,
            reason=data["reason"],
            reason_explanation=data["reason_explanation"],
            proposed_actions=data["proposed_actions"] if is_iae else None,
            proposed_actions_explanation=data["proposed_actions_explanation"] if is_iae else "",
        )
    except ValidationError as error:
        add_rule_errors(form, error)
        return _deny_step(request, prolongation_request, form, step)
    messages.success(
        request,
        f"La demande de prolongation du PASS IAE {de(prolongation_request.approval.user.get_full_name())} est "
        "refusée. L'employeur et la personne sont prévenus par e-mail, avec vos explications.",
    )
    return redirect("prolongation_requests")


@require_safe
def prolongation_request_report(request, public_id):
    """pass_iae.md §14.2: the fiche bilan, for the members of the addressed organization only; served as an
    attachment through this view (access checked), never from a public media URL."""
    organization = _acting_prescriber_organization(request)
    prolongation_request = _request_of(organization, public_id)
    require(
        perms.can_download_report_file(request.user, organization, prolongation_request),
        "Seuls les membres de l'organisation sollicitée peuvent télécharger la fiche bilan.",
    )
    if not prolongation_request.report_file:
        raise Http404("Cette demande n'a pas de fiche bilan.")
    # platform_rules.md §6: an attachment named after the PASS number (digits only), whatever the uploader named it.
    filename = f"fiche-bilan-{prolongation_request.approval.number}.{uploads.REPORT_FILE.extension}"
    try:
        return uploads.attachment_response(prolongation_request.report_file, uploads.REPORT_FILE, filename=filename)
    except OSError as error:  # FileNotFoundError included: the storage lost the file
        raise Http404("La fiche bilan est introuvable.") from error
