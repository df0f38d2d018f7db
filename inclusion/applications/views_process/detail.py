"""The company's detail page of a received application, its internal comments, and the resume download
(applications.md §1, §15)."""

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from inclusion.applications import archiving, hiring, perms, prior_actions, transitions
from inclusion.applications.comments import add_comment
from inclusion.applications.enums import JobApplicationState as State
from inclusion.applications.enums import JobApplicationTransition as Transition
from inclusion.applications.forms_process import CommentForm
from inclusion.applications.models import (
    JobApplication,
    JobApplicationComment,
    JobApplicationTransitionLog,
)
from inclusion.applications.views_process.common import (
    RESUME_FILENAME,
    accept_url,
    cancel_url,
    contract_edit_url,
    detail_url,
    inbox_url,
    received_application,
    require_employer,
)
from inclusion.approvals import rules as approval_rules
from inclusion.companies.enums import CompanyKind
from inclusion.companies.models import JobDescription
from inclusion.eligibility import rules as eligibility_rules
from inclusion.users.display import display_name_for
from inclusion.users.perms import can_view_personal_information
from inclusion.utils import uploads
from inclusion.utils.access import require, require_visible
from inclusion.utils.french import de

# --- Display rules ------------------------------------------------------------------------------------------------


# DSFR badge of each state (applications.md §2 labels).
STATE_BADGES = {
    State.NEW: "info",
    State.PROCESSING: "new",
    State.POSTPONED: "warning",
    State.PRIOR_TO_HIRE: "blue-ecume",
    State.POOL: "purple-glycine",
    State.ACCEPTED: "success",
    State.REFUSED: "error",
    State.CANCELLED: "error",
    State.OBSOLETE: "beige-gris-galet",
}


# --- Detail page --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionButton:
    label: str
    action: str = ""  # the batch action posted; empty for a link
    url: str = ""
    primary: bool = False


def _detail_queryset(company):
    return JobApplication.objects.select_related(
        "job_seeker__jobseeker_profile",
        "sender",
        "sender_company",
        "sender_prescriber_organization",
        "to_company",
        "hired_job__appellation",
        "approval",
        "transferred_from",
        "transferred_by",
        "archived_by",
        "accepted_by",
    ).prefetch_related(
        Prefetch("selected_jobs", queryset=JobDescription.objects.select_related("appellation").order_by("pk")),
        Prefetch("logs", queryset=JobApplicationTransitionLog.objects.select_related("user", "target_company")),
        "prior_actions",
        Prefetch(
            "comments",
            queryset=JobApplicationComment.objects.filter(company=company).select_related("author"),
            to_attr="company_comments",
        ),
    )


def _action_buttons(job_application):
    state = job_application.state

    def allowed(transition):
        return transitions.is_allowed(state, transition)

    buttons = []
    if allowed(Transition.ACCEPT):
        buttons.append(ActionButton("Accepter", url=accept_url(job_application), primary=True))
    if allowed(Transition.PROCESS):
        buttons.append(ActionButton("Étudier", action="process"))
    if allowed(Transition.POSTPONE):
        buttons.append(ActionButton("Mettre en attente", action="postpone"))
    if allowed(Transition.ADD_TO_POOL):
        buttons.append(ActionButton("Ajouter au vivier", action="add_to_pool"))
    if allowed(Transition.REFUSE):
        buttons.append(ActionButton("Décliner", action="refuse"))
    if allowed(Transition.CANCEL):
        buttons.append(ActionButton("Annuler l'embauche", url=cancel_url(job_application)))
    return buttons


def _other_buttons(job_application, *, can_transfer):
    """Transfers and archiving (applications.md §10, §11)."""
    state = job_application.state
    buttons = []
    if can_transfer and transitions.is_allowed(state, Transition.TRANSFER):
        buttons.append(ActionButton("Transférer vers une autre de mes structures", action="transfer"))
    if transitions.is_allowed(state, Transition.EXTERNAL_TRANSFER):
        buttons.append(
            ActionButton(
                "Transférer vers une autre structure",
                url=reverse("application_external_transfer", args=[job_application.pk]),
            )
        )
    if job_application.archived_at is not None:
        buttons.append(ActionButton("Désarchiver", action="unarchive"))
    elif state in archiving.MANUALLY_ARCHIVABLE_STATES:
        buttons.append(ActionButton("Archiver", action="archive"))
    return buttons


def _diagnosis_url(url_name, job_application):
    """The employer's diagnosis page, back to this page afterwards; none once accepted (eligibility.md §2.2)."""
    if job_application.is_accepted:
        return ""
    return f"{reverse(url_name, args=[job_application.pk])}?next={detail_url(job_application)}"


def _eligibility_context(job_application):
    """What the page says of the IAE / GEIQ eligibility and the PASS IAE (eligibility.md §2.5, pass_iae.md §7, §8).

    An accepted application shows what it was accepted with; otherwise what an acceptance would use today.
    """
    company, job_seeker = job_application.to_company, job_application.job_seeker
    if company.is_siae:
        if job_application.is_accepted:
            approval = job_application.approval
            diagnosis = job_application.eligibility_diagnosis
            waiting_period = ""
        else:
            approval = approval_rules.valid_approval(job_seeker)
            diagnosis = eligibility_rules.last_considered_valid_diagnosis(job_seeker, for_siae=company)
            waiting_period = ""
            if approval is None and approval_rules.waiting_period_blocks(
                job_seeker=job_seeker,
                company=company,
                sender_prescriber_organization=job_application.sender_prescriber_organization,
            ):
                waiting_period = approval_rules.waiting_period_message(approval_rules.latest_approval(job_seeker))
        return {
            "kind": "iae",
            "approval": approval,
            "diagnosis": diagnosis,
            "waiting_period": waiting_period,
            "diagnosis_url": _diagnosis_url("eligibility_iae_employer", job_application),
        }
    if company.kind == CompanyKind.GEIQ:
        diagnosis = (
            job_application.geiq_eligibility_diagnosis
            if job_application.is_accepted
            else eligibility_rules.last_valid_geiq_diagnosis(job_seeker, for_geiq=company)
        )
        return {
            "kind": "geiq",
            "diagnosis": diagnosis,
            "diagnosis_url": _diagnosis_url("eligibility_geiq_employer", job_application),
        }
    return None


def _detail_context(request, job_application, *, comment_form):
    user, company = request.user, request.current_organization
    job_seeker = job_application.job_seeker
    can_transfer = perms.transfer_target_companies(user, organization=company).exists()
    is_geiq = company.kind == CompanyKind.GEIQ
    return {
        "title": f"Candidature {de(display_name_for(user, job_seeker, organization=company))}",
        "job_application": job_application,
        "job_seeker": job_seeker,
        "profile": getattr(job_seeker, "jobseeker_profile", None),
        "job_seeker_name": display_name_for(user, job_seeker, organization=company),
        "show_personal_information": can_view_personal_information(user, job_seeker, organization=company),
        "sender_kind": job_application.sender_kind_label,
        "state_badge": STATE_BADGES[job_application.state],
        "actions": _action_buttons(job_application),
        "other_actions": _other_buttons(job_application, can_transfer=can_transfer),
        "eligibility": _eligibility_context(job_application),
        "logs": list(job_application.logs.all()),
        "contract_edit_url": (
            contract_edit_url(job_application) if hiring.contract_dates_editable(job_application) else ""
        ),
        "is_geiq": is_geiq,
        "prior_actions": list(job_application.prior_actions.all()) if is_geiq else [],
        "prior_actions_editable": is_geiq and prior_actions.prior_actions_refusal_reason(job_application) is None,
        "comments": [
            (comment, perms.can_delete_comment(user, comment, organization=company))
            for comment in job_application.company_comments
        ],
        "comment_form": comment_form,
        "batch_url": reverse("applications_batch"),
        "inbox_url": inbox_url(),
        "detail_url": detail_url(job_application),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def application_detail_company(request, job_application_id):
    """applications.md §15: the company's detail page; a POST adds an internal comment."""
    company = require_employer(request)
    job_application = received_application(request, job_application_id, _detail_queryset(company))
    comment_form = CommentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and comment_form.is_valid():
        add_comment(
            job_application=job_application,
            company=company,
            author=request.user,
            text=comment_form.cleaned_data["text"],
        )
        messages.success(request, "Votre commentaire est enregistré. Seuls les membres de votre structure le voient.")
        return redirect(detail_url(job_application) + "#commentaires")
    context = _detail_context(request, job_application, comment_form=comment_form)
    return render(request, "applications/process/detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def application_comment_delete(request, job_application_id, comment_id):
    """applications.md §15: the author deletes their comment, after a confirmation."""
    company = require_employer(request)
    job_application = received_application(request, job_application_id)
    comment = JobApplicationComment.objects.filter(
        pk=comment_id, job_application=job_application, company=company
    ).first()
    if comment is None:  # the deletion posted twice (a double click)
        messages.info(request, "Ce commentaire est déjà supprimé.")
        return redirect(detail_url(job_application) + "#commentaires")
    require(
        perms.can_delete_comment(request.user, comment, organization=company),
        "Seul l'auteur d'un commentaire peut le supprimer.",
    )
    if request.method == "POST":
        comment.delete()
        messages.success(request, "Le commentaire est supprimé.")
        return redirect(detail_url(job_application) + "#commentaires")
    context = {
        "title": "Supprimer le commentaire",
        "job_application": job_application,
        "comment": comment,
        "detail_url": detail_url(job_application),
    }
    return render(request, "applications/process/comment_delete.html", context)


# --- Resume -------------------------------------------------------------------------------------------------------


@require_safe
def application_resume(request, job_application_id):
    """applications.md §15: the resume, streamed to the job seeker, the sender, the members of the target company, of
    the sender organization or of the sender company; a 404 for anyone else and when there is none. Never a public
    media URL: the file is read from the storage here, and downloaded as an attachment (platform_rules.md §6: a PDF
    shown inline would run in the site's origin)."""
    job_application = get_object_or_404(JobApplication, pk=job_application_id)
    require_visible(
        perms.can_download_resume(request.user, job_application, organization=request.current_organization),
        "CV introuvable.",
    )
    if not job_application.resume:
        raise Http404("CV introuvable.")
    try:
        return uploads.attachment_response(job_application.resume, uploads.RESUME, filename=RESUME_FILENAME)
    except FileNotFoundError as error:
        raise Http404("CV introuvable.") from error
