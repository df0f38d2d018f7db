"""Who changed what and when on sensitive objects (platform_rules.md §1.4)."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    CREATED = "created", "création"
    UPDATED = "updated", "modification"
    DELETED = "deleted", "suppression"


class AuditEntry(models.Model):
    """One create, update or delete of a tracked object, with the tracked fields it changed.

    Written by `recorder.py` only, never edited. The object is referenced by its model label ("approvals.approval")
    and id, not by a foreign key: the entry outlives it. The label rather than a ContentType row: writing an entry
    never reads the content types table, so a change costs exactly one INSERT whatever the cache holds.
    `parent` names the object the change belongs to (the PASS of a suspension, the person of a profile, the
    diagnosis of a criterion), so that the history of a PASS shows its suspensions too.
    """

    model = models.CharField("type d'objet", max_length=100)
    object_id = models.CharField("identifiant de l'objet", max_length=64)
    # A label readable after deletion, made of what the back-office already shows (a number, never a name).
    object_label = models.CharField("objet", max_length=255)
    parent_model = models.CharField("type de l'objet parent", max_length=100, blank=True)
    parent_object_id = models.CharField("identifiant de l'objet parent", max_length=64, blank=True)
    action = models.CharField("action", max_length=10, choices=AuditAction.choices)
    # {field name: [old, new]}, values as stored (dates in ISO format, foreign keys as primary keys).
    changes = models.JSONField("modifications", default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The e-mail at the time, or "commande : …", "tâche : …", "système", "visiteur non connecté".
    actor_label = models.CharField("auteur (au moment du changement)", max_length=255)
    request_id = models.CharField("identifiant de la requête", max_length=64, blank=True)
    created_at = models.DateTimeField("date", default=timezone.now)

    class Meta:
        verbose_name = "modification"
        verbose_name_plural = "modifications"
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The history of one object (the admin link of each tracked model), and of its children.
            models.Index(fields=["model", "object_id", "-created_at"], name="audit_object_idx"),
            models.Index(
                fields=["parent_model", "parent_object_id", "-created_at"],
                condition=~models.Q(parent_model=""),
                name="audit_parent_idx",
            ),
            # What one person did.
            models.Index(fields=["actor", "-created_at"], name="audit_actor_idx"),
            models.Index(fields=["-created_at"], name="audit_created_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(parent_model="", parent_object_id="")
                | (~models.Q(parent_model="") & ~models.Q(parent_object_id="")),
                name="audit_parent_complete",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display().capitalize()} : {self.object_label}"

    @property
    def model_class(self):
        """The tracked model, or None if it no longer exists."""
        try:
            return apps.get_model(self.model)
        except (LookupError, ValueError):
            return None
