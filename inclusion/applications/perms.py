"""Who may see and act on a job application (applications.md §5, §11, §14, §15).

Every predicate answers for one user acting for one organization: `organization` is
`request.current_organization` (None for job seekers). The organizations middleware only ever picks one of the
user's active organizations (a company past its grace period is never picked), so being "the current organization"
already means being an active member of it: these predicates add no membership query.

The scopes are also given as querysets (`received_by`, `sent_by`, `of_job_seeker`) so that the lists and the detail
pages apply the very same rule.
"""

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone

from inclusion.applications.enums import JobApplicationState, RefusalReason, SenderKind
from inclusion.applications.models import JobApplication
from inclusion.companies.enums import CompanyKind

# applications.md §11: employers see received applications created less than 2 years ago, or accepted ones. Calendar
# years (README.md §2.1), not 730 days: a window spanning a 29 February is one day longer.
COMPANY_VISIBILITY_WINDOW = relativedelta(years=2)


def _organization_type(organization):
    return getattr(organization, "organization_type", None)


def _acts_for_company(user, organization):
    return user.is_authenticated and user.is_professional and _organization_type(organization) == "company"


def _acts_for_prescriber_organization(user, organization):
    return user.is_authenticated and user.is_professional and _organization_type(organization) == "prescriber"


def _is_prescriber_without_organization(user, organization):
    # README.md §2.3: a prescriber may act alone, without any organization (an "orienteur" on their own).
    return user.is_authenticated and user.is_professional and organization is None


# --- Scopes


def received_by(company, *, now=None):
    """applications.md §11, §18.11: the applications `company` sees in its inbox."""
    now = now or timezone.now()
    return JobApplication.objects.filter(to_company=company).filter(
        Q(created_at__gt=now - COMPANY_VISIBILITY_WINDOW) | Q(state=JobApplicationState.ACCEPTED)
    )


def _sent_alone(user):
    return Q(sender=user, sender_kind=SenderKind.PRESCRIBER, sender_prescriber_organization__isnull=True)


def sent_by(user, organization):
    """applications.md §14 "Sent": for a prescriber, the applications they sent without organization plus every
    application sent by their current organization; for an employer, the applications their current company sent to
    **other** companies (self-prescriptions excluded). Nothing for anyone else."""
    if _acts_for_prescriber_organization(user, organization):
        return JobApplication.objects.filter(Q(sender_prescriber_organization=organization) | _sent_alone(user))
    if _acts_for_company(user, organization):
        return JobApplication.objects.filter(sender_company=organization).exclude(to_company=organization)
    if _is_prescriber_without_organization(user, organization):
        return JobApplication.objects.filter(_sent_alone(user))
    return JobApplication.objects.none()


def of_job_seeker(user):
    """applications.md §14 "Job seeker": the person's own applications."""
    if user.is_authenticated and user.is_job_seeker:
        return JobApplication.objects.filter(job_seeker=user)
    return JobApplication.objects.none()


# --- Predicates on one application


def can_process(user, job_application, *, organization):
    """applications.md §5: only members of the target company, acting with it as current organization (staff act
    through the back-office, institutions and job seekers never)."""
    return _acts_for_company(user, organization) and job_application.to_company_id == organization.pk


def can_view_as_company(user, job_application, *, organization, now=None):
    """applications.md §15: the company's detail page: an active member of the target company, within the
    visibility window of §11."""
    if not can_process(user, job_application, organization=organization):
        return False
    now = now or timezone.now()
    return (
        job_application.state == JobApplicationState.ACCEPTED
        or job_application.created_at > now - COMPANY_VISIBILITY_WINDOW
    )


def can_view_as_sender(user, job_application, *, organization):
    """applications.md §15: the sender's detail page, within the sent scope of §14."""
    sent_alone = (
        job_application.sender_id == user.pk
        and job_application.sender_kind == SenderKind.PRESCRIBER
        and job_application.sender_prescriber_organization_id is None
    )
    if _acts_for_prescriber_organization(user, organization):
        return sent_alone or job_application.sender_prescriber_organization_id == organization.pk
    if _acts_for_company(user, organization):
        return (
            job_application.sender_company_id == organization.pk and job_application.to_company_id != organization.pk
        )
    if _is_prescriber_without_organization(user, organization):
        return sent_alone
    return False


def can_view_as_job_seeker(user, job_application):
    """applications.md §15: the job seeker's own detail page."""
    return user.is_authenticated and user.is_job_seeker and job_application.job_seeker_id == user.pk


def can_download_resume(user, job_application, *, organization):
    """applications.md §15: the job seeker, the sender, members of the target company, of the sender organization or
    of the sender company."""
    if not user.is_authenticated or not job_application.resume:
        return False
    if user.pk in (job_application.job_seeker_id, job_application.sender_id):
        return True
    if _acts_for_company(user, organization):
        return organization.pk in (job_application.to_company_id, job_application.sender_company_id)
    if _acts_for_prescriber_organization(user, organization):
        return organization.pk == job_application.sender_prescriber_organization_id
    return False


# --- lists


def can_list_received(user, organization):
    """applications.md §14 "Received": the employer inbox of the current company; nobody else."""
    return _acts_for_company(user, organization)


def can_list_sent(user, organization):
    """applications.md §14 "Sent": prescribers (with or without organization) and employers; not job seekers,
    institution members or staff."""
    return (
        _acts_for_prescriber_organization(user, organization)
        or _acts_for_company(user, organization)
        or _is_prescriber_without_organization(user, organization)
    )


def can_list_own(user):
    """applications.md §14 "Job seeker": a job seeker's own applications."""
    return user.is_authenticated and user.is_job_seeker


def can_export(user, organization):
    """applications.md §15 exports: employers export what they received, prescribers what they sent."""
    return can_list_sent(user, organization)


def job_seeker_sees_refusal_reason(job_application):
    """applications.md §4, §7: the job seeker learns why their application was refused only when the employer shared
    the reason (the detail page and the refusal e-mail)."""
    return (
        job_application.state == JobApplicationState.REFUSED
        and job_application.refusal_reason_shared_with_job_seeker
        and bool(job_application.refusal_reason)
    )


def sender_sees_company_contact(job_application):
    """applications.md §7: prescribers see the refusing employer's contact details when the reason is "other"."""
    return (
        job_application.state == JobApplicationState.REFUSED and job_application.refusal_reason == RefusalReason.OTHER
    )


def export_scope(user, organization, *, now=None):
    """applications.md §15: the applications an export covers: received for an employer, sent for a prescriber."""
    if _acts_for_company(user, organization):
        return received_by(organization, now=now)
    return sent_by(user, organization)


# --- processing


def transfer_target_companies(user, *, organization):
    """applications.md §10: the companies an employer acting for `organization` may transfer its applications to:
    the other active companies of which the user is an active member. Empty for anyone not acting for a company."""
    # Imported here so that this appended block leaves the module's shared imports alone.
    from django.db.models import Exists, OuterRef

    from inclusion.companies.models import Company, CompanyMembership

    if not _acts_for_company(user, organization):
        return Company.objects.none()
    memberships = CompanyMembership.objects.active().filter(organization=OuterRef("pk"), user=user)
    return Company.objects.active().filter(Exists(memberships)).exclude(pk=organization.pk).order_by("name", "pk")


def can_transfer_to(user, job_application, *, organization, target_company):
    """applications.md §10: an employer member of both the origin company (acting for it) and the target one."""
    return (
        can_process(user, job_application, organization=organization)
        and transfer_target_companies(user, organization=organization).filter(pk=target_company.pk).exists()
    )


def can_delete_comment(user, comment, *, organization):
    """applications.md §15: only the author deletes an internal comment, while acting for the company it was
    written in."""
    return (
        _acts_for_company(user, organization)
        and comment.author_id == user.pk
        and comment.company_id == organization.pk
    )


# --- apply


def can_apply(user, organization):
    """applications.md §12, organizations.md §1.2: a job seeker (for themselves), an employer or a prescriber
    (orienteur or authorized) may start an application; institution members and staff never do."""
    if not user.is_authenticated:
        return False
    if user.is_job_seeker:
        return True
    return _acts_for_company(user, organization) or _acts_for_prescriber_organization(user, organization)


def can_see_sent_confirmation(user, job_application):
    """applications.md §13.8: the end page of the wizard is its sender's."""
    return user.is_authenticated and job_application.sender_id == user.pk


# --- hiring


def contract_dates_editable(job_application):
    """applications.md §8.3: only the contract dates of an accepted hiring are edited (our notes: 403 otherwise)."""
    return job_application.is_accepted


def concerns_prior_actions(company):
    """applications.md §9: prior actions before hiring (pre-qualifications, POE...) are a GEIQ matter only."""
    return company.kind == CompanyKind.GEIQ


def can_declare_direct_hire(user, organization):
    """applications.md §13 "Direct hire", §17: an employer acting for an SIAE or a GEIQ ("Déclarer une embauche");
    EA, EATT and OPCS hire by accepting an application."""
    # Imported here so that this appended block leaves the module's shared imports alone.
    from inclusion.applications.hiring import can_hire_directly

    return _acts_for_company(user, organization) and can_hire_directly(organization)
