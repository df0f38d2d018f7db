"""Who may see and act on a job application (applications.md §5, §11, §14, §15).

Every predicate answers for one user acting for one organization: `organization` is
`request.current_organization` (None for job seekers). The organizations middleware only ever picks one of the
user's active organizations (a company past its grace period is never picked), so being "the current organization"
already means being an active member of it: these predicates add no membership query.

The scopes are also given as querysets (`received_by`, `sent_by`, `of_job_seeker`) so that the lists and the detail
pages apply the very same rule.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from inclusion.applications.enums import JobApplicationState, SenderKind
from inclusion.applications.models import JobApplication

# applications.md §11: employers see received applications created less than 2 years ago, or accepted ones.
COMPANY_VISIBILITY_WINDOW = datetime.timedelta(days=2 * 365)


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
