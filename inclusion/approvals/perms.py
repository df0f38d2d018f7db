"""Who may see and act on a PASS IAE (pass_iae.md §17, §13.3, §14.2, §15.3). Each predicate is the one place its
rule is decided; the views, the forms and the lists call them.

Every predicate answers for one user acting for one organization: `organization` is the organization the user acts
for in this request (`request.current_organization`, None for job seekers). Rights come from that organization only,
never from another organization the user also belongs to.

The date rules themselves (who is the last hiring SIAE, the prolongation window...) live in `rules.py`,
`suspensions.py` and `prolongations.py`; the predicates here add who is acting.
"""

from django.db.models import Exists, OuterRef, Q

from inclusion.applications.enums import JobApplicationState
from inclusion.applications.models import JobApplication
from inclusion.approvals import prolongations, rules, suspensions
from inclusion.approvals.models import Approval, Prolongation, ProlongationRequest
from inclusion.eligibility.enums import AuthorKind
from inclusion.eligibility.models import EligibilityDiagnosis
from inclusion.organizations.current import is_active_member
from inclusion.users.models import JobSeekerAssignment, User

COMPANY = "company"
PRESCRIBER = "prescriber"


def _acts_as_member(user, organization, organization_type):
    """The user is an active member of `organization`, an organization of that type (organizations.md §6: active
    memberships of active users only)."""
    return (
        user.is_authenticated
        and user.is_professional
        and getattr(organization, "organization_type", None) == organization_type
        and is_active_member(user, organization)
    )


def _acts_for_company(user, company):
    # organizations.md §8.4: members keep using their company during the 30-day grace period, not after.
    return _acts_as_member(user, company, COMPANY) and company.is_active_or_in_grace_period()


def _acts_for_authorized_prescriber(user, organization):
    # README.md §2.3: an authorized prescriber acts for a VALIDATED organization; an orienteur has no power here.
    return _acts_as_member(user, organization, PRESCRIBER) and organization.is_authorized


def _is_holder(user, approval):
    return user.is_authenticated and user.is_job_seeker and approval.user_id == user.pk


def _company_knows_job_seeker(company, job_seeker_id):
    """pass_iae.md §17: the company received (`to_company`) or sent (`sender_company`) an application for the person,
    whatever its state."""
    return (
        JobApplication.objects.filter(job_seeker_id=job_seeker_id)
        .filter(Q(to_company=company) | Q(sender_company=company))
        .exists()
    )


def followed_by(organization, job_seeker):
    """Condition "the prescriber organization follows the job seeker", `job_seeker` being an OuterRef to a user id.

    Any one of three traces of a follow-up by this organization for this person:
    - an assignment of one of its professionals (organizations.md §5.5, upserted on create, apply, accept, diagnosis,
      self-assign: the intended record of the follow-up);
    - an application it sent for the person;
    - an IAE diagnosis authored by it.
    The last two are kept besides the assignment because they are the very acts an assignment records: people whose
    applications or diagnoses predate the assignments (imports, staff creations) would otherwise lose the prescriber
    who made the diagnosis behind their PASS.
    """
    return (
        Exists(JobSeekerAssignment.objects.filter(job_seeker=job_seeker, prescriber_organization=organization))
        | Exists(JobApplication.objects.filter(job_seeker=job_seeker, sender_prescriber_organization=organization))
        | Exists(
            EligibilityDiagnosis.objects.filter(
                job_seeker=job_seeker,
                author_kind=AuthorKind.PRESCRIBER,
                author_prescriber_organization=organization,
            )
        )
    )


def _organization_follows(organization, job_seeker_id):
    """pass_iae.md §17 "Reference differs": the organization follows THIS job seeker, not merely some job seeker of
    the organization. One query."""
    return User.objects.filter(pk=job_seeker_id).filter(followed_by(organization, OuterRef("pk"))).exists()


def can_view_approval(user, organization, approval):
    """pass_iae.md §17, read column. Allowed:
    - the holder (a job seeker sees their own PASS);
    - a member of a company that received or sent an application for the person, acting for that company (usable:
      active or in its grace period);
    - a member of an authorized prescriber organization, acting for it, when the organization follows this person
      (see `_follow_up_conditions`).
    Nobody else: orienteurs, institution members, other companies, staff outside the back-office.
    """
    if _is_holder(user, approval):
        return True
    if _acts_for_company(user, organization):
        # A company that hired with this PASS knows the person: the PASS pages know it from their prefetched hirings.
        hired = rules.prefetched_accepted_company_ids(approval) or set()
        return organization.pk in hired or _company_knows_job_seeker(organization, approval.user_id)
    if _acts_for_authorized_prescriber(user, organization):
        return _organization_follows(organization, approval.user_id)
    return False


def can_view_prolongation_reasons(user, organization, approval):
    """Who reads the reasons of the suspensions, prolongations and prolongation requests of a PASS, and the
    employer's explanations (health or social data of the person: sickness, RQTH, age, particular difficulties...).
    Allowed:
    - the holder;
    - a member of an SIAE holding an accepted application that carries the PASS (`rules.hiring_siaes`), acting for it:
      the employers who prolong it (pass_iae.md §14.2);
    - a member of an authorized prescriber organization, acting for it, to which one of the prolongations or requests
      of this PASS is addressed: it decides on the request and needs the earlier reasons (caps per reason, §14.1).
    Everyone else who may see the PASS (a company that only received an application, another prescriber following
    the person) sees the dates only.

    One answer for the whole PASS, to compute once per page (two queries at most, none per row).
    """
    if _is_holder(user, approval):
        return True
    if _acts_for_company(user, organization):
        return rules.is_hiring_siae(approval, organization)
    if _acts_for_authorized_prescriber(user, organization):
        addressed = Exists(
            Prolongation.objects.filter(approval=OuterRef("pk"), prescriber_organization=organization)
        ) | Exists(ProlongationRequest.objects.filter(approval=OuterRef("pk"), prescriber_organization=organization))
        return Approval.objects.filter(pk=approval.pk).filter(addressed).exists()
    return False


def can_suspend(user, organization, approval):
    """pass_iae.md §13.3 "Create": a member of the last hiring SIAE, acting for it, while the PASS is in progress and
    not suspended (`suspension_refusal_reason` decides everything but who is acting)."""
    return (
        _acts_for_company(user, organization)
        and suspensions.suspension_refusal_reason(approval, siae=organization) is None
    )


def can_edit_suspension(user, organization, suspension):
    """pass_iae.md §13.3 "Edit, delete, end early": same company condition as creation, and the suspension in
    progress (`suspension_edit_refusal_reason`)."""
    return (
        _acts_for_company(user, organization)
        and suspensions.suspension_edit_refusal_reason(suspension, siae=organization) is None
    )


def can_prolong(user, organization, approval):
    """pass_iae.md §14.2 "Who" and "Window": a member of an SIAE holding an accepted application carrying the PASS
    (any such SIAE, not only the last one), acting for it, inside the prolongation window, the PASS being the latest
    one, not suspended and without a pending request (`prolongation_refusal_reason`)."""
    return (
        _acts_for_company(user, organization)
        and prolongations.prolongation_refusal_reason(approval, siae=organization) is None
    )


def can_process_prolongation_requests(user, organization):
    """pass_iae.md §15.3: the "demandes de prolongation" page is for members of an authorized prescriber organization
    acting for it."""
    return _acts_for_authorized_prescriber(user, organization)


def can_process_request(user, organization, request):
    """pass_iae.md §15.3: any member of the addressed organization (not only the assignee) processes a request, the
    organization being authorized. Whether the request is still pending is the rules' business (`request_grant`,
    `request_deny` refuse a processed one)."""
    return (
        can_process_prolongation_requests(user, organization)
        and request.prescriber_organization_id is not None
        and request.prescriber_organization_id == organization.pk
    )


def can_download_report_file(user, organization, request_or_prolongation):
    """pass_iae.md §14.2 "Report file": only members of the addressed prescriber organization, acting for it, download
    the fiche bilan; not even the declaring employer downloads it back.

    This predicate does not look at the authorization status, but its callers (the request page and the download
    view, `views_prolongations.py`) first require `can_process_prolongation_requests`, that is an authorized
    organization: the members of an organization that is no longer authorized cannot download the file."""
    return (
        _acts_as_member(user, organization, PRESCRIBER)
        and request_or_prolongation.prescriber_organization_id is not None
        and request_or_prolongation.prescriber_organization_id == organization.pk
    )


def can_list_approvals(user, organization):
    """pass_iae.md §11, §17: the employer list of PASS is for members of an SIAE acting for it (other company kinds
    never hold a PASS)."""
    return _acts_for_company(user, organization) and organization.is_siae


def approvals_visible_to(user, organization):
    """The PASS a user acting for `organization` may list (pass_iae.md §17).

    - An SIAE member lists only the PASS linked to the company's accepted applications ("An SIAE lists only the PASS
      linked to its accepted applications"): narrower than what it may open (`can_view_approval`).
    - A job seeker: their own PASS.
    - An authorized prescriber: the PASS of the people its organization follows.
    - Anyone else: none.
    """
    approvals = Approval.objects.all()
    if user.is_authenticated and user.is_job_seeker:
        return approvals.filter(user=user)
    if _acts_for_company(user, organization):
        hired_with = JobApplication.objects.filter(
            approval=OuterRef("pk"), to_company=organization, state=JobApplicationState.ACCEPTED
        )
        return approvals.filter(Exists(hired_with))
    if _acts_for_authorized_prescriber(user, organization):
        return approvals.filter(followed_by(organization, OuterRef("user_id")))
    return approvals.none()
