"""Access policies: The employer space: company card edition, job descriptions, spontaneous applications, blocking.

These views act for the current organization: the OTHER_EMPLOYER persona reaches the same pages for their own
company (hence OK), but another company's job description is a 404. Every other role is refused (403).
"""

from django.urls import reverse

from tests.access.personas import EMPLOYER, OTHER_EMPLOYER
from tests.access.rules import FORBIDDEN, NOT_FOUND, OK, Policy, everyone, logged_in, redirect


def employers(outcome, other_employer=None):
    """What the company's employers get; every other logged-in persona gets a 403, the anonymous a login page."""
    return logged_in(FORBIDDEN, **{EMPLOYER: outcome, OTHER_EMPLOYER: other_employer or outcome})


def job_description_url(url_name):
    return lambda world: reverse(url_name, args=[world.job_description.uid])


POLICIES = {
    # Reference data, public like the search forms that use it.
    "appellation_autocomplete": Policy(everyone(OK)),
    # The company of the current organization: each employer persona edits their own (admins only).
    "company_edit": Policy(employers(OK)),
    "job_description_list": Policy(employers(OK)),
    "job_description_create": Policy(employers(OK)),
    "job_description_edit": Policy(employers(OK, NOT_FOUND), url=job_description_url("job_description_edit")),
    "job_description_delete": Policy(employers(OK, NOT_FOUND), url=job_description_url("job_description_delete")),
    "job_description_toggle": Policy(
        employers(redirect("job_description_list"), NOT_FOUND),
        url=job_description_url("job_description_toggle"),
        method="post",
        data=lambda world: {"action": "close"},
    ),
    "company_spontaneous_applications": Policy(
        employers(redirect("job_description_list")), method="post", data=lambda world: {"action": "open"}
    ),
    "company_block_applications": Policy(
        employers(redirect("job_description_list")), method="post", data=lambda world: {"action": "block"}
    ),
}
