"""The eligibility screens: IAE diagnosis by an authorized prescriber or by an SIAE while hiring, GEIQ diagnosis, and
the job seeker's own eligibility (eligibility.md §2, §4, §7).

The views stay thin: who may act comes from `perms.py`, which diagnosis is shown, whether one is needed, the counts,
the exclusions and the writes come from `rules.py`. A view only fetches, checks, calls and renders.
"""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from inclusion.applications.models import JobApplication
from inclusion.approvals.rules import valid_approval
from inclusion.eligibility import perms, rules
from inclusion.eligibility.certification import certification_state
from inclusion.eligibility.enums import AuthorKind, CertificationState, GEIQAnnex
from inclusion.eligibility.forms import GEIQCriteriaForm, IAECriteriaForm
from inclusion.eligibility.models import (
    AdministrativeCriteria,
    GEIQAdministrativeCriteria,
    GEIQEligibilityDiagnosis,
    GEIQSelectedAdministrativeCriteria,
    SelectedAdministrativeCriteria,
)
from inclusion.organizations.enums import Role
from inclusion.organizations.perms import acts_as
from inclusion.users.models import User
from inclusion.utils.access import require
from inclusion.utils.french import de
from inclusion.utils.next_url import safe_next_url

UNCHANGED_MESSAGE = "Aucune modification : le diagnostic existant reste valable."
NOT_A_PRESCRIBER = "Seul un prescripteur habilité peut établir le diagnostic d'éligibilité d'un candidat."
NOT_AN_EMPLOYER = "Cette page est réservée à la structure qui a reçu la candidature."
NOT_AN_SIAE = "Le diagnostic d'éligibilité IAE ne concerne que les SIAE (AI, ACI, EI, EITI, ETTI)."
NOT_A_GEIQ = "Le diagnostic d'éligibilité GEIQ ne concerne que les GEIQ."
NOT_ALLOWED = "Vous ne pouvez pas établir de diagnostic d'éligibilité pour ce candidat."
JOB_SEEKERS_ONLY = "Cette page est réservée aux candidats."
ALREADY_ACCEPTED = (
    "Cette candidature est déjà acceptée : le diagnostic d'éligibilité ne se fait qu'au moment de l'embauche."
)


def count_rule_hint(company_kind):
    """eligibility.md §4: the minimum an employer of this kind must tick, shown above the form."""
    min_level_2 = rules.MIN_LEVEL_2_CRITERIA_BY_SIAE_KIND.get(company_kind)
    if min_level_2 is None:
        return ""
    return f"Au moins {rules.MIN_LEVEL_1_CRITERIA} critère de niveau 1 ou {min_level_2} critères de niveau 2"


# Badge colours of the certification states (eligibility.md §6.5), DSFR badge modifiers.
CERTIFICATION_BADGES = {
    CertificationState.IN_PROGRESS: "info",
    CertificationState.ERROR: "error",
    CertificationState.NOT_CERTIFIED: "warning",
    CertificationState.CERTIFIED: "success",
    CertificationState.CERTIFIED_TEMPORARILY: "success",
    CertificationState.FUTURE: "new",
    CertificationState.EXPIRED: "warning",
}
# How the author kind reads inside a sentence ("… par Claire Martin, GEIQ BTP (GEIQ)").
AUTHOR_KIND_TEXT = {
    AuthorKind.PRESCRIBER: "prescripteur habilité",
    AuthorKind.EMPLOYER: "employeur",
    AuthorKind.GEIQ: "GEIQ",
}
CERTIFIED_STATES = frozenset({CertificationState.CERTIFIED, CertificationState.CERTIFIED_TEMPORARILY})


# Diagnosis summaries ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionLine:
    name: str
    certification: CertificationState | None

    @property
    def badge(self):
        return CERTIFICATION_BADGES[self.certification] if self.certification else ""


@dataclass(frozen=True)
class DiagnosisSummary:
    """What a diagnosis card shows: author, dates, validity and the criteria with their certification."""

    diagnosis: object
    is_valid: bool
    is_considered_valid: bool
    last_valid_day: datetime.date
    considered_to_expire_at: datetime.date  # exclusive, like `expires_at` (rules.considered_to_expire_at)
    criteria: list
    aid_amount: int | None = None  # GEIQ only (eligibility.md §7.3)
    geiq_confirmed: bool = False  # GEIQ only: the badge "éligibilité GEIQ confirmée" (eligibility.md §7.3)

    @property
    def extended_by_approval(self):
        # eligibility.md §2.3: an expired diagnosis linked to a running PASS stays "considered valid".
        return self.is_considered_valid and not self.is_valid

    @property
    def considered_last_valid_day(self):
        return self.considered_to_expire_at - datetime.timedelta(days=1)

    @property
    def aid_amount_display(self):
        return euros(self.aid_amount or 0)

    @property
    def author_kind_text(self):
        return AUTHOR_KIND_TEXT[self.diagnosis.author_kind]

    @property
    def has_certifiable(self):
        return any(line.certification for line in self.criteria)

    @property
    def has_uncertified(self):
        # eligibility.md §6.5: what is not certified must be proven by documents kept by the employer.
        return any(line.certification not in CERTIFIED_STATES for line in self.criteria)


def euros(amount):
    """1400 → « 1 400 € » (French grouping with a narrow no-break space)."""
    return f"{amount:,} €".replace(",", "\u202f")


def _criteria_prefetch(selected_model):
    return Prefetch(
        "selected_criteria",
        queryset=selected_model.objects.select_related("administrative_criteria").order_by(
            "administrative_criteria__level", "administrative_criteria__ui_rank"
        ),
    )


def _with_display_data(diagnosis):
    """Loads what a diagnosis card shows (author, structure, criteria) in a fixed number of queries."""
    if diagnosis is None:
        return None
    if isinstance(diagnosis, GEIQEligibilityDiagnosis):
        relations = ("author_geiq", _criteria_prefetch(GEIQSelectedAdministrativeCriteria))
    else:
        relations = ("author_siae", _criteria_prefetch(SelectedAdministrativeCriteria))
    prefetch_related_objects([diagnosis], "author", "author_prescriber_organization", *relations)
    return diagnosis


def _iae_summary(diagnosis):
    if diagnosis is None:
        return None
    # Exclusive, like `expires_at`: a diagnosis extended by a PASS is certified up to the PASS end included (§6.5).
    considered_expiry = rules.considered_to_expire_at(diagnosis)
    lines = [
        CriterionLine(
            name=selected.criterion.name,
            certification=certification_state(selected, diagnosis_expires_at=considered_expiry)
            if selected.criterion.is_certifiable
            else None,
        )
        for selected in diagnosis.selected_criteria.all()
    ]
    return DiagnosisSummary(
        diagnosis=diagnosis,
        is_valid=rules.diagnosis_is_valid(diagnosis),
        is_considered_valid=rules.diagnosis_is_considered_valid(diagnosis),
        last_valid_day=diagnosis.expires_at - datetime.timedelta(days=1),
        considered_to_expire_at=considered_expiry,
        criteria=lines,
    )


def _geiq_summary(diagnosis):
    if diagnosis is None:
        return None
    lines = [
        CriterionLine(
            name=selected.criterion.name,
            certification=certification_state(selected, diagnosis_expires_at=diagnosis.expires_at)
            if selected.criterion.is_certifiable
            else None,
        )
        for selected in diagnosis.selected_criteria.all()
        # eligibility.md §7.2: annex-0 items are structural and hidden in summaries.
        if selected.criterion.annex != GEIQAnnex.NONE
    ]
    is_valid = rules.diagnosis_is_valid(diagnosis)
    return DiagnosisSummary(
        diagnosis=diagnosis,
        is_valid=is_valid,
        is_considered_valid=is_valid,
        last_valid_day=diagnosis.expires_at - datetime.timedelta(days=1),
        considered_to_expire_at=diagnosis.expires_at,
        criteria=lines,
        aid_amount=rules.geiq_aid_amount(diagnosis),
        geiq_confirmed=rules.geiq_eligibility_confirmed(diagnosis),
    )


# Shared helpers ---------------------------------------------------------------------------------------------------


def _iae_criteria():
    return AdministrativeCriteria.objects.order_by("level", "ui_rank")


def _geiq_criteria():
    return GEIQAdministrativeCriteria.objects.order_by("ui_rank")


def _codes_of(diagnosis):
    return {selected.administrative_criteria_id for selected in diagnosis.selected_criteria.all()}


def _posted(request):
    return request.POST if request.method == "POST" else None


def _next_url(request):
    return safe_next_url(request)


def _redirect_after_save(request, fallback_url):
    return redirect(_next_url(request) or fallback_url)


def _add_rule_errors(form, error):
    form.set_criteria_errors(error.messages)


def _day(value):
    return date_format(value, "j F Y")


def _job_application_of_current_company(request, job_application_id):
    """The application received by the company the employer acts for (another company's application: 404)."""
    require(acts_as(request.user, request.current_organization, Role.EMPLOYER), NOT_AN_EMPLOYER)
    return get_object_or_404(
        JobApplication.objects.select_related("job_seeker", "to_company"),
        id=job_application_id,
        to_company=request.current_organization,
    )


def _refused_after_hiring(request):
    """eligibility.md §2.2, §7.1: a 403 that says why; the employer sees the application, so it discloses nothing."""
    context = {"title": "Candidature déjà acceptée", "reason": ALREADY_ACCEPTED}
    return render(request, "eligibility/refused.html", context, status=403)


def _job_seeker_or_404(public_id):
    return get_object_or_404(User.objects.job_seekers(), public_id=public_id)


# 1. IAE diagnosis by an authorized prescriber ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def eligibility_iae_prescriber(request, public_id):
    """An authorized prescriber records or updates the IAE diagnosis of a job seeker (eligibility.md §2.2, §2.4)."""
    job_seeker = _job_seeker_or_404(public_id)
    organization = request.current_organization
    require(perms.can_make_prescriber_diagnosis(request.user, organization, job_seeker), NOT_A_PRESCRIBER)

    approval = valid_approval(job_seeker)
    # The latest prescriber diagnosis, even expired (employer ones are never used by prescribers, §2.5).
    current = (
        rules.annotate_considered_expiry(rules.visible_diagnoses(job_seeker))
        .prefetch_related(_criteria_prefetch(SelectedAdministrativeCriteria))
        .first()
    )
    form = None
    # eligibility.md §2.2: no diagnosis is needed while the person holds a valid PASS IAE.
    if approval is None:
        existing = current if current is not None and rules.diagnosis_is_valid(current) else None
        form = IAECriteriaForm(
            _posted(request),
            criteria=_iae_criteria(),
            author_kind=AuthorKind.PRESCRIBER,
            initial={"criteria": rules.prefilled_criteria(job_seeker, existing_diagnosis=existing)},
        )
        if request.method == "POST" and form.is_valid():
            try:
                diagnosis = rules.save_prescriber_diagnosis(
                    job_seeker=job_seeker,
                    author=request.user,
                    organization=organization,
                    codes=form.cleaned_data["criteria"],
                )
            except rules.EligibilityError as error:
                _add_rule_errors(form, error)
            else:
                if diagnosis is None:
                    messages.info(request, UNCHANGED_MESSAGE)
                else:
                    messages.success(
                        request,
                        f"Le diagnostic d'éligibilité IAE {de(job_seeker.get_full_name())} est enregistré. Il est "
                        f"valable jusqu'au {_day(diagnosis.expires_at - datetime.timedelta(days=1))} inclus.",
                    )
                return _redirect_after_save(request, request.path)

    context = {
        "title": f"Éligibilité IAE {de(job_seeker.get_full_name())}",
        "job_seeker": job_seeker,
        "approval": approval,
        "summary": _iae_summary(current),
        "form": form,
        "next_url": _next_url(request) or "",
        "dashboard_url": reverse("dashboard"),
    }
    return render(request, "eligibility/iae_prescriber.html", context)


# 2. IAE diagnosis by an SIAE while hiring ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def eligibility_iae_employer(request, job_application_id):
    """An SIAE records its own diagnosis while hiring, when none is considered valid (eligibility.md §2.2, §4)."""
    job_application = _job_application_of_current_company(request, job_application_id)
    company, job_seeker = job_application.to_company, job_application.job_seeker
    require(perms.concerns_iae_diagnosis(company), NOT_AN_SIAE)
    if not perms.application_awaits_hiring(job_application):
        return _refused_after_hiring(request)
    must_make = rules.employer_must_make_diagnosis(job_seeker, company)
    # eligibility.md §2.2: making a diagnosis is forbidden (403) while a sanction withdraws the self-prescription;
    # hiring on a prescriber's diagnosis (or a valid PASS) stays possible, so that page is still shown.
    if must_make and rules.siae_self_prescription_withdrawn(company):
        return render(request, "eligibility/sanctioned.html", {"title": "Auto-prescription suspendue"}, status=403)
    require(not must_make or perms.can_make_employer_diagnosis(request.user, company, job_seeker), NOT_ALLOWED)

    form = None
    if must_make:
        form = IAECriteriaForm(
            _posted(request),
            criteria=_iae_criteria(),
            author_kind=AuthorKind.EMPLOYER,
            company_kind=company.kind,
            initial={"criteria": rules.prefilled_criteria(job_seeker)},
        )
        if request.method == "POST" and form.is_valid():
            try:
                diagnosis = rules.create_employer_diagnosis(
                    job_seeker=job_seeker, author=request.user, siae=company, codes=form.cleaned_data["criteria"]
                )
            except rules.EligibilityError as error:
                _add_rule_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Le diagnostic d'éligibilité IAE {de(job_seeker.get_full_name())} est enregistré. Il est "
                    f"valable jusqu'au {_day(diagnosis.expires_at - datetime.timedelta(days=1))} inclus.",
                )
                return _redirect_after_save(request, request.path)

    current = _with_display_data(rules.last_considered_valid_diagnosis(job_seeker, for_siae=company))
    context = {
        "title": f"Éligibilité IAE {de(job_seeker.get_full_name())}",
        "job_application": job_application,
        "job_seeker": job_seeker,
        "company": company,
        "approval": None if must_make else valid_approval(job_seeker),
        "summary": _iae_summary(current),
        "form": form,
        "count_rule": count_rule_hint(company.kind),
        "validity_days": rules.EMPLOYER_DIAGNOSIS_VALIDITY.days,
        "next_url": _next_url(request) or "",
        "dashboard_url": reverse("dashboard"),
    }
    return render(request, "eligibility/iae_employer.html", context)


# 3. GEIQ diagnosis -------------------------------------------------------------------------------------------------


def _geiq_page(request, *, job_seeker, author_kind, current, may_write, save, job_application=None):
    """The GEIQ criteria form and the current diagnosis; `save(codes)` writes and returns the diagnosis."""
    form = None
    if may_write:
        initial_codes = _codes_of(current) if current is not None else set()
        form = GEIQCriteriaForm(
            _posted(request), criteria=_geiq_criteria(), author_kind=author_kind, initial={"criteria": initial_codes}
        )
        if request.method == "POST" and form.is_valid():
            try:
                diagnosis = save(form.cleaned_data["codes"])
            except rules.EligibilityError as error:
                _add_rule_errors(form, error)
            else:
                amount = rules.geiq_aid_amount(diagnosis)
                messages.success(
                    request,
                    f"Le diagnostic d'éligibilité GEIQ {de(job_seeker.get_full_name())} est enregistré. "
                    f"Montant de l'aide à l'accompagnement : {euros(amount)}.",
                )
                return _redirect_after_save(request, request.path)

    context = {
        "title": f"Éligibilité GEIQ {de(job_seeker.get_full_name())}",
        "job_seeker": job_seeker,
        "job_application": job_application,
        "summary": _geiq_summary(current),
        "form": form,
        "is_update": form is not None and current is not None,
        "aid_amounts": (euros(rules.GEIQ_AID_FULL), euros(rules.GEIQ_AID_REDUCED)),
        "next_url": _next_url(request) or "",
        "dashboard_url": reverse("dashboard"),
    }
    return render(request, "eligibility/geiq.html", context)


@require_http_methods(["GET", "POST"])
def eligibility_geiq_employer(request, job_application_id):
    """A GEIQ creates its diagnosis, or updates its own in place while it is valid (eligibility.md §7.1)."""
    job_application = _job_application_of_current_company(request, job_application_id)
    company, job_seeker = job_application.to_company, job_application.job_seeker
    require(perms.concerns_geiq_diagnosis(company), NOT_A_GEIQ)
    if not perms.application_awaits_hiring(job_application):
        return _refused_after_hiring(request)
    require(perms.can_make_geiq_diagnosis(request.user, company, job_seeker), NOT_ALLOWED)

    current = _with_display_data(rules.last_valid_geiq_diagnosis(job_seeker, for_geiq=company))
    if current is None:
        may_write = True

        def save(codes):
            return rules.create_geiq_diagnosis(
                job_seeker=job_seeker, author=request.user, author_geiq=company, codes=codes
            )

    else:
        # eligibility.md §7.1: only the GEIQ's own valid diagnosis is updated; a prescriber's one is kept as is.
        may_write = perms.can_update_geiq_diagnosis(request.user, company, current)

        def save(codes):
            rules.update_geiq_diagnosis(current, author=request.user, codes=codes)
            current.refresh_from_db()
            return current

    return _geiq_page(
        request,
        job_seeker=job_seeker,
        author_kind=AuthorKind.GEIQ,
        current=current,
        may_write=may_write,
        save=save,
        job_application=job_application,
    )


@require_http_methods(["GET", "POST"])
def eligibility_geiq_prescriber(request, public_id):
    """An authorized prescriber records a GEIQ diagnosis (eligibility.md §7.1); one valid at a time."""
    job_seeker = _job_seeker_or_404(public_id)
    organization = request.current_organization
    # GEIQ members make theirs from the application they received (eligibility_geiq_employer), not from here.
    require(
        acts_as(request.user, organization, Role.AUTHORIZED_PRESCRIBER)
        and perms.can_make_geiq_diagnosis(request.user, organization, job_seeker),
        NOT_A_PRESCRIBER,
    )

    # eligibility.md §7.1: prescribers see only prescriber diagnoses, and cannot duplicate a valid one.
    current = _with_display_data(rules.last_valid_geiq_diagnosis(job_seeker))

    def save(codes):
        return rules.create_geiq_diagnosis(
            job_seeker=job_seeker, author=request.user, author_prescriber_organization=organization, codes=codes
        )

    return _geiq_page(
        request,
        job_seeker=job_seeker,
        author_kind=AuthorKind.PRESCRIBER,
        current=current,
        may_write=current is None,
        save=save,
    )


# 4. The job seeker's own eligibility --------------------------------------------------------------------------------


def _job_seeker_geiq_summary(job_seeker):
    """eligibility.md §7.3: the GEIQ card shows the person's valid GEIQ diagnosis with an allowance, if any."""
    diagnoses = rules.job_seeker_geiq_diagnoses(job_seeker).prefetch_related(
        _criteria_prefetch(GEIQSelectedAdministrativeCriteria)
    )
    return _geiq_summary(rules.first_with_geiq_aid(diagnoses))


@require_GET
def eligibility_job_seeker(request):
    """The job seeker's own diagnosis, and the GEIQ card when a diagnosis with an allowance exists (§2.5, §7.3)."""
    require(acts_as(request.user, None, Role.JOB_SEEKER), JOB_SEEKERS_ONLY)
    job_seeker = request.user
    diagnosis = _with_display_data(rules.job_seeker_own_diagnosis(job_seeker))
    geiq_summary = _job_seeker_geiq_summary(job_seeker)
    context = {
        "title": "Mon éligibilité",
        "summary": _iae_summary(diagnosis),
        "approval": valid_approval(job_seeker),
        "geiq_summary": geiq_summary,
        "dashboard_url": reverse("dashboard"),
    }
    return render(request, "eligibility/job_seeker.html", context)
