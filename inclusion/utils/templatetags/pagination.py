"""``{% load pagination %}`` then ``{% page_query number %}``: the link to another page of a list."""

from django import template
from django.template.defaulttags import querystring

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, number):
    """``?page=N`` with the list's other parameters: those of `query` when the list is rendered without its request
    (the search results, kept in the cache for every visitor), else those of the request."""
    query = context["query"] if "query" in context else context.request.GET
    return querystring(context, query, page=number)
