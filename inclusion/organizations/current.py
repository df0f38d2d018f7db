"""Which organization a professional acts for, and the role that follows (organizations.md §1.1)."""

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from inclusion.companies.models import CompanyMembership, active_company_q, active_or_in_grace_period_company_q
from inclusion.institutions.models import InstitutionMembership
from inclusion.organizations.enums import Role
from inclusion.prescribers.enums import PrescriberOrganizationKind
from inclusion.prescribers.models import PrescriberMembership
from inclusion.users.enums import UserKind
from inclusion.users.validators import FRANCE_TRAVAIL_EMAIL_SUFFIXES

SESSION_KEY = "current_organization"
# Order of preference for the default organization: companies, then prescribers, then institutions.
MEMBERSHIP_MODELS = (CompanyMembership, PrescriberMembership, InstitutionMembership)


def _company_memberships(user):
    """organizations.md §1.1, §8.4: a company counts while active or in its 30-day grace period (its members are
    logged out afterwards); active companies are preferred to those in grace period, then the oldest membership.
    The company's state is read through the membership's join (no subquery over every company: every logged-in
    page pays this query)."""
    return (
        CompanyMembership.objects.active()
        .filter(active_or_in_grace_period_company_q(timezone.now(), prefix="organization__"), user=user)
        .annotate(
            in_grace_period=Case(
                When(active_company_q(prefix="organization__"), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("in_grace_period", "joined_at")
    )


def active_organizations(user):
    """The organizations the user is an active member of, in the order of preference, oldest membership first.

    Each one remembers it (`is_active_member`): the permission checks of the page ask no query again. A company comes
    with its convention, which says whether it is active."""
    organizations = []
    for membership_model in MEMBERSHIP_MODELS:
        if membership_model is CompanyMembership:
            memberships = _company_memberships(user).select_related("organization__convention")
        else:
            memberships = membership_model.objects.active().filter(user=user).order_by("joined_at")
        organizations.extend(membership.organization for membership in memberships.select_related("organization"))
    for organization in organizations:
        organization.__dict__.setdefault(_MEMBER_ANSWERS, {})[user.pk] = True
    return organizations


_MEMBER_ANSWERS = "_active_member_answers"


def is_active_member(user, organization):
    """An active membership of `user` in `organization` (organizations.md §6: active memberships of active users).
    Several checks of one page ask it of the same organization: answered once per organization object, which lives
    as long as the request."""
    answers = organization.__dict__.setdefault(_MEMBER_ANSWERS, {})
    if user.pk not in answers:
        answers[user.pk] = organization.memberships.active().filter(user=user).exists()
    return answers[user.pk]


def role_for(user, organization):
    if user.kind == UserKind.JOB_SEEKER:
        return Role.JOB_SEEKER
    if user.kind == UserKind.STAFF:
        return Role.STAFF
    match getattr(organization, "organization_type", None):
        case "company":
            return Role.EMPLOYER
        case "prescriber":
            return Role.AUTHORIZED_PRESCRIBER if organization.is_authorized else Role.ORIENTEUR
        case "institution":
            return Role.INSTITUTION_MEMBER
    return None


def choose_current_organization(organizations, switch_key):
    """The organization remembered in the session if it is still one of the user's, else the default one."""
    for organization in organizations:
        if organization.switch_key == switch_key:
            return organization
    return organizations[0] if organizations else None


def lacks_required_france_travail_agency(user, organizations):
    """organizations.md §1.1: an agent with a France Travail e-mail must belong to a France Travail agency."""
    if not (user.email or "").endswith(FRANCE_TRAVAIL_EMAIL_SUFFIXES):
        return False
    return not any(
        organization.organization_type == "prescriber" and organization.kind == PrescriberOrganizationKind.FT
        for organization in organizations
    )


def menu_sorted(organizations):
    return sorted(organizations, key=lambda organization: (organization.organization_type, organization.display_name))
