"""Who may make, update and see eligibility diagnoses (eligibility.md §2.2, §2.5, §7.1).

Each predicate is the one place its rule is decided. They take the user and the organization the user acts for
(`request.current_organization`), never the request. Job seekers, orienteurs, institution members, staff and anonymous
visitors never create diagnoses (eligibility.md §2.2; staff work through the admin).
"""

from inclusion.companies.enums import SIAE_KINDS, CompanyKind
from inclusion.companies.models import Company
from inclusion.eligibility import rules
from inclusion.eligibility.enums import AuthorKind
from inclusion.eligibility.models import EligibilityDiagnosis, GEIQEligibilityDiagnosis
from inclusion.organizations.current import is_active_member
from inclusion.prescribers.models import PrescriberOrganization


def _is_professional(user):
    return user is not None and user.is_authenticated and user.is_professional


def _is_job_seeker(person):
    return person is not None and getattr(person, "is_job_seeker", False)


def _acts_as_authorized_prescriber(user, organization):
    """README.md §2.3: an authorized prescriber is a professional acting for a prescriber organization whose
    authorization is VALIDATED; members of other organizations are orienteurs, with no eligibility powers."""
    return (
        _is_professional(user)
        and isinstance(organization, PrescriberOrganization)
        and organization.is_authorized
        and is_active_member(user, organization)
    )


def _acts_for_company(user, organization, kinds):
    return (
        _is_professional(user)
        and isinstance(organization, Company)
        and organization.kind in kinds
        and is_active_member(user, organization)
    )


def concerns_iae_diagnosis(company) -> bool:
    """eligibility.md §2: the IAE diagnosis is made by and for SIAE (AI, ACI, EI, EITI, ETTI) only."""
    return company.is_siae


def concerns_geiq_diagnosis(company) -> bool:
    """eligibility.md §7: the GEIQ diagnosis is made by and for GEIQ only."""
    return company.kind == CompanyKind.GEIQ


def can_make_prescriber_diagnosis(user, organization, job_seeker, *, for_siae=None) -> bool:
    """eligibility.md §2.2: an authorized prescriber (current organization VALIDATED) diagnoses a job seeker.

    Impartiality: a person who is also a member of the SIAE `for_siae` (the SIAE applied to) must not prescribe to it
    as authorized prescriber. Pass `for_siae` in the application wizard; the standalone "mettre à jour l'éligibilité"
    page has no SIAE.
    """
    if not (_is_job_seeker(job_seeker) and _acts_as_authorized_prescriber(user, organization)):
        return False
    if for_siae is not None and isinstance(for_siae, Company) and is_active_member(user, for_siae):
        return False
    return True


def application_awaits_hiring(job_application) -> bool:
    """Whether an employer may still make a diagnosis on this application: eligibility.md §2.2 (SIAE) and §7.1 (GEIQ)
    allow it "only while accepting an application or declaring a direct hire".

    applications.md §3: `accept` starts from every state but `accepted`, so only an application already accepted is
    past its hiring (a refused, cancelled or obsolete one can still be accepted). Both employer diagnosis pages check
    this before `can_make_employer_diagnosis` / `can_make_geiq_diagnosis`, which know nothing of the application.
    """
    return not job_application.is_accepted


def can_make_employer_diagnosis(user, company, job_seeker, *, on=None) -> bool:
    """eligibility.md §2.2: an active member of an SIAE, only when (a) no diagnosis is considered valid for that SIAE
    and (b) the person has no valid PASS, and never while the SIAE is under a self-prescription sanction
    (control_a_posteriori.md §9).

    "Only while accepting an application or declaring a direct hire" concerns the application, not the person: it is
    `application_awaits_hiring`, which the caller checks too."""
    if not (_is_job_seeker(job_seeker) and _acts_for_company(user, company, SIAE_KINDS)):
        return False
    return rules.employer_diagnosis_refusal_reason(job_seeker=job_seeker, siae=company, on=on) is None


def can_make_geiq_diagnosis(user, organization, job_seeker) -> bool:
    """eligibility.md §7.1: an authorized prescriber, or a member of a GEIQ. (Uniqueness is checked by the rule.)

    A GEIQ member diagnoses "when accepting or hiring directly": the caller also checks `application_awaits_hiring`.
    """
    if not _is_job_seeker(job_seeker):
        return False
    return _acts_as_authorized_prescriber(user, organization) or _acts_for_company(
        user, organization, {CompanyKind.GEIQ}
    )


def can_update_geiq_diagnosis(user, company, diagnosis, *, on=None) -> bool:
    """eligibility.md §7.1: only GEIQ employers update (in place) a diagnosis of their GEIQ, while not expired."""
    return (
        _acts_for_company(user, company, {CompanyKind.GEIQ})
        and diagnosis.author_kind == AuthorKind.GEIQ
        and diagnosis.author_geiq_id == company.pk
        and rules.diagnosis_is_valid(diagnosis, on=on)
    )


def _can_view_iae_diagnosis(user, organization, diagnosis):
    """eligibility.md §2.5: prescriber diagnoses are visible to authorized prescribers and to every SIAE; an employer
    diagnosis only to its SIAE. The job seeker sees theirs (prescriber one, or the one linked to a PASS)."""
    if user.is_job_seeker:
        if diagnosis.job_seeker_id != user.pk:
            return False
        return diagnosis.author_kind == AuthorKind.PRESCRIBER or rules.is_linked_to_approval(diagnosis)
    if diagnosis.author_kind == AuthorKind.PRESCRIBER:
        return _acts_as_authorized_prescriber(user, organization) or _acts_for_company(user, organization, SIAE_KINDS)
    return _acts_for_company(user, organization, SIAE_KINDS) and diagnosis.author_siae_id == organization.pk


def _can_view_geiq_diagnosis(user, organization, diagnosis):
    """eligibility.md §7.1: a GEIQ sees prescriber diagnoses and its own; prescribers do not see GEIQ-authored ones.
    The job seeker sees theirs (their dashboard shows the card when an allowance exists, §7.3)."""
    if user.is_job_seeker:
        return diagnosis.job_seeker_id == user.pk
    is_geiq_member = _acts_for_company(user, organization, {CompanyKind.GEIQ})
    if diagnosis.author_kind == AuthorKind.PRESCRIBER:
        return is_geiq_member or _acts_as_authorized_prescriber(user, organization)
    return is_geiq_member and diagnosis.author_geiq_id == organization.pk


def can_view_diagnosis(user, organization, diagnosis) -> bool:
    """Whether the user, acting for `organization`, may see this IAE or GEIQ diagnosis (eligibility.md §2.5, §7.1).

    Orienteurs, institution members and staff (who use the admin) never do; anonymous visitors neither.
    """
    if user is None or not user.is_authenticated or not (user.is_job_seeker or user.is_professional):
        return False
    if isinstance(diagnosis, GEIQEligibilityDiagnosis):
        return _can_view_geiq_diagnosis(user, organization, diagnosis)
    if isinstance(diagnosis, EligibilityDiagnosis):
        return _can_view_iae_diagnosis(user, organization, diagnosis)
    return False
