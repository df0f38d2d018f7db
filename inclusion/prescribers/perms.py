"""Access rules about prescriber organizations. Each predicate is the one place its rule is decided."""

from inclusion.approvals.perms import can_process_prolongation_requests
from inclusion.users.validators import FRANCE_TRAVAIL_EMAIL_SUFFIXES


def can_manage_authorization(user):
    """organizations.md §1.2: staff validate or refuse authorizations, with the right to change organizations."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_staff_member
        and user.has_perm("prescribers.change_prescriberorganization")
    )


def can_create_prescriber_organization(email):
    """organizations.md §9.3: France Travail agents join their agency by invitation, they never create one."""
    return not (email or "").lower().endswith(FRANCE_TRAVAIL_EMAIL_SUFFIXES)


def can_view_followed_job_seekers(user, organization):
    """The "candidats suivis" page, entry to the IAE diagnoses, is for members of an authorized prescriber
    organization acting for it: the audience of the diagnoses (eligibility.md §2.2) and of the prolongation
    requests (pass_iae.md §15.3)."""
    return can_process_prolongation_requests(user, organization)
