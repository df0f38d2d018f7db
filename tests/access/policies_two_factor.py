"""Access policies of the two_factor URLs (issue 6).

The second step of a login exists for staff accounts only: other accounts get a 404, anonymous visitors the login.
The STAFF persona is logged in with tests.users.auth.login (confirmed application, verified session): both pages
send it on to the dashboard. Enrolment and verification themselves are tested in tests/users/test_two_factor.py.
"""

from tests.access.personas import STAFF
from tests.access.rules import NOT_FOUND, Policy, logged_in, redirect

POLICIES = {
    "two_factor_setup": Policy(logged_in(NOT_FOUND, **{STAFF: redirect("dashboard")})),
    "two_factor_verify": Policy(logged_in(NOT_FOUND, **{STAFF: redirect("dashboard")})),
}
