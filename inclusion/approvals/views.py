"""PASS IAE pages: the detail page, its PDF attestation, the employer list and the job seeker's own PASS.

Every page asks `perms.py`; the dates, states and remainders come from `rules.py`, never computed here. A PASS the
visitor may not see is a 404 (its existence is not disclosed); a page reserved to another role is a 403.
"""

from dateutil.relativedelta import relativedelta
from django import forms
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from inclusion.applications.enums import JobApplicationState
from inclusion.applications.models import JobApplication
from inclusion.approvals import pdf, perms, prolongations, rules, suspensions
from inclusion.approvals.enums import ApprovalState, ProlongationRequestStatus
from inclusion.approvals.models import Approval, Prolongation, ProlongationRequest, Suspension
from inclusion.organizations.enums import Role
from inclusion.organizations.perms import acts_as
from inclusion.utils.access import require, require_visible
from inclusion.utils.dates import today
from inclusion.utils.forms import DsfrFormMixin

# The employer list shows 20 PASS per page.
APPROVALS_PER_PAGE = 20

# pass_iae.md §11: the "ends within" filter of the employer list, in months.
ENDS_WITHIN_MONTHS = (1, 3, 7)

# DSFR badge of each state (pass_iae.md §11 labels).
STATE_BADGES = {
    ApprovalState.VALID: "success",
    ApprovalState.SUSPENDED: "warning",
    ApprovalState.FUTURE: "info",
    ApprovalState.EXPIRED: "error",
}


def _approvals_with_page_data():
    """The PASS with everything the detail page and the attestation read, in a constant number of queries."""
    return Approval.objects.select_related(
        "user__jobseeker_profile",
        "eligibility_diagnosis__author",
        "eligibility_diagnosis__author_prescriber_organization",
        "eligibility_diagnosis__author_siae",
    ).prefetch_related(
        Prefetch("suspensions", queryset=Suspension.objects.select_related("siae")),
        Prefetch(
            "prolongations",
            queryset=Prolongation.objects.select_related(
                "declared_by_siae", "validated_by", "prescriber_organization"
            ),
        ),
        Prefetch(
            "prolongation_requests",
            queryset=ProlongationRequest.objects.filter(status=ProlongationRequestStatus.PENDING).select_related(
                "prescriber_organization", "declared_by_siae"
            ),
            to_attr="pending_requests",
        ),
        Prefetch(
            "job_applications",
            queryset=JobApplication.objects.filter(state=JobApplicationState.ACCEPTED).select_related("to_company"),
        ),
    )


def _viewable_approval(request, public_id):
    """The PASS, if the visitor may see it (pass_iae.md §17); a 404 otherwise, whether it exists or not."""
    approval = get_object_or_404(_approvals_with_page_data(), public_id=public_id)
    require_visible(
        perms.can_view_approval(request.user, request.current_organization, approval), "PASS IAE introuvable."
    )
    return approval


def _approval_page_context(request, approval, *, on):
    """What the detail page and the job seeker's page show of a PASS."""
    organization = request.current_organization
    state = rules.approval_state(approval, on=on)
    remainder = rules.approval_remainder(approval, on=on)
    diagnosis = approval.eligibility_diagnosis
    can_suspend = perms.can_suspend(request.user, organization, approval)
    can_prolong = perms.can_prolong(request.user, organization, approval)
    suspension_rows = []
    for suspension in approval.suspensions.all():
        in_progress = suspensions.suspension_is_in_progress(suspension, on=on)
        # pass_iae.md §13.3: only a suspension in progress is edited (suspensions never overlap: one at most).
        editable = in_progress and perms.can_edit_suspension(request.user, organization, suspension)
        suspension_rows.append(
            {
                "suspension": suspension,
                "is_in_progress": in_progress,
                "can_edit": editable,
            }
        )
    pending_request = approval.pending_requests[0] if approval.pending_requests else None
    pending_request_end = None
    if pending_request is not None:
        # pass_iae.md §14.2: the end the grant would record, the PASS end having possibly moved since the request.
        _start, pending_request_end = prolongations.request_effective_dates(pending_request, approval)
    return {
        "approval": approval,
        "birthdate": pdf.holder_birthdate(approval.user),
        "state": state,
        "state_badge": STATE_BADGES[state],
        "remainder": remainder,
        "remainder_text": rules.remainder_display(remainder, on=on),
        "estimated_end": rules.approval_estimated_end(approval, on=on),
        "suspensions": suspension_rows,
        "prolongations": list(approval.prolongations.all()),
        "pending_request": pending_request,
        "pending_request_end": pending_request_end,
        # Health or social data (RQTH, age...): reasons and explanations for the people who need them only.
        "can_view_prolongation_reasons": perms.can_view_prolongation_reasons(request.user, organization, approval),
        "issuing_structure": pdf.issuing_structure(approval),
        "diagnosis": diagnosis,
        "can_suspend": can_suspend,
        "can_prolong": can_prolong,
        "today": on,
    }


@require_safe
def approval_detail(request, public_id):
    approval = _viewable_approval(request, public_id)
    context = {
        "title": f"PASS IAE n° {approval.number_with_spaces}",
        **_approval_page_context(request, approval, on=today()),
    }
    return render(request, "approvals/detail.html", context)


@require_safe
def approval_attestation(request, public_id):
    approval = _viewable_approval(request, public_id)
    response = HttpResponse(pdf.attestation_pdf(approval, on=today()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.attestation_filename(approval)}"'
    return response


# Employer list -------------------------------------------------------------------------------------------------------


class ApprovalFilterForm(DsfrFormMixin, forms.Form):
    """pass_iae.md §11 "Employer PASS list filters": the state and the end date. The contract-status filter needs the
    contract end of the hiring, which the applications journey does not record yet: left out."""

    states = forms.MultipleChoiceField(
        label="État du PASS IAE",
        required=False,
        choices=ApprovalState.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choisissez des états proposés."},
    )
    ends_within = forms.TypedChoiceField(
        label="Fin du PASS IAE",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Peu importe")]
        + [(months, f"Se termine dans {months} mois ou moins") for months in ENDS_WITHIN_MONTHS],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choisissez une durée proposée."},
    )

    def filter(self, approvals, *, on):
        if not self.is_valid():
            return approvals
        states = self.cleaned_data["states"]
        if states:
            approvals = approvals.filter(_state_condition(states, on=on))
        months = self.cleaned_data["ends_within"]
        if months:
            # Still valid today and ending at the latest on today + N months (README.md §2.1 month arithmetic).
            approvals = approvals.filter(end_at__gte=on, end_at__lte=on + relativedelta(months=months))
        return approvals


def _state_condition(states, *, on):
    """pass_iae.md §11 in SQL, same order of evaluation as `rules.approval_state`: expired, then suspended today,
    then valid, then future."""
    suspended_today = Exists(Suspension.objects.filter(approval=OuterRef("pk"), start_at__lte=on, end_at__gte=on))
    not_expired = Q(end_at__gte=on)
    conditions = {
        ApprovalState.EXPIRED: Q(end_at__lt=on),
        ApprovalState.SUSPENDED: not_expired & Q(suspended_today),
        ApprovalState.VALID: not_expired & Q(start_at__lte=on) & ~Q(suspended_today),
        ApprovalState.FUTURE: not_expired & Q(start_at__gt=on) & ~Q(suspended_today),
    }
    condition = Q()
    for state in states:
        condition |= conditions[state]
    return condition


@require_safe
def approval_list(request):
    company = request.current_organization
    require(perms.can_list_approvals(request.user, company), "Cette page est réservée aux employeurs d'une SIAE.")
    on = today()
    # Bound only when a filter is set: `?page=2` alone is no filter ("Effacer les filtres" would show for nothing).
    filtered = any(value for name in ApprovalFilterForm.base_fields for value in request.GET.getlist(name))
    form = ApprovalFilterForm(request.GET if filtered else None)
    approvals = (
        form.filter(perms.approvals_visible_to(request.user, company), on=on)
        .select_related("user")
        .prefetch_related("suspensions")
        .order_by("user__last_name", "user__first_name", "number")
    )
    page = Paginator(approvals, APPROVALS_PER_PAGE).get_page(request.GET.get("page"))
    page.page_range = list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    rows = []
    for approval in page.object_list:
        state = rules.approval_state(approval, on=on)
        rows.append(
            {
                "approval": approval,
                "state": state,
                "state_badge": STATE_BADGES[state],
                "remainder_text": rules.remainder_display(rules.approval_remainder(approval, on=on), on=on),
            }
        )
    context = {
        "title": "PASS IAE de vos salariés",
        "company": company,
        "form": form,
        "page_obj": page,
        "rows": rows,
        "is_filtered": form.is_bound,
    }
    return render(request, "approvals/list.html", context)


# Job seeker --------------------------------------------------------------------------------------------------------


@require_safe
def job_seeker_approval(request):
    user = request.user
    require(acts_as(user, None, Role.JOB_SEEKER), "Cette page est réservée aux candidats.")
    on = today()
    latest = rules.latest_approval(user, on=on)
    context = {"title": "Mon PASS IAE", "approval": None, "waiting_period_end": None}
    if latest is not None:
        approval = _approvals_with_page_data().get(pk=latest.pk)
        context.update(_approval_page_context(request, approval, on=on))
        if rules.is_in_waiting_period(approval, on=on):
            context["waiting_period_end"] = approval.end_at + rules.WAITING_PERIOD
    return render(request, "approvals/job_seeker_approval.html", context)
