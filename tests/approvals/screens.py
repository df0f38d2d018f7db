"""Plain helpers shared by the approval screen tests: page text, flash messages, form errors, a company member, a
PASS loaded as a page loads it."""

import html

from django.contrib.messages import get_messages

from inclusion.approvals import views
from inclusion.approvals.models import Approval
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


# A PASS as the rules and permissions receive it: loaded plainly, or as the PASS pages load it (its accepted
# applications and suspensions prefetched, which some rules read instead of querying).
LOADINGS = ["plain", "page"]


def as_loaded_by(loading, approval):
    if loading == "plain":
        return Approval.objects.get(pk=approval.pk)
    return views._approvals_with_page_data().get(pk=approval.pk)
