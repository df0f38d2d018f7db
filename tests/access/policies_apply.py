"""Access policies: the application wizard (applications.md §12, §13).

- `apply_start` and the steps: job seekers, prescribers (orienteur or authorized) and employers (of the company: an
  auto-prescription; of another company: an application for a person) start a wizard; institution members and staff
  get a 403; anonymous visitors the login page. The wizard lives under a random session id, so the redirects are
  checked by their prefix. A step URL with an unknown session id sends back to the start.
- `apply_done`: the sender of the application only (here the authorized prescriber); anyone else who may apply does
  not learn it exists (404).
"""

import uuid
from dataclasses import dataclass

from django.urls import reverse

from inclusion.applications.enums import SenderKind
from tests.access.personas import (
    ANONYMOUS,
    AUTHORIZED_PRESCRIBER,
    EMPLOYER,
    INSTITUTION_MEMBER,
    JOB_SEEKER,
    ORIENTEUR,
    OTHER_EMPLOYER,
    STAFF,
)
from tests.access.rules import FORBIDDEN, LOGIN, NOT_FOUND, OK, Outcome, Policy
from tests.applications.factories import JobApplicationFactory

APPLY_PREFIX = "/postuler/"


@dataclass(frozen=True, eq=False)
class RedirectUnder(Outcome):
    """A redirect to a URL starting with `prefix`: the wizard's random session id cannot be named in advance.

    Compared first by Python (a subclass on the right of `==` has priority), and left as is by the harness (no
    `redirect_to` to reverse)."""

    status: int = 302
    prefix: str = APPLY_PREFIX

    def __eq__(self, other):
        return isinstance(other, Outcome) and other.status == 302 and str(other.redirect_to).startswith(self.prefix)

    def __hash__(self):
        return hash((self.status, self.prefix))

    def __str__(self):
        return f"302 → {self.prefix}…"


INTO_THE_WIZARD = RedirectUnder()

WIZARD = {
    ANONYMOUS: LOGIN,
    JOB_SEEKER: INTO_THE_WIZARD,
    ORIENTEUR: INTO_THE_WIZARD,
    AUTHORIZED_PRESCRIBER: INTO_THE_WIZARD,
    EMPLOYER: INTO_THE_WIZARD,  # auto-prescription
    OTHER_EMPLOYER: INTO_THE_WIZARD,
    INSTITUTION_MEMBER: FORBIDDEN,
    STAFF: FORBIDDEN,
}


def start_url(world):
    return reverse("apply_start", args=[world.company.uid])


def stale_step_url(world):
    """A step of a wizard this session never started: back to the start."""
    return reverse("apply_step", args=[world.company.uid, uuid.uuid4(), "metiers"])


def done_url(world):
    job_application = JobApplicationFactory(
        job_seeker=world.job_seeker,
        to_company=world.company,
        sender=world.user(AUTHORIZED_PRESCRIBER),
        sender_kind=SenderKind.PRESCRIBER,
        sender_prescriber_organization=world.prescriber_organization,
    )
    return reverse("apply_done", args=[job_application.pk])


POLICIES = {
    "apply_start": Policy(WIZARD, url=start_url),
    "apply_step": Policy(WIZARD, url=stale_step_url),
    "apply_done": Policy(
        {
            **{persona: NOT_FOUND for persona in WIZARD},
            ANONYMOUS: LOGIN,
            AUTHORIZED_PRESCRIBER: OK,
            INSTITUTION_MEMBER: FORBIDDEN,
            STAFF: FORBIDDEN,
        },
        url=done_url,
    ),
}
