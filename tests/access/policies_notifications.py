"""Access policies: notifications and dashboards (issue 5).

- `mon-compte/notifications/`: every logged-in person manages their own e-mails (the page lists only those that
  concern them; institution members and staff see that none does).
- `tableau-de-bord/` (declared in the core policies, refined here with applications.md §17): the JOB_SEEKER persona
  has no address, an incomplete profile: the dashboard sends them to their profile first.
"""

from tests.access.personas import JOB_SEEKER
from tests.access.rules import OK, Policy, logged_in, redirect

POLICIES = {
    "notification_settings": Policy(logged_in(OK)),
    "dashboard": Policy(logged_in(OK, **{JOB_SEEKER: redirect("job_seeker_profile")})),
}
