"""Form widgets shared by the site's forms."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

# The DSFR fieldset around a `CheckboxList` (a field's `template_name`).
CHECKBOXES_TEMPLATE = "utils/checkboxes_field.html"


class CheckboxList(forms.CheckboxSelectMultiple):
    """DSFR checkboxes written in Python: Django's one template per option costs ~0.2 ms each (the
    ~101 departments would cost 20 ms). Same markup as django-dsfr's checkbox options."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = conditional_escape(attrs.pop("id", None) or f"id_{name}")
        attrs.pop("dsfr", None)
        name, shared_attrs, checked = conditional_escape(name), flatatt(attrs), set(self.format_value(value))
        options = []
        for index, (option_value, option_label) in enumerate(self.choices):
            option_id, is_checked = f"{base_id}_{index}", " checked" if str(option_value) in checked else ""
            options.append(
                '<div class="fr-fieldset__element"><div class="fr-checkbox-group">'
                f'<input type="checkbox" name="{name}" value="{conditional_escape(option_value)}" id="{option_id}"'
                f'{shared_attrs}{is_checked}><label class="fr-label" for="{option_id}">'
                f"{conditional_escape(option_label)}</label></div></div>"
            )
        return mark_safe("\n".join(options))


def _attrs_html(attrs):
    """Django's widgets/attrs.html: `True` writes the bare name, `False` leaves the attribute out."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class PythonInputMixin:
    """An `<input>` written in Python with the markup of Django's widgets/input.html: a template costs ~0.5 ms a
    field, and the application lists' filters have six such inputs on every visit."""

    def render(self, name, value, attrs=None, renderer=None):
        return mark_safe(self.input_html(self.get_context(name, value, attrs)["widget"]))

    @staticmethod
    def input_html(widget):
        value = "" if widget["value"] is None else f' value="{conditional_escape(widget["value"])}"'
        return (
            f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"{value}'
            f"{_attrs_html(widget['attrs'])}>"
        )


class DateInput(PythonInputMixin, forms.DateInput):
    """A date `<input>` written in Python (`PythonInputMixin`)."""
