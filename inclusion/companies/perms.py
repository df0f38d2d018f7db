"""Access rules of the employer space. Each predicate is the one place its rule is decided.

Every predicate answers for one user and one company; the views call them through `employer_view`.
"""

from inclusion.companies.models import Company
from inclusion.organizations.perms import is_admin_of


def _active_membership(user, company):
    """The user's active membership of the company, or None (organizations.md §6: active members of active users)."""
    if not (user.is_authenticated and user.is_professional and isinstance(company, Company)):
        return None
    return company.memberships.active().filter(user=user).first()


def _company_is_usable(company):
    # organizations.md §8.4: members keep using their company during the grace period, not after.
    return company.is_active_or_in_grace_period()


def can_manage_job_descriptions(user, company):
    """Any active member of a usable company creates, edits, opens, closes and deletes its job descriptions, and
    switches spontaneous applications and the blocking of applications (search_and_jobs.md §3.4, organizations.md
    §8.7). No admin flag required."""
    return _active_membership(user, company) is not None and _company_is_usable(company)


def can_edit_company(user, company):
    """Only admins edit the company card (organizations.md §8.6 "Company edit: admins only"). The grace period blocks
    member management, not this (organizations.md §8.4), so editing stays allowed during it."""
    membership = _active_membership(user, company)
    return membership is not None and membership.is_admin and _company_is_usable(company)


def company_accepts_antennas(company):
    """organizations.md §8.5: only an active company of SIAE kind or GEIQ (not OPCS, not EA / EATT).

    A company in its grace period is not active: it cannot create antennas.
    """
    return isinstance(company, Company) and company.can_have_antennas and company.is_active


def can_create_antenna(user, company):
    """organizations.md §8.5: an admin of a company that accepts antennas."""
    return company_accepts_antennas(company) and is_admin_of(user, company)
