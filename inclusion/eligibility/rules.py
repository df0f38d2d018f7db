"""The eligibility rules (eligibility.md): validity, precedence, criteria counts, creation of diagnoses, GEIQ aid.

Plain functions with keyword arguments, pure of the web: the views, the admin, the commands and the other apps call
them and never re-implement them. "Today" is the Europe/Paris date (README.md §2.1); a diagnosis' `expires_at` is its
first invalid day (README.md §2.2).
"""

import datetime
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from inclusion.applications.enums import JobApplicationState
from inclusion.approvals.models import Approval
from inclusion.audit.recorder import record_created, update_tracked
from inclusion.companies.enums import SIAE_KINDS, CompanyKind
from inclusion.eligibility.criteria import GEIQ_CRITERIA, IAE_CRITERIA
from inclusion.eligibility.enums import AuthorKind, CriteriaLevel, GEIQAnnex
from inclusion.eligibility.models import (
    AdministrativeCriteria,
    EligibilityDiagnosis,
    GEIQAdministrativeCriteria,
    GEIQEligibilityDiagnosis,
    GEIQSelectedAdministrativeCriteria,
    SelectedAdministrativeCriteria,
)
from inclusion.geo.enums import ZrrStatus
from inclusion.users.enums import AssignmentAction, EducationLevel, RSAAllocation
from inclusion.users.enums import DurationCode as Duration
from inclusion.users.models import User, upsert_assignment
from inclusion.utils.dates import today as paris_today

# eligibility.md §2.3: validity of a diagnosis, from its creation date (Europe/Paris).
PRESCRIBER_DIAGNOSIS_VALIDITY = relativedelta(months=6)  # eligibility.md §2.3 (calendar months)
EMPLOYER_DIAGNOSIS_VALIDITY = datetime.timedelta(days=92)  # eligibility.md §2.3 (3-month freshness of the proofs)
GEIQ_DIAGNOSIS_VALIDITY = relativedelta(months=6)  # eligibility.md §7.1 (both authors)
# README.md §2.2: an inclusive last day D and an exclusive expiry D + 1 day name the same limit.
ONE_DAY = datetime.timedelta(days=1)

# eligibility.md §4: an employer diagnosis needs ≥ 1 level-1 criterion, or this many level-2 criteria.
MIN_LEVEL_1_CRITERIA = 1
MIN_LEVEL_2_CRITERIA_BY_SIAE_KIND = {
    CompanyKind.AI: 2,
    CompanyKind.ETTI: 2,
    CompanyKind.ACI: 3,
    CompanyKind.EI: 3,
    CompanyKind.EITI: 3,
}

# eligibility.md §4: criteria that can never be selected together (every author).
IAE_EXCLUSIONS = (("SENIOR", "JEUNE"), ("DETLD", "DELD"))
# eligibility.md §7.2: exclusions of the GEIQ form.
GEIQ_EXCLUSIONS = (
    ("QPV", "ZRR"),
    ("JEUNE", "SENIOR"),
    ("JEUNE", "DE_45"),
    ("SENIOR", "ASE"),
    ("DE_45", "ASE"),
    ("REF_DA", "RS_PS_DA"),
)
# eligibility.md §7.2: one exclusive radio under `FT`.
GEIQ_FT_EXCLUSIVE = ("DELD_12", "DELD", "DETLD")

# eligibility.md §7.3: the only three amounts of the GEIQ "aide à l'accompagnement", in euros.
GEIQ_AID_FULL = 1400
GEIQ_AID_REDUCED = 814
GEIQ_AID_NONE = 0
GEIQ_AID_MIN_LEVEL_1 = 1
GEIQ_AID_MIN_LEVEL_2 = 2

# eligibility.md §5: the profile pre-fills the form only when confirmed less than 24 hours ago.
PREFILL_PROFILE_FRESHNESS = datetime.timedelta(hours=24)
# eligibility.md §5: age thresholds of SENIOR (≥ 50) and JEUNE (< 26).
SENIOR_MIN_AGE = 50
JEUNE_MAX_AGE_EXCLUSIVE = 26
# eligibility.md §5: education levels "niveau 3 (CAP, BEP) ou infra".
CAP_BEP_EDUCATION_LEVELS = frozenset(
    {
        EducationLevel.NON_CERTIFYING,
        EducationLevel.NEVER_SCHOOLED,
        EducationLevel.BEP_CAP,
        EducationLevel.BEP_CAP_OBTAINED,
        EducationLevel.COMPULSORY_SCHOOLING,
    }
)

IAE_LEVELS = {criterion.code: criterion.level for criterion in IAE_CRITERIA}
IAE_NAMES = {criterion.code: criterion.name for criterion in IAE_CRITERIA}
GEIQ_BY_CODE = {criterion.code: criterion for criterion in GEIQ_CRITERIA}
GEIQ_ORDER = {criterion.code: rank for rank, criterion in enumerate(GEIQ_CRITERIA)}


NOT_AN_SIAE = "Seules les SIAE (AI, ACI, EI, EITI, ETTI) peuvent réaliser un diagnostic d'éligibilité IAE."


class EligibilityError(ValidationError):
    """A refused eligibility action; the message (or messages) is in French, for the user."""


def _today(on):
    return on or paris_today()


def _now(now):
    return now or timezone.now()


def _codes(codes: Iterable[str]) -> set[str]:
    return {str(code) for code in codes}


def _label_list(codes, names):
    return ", ".join(f"« {names.get(code, code)} »" for code in codes)


# ---------------------------------------------------------------------------------------------------------------
# Validity (eligibility.md §2.3).


def diagnosis_expires_at(*, author_kind, created_on) -> datetime.date:
    """The first invalid day of a diagnosis created on `created_on` (Europe/Paris date), eligibility.md §2.3.

    A GEIQ diagnosis takes `GEIQ_DIAGNOSIS_VALIDITY` whoever its author (§7.1): pass `AuthorKind.GEIQ` for every GEIQ
    diagnosis, an authorized prescriber's one included; `AuthorKind.PRESCRIBER` means an IAE prescriber diagnosis.
    """
    if author_kind == AuthorKind.EMPLOYER:
        return created_on + EMPLOYER_DIAGNOSIS_VALIDITY
    if author_kind == AuthorKind.GEIQ:
        return created_on + GEIQ_DIAGNOSIS_VALIDITY
    return created_on + PRESCRIBER_DIAGNOSIS_VALIDITY


def diagnosis_is_valid(diagnosis, *, on=None) -> bool:
    """eligibility.md §2.3: valid ⇔ expires_at > today (IAE and GEIQ diagnoses alike)."""
    return diagnosis.expires_at > _today(on)


def _linked_approvals(diagnosis_ref):
    """The PASS linked to a diagnosis (a diagnosis or an `OuterRef`), whatever their dates: the one definition of
    "linked to a PASS" (eligibility.md §2.3, §2.5).

    eligibility.md §2.6: the PASS stores the diagnosis used at hiring; a PASS reused by a later hiring is also
    linked through the accepted application that carries both the diagnosis and the PASS.
    """
    return Approval.objects.filter(
        Q(eligibility_diagnosis=diagnosis_ref)
        | Q(
            job_applications__eligibility_diagnosis=diagnosis_ref,
            job_applications__state=JobApplicationState.ACCEPTED,
        )
    )


def _linked_valid_approvals(diagnosis_ref, on):
    """The valid PASS (end ≥ today, pass_iae.md §4) linked to a diagnosis."""
    return _linked_approvals(diagnosis_ref).valid(on)


def is_linked_to_approval(diagnosis) -> bool:
    """eligibility.md §2.5: whether a PASS, valid or not, is linked to this IAE diagnosis (the job seeker then sees
    it, whoever its author). One query."""
    return _linked_approvals(diagnosis).exists()


def annotate_considered_expiry(queryset, *, on=None):
    """Adds `linked_valid_pass_end` to IAE diagnoses, so that `considered_to_expire_at` and
    `diagnosis_is_considered_valid` cost no query in lists (pass the same `on`)."""
    on = _today(on)
    latest_end = _linked_valid_approvals(OuterRef("pk"), on).order_by("-end_at").values("end_at")[:1]
    return queryset.annotate(linked_valid_pass_end=Subquery(latest_end))


def _linked_valid_pass_end(diagnosis, on):
    if hasattr(diagnosis, "linked_valid_pass_end"):
        return diagnosis.linked_valid_pass_end
    if diagnosis.pk is None:
        return None
    approval = _linked_valid_approvals(diagnosis, on).order_by("-end_at").only("end_at").first()
    return approval.end_at if approval else None


def considered_to_expire_at(diagnosis, *, on=None) -> datetime.date:
    """The first day on which the diagnosis is no longer considered valid, in the convention of `expires_at`
    (exclusive, README.md §2.2): compare it with `expires_at`, pass it wherever an expiry is expected
    (`certification.certification_state`), show `considered_to_expire_at − 1 day` as the last valid day.

    eligibility.md §2.3: a diagnosis linked to a valid PASS is considered valid for the whole PASS life; the PASS end
    being inclusive (pass_iae.md §4), the considered expiry is then the day after the PASS end. Otherwise it is the
    diagnosis' own `expires_at`. The PASS can only extend a diagnosis, never shorten it: the later date is returned.
    """
    pass_end = _linked_valid_pass_end(diagnosis, _today(on))
    if pass_end is None:
        return diagnosis.expires_at
    return max(diagnosis.expires_at, pass_end + ONE_DAY)


def diagnosis_is_considered_valid(diagnosis, *, on=None) -> bool:
    """eligibility.md §2.3: valid, or linked to a PASS whose end ≥ today (the only extension mechanism)."""
    on = _today(on)
    # A valid diagnosis needs no look-up of its PASS.
    return diagnosis_is_valid(diagnosis, on=on) or considered_to_expire_at(diagnosis, on=on) > on


# ---------------------------------------------------------------------------------------------------------------
# Precedence and visibility (eligibility.md §2.5).


def _valid_pass_of(job_seeker, on):
    # Direct query rather than approvals.rules.valid_approval: approvals.rules depends on this module.
    return Approval.objects.valid(on).filter(user=job_seeker)


def _has_valid_pass(job_seeker, on) -> bool:
    return _valid_pass_of(job_seeker, on).exists()


def _prescriber_first(queryset):
    return queryset.annotate(
        _author_rank=Case(
            When(author_kind=AuthorKind.PRESCRIBER, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("_author_rank", "-created_at", "-pk")


def visible_diagnoses(job_seeker, *, for_siae=None):
    """eligibility.md §2.5: every prescriber diagnosis of the job seeker, plus the employer diagnoses authored by
    `for_siae`; prescriber-authored first, then newest first. One query.

    Without `for_siae`, only prescriber diagnoses (employer diagnoses are never used by prescribers).
    """
    scope = Q(author_kind=AuthorKind.PRESCRIBER)
    if for_siae is not None:
        scope |= Q(author_kind=AuthorKind.EMPLOYER, author_siae=for_siae)
    queryset = EligibilityDiagnosis.objects.filter(scope, job_seeker=job_seeker).select_related(
        "author", "author_prescriber_organization", "author_siae"
    )
    return _prescriber_first(queryset)


def last_considered_valid_diagnosis(job_seeker, *, for_siae=None, on=None):
    """eligibility.md §2.5: the first visible diagnosis that is valid, or the first visible one whatever its dates
    when the job seeker holds a valid PASS. One query."""
    on = _today(on)
    return (
        visible_diagnoses(job_seeker, for_siae=for_siae)
        .filter(Q(expires_at__gt=on) | Exists(_valid_pass_of(job_seeker, on)))
        .first()
    )


def has_considered_valid_diagnosis(job_seeker, *, for_siae=None, on=None) -> bool:
    """eligibility.md §2.5: a valid PASS (alone, it counts as eligibility: imported or manual PASS) or a valid
    visible diagnosis. One query."""
    on = _today(on)
    valid_diagnoses = visible_diagnoses(job_seeker, for_siae=for_siae).valid(on).order_by()
    return (
        User.objects.filter(pk=job_seeker.pk)
        .filter(Exists(_valid_pass_of(job_seeker, on)) | Exists(valid_diagnoses))
        .exists()
    )


def employer_must_make_diagnosis(job_seeker, company, *, on=None) -> bool:
    """eligibility.md §2.5: the company is an SIAE and no diagnosis is considered valid for it (nor a valid PASS)."""
    return company.kind in SIAE_KINDS and not has_considered_valid_diagnosis(job_seeker, for_siae=company, on=on)


def has_valid_prescriber_diagnosis(job_seeker, *, on=None) -> bool:
    """A valid (not merely "considered valid") authorized-prescriber diagnosis: the waiting-period derogation
    (pass_iae.md) and exports (eligibility.md §2.5)."""
    return EligibilityDiagnosis.objects.by_prescribers().filter(job_seeker=job_seeker).valid(_today(on)).exists()


def iae_eligibility_validated(job_seeker, *, on=None) -> bool:
    """eligibility.md §2.5, export flag: a valid PASS or a valid authorized-prescriber diagnosis. One query."""
    on = _today(on)
    prescriber_diagnoses = EligibilityDiagnosis.objects.by_prescribers().filter(job_seeker=job_seeker).valid(on)
    return (
        User.objects.filter(pk=job_seeker.pk)
        .filter(Exists(_valid_pass_of(job_seeker, on)) | Exists(prescriber_diagnoses))
        .exists()
    )


def job_seeker_own_diagnosis(job_seeker):
    """eligibility.md §2.5, the job seeker's own view: the latest diagnosis that is either authorized-prescriber
    authored or linked to a PASS (valid or not), even if expired. One query."""
    linked_to_pass = Exists(_linked_approvals(OuterRef("pk")))
    return (
        EligibilityDiagnosis.objects.filter(job_seeker=job_seeker)
        .filter(Q(author_kind=AuthorKind.PRESCRIBER) | linked_to_pass)
        .select_related("author", "author_prescriber_organization", "author_siae")
        .order_by("-created_at", "-pk")
        .first()
    )


# ---------------------------------------------------------------------------------------------------------------
# Criteria counts and exclusions (eligibility.md §4).


def _exclusion_errors(codes, exclusions, names):
    return [
        f"Les critères {_label_list(pair, names)} ne peuvent pas être sélectionnés ensemble."
        for pair in exclusions
        if set(pair) <= codes
    ]


def criteria_errors(codes, *, author_kind, company_kind=None) -> list[str]:
    """What is wrong with these IAE criteria, in French (empty list: acceptable). eligibility.md §4.

    - every author: `SENIOR` ⟂ `JEUNE`, `DETLD` ⟂ `DELD`;
    - authorized prescriber: no minimum (the authorization creates eligibility);
    - employer: ≥ 1 level-1 criterion, or ≥ 2 level-2 (AI, ETTI) / ≥ 3 level-2 (ACI, EI, EITI). Level-1 criteria do
      not count as level-2 ones.
    """
    codes = _codes(codes)
    unknown = sorted(codes - IAE_LEVELS.keys())
    if unknown:
        return [f"Critère inconnu : {', '.join(unknown)}."]
    errors = _exclusion_errors(codes, IAE_EXCLUSIONS, IAE_NAMES)
    if author_kind == AuthorKind.EMPLOYER:
        min_level_2 = MIN_LEVEL_2_CRITERIA_BY_SIAE_KIND.get(company_kind)
        if min_level_2 is None:
            errors.append(NOT_AN_SIAE)
            return errors
        level_1 = sum(1 for code in codes if IAE_LEVELS[code] == CriteriaLevel.LEVEL_1)
        level_2 = sum(1 for code in codes if IAE_LEVELS[code] == CriteriaLevel.LEVEL_2)
        if level_1 < MIN_LEVEL_1_CRITERIA and level_2 < min_level_2:
            errors.append(
                f"Pour une structure de type {company_kind}, sélectionnez au moins {MIN_LEVEL_1_CRITERIA} critère de "
                f"niveau 1 ou au moins {min_level_2} critères de niveau 2."
            )
    return errors


def siae_self_prescription_withdrawn(company, *, on=None) -> bool:
    """control_a_posteriori.md §9: while today lies in a sanction's withdrawal range, the SIAE cannot create employer
    diagnoses (403).

    The contrôle a posteriori does not exist yet: no sanction can be recorded, so this is always False. The control
    module will plug its sanction query in here (`start ≤ today ≤ end`, or `start ≤ today` when permanent); every
    caller (rules, perms, screens) already goes through this function.
    """
    return False


# ---------------------------------------------------------------------------------------------------------------
# Creation of IAE diagnoses (eligibility.md §2.2, §2.4).


def _lock_job_seeker(job_seeker):
    # Serialises concurrent submissions for one person (uniqueness and force-expiry checks read then write).
    User.objects.select_for_update().filter(pk=job_seeker.pk).first()


def _diagnosis_codes(diagnosis) -> set[str]:
    # The criteria codes are the primary keys: no join needed (and prefetch-friendly).
    return {selected.administrative_criteria_id for selected in diagnosis.selected_criteria.all()}


def _after_creation(*, diagnosis, job_seeker, author, action, now, prescriber_organization=None, company=None):
    """eligibility.md §2.2: the author joins the follow-up group (assignment, organizations.md §5.5) and the
    certification of the certifiable criteria is scheduled (§6.2)."""
    from inclusion.eligibility.certification import schedule_certification

    if author is not None:
        upsert_assignment(
            job_seeker=job_seeker,
            professional=author,
            action=action,
            prescriber_organization=prescriber_organization,
            company=company,
            now=now,
        )
    schedule_certification(diagnosis)


def _raise_if(errors):
    if errors:
        raise EligibilityError(errors)


def save_prescriber_diagnosis(*, job_seeker, author, organization, codes, now=None):
    """An authorized prescriber's diagnosis, created or "updated" (eligibility.md §2.4).

    An update never modifies a record: it creates a new diagnosis (new author, new 6-month expiry, new certification)
    and force-expires the previous valid prescriber diagnoses by setting their `expires_at` to the new creation date.
    When the criteria equal those of the diagnosis currently considered valid (the one that pre-filled the form),
    nothing is written and None is returned.
    """
    now = _now(now)
    created_on = timezone.localdate(now)
    codes = _codes(codes)
    if not organization.is_authorized:
        raise EligibilityError("Seul un prescripteur habilité peut valider l'éligibilité IAE d'un candidat.")
    _raise_if(criteria_errors(codes, author_kind=AuthorKind.PRESCRIBER))
    with transaction.atomic():
        _lock_job_seeker(job_seeker)
        current = last_considered_valid_diagnosis(job_seeker, on=created_on)
        if current is not None and _diagnosis_codes(current) == codes:
            return None
        diagnosis = EligibilityDiagnosis.objects.create(
            job_seeker=job_seeker,
            author=author,
            author_kind=AuthorKind.PRESCRIBER,
            author_prescriber_organization=organization,
            created_at=now,
            expires_at=diagnosis_expires_at(author_kind=AuthorKind.PRESCRIBER, created_on=created_on),
        )
        _add_criteria(diagnosis, SelectedAdministrativeCriteria, codes, now)
        # update_tracked: QuerySet.update() with the audit trail of each diagnosis force-expired.
        update_tracked(
            EligibilityDiagnosis.objects.by_prescribers()
            .filter(job_seeker=job_seeker)
            .valid(created_on)
            .exclude(pk=diagnosis.pk),
            expires_at=created_on,
            updated_at=now,
        )
        _after_creation(
            diagnosis=diagnosis,
            job_seeker=job_seeker,
            author=author,
            action=AssignmentAction.IAE_ELIGIBILITY,
            now=now,
            prescriber_organization=organization,
        )
    return diagnosis


def _add_criteria(diagnosis, selected_model, codes, now):
    criterion_model = (
        AdministrativeCriteria if selected_model is SelectedAdministrativeCriteria else GEIQAdministrativeCriteria
    )
    criteria = criterion_model.objects.filter(code__in=codes)
    selected = selected_model.objects.bulk_create(
        [
            selected_model(eligibility_diagnosis=diagnosis, administrative_criteria=criterion, created_at=now)
            for criterion in criteria
        ]
    )
    record_created(selected)  # bulk_create() sends no signal: the audit trail of the criteria ticked


def employer_diagnosis_refusal_reason(*, job_seeker, siae, on=None) -> str | None:
    """Why this SIAE may not create an employer diagnosis for this person now (eligibility.md §2.2), or None."""
    on = _today(on)
    if siae.kind not in SIAE_KINDS:
        return NOT_AN_SIAE
    if siae_self_prescription_withdrawn(siae, on=on):
        return (
            "Votre structure fait l'objet d'une sanction du contrôle a posteriori : elle ne peut plus valider "
            "elle-même l'éligibilité IAE. L'embauche reste possible sur le diagnostic d'un prescripteur habilité."
        )
    if _has_valid_pass(job_seeker, on):
        return "Ce candidat a un PASS IAE valide : aucun diagnostic d'éligibilité n'est nécessaire."
    if has_considered_valid_diagnosis(job_seeker, for_siae=siae, on=on):
        return (
            "Un diagnostic d'éligibilité valide existe déjà pour ce candidat : "
            "il n'est pas nécessaire d'en refaire un."
        )
    return None


def create_employer_diagnosis(*, job_seeker, author, siae, codes, now=None):
    """An SIAE employer's diagnosis, valid 92 days (eligibility.md §2.2, §2.3, §4). Raises EligibilityError.

    Refused when the company is not an SIAE, under a self-prescription sanction, when the person holds a valid PASS or
    already has a diagnosis considered valid for this SIAE, or when the criteria do not reach the count of §4.
    """
    now = _now(now)
    created_on = timezone.localdate(now)
    codes = _codes(codes)
    with transaction.atomic():
        _lock_job_seeker(job_seeker)
        reason = employer_diagnosis_refusal_reason(job_seeker=job_seeker, siae=siae, on=created_on)
        if reason:
            raise EligibilityError(reason)
        _raise_if(criteria_errors(codes, author_kind=AuthorKind.EMPLOYER, company_kind=siae.kind))
        diagnosis = EligibilityDiagnosis.objects.create(
            job_seeker=job_seeker,
            author=author,
            author_kind=AuthorKind.EMPLOYER,
            author_siae=siae,
            created_at=now,
            expires_at=diagnosis_expires_at(author_kind=AuthorKind.EMPLOYER, created_on=created_on),
        )
        _add_criteria(diagnosis, SelectedAdministrativeCriteria, codes, now)
        _after_creation(
            diagnosis=diagnosis,
            job_seeker=job_seeker,
            author=author,
            action=AssignmentAction.IAE_ELIGIBILITY,
            now=now,
            company=siae,
        )
    return diagnosis


# ---------------------------------------------------------------------------------------------------------------
# Pre-fill (eligibility.md §5).


def _age(birthdate, on):
    return on.year - birthdate.year - ((on.month, on.day) < (birthdate.month, birthdate.day))


def _profile_criteria(job_seeker, on) -> set[str]:
    profile = getattr(job_seeker, "jobseeker_profile", None)
    if profile is None:
        return set()
    flags = {
        # RSA: "OUI-M" or "OUI-NM" with a duration (the model forces the duration iff RSA).
        "RSA": profile.has_rsa_allocation != RSAAllocation.NO and bool(profile.rsa_allocation_since),
        "ASS": bool(profile.ass_allocation_since),
        "AAH": bool(profile.aah_allocation_since),
        "DELD": profile.pole_emploi_since == Duration.FROM_12_TO_23_MONTHS,
        "DETLD": profile.pole_emploi_since == Duration.MORE_THAN_24_MONTHS,
        "CAP_BEP": profile.education_level in CAP_BEP_EDUCATION_LEVELS,
        "SENIOR": profile.birthdate is not None and _age(profile.birthdate, on) >= SENIOR_MIN_AGE,
        "JEUNE": profile.birthdate is not None and _age(profile.birthdate, on) < JEUNE_MAX_AGE_EXCLUSIVE,
        "ASE": profile.ase_exit,
        "DETENTION_MJ": profile.detention_exit_or_ppsmj,
        "FLE": profile.low_level_in_french,
        "PI": profile.isolated_parent,
        "PM": profile.mobility_issue,
        "PSH_PR": profile.housing_issue,
        "REF_DA": profile.refugee,
        "TH": profile.rqth_employee,
        # Only a commune fully classified ZRR; a partial one (PC) is not pre-checked.
        "ZRR": job_seeker.commune_id is not None and job_seeker.commune.zrr_status == ZrrStatus.CLASSEE,
        # QPV stays inactive: the shared data holds no QPV contours to locate the address in (eligibility.md §5);
        # the criterion remains selectable by hand until a QPV dataset is loaded.
        "QPV": False,
    }
    return {code for code, checked in flags.items() if checked}


def prefilled_criteria(job_seeker, *, existing_diagnosis=None, now=None) -> set[str]:
    """The IAE criteria to pre-check in a diagnosis form (eligibility.md §5).

    The criteria of an existing diagnosis (prescribers pass theirs) take precedence over the profile. Otherwise the
    profile pre-fills only when the job seeker's information was confirmed less than 24 hours ago.
    """
    if existing_diagnosis is not None:
        return _diagnosis_codes(existing_diagnosis)
    now = _now(now)
    if job_seeker.last_checked_at is None or job_seeker.last_checked_at <= now - PREFILL_PROFILE_FRESHNESS:
        return set()
    return _profile_criteria(job_seeker, timezone.localdate(now))


# ---------------------------------------------------------------------------------------------------------------
# GEIQ diagnoses (eligibility.md §7).


def geiq_normalized_codes(codes) -> list[str]:
    """eligibility.md §7.2: a child ticked without its parent is discarded; unknown codes are dropped.

    Returned in display order."""
    codes = _codes(codes) & GEIQ_BY_CODE.keys()
    kept = [code for code in codes if GEIQ_BY_CODE[code].parent is None or GEIQ_BY_CODE[code].parent in codes]
    return sorted(kept, key=GEIQ_ORDER.__getitem__)


def geiq_criteria_errors(codes, *, author_kind) -> list[str]:
    """What is wrong with these GEIQ criteria, in French (eligibility.md §7.1, §7.2), after normalisation.

    Exclusions: QPV ⟂ ZRR, JEUNE ⟂ SENIOR, JEUNE ⟂ DE_45, SENIOR ⟂ ASE, DE_45 ⟂ ASE, REF_DA ⟂ RS_PS_DA; DELD_12 /
    DELD / DETLD are one exclusive choice under FT. A GEIQ-authored diagnosis needs at least one criterion.
    """
    raw = _codes(codes)
    unknown = sorted(raw - GEIQ_BY_CODE.keys())
    if unknown:
        return [f"Critère inconnu : {', '.join(unknown)}."]
    codes = set(geiq_normalized_codes(raw))
    names = {code: criterion.name for code, criterion in GEIQ_BY_CODE.items()}
    errors = _exclusion_errors(codes, GEIQ_EXCLUSIONS, names)
    ft_choices = [code for code in GEIQ_FT_EXCLUSIVE if code in codes]
    if len(ft_choices) > 1:
        errors.append(
            f"Sous « {names['FT']} », un seul choix est possible parmi {_label_list(GEIQ_FT_EXCLUSIVE, names)}."
        )
    if author_kind == AuthorKind.GEIQ and not codes:
        errors.append("Sélectionnez au moins un critère administratif.")
    return errors


def _geiq_prescriber_first(queryset):
    return _prescriber_first(queryset.select_related("author", "author_prescriber_organization", "author_geiq"))


def visible_geiq_diagnoses(job_seeker, *, for_geiq=None):
    """eligibility.md §7.1: a GEIQ sees the prescriber diagnoses and its own; prescribers (no `for_geiq`) do not see
    GEIQ-authored ones. Prescriber-authored first, then newest first. One query."""
    scope = Q(author_kind=AuthorKind.PRESCRIBER)
    if for_geiq is not None:
        scope |= Q(author_kind=AuthorKind.GEIQ, author_geiq=for_geiq)
    return _geiq_prescriber_first(GEIQEligibilityDiagnosis.objects.filter(scope, job_seeker=job_seeker))


def last_valid_geiq_diagnosis(job_seeker, *, for_geiq=None, on=None):
    """eligibility.md §7.1: the diagnosis attached at acceptance in a GEIQ (valid, prescriber or that GEIQ)."""
    return visible_geiq_diagnoses(job_seeker, for_geiq=for_geiq).valid(_today(on)).first()


def job_seeker_geiq_diagnoses(job_seeker, *, on=None):
    """eligibility.md §7.1: the valid GEIQ diagnoses the job seeker sees on their own page, whoever the author;
    prescriber-authored first, then newest first. One query."""
    return _geiq_prescriber_first(GEIQEligibilityDiagnosis.objects.filter(job_seeker=job_seeker).valid(_today(on)))


def first_with_geiq_aid(diagnoses):
    """eligibility.md §7.3: the job seeker's GEIQ card shows a diagnosis only when it opens an allowance; the first
    such diagnosis of `diagnoses` (in their order), else None. Reads the prefetched criteria."""
    return next((diagnosis for diagnosis in diagnoses if geiq_aid_amount(diagnosis)), None)


def geiq_diagnosis_refusal_reason(*, job_seeker, author_geiq=None, on=None) -> str | None:
    """eligibility.md §7.1 uniqueness: refused when a valid GEIQ diagnosis authored by an authorized prescriber, or by
    the same GEIQ, exists."""
    existing = GEIQEligibilityDiagnosis.objects.filter(job_seeker=job_seeker).valid(_today(on))
    scope = Q(author_kind=AuthorKind.PRESCRIBER)
    if author_geiq is not None:
        scope |= Q(author_kind=AuthorKind.GEIQ, author_geiq=author_geiq)
    if existing.filter(scope).exists():
        return "Un diagnostic d'éligibilité GEIQ valide existe déjà pour ce candidat."
    return None


def _geiq_author_errors(author_geiq, author_prescriber_organization):
    if (author_geiq is None) == (author_prescriber_organization is None):
        return ["Un diagnostic GEIQ a pour auteur soit un GEIQ, soit une organisation prescriptrice habilitée."]
    if author_geiq is not None and author_geiq.kind != CompanyKind.GEIQ:
        return ["Seul un GEIQ peut réaliser un diagnostic d'éligibilité GEIQ employeur."]
    if author_prescriber_organization is not None and not author_prescriber_organization.is_authorized:
        return ["Seul un prescripteur habilité peut réaliser un diagnostic d'éligibilité GEIQ."]
    return []


def create_geiq_diagnosis(
    *, job_seeker, author, author_geiq=None, author_prescriber_organization=None, codes, now=None
):
    """A GEIQ diagnosis by an authorized prescriber or a GEIQ, valid 6 months (eligibility.md §7.1). Raises
    EligibilityError.

    A new prescriber diagnosis force-expires the valid GEIQ-authored diagnoses of the person that no job application
    references (`expires_at` = its creation date).
    """
    now = _now(now)
    created_on = timezone.localdate(now)
    _raise_if(_geiq_author_errors(author_geiq, author_prescriber_organization))
    author_kind = AuthorKind.GEIQ if author_geiq is not None else AuthorKind.PRESCRIBER
    _raise_if(geiq_criteria_errors(codes, author_kind=author_kind))
    codes = geiq_normalized_codes(codes)
    with transaction.atomic():
        _lock_job_seeker(job_seeker)
        reason = geiq_diagnosis_refusal_reason(job_seeker=job_seeker, author_geiq=author_geiq, on=created_on)
        if reason:
            raise EligibilityError(reason)
        diagnosis = GEIQEligibilityDiagnosis.objects.create(
            job_seeker=job_seeker,
            author=author,
            author_kind=author_kind,
            author_geiq=author_geiq,
            author_prescriber_organization=author_prescriber_organization,
            created_at=now,
            # eligibility.md §7.1: the GEIQ validity, whoever the author.
            expires_at=diagnosis_expires_at(author_kind=AuthorKind.GEIQ, created_on=created_on),
        )
        _add_criteria(diagnosis, GEIQSelectedAdministrativeCriteria, codes, now)
        if author_kind == AuthorKind.PRESCRIBER:
            update_tracked(
                GEIQEligibilityDiagnosis.objects.filter(job_seeker=job_seeker, author_kind=AuthorKind.GEIQ)
                .valid(created_on)
                .filter(job_applications__isnull=True),
                expires_at=created_on,
                updated_at=now,
            )
        _after_creation(
            diagnosis=diagnosis,
            job_seeker=job_seeker,
            author=author,
            action=AssignmentAction.GEIQ_ELIGIBILITY,
            now=now,
            prescriber_organization=author_prescriber_organization,
            company=author_geiq,
        )
    return diagnosis


def update_geiq_diagnosis(diagnosis, *, author, codes, now=None):
    """eligibility.md §7.1: a GEIQ updates its own, not expired, diagnosis in place: author replaced, `expires_at`
    reset to today + 6 months, criteria replaced, certification re-run. (IAE updates create a new record, §2.4.)"""
    now = _now(now)
    on = timezone.localdate(now)
    _raise_if(geiq_criteria_errors(codes, author_kind=AuthorKind.GEIQ))
    codes = geiq_normalized_codes(codes)
    with transaction.atomic():
        # Like the creations: under the job seeker lock, on the stored record, so that a prescriber diagnosis created
        # meanwhile (which force-expires this one, §7.1) is seen and the expired diagnosis is not revived.
        _lock_job_seeker(diagnosis.job_seeker)
        diagnosis.refresh_from_db(fields=["author_kind", "expires_at"])
        if diagnosis.author_kind != AuthorKind.GEIQ:
            raise EligibilityError("Seul un diagnostic réalisé par un GEIQ peut être modifié par un GEIQ.")
        if not diagnosis_is_valid(diagnosis, on=on):
            raise EligibilityError("Ce diagnostic d'éligibilité GEIQ a expiré : il ne peut plus être modifié.")
        diagnosis.author = author
        diagnosis.expires_at = diagnosis_expires_at(author_kind=AuthorKind.GEIQ, created_on=on)
        diagnosis.save(update_fields=["author", "expires_at", "updated_at"])
        diagnosis.selected_criteria.all().delete()
        _add_criteria(diagnosis, GEIQSelectedAdministrativeCriteria, codes, now)
        _after_creation(
            diagnosis=diagnosis,
            job_seeker=diagnosis.job_seeker,
            author=author,
            action=AssignmentAction.GEIQ_ELIGIBILITY,
            now=now,
            company=diagnosis.author_geiq,
        )
    return diagnosis


def geiq_aid_amount(diagnosis) -> int:
    """eligibility.md §7.3, in this order: prescriber → 1 400 €; ≥ 1 level-1 or ≥ 2 level-2 → 1 400 €; ≥ 1 criterion
    of annex 1 or 1+2 → 814 €; else 0 €. A `1+2` criterion counts both ways; annex-0 criteria never count.

    Reads `diagnosis.selected_criteria.all()` (prefetch-friendly; codes are the primary keys).
    """
    if diagnosis.author_kind == AuthorKind.PRESCRIBER:
        return GEIQ_AID_FULL
    criteria = [GEIQ_BY_CODE[code] for code in _diagnosis_codes(diagnosis) if code in GEIQ_BY_CODE]
    level_1 = sum(1 for criterion in criteria if criterion.level == CriteriaLevel.LEVEL_1)
    level_2 = sum(1 for criterion in criteria if criterion.level == CriteriaLevel.LEVEL_2)
    if level_1 >= GEIQ_AID_MIN_LEVEL_1 or level_2 >= GEIQ_AID_MIN_LEVEL_2:
        return GEIQ_AID_FULL
    if any(criterion.annex in (GEIQAnnex.ANNEX_1, GEIQAnnex.BOTH) for criterion in criteria):
        return GEIQ_AID_REDUCED
    return GEIQ_AID_NONE


def geiq_eligibility_confirmed(diagnosis, *, on=None) -> bool:
    """eligibility.md §7.3: the badge "éligibilité GEIQ confirmée" needs a valid diagnosis with a non-zero amount."""
    return diagnosis is not None and diagnosis_is_valid(diagnosis, on=on) and geiq_aid_amount(diagnosis) > 0
