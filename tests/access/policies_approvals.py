"""Access policies: the PASS IAE pages (pass_iae.md §17).

The URL builders create a PASS of world.job_seeker hired by world.company: its holder (JOB_SEEKER) and the members of
the hiring company (EMPLOYER) see it; everyone else gets a 404, the PASS being none of their business (the authorized
prescriber's organization does not follow this job seeker). The employer list is for members of an SIAE acting for
it (both companies of the world are ACI); "Mon PASS IAE" is for job seekers.
"""

from django.urls import reverse

from tests.access.personas import EMPLOYER, JOB_SEEKER, OTHER_EMPLOYER
from tests.access.rules import FORBIDDEN, NOT_FOUND, OK, Policy, logged_in
from tests.approvals.factories import ApprovalFactory


def approval_url(url_name):
    def url(world):
        approval = ApprovalFactory(user=world.job_seeker, with_hiring=world.company)
        return reverse(url_name, args=[approval.public_id])

    return url


HOLDER_AND_HIRING_COMPANY = logged_in(NOT_FOUND, **{JOB_SEEKER: OK, EMPLOYER: OK})

POLICIES = {
    "approval_detail": Policy(HOLDER_AND_HIRING_COMPANY, url=approval_url("approval_detail")),
    "approval_attestation": Policy(HOLDER_AND_HIRING_COMPANY, url=approval_url("approval_attestation")),
    "approval_list": Policy(logged_in(FORBIDDEN, **{EMPLOYER: OK, OTHER_EMPLOYER: OK})),
    "job_seeker_approval": Policy(logged_in(FORBIDDEN, **{JOB_SEEKER: OK})),
}
