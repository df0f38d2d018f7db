"""Writes the audit trail from model signals (platform_rules.md §1.4).

- post_init keeps a copy of the values as loaded (no query: only the columns already in the instance);
- post_save writes one entry for a creation, or for an update that changed a tracked field (none for a no-op save);
- post_delete writes one entry with the values deleted (queryset deletions too: Django sends the signal per row).

`QuerySet.update()` and `bulk_create()` send no signal: the rules that bulk-write tracked fields go through
`update_tracked` and `record_created` below.
"""

import datetime
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_init, post_save, pre_delete, pre_save

from inclusion.audit.context import current_actor, forget_deleted_actor
from inclusion.audit.models import AuditAction, AuditEntry
from inclusion.audit.tracked import resolve_tracked

SNAPSHOT = "_audit_snapshot"
EMPTY_VALUES = (None, "")

_tracked = {}


def connect():
    """Connected per model (sender=...): the other models keep Django's fast deletes and skip these handlers."""
    _tracked.update(resolve_tracked())
    for model in _tracked:
        post_init.connect(_take_snapshot, sender=model, dispatch_uid=f"audit_init_{model._meta.label}")
        pre_save.connect(_complete_snapshot, sender=model, dispatch_uid=f"audit_pre_save_{model._meta.label}")
        post_save.connect(_record_save, sender=model, dispatch_uid=f"audit_save_{model._meta.label}")
        post_delete.connect(_record_delete, sender=model, dispatch_uid=f"audit_delete_{model._meta.label}")
    pre_delete.connect(_forget_deleted_actor, sender=get_user_model(), dispatch_uid="audit_deleted_actor")


def tracked_models():
    return dict(_tracked)


def tracked_model_for(model):
    """The registry entry of a model, or None if it is not (or no longer) tracked."""
    return _tracked.get(model)


# Values -------------------------------------------------------------------------------------------------------------


def _normalized(model_field, value):
    """The Python value the database would give back: "2025-01-31" typed in a form compares equal to the date."""
    if value in EMPTY_VALUES:
        return value
    try:
        return model_field.to_python(value)
    except ValidationError:
        return value


def serialize(value):
    """JSON-ready: dates in ISO format (date-times in UTC), identifiers as text, the rest as is."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    return value


def _current_values(tracked_model, instance, fields=None):
    """The tracked columns present in the instance, as they are (post_init runs for each row loaded: keep it cheap)."""
    values = instance.__dict__
    return {
        model_field.attname: values[model_field.attname]
        for model_field in (tracked_model.fields if fields is None else fields)
        if model_field.attname in values  # a deferred column is not loaded, and not written
    }


def _saved_fields(tracked_model, update_fields):
    if update_fields is None:
        return tracked_model.fields
    return tuple(f for f in tracked_model.fields if f.name in update_fields or f.attname in update_fields)


# Signal handlers ----------------------------------------------------------------------------------------------------


def _take_snapshot(sender, instance, **kwargs):
    # Every row a page loads passes here: a copy of the columns as loaded costs a C-level dict copy, where picking
    # the tracked ones cost ~0.1 ms per row; only the tracked columns are compared at save.
    instance.__dict__[SNAPSHOT] = instance.__dict__.copy()


def _complete_snapshot(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    """A column deferred at load (`.only()`) and assigned since has no old value: read it, in this rare case only."""
    if raw or instance._state.adding:
        return
    snapshot = instance.__dict__.setdefault(SNAPSHOT, {})
    missing = [
        model_field.attname
        for model_field in _saved_fields(_tracked[sender], update_fields)
        if model_field.attname in instance.__dict__ and model_field.attname not in snapshot
    ]
    if missing:
        stored = sender._base_manager.using(using).filter(pk=instance.pk).values(*missing).first() or {}
        snapshot.update(stored)


def _record_save(sender, instance, created, raw=False, using=None, update_fields=None, **kwargs):
    if raw:  # fixtures loaded as they are
        return
    tracked_model = _tracked[sender]
    saved = _current_values(tracked_model, instance, _saved_fields(tracked_model, update_fields))
    snapshot = instance.__dict__.setdefault(SNAPSHOT, {})
    if created:
        changes = _changes(tracked_model, {}, saved)
        action = AuditAction.CREATED
    else:
        changes = _changes(tracked_model, {name: snapshot.get(name) for name in saved}, saved)
        action = AuditAction.UPDATED
    snapshot.update(saved)  # the next save of this instance compares with what is now stored
    if created or changes:
        _write([_entry(tracked_model, instance, action, changes)], using)


def _forget_deleted_actor(sender, instance, **kwargs):
    # Sent before the rows go: the entries of this deletion (its cascade included) keep the e-mail, not the key.
    forget_deleted_actor(instance.pk)


def _record_delete(sender, instance, using=None, **kwargs):
    tracked_model = _tracked[sender]
    changes = _changes(tracked_model, _current_values(tracked_model, instance), {})
    _write([_entry(tracked_model, instance, AuditAction.DELETED, changes)], using)


# Entries ------------------------------------------------------------------------------------------------------------


def _changes(tracked_model, before: dict, after: dict) -> dict:
    """{field name: [old, new]} for the tracked fields that differ; on creation or deletion, the non-empty ones."""
    changes = {}
    for model_field in tracked_model.fields:
        old = _normalized(model_field, before.get(model_field.attname))
        new = _normalized(model_field, after.get(model_field.attname))
        if old in EMPTY_VALUES and new in EMPTY_VALUES or old == new:
            continue
        changes[model_field.name] = [serialize(old), serialize(new)]
    return changes


def _entry(tracked_model, instance, action, changes, actor=None):
    actor = actor or current_actor()
    parent = tracked_model.parent
    parent_id = instance.__dict__.get(parent.attname) if parent else None
    return AuditEntry(
        model=tracked_model.model._meta.label_lower,
        object_id=str(instance.pk),
        object_label=tracked_model.object_label(instance),
        parent_model=parent.related_model._meta.label_lower if parent_id is not None else "",
        parent_object_id=str(parent_id) if parent_id is not None else "",
        action=action,
        changes=changes,
        actor_id=actor.user_id,
        actor_label=actor.label[:255],
        request_id=actor.request_id,
    )


def _write(entries, using):
    if len(entries) == 1:
        entries[0].save(using=using)
    elif entries:
        AuditEntry.objects.using(using).bulk_create(entries)


# Bulk writes --------------------------------------------------------------------------------------------------------


def update_tracked(queryset, **values) -> int:
    """`queryset.update(**values)`, with one entry per row whose tracked fields change (update() sends no signal).

    Reads the rows first (one SELECT of the tracked columns), then updates, then writes the entries in one INSERT.
    Call it inside the transaction of the update, so that the rows read are the rows changed.
    """
    tracked_model = _tracked[queryset.model]
    fields = [f for f in tracked_model.fields if f.name in values or f.attname in values]
    if not fields:
        return queryset.update(**values)
    if any(hasattr(_value_for(model_field, values), "resolve_expression") for model_field in fields):
        # F("end_at") + 1: the new value is known to the database only, and the entry could not say it.
        raise ValueError("update_tracked() attend des valeurs pour les champs suivis, pas des expressions.")
    columns = {f.attname for f in tracked_model.fields} | {"pk"}
    # A filter across a relation may repeat a row: one entry per object.
    rows = list({row["pk"]: row for row in queryset.values(*columns)}.values())
    updated = (
        queryset.model._base_manager.using(queryset.db).filter(pk__in=[row["pk"] for row in rows]).update(**values)
    )
    actor = current_actor()
    entries = []
    for row in rows:
        instance = queryset.model(**row)
        before = _current_values(tracked_model, instance, fields)
        for model_field in fields:
            setattr(instance, model_field.attname, _value_for(model_field, values))
        changes = _changes(tracked_model, before, _current_values(tracked_model, instance, fields))
        if changes:
            entries.append(_entry(tracked_model, instance, AuditAction.UPDATED, changes, actor=actor))
    _write(entries, queryset.db)
    return updated


def _value_for(model_field, values):
    value = values[model_field.name] if model_field.name in values else values[model_field.attname]
    # A foreign key may be given as an instance (`updated_by=user`): the entry keeps its primary key.
    return getattr(value, "pk", value) if model_field.is_relation else value


def record_created(objects, *, using="default"):
    """Entries for objects saved by `bulk_create()` (which sends no signal); their primary keys must be set."""
    actor = current_actor()
    entries = []
    for instance in objects:
        tracked_model = _tracked[type(instance)]
        if instance.pk is None:
            raise ValueError("record_created() attend des objets enregistrés (clé primaire connue).")
        changes = _changes(tracked_model, {}, _current_values(tracked_model, instance))
        entries.append(_entry(tracked_model, instance, AuditAction.CREATED, changes, actor=actor))
        instance.__dict__[SNAPSHOT] = _current_values(tracked_model, instance)
    _write(entries, using)
