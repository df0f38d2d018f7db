"""Access policies: Members, invitations, prescriber organization signup.

Member pages act on the current organization, whatever its type: every professional persona reaches the page of
their own organization (OK); job seekers and staff have none (403). Changing a member takes an admin of the
member's organization: the admins of other organizations get a 404 for a membership that is not theirs.
"""

from django.db.models import Max
from django.urls import reverse

from inclusion.companies.models import CompanyMembership
from inclusion.institutions.models import InstitutionMembership
from inclusion.prescribers.models import PrescriberMembership
from tests.access.personas import EMPLOYER, JOB_SEEKER, STAFF
from tests.access.rules import FORBIDDEN, NOT_FOUND, OK, Policy, everyone, logged_in, redirect
from tests.companies.factories import CompanyMembershipFactory

NO_ORGANIZATION = {JOB_SEEKER: FORBIDDEN, STAFF: FORBIDDEN}


def company_member_url(url_name):
    """A plain member of the EMPLOYER persona's company (created with the world of each test).

    Its id is taken above every membership id of the three tables: an id that happens to be the visitor's own
    membership in another table would make the outcome depend on the database's sequences (403 for oneself).
    """

    def url(world):
        unused_id = 1 + max(
            model.objects.aggregate(highest=Max("pk"))["highest"] or 0
            for model in (CompanyMembership, PrescriberMembership, InstitutionMembership)
        )
        membership = CompanyMembershipFactory(pk=unused_id, organization=world.company, is_admin=False)
        return reverse(url_name, args=[membership.pk])

    return url


def company_invitation_url(world):
    invitation = world.company.invitations.create(
        email="invitee@example.com", first_name="Camille", last_name="Martin"
    )
    return reverse("invitation_accept", args=["company", invitation.uid])


POLICIES = {
    "members": Policy(logged_in(OK, **NO_ORGANIZATION)),
    "members_invite": Policy(logged_in(OK, **NO_ORGANIZATION)),
    "member_set_admin": Policy(
        logged_in(NOT_FOUND, **{EMPLOYER: redirect("members"), **NO_ORGANIZATION}),
        url=company_member_url("member_set_admin"),
        method="post",
        data=lambda world: {"is_admin": "1"},
    ),
    "member_deactivate": Policy(
        logged_in(NOT_FOUND, **{EMPLOYER: OK, **NO_ORGANIZATION}), url=company_member_url("member_deactivate")
    ),
    # Reachable by anyone: a logged-in visitor with another e-mail is offered to log out (a POST), never logged
    # out by the link itself.
    "invitation_accept": Policy(everyone(OK), url=company_invitation_url),
}
