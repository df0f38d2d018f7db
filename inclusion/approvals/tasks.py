"""Daily job of the PASS IAE: prolongation request reminders (pass_iae.md §15.4), at 09:00 Europe/Paris.

It calls the same function as the management command `send_prolongation_request_reminders`.
"""

from huey.contrib.djhuey import db_periodic_task, lock_task

from inclusion.approvals import prolongations
from inclusion.companies.tasks import paris_daily_at

# pass_iae.md §15.4: "daily job"; sent in office hours so that prescribers read it the same day.
PROLONGATION_REQUEST_REMINDERS_SCHEDULE = paris_daily_at(9, 0)


# The lock keeps the job on one instance at a time.
@db_periodic_task(PROLONGATION_REQUEST_REMINDERS_SCHEDULE)
@lock_task("send-prolongation-request-reminders")
def send_prolongation_request_reminders_task():
    return prolongations.send_request_reminders()
