"""Plain helpers shared by the approval screen tests: page text, flash messages, form errors, a company member."""

import html

from django.contrib.messages import get_messages

from tests.companies.factories import CompanyMembershipFactory
from tests.users.factories import ProfessionalFactory


def text_of(response):
    return html.unescape(response.content.decode())


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def errors_of(response, field):
    return response.context["form"].errors.get(field, [])


def employer_of(company):
    user = ProfessionalFactory()
    CompanyMembershipFactory(organization=company, user=user, is_admin=False)
    return user
