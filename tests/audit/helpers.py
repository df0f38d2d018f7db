"""What the audit tests share: reading the journal of an object, logging staff in."""

from inclusion.audit.models import AuditEntry
from tests.users.auth import login


def entries_of(obj, **filters):
    """The entries of one object, oldest first."""
    return list(
        AuditEntry.objects.filter(model=obj._meta.label_lower, object_id=str(obj.pk), **filters).order_by(
            "created_at", "pk"
        )
    )


def last_entry_of(obj, **filters):
    entries = entries_of(obj, **filters)
    assert entries, f"no audit entry for {obj._meta.label} {obj.pk}"
    return entries[-1]


def login_staff(client, user):
    """A staff session past its second factor (platform_rules.md §3), as the login page leaves it."""
    login(client, user)
    return client
