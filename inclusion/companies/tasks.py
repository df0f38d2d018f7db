"""Periodic jobs of the companies (platform_rules.md §9), scheduled in Paris time.

- Nightly freshness jobs ("daily, night"): the same functions as the management commands
  `close_stale_job_descriptions` and `close_stale_spontaneous_applications`.
- Hourly: the `job_app_score` that orders the employer search (search_and_jobs.md §4.2).
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, lock_task

from inclusion.audit import acting_as
from inclusion.companies import freshness, scores


def paris_daily_at(hour, minute=0):
    """A huey schedule for hour:minute Europe/Paris, summer and winter alike.

    huey checks schedules against a naive datetime, in UTC when the queue runs with `utc=True` (our setting), and
    its `crontab` knows no time zone.
    """
    matches = crontab(minute=str(minute), hour=str(hour))
    paris = ZoneInfo(settings.TIME_ZONE)

    def validate(timestamp):
        if HUEY.utc:
            timestamp = timestamp.replace(tzinfo=datetime.UTC).astimezone(paris).replace(tzinfo=None)
        return matches(timestamp)

    return validate


# platform_rules.md §9: "daily, night".
JOB_DESCRIPTIONS_SCHEDULE = paris_daily_at(3, 0)
SPONTANEOUS_APPLICATIONS_SCHEDULE = paris_daily_at(3, 15)
# platform_rules.md §9: "hourly | company job_app_score" (minute 5: clear of the jobs run on the hour).
JOB_APP_SCORES_SCHEDULE = crontab(minute="5")


# The lock keeps the job on one instance at a time (platform_rules.md §9).
@db_periodic_task(JOB_DESCRIPTIONS_SCHEDULE)
@lock_task("close-stale-job-descriptions")
@acting_as("tâche : close_stale_job_descriptions")
def close_stale_job_descriptions_task():
    return freshness.close_stale_job_descriptions()


@db_periodic_task(SPONTANEOUS_APPLICATIONS_SCHEDULE)
@lock_task("close-stale-spontaneous-applications")
@acting_as("tâche : close_stale_spontaneous_applications")
def close_stale_spontaneous_applications_task():
    return freshness.close_stale_spontaneous_applications()


@db_periodic_task(JOB_APP_SCORES_SCHEDULE)
@lock_task("update-job-app-scores")
@acting_as("tâche : update_job_app_scores")
def update_job_app_scores_task():
    return scores.update_job_app_scores()
