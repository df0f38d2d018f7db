"""Internal comments on a received application (applications.md §15)."""

from django.utils import timezone

from inclusion.applications.guards import DOUBLE_SUBMIT_WINDOW
from inclusion.applications.models import JobApplicationComment


def add_comment(*, job_application, company, author, text, now=None):
    """Record `author`'s comment for the members of `company`.

    The same comment by the same author on the same application within the double-submit window of the
    applications (applications.md §12, 10 s) is a second click, not a second comment: the first one is returned.
    """
    now = now or timezone.now()
    comment = JobApplicationComment.objects.filter(
        job_application=job_application,
        company=company,
        author=author,
        text=text,
        created_at__gt=now - DOUBLE_SUBMIT_WINDOW,
    ).first()
    if comment is None:
        comment = JobApplicationComment.objects.create(
            job_application=job_application, company=company, author=author, text=text, created_at=now
        )
    return comment
