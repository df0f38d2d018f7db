"""Access policies: notifications (issue 5).

- `mon-compte/notifications/`: every logged-in person manages their own e-mails (the page lists only those that
  concern them; institution members and staff see that none does).
- The dashboard (`tableau-de-bord/`, applications.md §17) is a core page: its policy is in `policies.CORE_POLICIES`.
"""

from tests.access.rules import OK, Policy, logged_in

POLICIES = {
    "notification_settings": Policy(logged_in(OK)),
}
