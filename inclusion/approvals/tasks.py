"""Periodic jobs of the PASS IAE, each calling the same function as its management command:
- prolongation request reminders (pass_iae.md §15.4), daily at 09:00 Europe/Paris
  (`send_prolongation_request_reminders`);
- the France Travail outbox (pass_iae.md §19), every 15 minutes (`notify_france_travail`).
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from inclusion.approvals import france_travail, prolongations
from inclusion.audit import acting_as
from inclusion.companies.tasks import paris_daily_at

# pass_iae.md §15.4: "daily job"; sent in office hours so that prescribers read it the same day.
PROLONGATION_REQUEST_REMINDERS_SCHEDULE = paris_daily_at(9, 0)


# The lock keeps the job on one instance at a time.
@db_periodic_task(PROLONGATION_REQUEST_REMINDERS_SCHEDULE)
@lock_task("send-prolongation-request-reminders")
@acting_as("tâche : send_prolongation_request_reminders")
def send_prolongation_request_reminders_task():
    return prolongations.send_request_reminders()


# pass_iae.md §19: "a periodic job sends ready items in small batches"; a quarter of an hour keeps France Travail
# close to our data without flooding it.
FRANCE_TRAVAIL_SCHEDULE = crontab(minute="*/15")


@db_periodic_task(FRANCE_TRAVAIL_SCHEDULE)
@lock_task("notify-france-travail")
@acting_as("tâche : notify_france_travail")
def notify_france_travail_task():
    france_travail.mark_ready()
    return france_travail.send_ready_items()
