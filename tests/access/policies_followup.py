"""Access policies: the job seekers followed by an authorized prescriber organization.

Only a member of an authorized organization acting for it (the AUTHORIZED_PRESCRIBER persona) reaches the list;
every other professional, job seekers and staff get a 403.
"""

from tests.access.personas import AUTHORIZED_PRESCRIBER
from tests.access.rules import FORBIDDEN, OK, Policy, logged_in

POLICIES = {
    "followed_job_seekers": Policy(logged_in(FORBIDDEN, **{AUTHORIZED_PRESCRIBER: OK})),
}
