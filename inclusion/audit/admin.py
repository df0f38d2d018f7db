"""The audit trail in the back-office (platform_rules.md §1.4): read by staff, written by nobody.

`AuditHistoryMixin` gives the change page of a tracked model (and of an organization, for its memberships) a link
"Historique des modifications" to the entries of the object and of its children.
"""

import datetime
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.template.loader import select_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from inclusion.audit.models import AuditAction, AuditEntry
from inclusion.audit.recorder import tracked_model_for, tracked_models

EMPTY = "—"
OBJECT_PARAMETER = "objet"


def object_key(obj) -> str:
    """How the "objet" filter names an object: "approvals.approval:12"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def history_url(obj) -> str:
    return f"{reverse('admin:audit_auditentry_changelist')}?{urlencode({OBJECT_PARAMETER: object_key(obj)})}"


def _admin_change_url(model_label: str, object_id) -> str:
    app_label, _, model_name = model_label.partition(".")
    try:
        return reverse(f"admin:{app_label}_{model_name}_change", args=[object_id])
    except NoReverseMatch:  # a model without an admin page
        return ""


def _model_verbose_name(model_label: str) -> str:
    model = AuditEntry(model=model_label).model_class
    return str(model._meta.verbose_name) if model else model_label


# Values as staff read them ------------------------------------------------------------------------------------------


def display_value(model_field, value) -> str:
    """A stored value made readable: choice labels, French dates, oui/non, "n° 12" for a foreign key."""
    if value in (None, ""):
        return EMPTY
    if model_field is None:
        return str(value)
    if model_field.is_relation:
        return related_display(model_field, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return "oui" if value else "non"
    try:
        if isinstance(model_field, models.DateTimeField):
            moment = datetime.datetime.fromisoformat(value)
            return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(moment) else value
        if isinstance(model_field, models.DateField):
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
    except (TypeError, ValueError):
        return str(value)
    return str(value)


def related_display(model_field, value) -> str:
    """ "n° 91 : FRANCE", linked to its admin page: one query per value, on the page of one entry only."""
    target = model_field.related_model
    related = target._base_manager.filter(pk=value).first()
    if related is None:
        return f"n° {value} (supprimé)"
    text = f"n° {value} : {related}"
    url = _admin_change_url(target._meta.label_lower, value)
    return format_html('<a href="{}">{}</a>', url, text) if url else text


def _model_field(model, name):
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:  # removed since the entry was written
        return None


def _field_label(model, name) -> str:
    tracked_model = tracked_model_for(model)
    if tracked_model is not None:
        return tracked_model.field_label(name)
    model_field = _model_field(model, name)
    return str(model_field.verbose_name) if model_field is not None else name


# Filters ------------------------------------------------------------------------------------------------------------


class TrackedModelFilter(admin.SimpleListFilter):
    title = "type d'objet"
    parameter_name = "modele"

    def lookups(self, request, model_admin):
        choices = [(model._meta.label_lower, str(model._meta.verbose_name)) for model in tracked_models()]
        return sorted(choices, key=lambda choice: choice[1].lower())

    def queryset(self, request, queryset):
        return queryset.filter(model=self.value()) if self.value() else queryset


class ObjectFilter(admin.SimpleListFilter):
    """One object and its children ("objet=approvals.approval:12"): where the history link of a change page leads."""

    title = "objet"
    parameter_name = OBJECT_PARAMETER

    def _parsed(self):
        model_label, _, object_id = (self.value() or "").partition(":")
        return (model_label, object_id) if model_label and object_id else None

    def lookups(self, request, model_admin):
        parsed = self._parsed()
        if parsed is None:
            return []
        model_label, object_id = parsed
        own = AuditEntry.objects.filter(model=model_label, object_id=object_id).values_list("object_label", flat=True)
        label = own.first() or f"{_model_verbose_name(model_label)} n° {object_id}"
        return [(self.value(), label)]

    def queryset(self, request, queryset):
        parsed = self._parsed()
        if parsed is None:
            return queryset
        model_label, object_id = parsed
        return queryset.filter(
            Q(model=model_label, object_id=object_id) | Q(parent_model=model_label, parent_object_id=object_id)
        )


# The journal --------------------------------------------------------------------------------------------------------


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "object_display", "action", "actor_label", "changed_fields"]
    list_filter = [ObjectFilter, TrackedModelFilter, "action", "created_at"]
    search_fields = ["=object_id", "=parent_object_id", "actor_label"]
    search_help_text = "Identifiant de l'objet (ou de son objet parent), ou e-mail de l'auteur."
    list_per_page = 50
    show_full_result_count = False  # counting a large journal twice per page is slow
    fieldsets = [
        (None, {"fields": ["created_at", "action", "object_display", "parent_display"]}),
        ("Auteur", {"fields": ["actor_display", "request_id"]}),
        ("Modifications", {"fields": ["changes_table"]}),
    ]
    readonly_fields = ["object_display", "parent_display", "actor_display", "changes_table"]
    # Without Django's own "Historique" button: an entry is never changed, it has no history of its own.
    change_form_template = "audit/admin/entry_change_form.html"

    # Written by the recorder only: nobody adds, edits or deletes an entry, superusers included.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": "Historique des modifications", **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @admin.display(description="objet", ordering="object_label")
    def object_display(self, entry):
        url = _admin_change_url(entry.model, entry.object_id) if entry.action != AuditAction.DELETED else ""
        label = format_html('<a href="{}">{}</a>', url, entry.object_label) if url else entry.object_label
        kind = _model_verbose_name(entry.model)
        if entry.object_label.lower().startswith(kind.lower()):
            return label
        # "Mission locale de Lyon (organisation prescriptrice)": a label that does not say what it is.
        return format_html("{} <small>({})</small>", label, kind)

    @admin.display(description="objet parent")
    def parent_display(self, entry):
        if not entry.parent_model:
            return EMPTY
        label = f"{_model_verbose_name(entry.parent_model)} n° {entry.parent_object_id}"
        url = _admin_change_url(entry.parent_model, entry.parent_object_id)
        return format_html('<a href="{}">{}</a>', url, label) if url else label

    @admin.display(description="auteur")
    def actor_display(self, entry):
        url = _admin_change_url("users.user", entry.actor_id) if entry.actor_id else ""
        return format_html('<a href="{}">{}</a>', url, entry.actor_label) if url else entry.actor_label

    @admin.display(description="champs")
    def changed_fields(self, entry):
        model = entry.model_class
        return ", ".join(_field_label(model, name) for name in entry.changes) or EMPTY

    @admin.display(description="détail")
    def changes_table(self, entry):
        if not entry.changes:
            return EMPTY
        model = entry.model_class
        rows = []
        for name, (old, new) in entry.changes.items():
            model_field = _model_field(model, name)
            rows.append((_field_label(model, name), display_value(model_field, old), display_value(model_field, new)))
        return format_html(
            '<table class="audit-changes"><caption>Champs modifiés</caption><thead><tr>'
            '<th scope="col">Champ</th><th scope="col">Avant</th><th scope="col">Après</th>'
            "</tr></thead><tbody>{}</tbody></table>",
            format_html_join("", '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>', rows),
        )


# The link on tracked models' pages -----------------------------------------------------------------------------------


class AuditHistoryMixin:
    """For the ModelAdmin of a tracked model: "Historique des modifications" in the change page's tools.

    Keeps the admin's own change form template (if any) and extends it with the link.
    """

    audit_change_form_template = "audit/admin/change_form_with_history.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        opts = self.opts
        # What ModelAdmin would have rendered: the admin's own template, else Django's per-model lookup.
        self.audit_parent_templates = (
            [self.change_form_template]
            if self.change_form_template
            else [
                f"admin/{opts.app_label}/{opts.model_name}/change_form.html",
                f"admin/{opts.app_label}/change_form.html",
                "admin/change_form.html",
            ]
        )
        self.change_form_template = self.audit_change_form_template

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["audit_parent_template"] = select_template(self.audit_parent_templates)
        if obj is not None and obj.pk is not None and request.user.has_perm("audit.view_auditentry"):
            context["audit_history_url"] = history_url(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
