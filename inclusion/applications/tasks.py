"""Periodic jobs of the job applications (applications.md §11, platform_rules.md §9), each calling the same
function as its management command:
- auto-archiving, nightly at 02:30 Europe/Paris (`archive_applications`);
- auto-refusal, every 5 minutes on weekdays from 07:00 to 20:00 Europe/Paris (`auto_refuse_applications`).
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from huey.contrib.djhuey import HUEY, db_periodic_task, lock_task

from inclusion.applications import archiving, auto_refusal
from inclusion.audit import acting_as
from inclusion.companies.tasks import paris_daily_at

# platform_rules.md §9: "daily, night".
ARCHIVE_APPLICATIONS_SCHEDULE = paris_daily_at(2, 30)


def paris_weekdays_every(minutes, *, start, end):
    """A huey schedule: every `minutes` minutes, Monday to Friday, from `start` to `end` included (Europe/Paris).

    The end is included because platform_rules.md §9 writes its windows with an inclusive end ("00:00–21:59").
    Like `paris_daily_at`: huey hands the schedule a naive datetime, in UTC with our `utc=True` setting.
    """
    paris = ZoneInfo(settings.TIME_ZONE)

    def validate(timestamp):
        if HUEY.utc:
            timestamp = timestamp.replace(tzinfo=datetime.UTC).astimezone(paris)
        # Compared to the minute, like a crontab: huey may hand a timestamp a few seconds past the minute.
        minute = datetime.time(timestamp.hour, timestamp.minute)
        return timestamp.weekday() < 5 and timestamp.minute % minutes == 0 and start <= minute <= end

    return validate


# applications.md §11: every 5 minutes on weekdays 07:00–20:00.
AUTO_REFUSE_APPLICATIONS_SCHEDULE = paris_weekdays_every(5, start=datetime.time(7, 0), end=datetime.time(20, 0))


# The locks keep each job on one instance at a time (platform_rules.md §9). The tasks apply (no dry run).
@db_periodic_task(ARCHIVE_APPLICATIONS_SCHEDULE)
@lock_task("archive-applications")
@acting_as("tâche : archive_applications")
def archive_applications_task():
    return archiving.archive_stale(dry_run=False)


@db_periodic_task(AUTO_REFUSE_APPLICATIONS_SCHEDULE)
@lock_task("auto-refuse-applications")
@acting_as("tâche : auto_refuse_applications")
def auto_refuse_applications_task():
    return auto_refusal.auto_refuse(dry_run=False)
