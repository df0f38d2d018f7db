"""Access policies of the operations URLs (issue 6)."""

from tests.access.rules import OK, Policy, everyone

POLICIES = {
    # The load balancer and the monitoring call it without an account; it names services, never their addresses.
    "health_check": Policy(everyone(OK)),
}
