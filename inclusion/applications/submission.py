"""Creating a job application (applications.md §12, §13): the one place the wizard and the direct hire go through.

The wizard shows `previous_application_warning` (guards.py) itself, before calling `submit`; `submit` runs the other
guards again under a lock, so that what the pages checked step by step still holds at creation.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inclusion.applications import guards
from inclusion.applications.enums import SenderKind
from inclusion.applications.models import JobApplication
from inclusion.companies.models import JobDescription
from inclusion.eligibility.rules import siae_self_prescription_withdrawn
from inclusion.notifications import applications as notifications
from inclusion.users.enums import AssignmentAction
from inclusion.users.models import User, upsert_assignment

# applications.md §12: no open job description and no spontaneous application: nothing to apply to.
NOTHING_TO_APPLY_TO = (
    "Cette structure ne recrute pas en ce moment : elle n'a aucune fiche de poste ouverte et ne reçoit pas de "
    "candidature spontanée."
)


class SubmissionRefused(ValidationError):
    """The French reason why the application cannot be sent (guards.py)."""


def _open_job_ids(company):
    return list(JobDescription.objects.active().filter(company=company).values_list("pk", flat=True))


def start_refusal_reason(*, company, sender, sender_kind, sender_company=None, now=None):
    """The guards of applications.md §12 that hold before the job seeker is known (the wizard's first page): the
    company is active, has members, takes applications from this sender, has a job or spontaneous applications open,
    and a sanctioned SIAE does not self-prescribe. None: the wizard may start; `submit` checks everything again."""
    # The company rule is guards.py's own, not a copy: the wizard only asks it earlier.
    reason = guards.company_refusal(company=company, sender=sender)
    if reason:
        return reason
    if not company.is_open_to_spontaneous_applications and not _open_job_ids(company):
        return NOTHING_TO_APPLY_TO
    self_prescription = guards.is_self_prescription(
        company=company, sender_kind=sender_kind, sender_company=sender_company
    )
    if self_prescription and siae_self_prescription_withdrawn(company, on=timezone.localdate(now or timezone.now())):
        return guards.SELF_PRESCRIPTION_WITHDRAWN
    return None


def refusal_reason_before_jobs(
    *, job_seeker, company, sender, sender_kind, sender_company=None, sender_prescriber_organization=None, now=None
):
    """Every guard of applications.md §12 but the choice of jobs, which the wizard asks next (§13.4 before §13.5):
    the jobs guard is given every open job description, so it only fails when there is nothing to apply to."""
    open_jobs = _open_job_ids(company)
    reason = guards.submission_refusal_reason(
        job_seeker=job_seeker,
        company=company,
        sender=sender,
        sender_kind=sender_kind,
        sender_company=sender_company,
        sender_prescriber_organization=sender_prescriber_organization,
        selected_jobs=open_jobs,
        now=now,
    )
    if reason == guards.SPONTANEOUS_CLOSED and not open_jobs:
        return NOTHING_TO_APPLY_TO
    return reason


@dataclass(frozen=True)
class Submission:
    job_application: JobApplication
    created: bool  # False: a double submit within 10 s returned the application created by the first one


def submit(
    *,
    job_seeker,
    company,
    sender,
    sender_kind,
    sender_company=None,
    sender_prescriber_organization=None,
    selected_jobs=(),
    message="",
    resume=None,
    advisor=None,
    advisor_unknown=False,
    direct_hire=False,
    now=None,
) -> Submission:
    """Create the application of `job_seeker` to `company` sent by `sender`, or return the one a double submit
    created in the last 10 s (applications.md §12, §18.10).

    `selected_jobs`: open job descriptions of `company`, empty for a spontaneous application. `resume`: an uploaded
    file already checked to be a PDF of at most 5 MB. `advisor` / `advisor_unknown`: the proxy's choice of the
    professional who follows the person (organizations.md §5.5), by default the sender. `direct_hire`: the
    employer declares a hiring (§13): no job to choose, the assignment records `HIRE`, no "new application" e-mail.
    Raises `SubmissionRefused`.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # One submission per job seeker at a time: a second click waits for the first one, then finds it below.
        User.objects.select_for_update().filter(pk=job_seeker.pk).first()
        duplicate = guards.recent_duplicate(job_seeker=job_seeker, company=company, sender=sender, now=now)
        if duplicate is not None:
            return Submission(duplicate, created=False)
        reason = guards.submission_refusal_reason(
            job_seeker=job_seeker,
            company=company,
            sender=sender,
            sender_kind=sender_kind,
            sender_company=sender_company,
            sender_prescriber_organization=sender_prescriber_organization,
            selected_jobs=selected_jobs,
            direct_hire=direct_hire,
            now=now,
        )
        if reason:
            raise SubmissionRefused(reason)
        job_application = JobApplication(
            job_seeker=job_seeker,
            to_company=company,
            sender=sender,
            sender_kind=sender_kind,
            sender_company=sender_company if sender_kind == SenderKind.EMPLOYER else None,
            sender_prescriber_organization=(
                sender_prescriber_organization if sender_kind == SenderKind.PRESCRIBER else None
            ),
            message=message,
            created_at=now,
        )
        if resume:
            job_application.resume.save("cv.pdf", resume, save=False)
        job_application.save()
        job_application.selected_jobs.set(selected_jobs)
        if sender_kind != SenderKind.JOB_SEEKER:
            _record_follow_up(
                job_application,
                professional=advisor or sender,
                advisor_unknown=advisor_unknown,
                action=AssignmentAction.HIRE if direct_hire else AssignmentAction.APPLY,
                now=now,
            )
        notifications.application_created(job_application, direct_hire=direct_hire)
    return Submission(job_application, created=True)


def _record_follow_up(job_application, *, professional, advisor_unknown, action, now):
    """applications.md §4: a proxy submission records who follows the person, for the sender's organization."""
    assignment = upsert_assignment(
        job_seeker=job_application.job_seeker,
        professional=professional,
        action=action,
        prescriber_organization=job_application.sender_prescriber_organization,
        company=job_application.sender_company,
        now=now,
    )
    has_organization = bool(job_application.sender_prescriber_organization or job_application.sender_company)
    # organizations.md §5.5: the flag needs an organization; choosing a known advisor again clears it.
    is_unknown_advisor = advisor_unknown and has_organization
    if assignment.is_unknown_advisor != is_unknown_advisor:
        assignment.is_unknown_advisor = is_unknown_advisor
        assignment.save(update_fields=["is_unknown_advisor"])
