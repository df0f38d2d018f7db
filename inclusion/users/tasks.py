"""Weekly jobs of the accounts (platform_rules.md §9 "weekly"), each calling the same function as its management
command:
- shorten every active session to one hour, Mondays at 05:00 Europe/Paris (`shorten_active_sessions`);
- delete the 2FA devices disabled 90 days ago, Sundays at 04:00 Europe/Paris (`purge_disabled_two_factor_devices`).
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, lock_task

from inclusion.users import sessions, two_factor


def paris_weekly_at(weekday, hour, minute=0):
    """A huey schedule: once a week, `weekday` (0 is Monday) at hour:minute Europe/Paris.

    Like `paris_daily_at` (inclusion/companies/tasks.py): huey hands the schedule a naive datetime, in UTC with our
    `utc=True` setting, and its crontab knows no time zone.
    """
    matches = crontab(minute=str(minute), hour=str(hour))
    paris = ZoneInfo(settings.TIME_ZONE)

    def validate(timestamp):
        if HUEY.utc:
            timestamp = timestamp.replace(tzinfo=datetime.UTC).astimezone(paris).replace(tzinfo=None)
        return timestamp.weekday() == weekday and matches(timestamp)

    return validate


# Early on Monday: sessions left open over the week end end before the working day, nobody loses work.
SHORTEN_SESSIONS_SCHEDULE = paris_weekly_at(0, 5, 0)
PURGE_DISABLED_DEVICES_SCHEDULE = paris_weekly_at(6, 4, 0)


# The locks keep each job on one instance at a time (platform_rules.md §9). The tasks apply (no dry run).
@db_periodic_task(SHORTEN_SESSIONS_SCHEDULE)
@lock_task("shorten-active-sessions")
def shorten_active_sessions_task():
    return sessions.shorten_active_sessions(dry_run=False)


@db_periodic_task(PURGE_DISABLED_DEVICES_SCHEDULE)
@lock_task("purge-disabled-two-factor-devices")
def purge_disabled_two_factor_devices_task():
    return two_factor.purge_disabled_devices(dry_run=False)
