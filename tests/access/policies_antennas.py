"""Access policies: antenna creation (organizations.md §8.5).

The EMPLOYER and OTHER_EMPLOYER personas administer an active ACI: each may open the page for their own company.
"""

from tests.access.personas import EMPLOYER, OTHER_EMPLOYER
from tests.access.rules import FORBIDDEN, OK, Policy, logged_in

POLICIES = {
    "antenna_create": Policy(logged_in(FORBIDDEN, **{EMPLOYER: OK, OTHER_EMPLOYER: OK})),
}
