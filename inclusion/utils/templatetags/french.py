"""French typography filters: ``{% load french %}`` then ``{{ name|de }}``."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from inclusion.utils import french

register = template.Library()


@register.filter(needs_autoescape=True)
def de(name, autoescape=True):
    """« de Camille MARTIN », « d'Inès MOREAU »: the elision is read on the raw name, only the name is escaped."""
    text = "" if name is None else str(name)
    if not text:
        return "de"
    if autoescape:
        return mark_safe(f"{french.de_prefix(text)}{conditional_escape(name)}")
    return french.de(text)


@register.filter
def que_before(word):
    """The « qu' » or « que » put before ``word``: ``en tant {{ label|que_before }}<strong>{{ label }}</strong>``."""
    return french.que_prefix("" if word is None else str(word))
