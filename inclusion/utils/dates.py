from django.utils import timezone


def today():
    """README.md §2.1: "today" is the calendar date in Europe/Paris (the project's TIME_ZONE)."""
    return timezone.localdate()
