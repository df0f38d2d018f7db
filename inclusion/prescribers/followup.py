"""The job seekers an authorized prescriber organization follows, with the way to their eligibility and PASS IAE.

A person is followed by an organization once one of its members created her account, applied for her or diagnosed
her: the same condition as the access to her PASS IAE (`approvals.perms.followed_by`). "Mes accompagnements", with
its filters, comes with the applications journey; this page is the entry point of the diagnosis screens.
"""

import datetime

from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Prefetch, Subquery
from django.shortcuts import render
from django.views.decorators.http import require_safe

from inclusion.approvals import rules as approval_rules
from inclusion.approvals.models import Approval
from inclusion.approvals.perms import followed_by
from inclusion.eligibility.models import EligibilityDiagnosis
from inclusion.eligibility.rules import diagnosis_is_valid
from inclusion.prescribers.perms import can_view_followed_job_seekers
from inclusion.users.models import JobSeekerAssignment, User
from inclusion.utils.access import require
from inclusion.utils.dates import today

# applications.md §16: the follow-up lists show 50 people per page.
FOLLOWED_PER_PAGE = 50


def followed_job_seekers(organization):
    """The people followed by the organization, most recently followed first, with their PASS and the diagnoses of
    the organization, in a constant number of queries."""
    # Ordered by the organization's last assignment; people followed through an older application or diagnosis only
    # (no assignment yet) come last.
    last_assignment = (
        JobSeekerAssignment.objects.filter(job_seeker=OuterRef("pk"), prescriber_organization=organization)
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )
    return (
        User.objects.job_seekers()
        .filter(followed_by(organization, OuterRef("pk")))
        .annotate(followed_at=Subquery(last_assignment))
        .select_related("jobseeker_profile")
        .prefetch_related(
            Prefetch("approvals", queryset=Approval.objects.order_by("-end_at")),
            Prefetch(
                "eligibility_diagnoses",
                queryset=EligibilityDiagnosis.objects.filter(author_prescriber_organization=organization),
                to_attr="organization_diagnoses",
            ),
        )
        .order_by(F("followed_at").desc(nulls_last=True), "pk")
    )


@require_safe
def followed_job_seekers_list(request):
    organization = request.current_organization
    require(
        can_view_followed_job_seekers(request.user, organization),
        "Cette page est réservée aux prescripteurs habilités.",
    )
    page = Paginator(followed_job_seekers(organization), FOLLOWED_PER_PAGE).get_page(request.GET.get("page"))
    rows = [_row(job_seeker) for job_seeker in page]
    context = {"title": "Candidats suivis", "organization": organization, "page_obj": page, "rows": rows}
    return render(request, "prescribers/followed_job_seekers.html", context)


def _row(job_seeker):
    day = today()
    # pass_iae.md §4: a person holds at most one valid PASS (current or future).
    approval = next(
        (approval for approval in job_seeker.approvals.all() if approval_rules.approval_is_valid(approval, on=day)),
        None,
    )
    # Newest first (the model's ordering): the organization's last diagnosis of the person.
    diagnosis = next(iter(job_seeker.organization_diagnoses), None)
    diagnosis_valid = diagnosis is not None and diagnosis_is_valid(diagnosis, on=day)
    return {
        "job_seeker": job_seeker,
        "approval": approval,
        "diagnosis": diagnosis,
        "diagnosis_is_valid": diagnosis_valid,
        # expires_at is the first day the diagnosis no longer counts (README.md §2.2): people read the last valid day.
        "diagnosis_valid_until": diagnosis.expires_at - datetime.timedelta(days=1) if diagnosis_valid else None,
    }
