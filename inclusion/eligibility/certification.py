"""Certification of the selected criteria by State data sources (eligibility.md §6).

The external APIs are out of reach offline (README.md §5.4): each source sits behind a provider chosen by the
setting `ELIGIBILITY_CERTIFICATION_PROVIDERS` (source → dotted path of a `CertificationProvider` class), which
defaults to the deterministic fake providers below. A real provider only has to implement `certify`.

Fake providers (tests and demos): the answer depends on the first letter of the job seeker's last name (accents
ignored), so that a demo shows every outcome:

| Last name | API Particulier (RSA, AAH, PI)                 | France Travail (TH)                              |
|-----------|------------------------------------------------|--------------------------------------------------|
| A–F       | beneficiary since the 1st of the month a year ago | RQTH from a year ago, open-ended (9999-12-31) |
| G–M       | same                                           | RQTH from a year ago to today + 2 months         |
| N–R       | not beneficiary (identity found)               | RQTH not valid (identity found)                  |
| S–T       | identity not found                             | person not found                                 |
| U–V       | temporary failure (Retry-After 60 s)           | temporary failure (Retry-After 60 s)             |
| other     | unknown provider response                      | identity not certified                           |
"""

import datetime
import enum
import logging
import unicodedata
from dataclasses import dataclass, field
from functools import partial

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from inclusion.applications.enums import JobApplicationState
from inclusion.applications.models import JobApplication
from inclusion.eligibility.enums import CertificationSource, CertificationState
from inclusion.eligibility.models import (
    GEIQEligibilityDiagnosis,
    GEIQSelectedAdministrativeCriteria,
    SelectedAdministrativeCriteria,
)
from inclusion.geo.models import Country
from inclusion.users.enums import IdentityCertifier
from inclusion.users.models import IdentityCertification
from inclusion.utils.dates import today as paris_today

logger = logging.getLogger(__name__)

DEFAULT_PROVIDERS = {
    CertificationSource.API_PARTICULIER: "inclusion.eligibility.certification.FakeAPIParticulierProvider",
    CertificationSource.FRANCE_TRAVAIL: "inclusion.eligibility.certification.FakeFranceTravailProvider",
}

# eligibility.md §6.4: a temporary failure is retried after 60 s, or after the provider's Retry-After.
TEMPORARY_FAILURE_RETRY_SECONDS = 60
# eligibility.md §6.4: France Travail encodes "open-ended" as 9999-12-31 (or null).
OPEN_ENDED_SENTINEL = datetime.date(9999, 12, 31)
# eligibility.md §6.1: France Travail identifies a person by an 11-character identifier (or birthdate + NIR).
FRANCE_TRAVAIL_ID_LENGTH = 11

# eligibility.md §6.4, the daily retry job.
API_PARTICULIER_RETRY_MIN_AGE = datetime.timedelta(days=1)
FRANCE_TRAVAIL_RETRY_MIN_AGE = datetime.timedelta(hours=3)
RETRY_QUIET_PERIOD = datetime.timedelta(days=7)  # criteria attempted in the last 7 days are left alone

IAE, GEIQ = "iae", "geiq"
SELECTED_MODELS = {IAE: SelectedAdministrativeCriteria, GEIQ: GEIQSelectedAdministrativeCriteria}
# eligibility.md §6.1: the certifiable criteria, by source (the same codes for IAE and GEIQ criteria).
CRITERIA_BY_SOURCE = {
    CertificationSource.API_PARTICULIER: frozenset({"RSA", "AAH", "PI"}),
    CertificationSource.FRANCE_TRAVAIL: frozenset({"TH"}),
}


class Outcome(enum.Enum):
    """What a provider answered (eligibility.md §6.4)."""

    CERTIFIED = "certified"  # beneficiary / RQTH valid: a period
    NOT_CERTIFIED = "not_certified"  # not beneficiary, RQTH not valid, identity not certified: empty period
    IDENTITY_NOT_FOUND = "identity_not_found"  # API Particulier: certified_at set, period left null (error)
    PERSON_NOT_FOUND = "person_not_found"  # France Travail: not found or several persons, payload stored
    TEMPORARY_FAILURE = "temporary_failure"  # conflict, rate limit: retried
    UNKNOWN_RESPONSE = "unknown_response"  # known upstream oddity: logged, not retried


@dataclass(frozen=True)
class ProviderAnswer:
    outcome: Outcome
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None  # None or 9999-12-31: open-ended
    identity_certified: bool = False  # the source found the person (recorded as an identity certification)
    retry_after: int | None = None  # seconds, for a temporary failure
    payload: dict = field(default_factory=dict)


class CertificationProvider:
    """One State data source (eligibility.md §6.1). Subclasses implement `certify`."""

    source: CertificationSource

    def certify(self, *, job_seeker, criterion_code, on) -> ProviderAnswer:
        raise NotImplementedError


def _name_initial(job_seeker):
    name = unicodedata.normalize("NFKD", job_seeker.last_name or "").encode("ascii", "ignore").decode()
    return name.strip()[:1].upper()


def _a_year_ago(on):
    return on.replace(day=1) - relativedelta(years=1)


class FakeAPIParticulierProvider(CertificationProvider):
    """Deterministic stand-in for API Particulier (see the module docstring for the answers)."""

    source = CertificationSource.API_PARTICULIER

    def certify(self, *, job_seeker, criterion_code, on):
        initial = _name_initial(job_seeker)
        payload = {"fake": True, "source": "API Particulier", "criterion": criterion_code}
        if "A" <= initial <= "M":
            start = _a_year_ago(on)
            return ProviderAnswer(
                Outcome.CERTIFIED,
                period_start=start,
                identity_certified=True,
                payload={**payload, "status": "beneficiaire", "dateDebutDroit": start.isoformat()},
            )
        if "N" <= initial <= "R":
            return ProviderAnswer(
                Outcome.NOT_CERTIFIED, identity_certified=True, payload={**payload, "status": "non_beneficiaire"}
            )
        if initial in ("S", "T"):
            return ProviderAnswer(Outcome.IDENTITY_NOT_FOUND, payload={**payload, "error": "not_found"})
        if initial in ("U", "V"):
            return ProviderAnswer(
                Outcome.TEMPORARY_FAILURE,
                retry_after=TEMPORARY_FAILURE_RETRY_SECONDS,
                payload={**payload, "error": "rate_limited"},
            )
        return ProviderAnswer(Outcome.UNKNOWN_RESPONSE, payload={**payload, "error": "unknown_provider_response"})


class FakeFranceTravailProvider(CertificationProvider):
    """Deterministic stand-in for the France Travail agent API (RQTH), see the module docstring."""

    source = CertificationSource.FRANCE_TRAVAIL
    TEMPORARY_RQTH_DURATION = relativedelta(months=2)

    def certify(self, *, job_seeker, criterion_code, on):
        initial = _name_initial(job_seeker)
        payload = {"fake": True, "source": "France Travail", "criterion": criterion_code}
        if "A" <= initial <= "M":
            start = _a_year_ago(on)
            end = OPEN_ENDED_SENTINEL if initial <= "F" else on + self.TEMPORARY_RQTH_DURATION
            return ProviderAnswer(
                Outcome.CERTIFIED,
                period_start=start,
                period_end=end,
                identity_certified=True,
                payload={**payload, "rqth": True, "dateDebut": start.isoformat(), "dateFin": end.isoformat()},
            )
        if "N" <= initial <= "R":
            return ProviderAnswer(Outcome.NOT_CERTIFIED, identity_certified=True, payload={**payload, "rqth": False})
        if initial in ("S", "T"):
            return ProviderAnswer(Outcome.PERSON_NOT_FOUND, payload={**payload, "error": "individu_inconnu"})
        if initial in ("U", "V"):
            return ProviderAnswer(
                Outcome.TEMPORARY_FAILURE,
                retry_after=TEMPORARY_FAILURE_RETRY_SECONDS,
                payload={**payload, "error": "conflict"},
            )
        return ProviderAnswer(Outcome.NOT_CERTIFIED, payload={**payload, "identite_certifiee": False})


def get_provider(source) -> CertificationProvider:
    providers = {**DEFAULT_PROVIDERS, **getattr(settings, "ELIGIBILITY_CERTIFICATION_PROVIDERS", {})}
    return import_string(providers[source])()


# ---------------------------------------------------------------------------------------------------------------
# Prerequisites (eligibility.md §6.1): missing ⇒ skipped, no attempt.


def _profile(job_seeker):
    return getattr(job_seeker, "jobseeker_profile", None)


def api_particulier_prerequisites_met(job_seeker) -> bool:
    """First name, last name, title, birthdate, birth country, and the birth commune when born in France.

    The profile has no birth commune field yet (asked to the lead): until it exists, people born in France lack this
    prerequisite and are skipped.
    """
    profile = _profile(job_seeker)
    if profile is None or not (job_seeker.first_name and job_seeker.last_name and job_seeker.title):
        return False
    if profile.birthdate is None or profile.birth_country_id is None:
        return False
    if profile.birth_country.insee_code == Country.FRANCE_INSEE_CODE:
        return getattr(profile, "birth_place_id", None) is not None
    return True


def france_travail_prerequisites_met(job_seeker) -> bool:
    """An 11-character France Travail identifier, or birthdate + NIR."""
    profile = _profile(job_seeker)
    if profile is None:
        return False
    if len(profile.pole_emploi_id or "") == FRANCE_TRAVAIL_ID_LENGTH:
        return True
    return profile.birthdate is not None and bool(profile.nir)


PREREQUISITES = {
    CertificationSource.API_PARTICULIER: api_particulier_prerequisites_met,
    CertificationSource.FRANCE_TRAVAIL: france_travail_prerequisites_met,
}


def prerequisites_met(job_seeker, source) -> bool:
    return PREREQUISITES[source](job_seeker)


# ---------------------------------------------------------------------------------------------------------------
# Running one certification and storing its result (eligibility.md §6.3, §6.4).


def _set_period(selected, *, start=None, end=None, empty=False):
    selected.certification_period_start = start
    selected.certification_period_end = None if end == OPEN_ENDED_SENTINEL else end
    selected.certification_period_empty = empty


def _certify_identity(job_seeker, source, now):
    IdentityCertification.objects.update_or_create(
        job_seeker=job_seeker, certifier=IdentityCertifier(source.value), defaults={"certified_at": now}
    )


def record_answer(selected, answer: ProviderAnswer, *, source, now=None):
    """Stores a provider answer on a selected criterion, per eligibility.md §6.4."""
    now = now or timezone.now()
    selected.last_certification_attempt_at = now
    selected.certification_data = answer.payload
    match answer.outcome:
        case Outcome.CERTIFIED:
            _set_period(selected, start=answer.period_start, end=answer.period_end)
            selected.certified_at = now
        case Outcome.NOT_CERTIFIED:
            _set_period(selected, empty=True)
            selected.certified_at = now
        case Outcome.IDENTITY_NOT_FOUND:
            _set_period(selected)
            selected.certified_at = now
        case Outcome.PERSON_NOT_FOUND:
            _set_period(selected)
            selected.certified_at = None
        case Outcome.UNKNOWN_RESPONSE:
            logger.warning("Certification %s: unknown provider response for %r", source, selected)
        case Outcome.TEMPORARY_FAILURE:
            pass  # the previous result, if any, stands until the retry answers
    with transaction.atomic():
        selected.save(
            update_fields=[
                "last_certification_attempt_at",
                "certification_data",
                "certification_period_start",
                "certification_period_end",
                "certification_period_empty",
                "certified_at",
            ]
        )
        if answer.identity_certified:
            _certify_identity(selected.eligibility_diagnosis.job_seeker, source, now)


def certify_selected_criterion(selected, *, now=None) -> ProviderAnswer | None:
    """Asks the source of this criterion and stores the answer. None when skipped: the criterion is not certifiable
    or the job seeker lacks the prerequisites of the source (no attempt is recorded, eligibility.md §6.1)."""
    source = selected.administrative_criteria.certifiable_by
    if not source:
        return None
    source = CertificationSource(source)
    job_seeker = selected.eligibility_diagnosis.job_seeker
    if not prerequisites_met(job_seeker, source):
        return None
    now = now or timezone.now()
    answer = get_provider(source).certify(
        job_seeker=job_seeker, criterion_code=selected.administrative_criteria_id, on=timezone.localdate(now)
    )
    record_answer(selected, answer, source=source, now=now)
    return answer


def load_selected_criterion(kind, pk):
    return (
        SELECTED_MODELS[kind]
        .objects.select_related(
            "administrative_criteria",
            "eligibility_diagnosis__job_seeker__jobseeker_profile__birth_country",
        )
        .filter(pk=pk)
        .first()
    )


# ---------------------------------------------------------------------------------------------------------------
# Scheduling (eligibility.md §6.2).


def _kind_of(diagnosis):
    return GEIQ if isinstance(diagnosis, GEIQEligibilityDiagnosis) else IAE


def _enqueue(items):
    from inclusion.eligibility.tasks import enqueue_certification

    for kind, pk, source in items:
        enqueue_certification(kind=kind, pk=pk, source=source)


def schedule_certification(diagnosis):
    """After commit, one background certification per certifiable selected criterion of the diagnosis (IAE or GEIQ).

    Called at creation of any diagnosis, at GEIQ update, and when an application using the diagnosis is accepted.
    """
    kind = _kind_of(diagnosis)
    items = [
        (kind, selected.pk, CertificationSource(selected.administrative_criteria.certifiable_by))
        for selected in diagnosis.selected_criteria.select_related("administrative_criteria")
        if selected.administrative_criteria.certifiable_by
    ]
    if items:
        transaction.on_commit(partial(_enqueue, items))


# ---------------------------------------------------------------------------------------------------------------
# Display state (eligibility.md §6.5).


def _period_is_null(selected):
    return selected.certification_period_start is None and not selected.certification_period_empty


def _in_period(selected, day):
    end = selected.certification_period_end
    return selected.certification_period_start <= day and (end is None or day <= end)


def certification_state(selected_criterion, *, diagnosis_expires_at, on=None, hiring_start_at=None):
    """eligibility.md §6.5, in this order: never attempted → En cours; period null → Erreur; empty → Non certifié.

    For an accepted application (`hiring_start_at` given), certified ⇔ the hiring start lies in the period.
    Otherwise: starts after today → À venir; ended before today → Expiré; today in the period → Certifié, or
    Certifié temporairement when the period ends before the diagnosis expiry. Both ends are compared as exclusive
    ends: a period whose last day is the diagnosis' last valid day covers the whole diagnosis.
    """
    selected = selected_criterion
    if selected.last_certification_attempt_at is None:
        return CertificationState.IN_PROGRESS
    if _period_is_null(selected):
        return CertificationState.ERROR
    if selected.certification_period_empty:
        return CertificationState.NOT_CERTIFIED
    if hiring_start_at is not None:
        if _in_period(selected, hiring_start_at):
            return CertificationState.CERTIFIED
        return CertificationState.NOT_CERTIFIED
    on = on or paris_today()
    end = selected.certification_period_end
    if selected.certification_period_start > on:
        return CertificationState.FUTURE
    if end is not None and end < on:
        return CertificationState.EXPIRED
    if end is not None and end + datetime.timedelta(days=1) < diagnosis_expires_at:
        return CertificationState.CERTIFIED_TEMPORARILY
    return CertificationState.CERTIFIED


def is_certified(selected_criterion) -> bool:
    """A criterion with a non-empty certification period (staff cannot remove it from a diagnosis, §6.5)."""
    return selected_criterion.certification_period_start is not None


# ---------------------------------------------------------------------------------------------------------------
# The daily retry job (eligibility.md §6.4).


def _hiring_started(kind, on):
    return Exists(
        JobApplication.objects.filter(
            **{
                "eligibility_diagnosis" if kind == IAE else "geiq_eligibility_diagnosis": OuterRef(
                    "eligibility_diagnosis"
                )
            },
            state=JobApplicationState.ACCEPTED,
            hiring_start_at__lte=on,
        )
    )


def _retry_candidates(kind, source, *, now):
    on = timezone.localdate(now)
    queryset = SELECTED_MODELS[kind].objects.filter(administrative_criteria_id__in=CRITERIA_BY_SOURCE[source])
    null_period = Q(certification_period_start__isnull=True, certification_period_empty=False)
    if source == CertificationSource.API_PARTICULIER:
        # (a) never certified, on non-expired diagnoses, created at least a day ago.
        queryset = queryset.filter(
            null_period, eligibility_diagnosis__expires_at__gt=on, created_at__lte=now - API_PARTICULIER_RETRY_MIN_AGE
        )
    else:
        # (b) no period or a period already ended, created at least 3 hours ago.
        queryset = queryset.filter(
            null_period | Q(certification_period_end__lt=on), created_at__lte=now - FRANCE_TRAVAIL_RETRY_MIN_AGE
        )
    queryset = (
        queryset.exclude(last_certification_attempt_at__gt=now - RETRY_QUIET_PERIOD)
        .filter(~_hiring_started(kind, on))
        .select_related(
            "administrative_criteria", "eligibility_diagnosis__job_seeker__jobseeker_profile__birth_country"
        )
        .order_by("pk")
    )
    return [
        selected
        for selected in queryset.iterator(chunk_size=500)
        if prerequisites_met(selected.eligibility_diagnosis.job_seeker, source)
    ]


@dataclass
class RetryReport:
    counts: dict = field(default_factory=dict)  # (kind, source) → number of criteria re-queued

    @property
    def total(self):
        return sum(self.counts.values())


def retry_certifications(*, dry_run=True, now=None) -> RetryReport:
    """Re-queues the certifications due for a retry (eligibility.md §6.4); a dry run only counts them."""
    now = now or timezone.now()
    report = RetryReport()
    for kind in (IAE, GEIQ):
        for source in CRITERIA_BY_SOURCE:
            candidates = _retry_candidates(kind, source, now=now)
            report.counts[(kind, source)] = len(candidates)
            if not dry_run:
                _enqueue([(kind, selected.pk, source) for selected in candidates])
    return report
