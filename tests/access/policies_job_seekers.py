"""Access policies: job seekers (issue 5; organizations.md §5.2, applications.md §13.3, §16).

- Search-or-create (`candidats/trouver/…`): employers and prescribers of any authorization level; job seekers,
  institution members and staff get a 403. A step of a flow the session does not hold sends the professional back to
  the start of the search.
- "Compléter" (`candidats/<public_id>/completer/`): whoever may edit the personal data of `world.job_seeker`
  (applications.md §16): the person, employers and authorized prescribers; an orienteur who did not create the account,
  institution members and staff get a 403. (The orienteur who created it is tested in tests/users.)
- `mon-profil/`: job seekers only.
"""

import uuid

from django.urls import reverse

from tests.access.personas import AUTHORIZED_PRESCRIBER, EMPLOYER, JOB_SEEKER, ORIENTEUR, OTHER_EMPLOYER
from tests.access.rules import FORBIDDEN, OK, Policy, logged_in, redirect

PROFESSIONALS_WHO_FIND = (ORIENTEUR, AUTHORIZED_PRESCRIBER, EMPLOYER, OTHER_EMPLOYER)

POLICIES = {
    "job_seeker_find": Policy(logged_in(FORBIDDEN, **dict.fromkeys(PROFESSIONALS_WHO_FIND, OK))),
    "job_seeker_find_step": Policy(
        logged_in(FORBIDDEN, **dict.fromkeys(PROFESSIONALS_WHO_FIND, redirect("job_seeker_find"))),
        url=lambda world: reverse("job_seeker_find_step", args=[uuid.uuid4(), "email"]),
    ),
    "job_seeker_complete": Policy(
        logged_in(FORBIDDEN, **dict.fromkeys((JOB_SEEKER, AUTHORIZED_PRESCRIBER, EMPLOYER, OTHER_EMPLOYER), OK)),
        url=lambda world: reverse("job_seeker_complete", args=[world.job_seeker.public_id]),
    ),
    "job_seeker_profile": Policy(logged_in(FORBIDDEN, **{JOB_SEEKER: OK})),
}
