"""DSFR field groups written in Python, for the forms of the busiest pages (the filters of the application lists).

django-dsfr renders a field through templates: the group, the widget, then one per option (about 0.3 ms a field, 5 ms
for the 17 filters of a list, on every visit). `FieldGroupBoundField` writes the markup of django-dsfr's
`input_snippet.html` and `radioselect_snippet.html`, and of this project's `checkboxes_field.html`, for a field
without error. A field with errors keeps the templates and their error markup: it is rare, and not worth a copy.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from dsfr.forms import DsfrBoundField
from dsfr.templatetags.dsfr_tags import dsfr_mark_optionnal_fields

from inclusion.utils.widgets import CHECKBOXES_TEMPLATE, CheckboxList


class FieldGroupBoundField(DsfrBoundField):
    """A form's `bound_field_class`: `as_field_group()` in Python for inputs, radios and `CheckboxList` fields."""

    def as_field_group(self):
        widget = self.field.widget
        if self.errors or self.is_hidden:
            return super().as_field_group()
        if isinstance(widget, CheckboxList) and self.field.template_name == CHECKBOXES_TEMPLATE:
            return _checkboxes_group(self)
        if type(widget) is forms.RadioSelect:
            return _radios_group(self)
        if isinstance(widget, forms.widgets.Input):
            return _input_group(self)
        return super().as_field_group()


def _label_text(bound_field, help_text_id):
    """The label or legend's content: label, required marker, hint."""
    hint = ""
    if bound_field.help_text:
        hint = format_html('<span class="fr-hint-text" id="{}">{}</span>', help_text_id, bound_field.help_text)
    return format_html("{}{}{}", bound_field.label, dsfr_mark_optionnal_fields(bound_field), hint)


def _input_group(bound_field):
    widget = bound_field.field.widget
    group_class = getattr(widget, "group_class", None) or "fr-input-group"
    disabled = " fr-input-group--disabled" if bound_field.field.disabled else ""
    label_for = bound_field.id_for_label
    return format_html(
        '<div class="{}{}"><label for="{}" class="fr-label">{}</label>{}</div>',
        group_class,
        disabled,
        label_for,
        _label_text(bound_field, f"{label_for}_helptext"),
        bound_field.as_widget(),
    )


def _fieldset(bound_field, kind, content):
    auto_id = bound_field.auto_id
    return format_html(
        '<fieldset class="fr-fieldset" id="{}-{}" aria-labelledby="{}-legend">'
        '<legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="{}-legend">{}</legend>{}</fieldset>',
        kind,
        auto_id,
        auto_id,
        auto_id,
        _label_text(bound_field, f"{auto_id}_helptext"),
        content,
    )


def _checkboxes_group(bound_field):
    # checkboxes_field.html: a searched list filter without chosen value shows only its "Ajouter …" input.
    field = bound_field.field
    if not field.choices and getattr(field, "hide_when_empty", False):
        return ""
    return _fieldset(bound_field, "checkboxes", bound_field.as_widget())


def _radios_group(bound_field):
    widget = bound_field.field.widget
    attrs = bound_field.build_widget_attrs(widget.attrs)
    attrs.pop("dsfr", None)  # django-dsfr's marker, not an HTML attribute
    base_id = bound_field.auto_id
    checked = {str(value) for value in widget.format_value(bound_field.value())}
    inline = " fr-fieldset__element--inline" if getattr(widget, "inline", False) else ""
    options = format_html_join(
        "",
        '<div class="fr-fieldset__element{}"><div class="fr-radio-group">'
        '<input type="radio" name="{}" value="{}" id="{}"{}{}><label class="fr-label" for="{}">{}</label></div></div>',
        (
            (
                inline,
                bound_field.html_name,
                value,
                f"{base_id}_{index}",
                flatatt(attrs),
                mark_safe(" checked") if str(value) in checked else "",
                f"{base_id}_{index}",
                label,
            )
            for index, (value, label) in enumerate(widget.choices)
        ),
    )
    return _fieldset(bound_field, "radio", options)
