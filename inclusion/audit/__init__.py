"""Audit trail: who changed what and when on sensitive objects (platform_rules.md §1.4).

- `tracked.py`: the models and fields followed, in one list;
- `recorder.py`: the model signals that write one `AuditEntry` per change, and `update_tracked` / `record_created`
  for the bulk writes that send no signal;
- `context.py`: who acts (the request's user, or `acting_as("commande : …")` for commands and tasks);
- `admin.py`: the read-only back-office list, and the "Historique des modifications" link of the tracked models.
"""

from inclusion.audit.context import acting_as

__all__ = ["acting_as"]
