"""Who may see and change a job seeker's personal information (applications.md §16, §18 invariant 1).

The answer depends on the role the viewer currently acts in, which follows from the organization he acts for
(organizations.md §1.1). Callers pass `request.current_organization`: the middleware only ever picks one of the
viewer's active organizations, so these predicates do not query the memberships again (they run once per row in
lists).
"""

from inclusion.companies.models import Company
from inclusion.organizations.current import role_for
from inclusion.organizations.enums import Role
from inclusion.prescribers.enums import AuthorizationStatus
from inclusion.prescribers.models import PrescriberMembership

# applications.md §16: the roles that see the full personal data of any job seeker.
ROLES_SEEING_EVERY_JOB_SEEKER = frozenset({Role.AUTHORIZED_PRESCRIBER, Role.EMPLOYER})


def _is_self(viewer, job_seeker):
    return viewer.is_authenticated and viewer.pk == job_seeker.pk


def _personal_information_allowed(viewer, job_seeker, *, organization):
    """applications.md §16: the rule shared today by viewing and editing."""
    if _is_self(viewer, job_seeker):
        return True
    if not (viewer.is_authenticated and job_seeker.is_job_seeker and viewer.is_professional):
        # Anonymous visitors, other job seekers and staff outside the back-office; a professional's or a staff
        # member's own data never goes through this model.
        return False
    if role_for(viewer, organization) in ROLES_SEEING_EVERY_JOB_SEEKER:
        return True
    # An orienteur (or anyone acting for another organization) keeps the accounts he created, even once the job
    # seeker has logged in: `created_by` is never reset, unlike `is_handled_by_proxy` (organizations.md §2).
    return job_seeker.created_by_id == viewer.pk


def can_view_personal_information(viewer, job_seeker, *, organization=None):
    """May `viewer`, acting for `organization`, see the names, contact details and identifiers of `job_seeker`?

    applications.md §16: yes for the job seeker himself; otherwise the target must be a job seeker and the viewer a
    professional who either acts as authorized prescriber or employer, or created the account. Institution members,
    staff (outside the back-office), other job seekers and anonymous visitors: no. When refused, names are masked
    (`inclusion.users.display.display_name_for`).
    """
    return _personal_information_allowed(viewer, job_seeker, organization=organization)


def can_edit_personal_information(viewer, job_seeker, *, organization=None):
    """May `viewer`, acting for `organization`, change the personal information of `job_seeker`?

    applications.md §16: the same rule as viewing today; kept separate so the views say which right they need.
    """
    return _personal_information_allowed(viewer, job_seeker, organization=organization)


def can_notify_with_personal_information(proxy, *, notified_company=None):
    """May an e-mail sent outside any request (no current organization) to `proxy` name the job seeker in full?

    applications.md §16: yes when the proxy is an active member of an authorized prescriber organization, or when
    the notified structure is a company (companies always see their candidates' data).
    """
    if isinstance(notified_company, Company):
        return True
    if proxy is None or not proxy.is_authenticated:
        return False
    return (
        PrescriberMembership.objects.active()
        .filter(user=proxy, organization__authorization_status=AuthorizationStatus.VALIDATED)
        .exists()
    )


# --- job_seekers (issue 5): search, creation and edition of job seeker accounts (organizations.md §5).

# organizations.md §5.2: employers and prescribers, whatever their authorization, search and create accounts.
ROLES_FINDING_JOB_SEEKERS = frozenset({Role.EMPLOYER, Role.ORIENTEUR, Role.AUTHORIZED_PRESCRIBER})


def can_find_or_create_job_seeker(user, *, organization=None):
    """organizations.md §5.2: only employers and prescribers (any authorization level); job seekers, institution
    members and staff may not (403)."""
    return user.is_authenticated and user.is_professional and role_for(user, organization) in ROLES_FINDING_JOB_SEEKERS


def can_attach_nir(user, job_seeker, *, organization=None):
    """organizations.md §5.2: an account found by e-mail without NIR gets the typed NIR from an authorized prescriber
    or an employer (whether the NIR is free is the rule's business, not the permission's)."""
    return (
        job_seeker.is_job_seeker
        and user.is_authenticated
        and user.is_professional
        and role_for(user, organization) in ROLES_SEEING_EVERY_JOB_SEEKER
    )


def can_edit_own_profile(user):
    """organizations.md §1.2: a job seeker edits their own profile; the other kinds have no such page."""
    return user.is_authenticated and user.is_job_seeker


# --- second factor (issue 6)


def has_second_factor(user):
    """platform_rules.md §3: the second factor (TOTP) is mandatory for staff accounts; other accounts have no second
    step, and its pages do not exist for them."""
    return user.is_authenticated and user.is_staff
