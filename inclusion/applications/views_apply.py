"""The application wizard (applications.md §12, §13) in its three tunnels:

- a job seeker applies for themselves;
- a prescriber (orienteur or authorized) orients a person to a company;
- an employer applies for a person to another company, or records an application to its own company
  ("auto-prescription", message optional).

The state of one wizard lives in the session under a random id carried by the URL, so that two tabs never mix their
answers. Each step is a function; `STEPS` says in which order they come, when each applies and when it is done: a
step is reachable once every applicable step before it is done, else the visitor is sent to the first one missing.
The application is created by `submission.submit` only, which runs the guards again under a lock.
"""

import datetime
import uuid
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from inclusion.applications import guards, perms, submission
from inclusion.applications.enums import SenderKind
from inclusion.applications.forms_apply import JobsForm, MessageForm, NIRForm
from inclusion.applications.models import JobApplication
from inclusion.approvals.rules import valid_approval
from inclusion.companies.enums import CompanyKind
from inclusion.companies.models import Company, CompanyMembership, JobDescription
from inclusion.eligibility import perms as eligibility_perms
from inclusion.eligibility import rules as eligibility_rules
from inclusion.eligibility.models import AdministrativeCriteria, GEIQAdministrativeCriteria
from inclusion.organizations.enums import Role
from inclusion.prescribers.enums import AuthorizationStatus
from inclusion.prescribers.models import PrescriberMembership
from inclusion.search.rules import with_job_description_badges
from inclusion.users import job_seeker_data
from inclusion.users.display import display_name_for
from inclusion.users.models import User
from inclusion.users.perms import can_edit_personal_information
from inclusion.utils.access import require, require_visible

SESSION_KEY = "apply_wizards"
# A person rarely keeps more than a few wizards open; the oldest ones are forgotten beyond this.
MAX_WIZARDS_PER_SESSION = 10

NOT_ALLOWED = (
    "Seuls les candidats, les prescripteurs et les employeurs peuvent envoyer une candidature. Si vous agissez pour "
    "plusieurs organisations, choisissez-en une autre dans votre tableau de bord."
)
STALE_WIZARD = (
    "Cette candidature en cours n'existe plus (elle a expiré ou a été commencée dans une autre session) : "
    "recommencez-la ci-dessous."
)
DATA_TO_COMPLETE = (
    "Avant d'envoyer la candidature, complétez les informations qui manquent : vous reviendrez ensuite à la "
    "candidature."
)
UNKNOWN_JOB_SEEKER = "Ce candidat est introuvable. Recherchez-le à nouveau."


# Tunnels ------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tunnel:
    """Who sends the application, and for which organization (applications.md §1 sender rules, §13.1)."""

    sender_kind: str
    sender_company: Company | None = None
    sender_prescriber_organization: object = None
    is_self_prescription: bool = False

    @property
    def is_proxy(self):
        return self.sender_kind != SenderKind.JOB_SEEKER

    @property
    def organization(self):
        return self.sender_company or self.sender_prescriber_organization

    def heading(self, company):
        if self.sender_kind == SenderKind.JOB_SEEKER:
            return f"Postuler chez {company.display_name}"
        if self.is_self_prescription:
            return f"Enregistrer une candidature pour {company.display_name}"
        if self.sender_kind == SenderKind.PRESCRIBER:
            return f"Orienter un candidat vers {company.display_name}"
        return f"Postuler pour un candidat chez {company.display_name}"


def _tunnel_or_403(request, company):
    """The tunnel of the visitor; institution members and staff never apply (applications.md §12)."""
    organization = request.current_organization
    require(perms.can_apply(request.user, organization), NOT_ALLOWED)
    if request.role == Role.JOB_SEEKER:
        return Tunnel(SenderKind.JOB_SEEKER)
    if request.role == Role.EMPLOYER:
        return Tunnel(
            SenderKind.EMPLOYER, sender_company=organization, is_self_prescription=organization.pk == company.pk
        )
    return Tunnel(SenderKind.PRESCRIBER, sender_prescriber_organization=organization)


def _company_or_404(company_uid):
    return get_object_or_404(Company.objects.select_related("convention"), uid=company_uid)


# The wizard state ---------------------------------------------------------------------------------------------------

# Answers that depend on the job seeker: forgotten when the person changes.
JOB_SEEKER_ANSWERS = (
    "asks_nir",
    "nir_attempts",
    "nir_skipped",
    "data_checked",
    "previous_checked",
    "iae_done",
    "geiq_done",
)


def _organization_key(request):
    organization = request.current_organization
    return organization.switch_key if organization is not None else ""


class Wizard:
    """One application in progress: the company, the tunnel and the answers kept in the session."""

    def __init__(self, request, company, tunnel, session_id, state):
        self.request = request
        self.company = company
        self.tunnel = tunnel
        self.session_id = session_id
        self.state = state

    @classmethod
    def start(cls, request, company, tunnel, *, preselected_job_id=None):
        state = {
            "company": company.pk,
            "user": request.user.pk,
            # Switching organization changes the tunnel: a wizard belongs to the organization it started with.
            "organization": _organization_key(request),
            "created_at": timezone.now().isoformat(),
            "job_seeker": "",
            # The job of the card the person came from is checked in advance; the jobs step still asks.
            "job_ids": [preselected_job_id] if preselected_job_id else [],
            "spontaneous": False,
            "jobs_confirmed": False,
        }
        wizard = cls(request, company, tunnel, str(uuid.uuid4()), state)
        if not tunnel.is_proxy:
            wizard.set_job_seeker(request.user)
        wizard.save()
        return wizard

    @classmethod
    def load(cls, request, company, tunnel, session_id):
        """The wizard of this session id, or None when it is unknown here (expired, another session or person, another
        company or organization)."""
        state = request.session.get(SESSION_KEY, {}).get(str(session_id))
        if (
            not state
            or state.get("company") != company.pk
            or state.get("user") != request.user.pk
            or state.get("organization") != _organization_key(request)
        ):
            return None
        return cls(request, company, tunnel, str(session_id), state)

    def save(self):
        wizards = self.request.session.get(SESSION_KEY, {})
        wizards[self.session_id] = self.state
        if len(wizards) > MAX_WIZARDS_PER_SESSION:
            oldest = sorted(wizards, key=lambda key: wizards[key].get("created_at", ""))
            for key in oldest[: len(wizards) - MAX_WIZARDS_PER_SESSION]:
                del wizards[key]
        self.request.session[SESSION_KEY] = wizards
        self.request.session.modified = True

    def url(self, slug):
        return reverse("apply_step", args=[self.company.uid, self.session_id, slug])

    # The job seeker.

    @cached_property
    def job_seeker(self):
        public_id = self.state.get("job_seeker")
        if not public_id:
            return None
        return User.objects.job_seekers().select_related("jobseeker_profile").filter(public_id=public_id).first()

    def set_job_seeker(self, job_seeker):
        if self.state.get("job_seeker") != str(job_seeker.public_id):
            for key in JOB_SEEKER_ANSWERS:
                self.state.pop(key, None)
        self.state["job_seeker"] = str(job_seeker.public_id)
        profile = job_seeker_data.job_seeker_profile_of(job_seeker)
        # applications.md §13.2: a job seeker without NIR (nor reason for its absence) is asked for it.
        self.state["asks_nir"] = not self.tunnel.is_proxy and not (
            profile and (profile.nir or profile.lack_of_nir_reason)
        )
        self.__dict__["job_seeker"] = job_seeker

    def job_seeker_name(self):
        """applications.md §16: an orienteur sees the initials of people whose account he did not create."""
        if self.job_seeker is None:
            return ""
        return display_name_for(self.request.user, self.job_seeker, organization=self.request.current_organization)

    # The jobs.

    def open_jobs(self):
        return (
            JobDescription.objects.active()
            .filter(company=self.company)
            .select_related("appellation", "location")
            .order_by("-last_employer_update_at", "-pk")
        )

    @cached_property
    def selected_jobs(self):
        """The chosen jobs, even closed since: `submit` then refuses with the reason instead of quietly dropping
        them (the job descriptions of another company are never taken)."""
        jobs = JobDescription.objects.filter(company=self.company, pk__in=self.state.get("job_ids", []))
        return list(jobs.order_by("pk"))

    def jobs_chosen(self):
        return self.state.get("jobs_confirmed") and (bool(self.state.get("spontaneous")) or bool(self.selected_jobs))

    # Steps.

    def applicable_steps(self):
        return [step for step in STEPS if step.applies(self)]

    def first_pending_step(self):
        return next(step for step in self.applicable_steps() if not step.is_done(self))

    def next_url(self):
        return self.url(self.first_pending_step().slug)

    def redirect_to_next(self):
        self.save()
        return redirect(self.next_url())

    def submit_kwargs(self):
        tunnel = self.tunnel
        return {
            "job_seeker": self.job_seeker,
            "company": self.company,
            "sender": self.request.user,
            "sender_kind": tunnel.sender_kind,
            "sender_company": tunnel.sender_company,
            "sender_prescriber_organization": tunnel.sender_prescriber_organization,
        }


# Rules of the steps -------------------------------------------------------------------------------------------------


def _authorization_pending(wizard):
    """applications.md §13.1: a prescriber whose organization awaits its authorization is warned first."""
    organization = wizard.tunnel.sender_prescriber_organization
    return organization is not None and organization.authorization_status == AuthorizationStatus.NOT_SET


def _acts_as_authorized_prescriber(wizard):
    return wizard.request.role == Role.AUTHORIZED_PRESCRIBER


def _iae_step_applies(wizard):
    """applications.md §13.6, eligibility.md §2.2: an authorized prescriber applying to an SIAE for a person without
    a valid PASS IAE, unless they are also a member of that SIAE (impartiality)."""
    job_seeker = wizard.job_seeker
    return (
        job_seeker is not None
        and _acts_as_authorized_prescriber(wizard)
        and wizard.company.is_siae
        and eligibility_perms.can_make_prescriber_diagnosis(
            wizard.request.user, wizard.request.current_organization, job_seeker, for_siae=wizard.company
        )
        and valid_approval(job_seeker) is None
    )


def _geiq_step_applies(wizard):
    """applications.md §13.6: an authorized prescriber applying to a GEIQ may make a GEIQ diagnosis (optional)."""
    return (
        wizard.job_seeker is not None
        and _acts_as_authorized_prescriber(wizard)
        and wizard.company.kind == CompanyKind.GEIQ
    )


def _missing_data(wizard):
    """applications.md §13.3: what the person's data lacks; a job seeker who chose to go on without NIR at the NIR
    step is not asked again."""
    missing = job_seeker_data.missing_job_seeker_data(wizard.job_seeker)
    if wizard.state.get("nir_skipped"):
        missing = [label for label in missing if label != job_seeker_data.MISSING_NIR]
    return missing


def _with_next(url, next_url):
    return f"{url}?{urlencode({'next': next_url})}"


def _reverse_or_empty(name, *args):
    """A link to another feature's page, or "" while that page does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# Rendering ----------------------------------------------------------------------------------------------------------


def _render_step(request, wizard, step, template, context=None, status=200):
    visible = [candidate for candidate in wizard.applicable_steps() if candidate.is_visible(wizard)]
    position = visible.index(step) + 1 if step in visible else None
    next_title = visible[position].title if position is not None and position < len(visible) else ""
    previous = visible[position - 2] if position is not None and position > 1 else None
    job_seeker = wizard.job_seeker
    context = {
        "title": f"{step.title} — {wizard.tunnel.heading(wizard.company)}",
        "wizard": wizard,
        "company": wizard.company,
        "heading": wizard.tunnel.heading(wizard.company),
        "step": step,
        "step_position": position,
        "step_count": len(visible),
        "next_step_title": next_title,
        "previous_url": wizard.url(previous.slug) if previous else "",
        "job_seeker": job_seeker,
        "job_seeker_name": wizard.job_seeker_name(),
        "is_proxy": wizard.tunnel.is_proxy,
        # applications.md §13.3: proxies are warned when the data was last checked more than 6 months ago.
        "needs_check": wizard.tunnel.is_proxy and job_seeker is not None and job_seeker_data.needs_check(job_seeker),
        "company_card_url": reverse("company_card", args=[wizard.company.uid]),
        **(context or {}),
    }
    return render(request, template, context, status=status)


def _refused(request, company, reason, *, tunnel=None):
    """A guard of applications.md §12 refuses: say why (403), and offer the way back."""
    context = {
        "title": "Candidature impossible",
        "company": company,
        "reason": reason,
        "heading": tunnel.heading(company) if tunnel else "",
        "company_card_url": reverse("company_card", args=[company.uid]),
    }
    return render(request, "applications/apply/refused.html", context, status=403)


# Steps --------------------------------------------------------------------------------------------------------------


def authorization_step(request, wizard):
    """applications.md §13.1: the organization's authorization is pending; the person applies as orienteur."""
    if request.method == "POST":
        wizard.state["authorization_seen"] = True
        return wizard.redirect_to_next()
    return _render_step(request, wizard, STEP_AUTHORIZATION, "applications/apply/authorization.html")


def job_seeker_step(request, wizard):
    """applications.md §13.2: a proxy searches or creates the person (`job_seeker_find`), which comes back here with
    `?job_seeker=<public_id>`. A job seeker applies for themselves: nothing to choose."""
    if not wizard.tunnel.is_proxy:
        return wizard.redirect_to_next()
    public_id = request.GET.get("job_seeker")
    if public_id:
        try:
            # organizations.md §5.2: a deactivated account cannot be used (the search refuses it; so does this URL).
            job_seeker = User.objects.job_seekers().filter(public_id=uuid.UUID(public_id), is_active=True).first()
        except ValueError:
            job_seeker = None
        if job_seeker is None:
            messages.error(request, UNKNOWN_JOB_SEEKER)
            return redirect(wizard.url(STEP_JOB_SEEKER.slug))
        wizard.set_job_seeker(job_seeker)
        return wizard.redirect_to_next()
    if request.method == "POST" and wizard.job_seeker is not None:
        return wizard.redirect_to_next()
    context = {"find_url": _with_next(reverse("job_seeker_find"), wizard.url(STEP_JOB_SEEKER.slug))}
    return _render_step(request, wizard, STEP_JOB_SEEKER, "applications/apply/job_seeker.html", context)


def nir_step(request, wizard):
    """applications.md §13.2: a job seeker without NIR gives it; after one invalid attempt they may go on without."""
    job_seeker = wizard.job_seeker
    may_skip = wizard.state.get("nir_attempts", 0) >= 1
    if request.method == "POST" and "skip" in request.POST and may_skip:
        wizard.state["nir_skipped"] = True
        return wizard.redirect_to_next()
    form = NIRForm(request.POST if request.method == "POST" else None, job_seeker=job_seeker)
    if request.method == "POST":
        if form.is_valid():
            try:
                job_seeker_data.attach_nir(job_seeker, form.cleaned_data["nir"])
            except job_seeker_data.NIRAlreadyUsed:
                form.add_error("nir", job_seeker_data.NIRAlreadyUsed.message)
            else:
                messages.success(request, "Votre numéro de sécurité sociale est enregistré.")
                return wizard.redirect_to_next()
        wizard.state["nir_attempts"] = wizard.state.get("nir_attempts", 0) + 1
        wizard.save()
        may_skip = True
    context = {"form": form, "may_skip": may_skip}
    return _render_step(request, wizard, STEP_NIR, "applications/apply/nir.html", context)


def data_step(request, wizard):
    """applications.md §13.3: missing data is filled by those allowed to edit it (`job_seeker_complete`, which comes
    back here); other proxies go on. Never a page of its own."""
    job_seeker = wizard.job_seeker
    if _missing_data(wizard) and can_edit_personal_information(
        request.user, job_seeker, organization=request.current_organization
    ):
        complete_url = reverse("job_seeker_complete", args=[job_seeker.public_id])
        messages.info(request, DATA_TO_COMPLETE)
        return redirect(_with_next(complete_url, wizard.url(STEP_DATA.slug)))
    wizard.state["data_checked"] = True
    return wizard.redirect_to_next()


def previous_applications_step(request, wizard):
    """applications.md §12, §13.4: the guards known before the jobs (24 h, company, sanction, waiting period...)
    refuse with their reason; an older application to the same company asks for a confirmation."""
    reason = submission.refusal_reason_before_jobs(**wizard.submit_kwargs())
    if reason:
        return _refused(request, wizard.company, reason, tunnel=wizard.tunnel)
    previous = guards.previous_application_warning(job_seeker=wizard.job_seeker, company=wizard.company)
    if previous is None or request.method == "POST":
        wizard.state["previous_checked"] = True
        return wizard.redirect_to_next()
    context = {"previous": previous}
    return _render_step(request, wizard, STEP_PREVIOUS, "applications/apply/previous.html", context)


def jobs_step(request, wizard):
    """applications.md §13.5: open job descriptions (with the "unpopular" badge) or a spontaneous application."""
    job_descriptions = with_job_description_badges(list(wizard.open_jobs()))
    form = JobsForm(
        request.POST if request.method == "POST" else None,
        job_descriptions=job_descriptions,
        spontaneous_open=wizard.company.is_open_to_spontaneous_applications,
        initial={"jobs": wizard.state.get("job_ids", []), "spontaneous": wizard.state.get("spontaneous", False)},
    )
    if request.method == "POST" and form.is_valid():
        wizard.state["job_ids"] = form.cleaned_data["jobs"]
        wizard.state["spontaneous"] = form.cleaned_data.get("spontaneous", False)
        wizard.state["jobs_confirmed"] = True
        wizard.__dict__.pop("selected_jobs", None)
        return wizard.redirect_to_next()
    return _render_step(request, wizard, STEP_JOBS, "applications/apply/jobs.html", {"form": form})


def _diagnosis_with_criteria(diagnosis, criteria_model):
    if diagnosis is None:
        return None
    # The models' own ordering: IAE criteria by level, then rank (ranks restart at 1 in each level).
    criteria = Prefetch("administrative_criteria", queryset=criteria_model.objects.all())
    return (
        type(diagnosis)
        .objects.prefetch_related(criteria)
        .select_related("author", "author_prescriber_organization")
        .get(pk=diagnosis.pk)
    )


def iae_eligibility_step(request, wizard):
    """applications.md §13.6: the authorized prescriber confirms the valid IAE diagnosis of the person, or makes it on
    the eligibility page, which comes back here."""
    diagnosis = eligibility_rules.last_considered_valid_diagnosis(wizard.job_seeker)
    if request.method == "POST" and diagnosis is not None:
        wizard.state["iae_done"] = True
        return wizard.redirect_to_next()
    context = {
        "diagnosis": _diagnosis_with_criteria(diagnosis, AdministrativeCriteria),
        "last_valid_day": diagnosis.expires_at - datetime.timedelta(days=1) if diagnosis else None,
        "diagnosis_url": _with_next(
            reverse("eligibility_iae_prescriber", args=[wizard.job_seeker.public_id]), wizard.url(STEP_IAE.slug)
        ),
    }
    return _render_step(request, wizard, STEP_IAE, "applications/apply/eligibility_iae.html", context)


def geiq_eligibility_step(request, wizard):
    """applications.md §13.6: an authorized prescriber applying to a GEIQ may make a GEIQ diagnosis; optional."""
    if request.method == "POST":
        wizard.state["geiq_done"] = True
        return wizard.redirect_to_next()
    diagnosis = eligibility_rules.last_valid_geiq_diagnosis(wizard.job_seeker)
    context = {
        "diagnosis": _diagnosis_with_criteria(diagnosis, GEIQAdministrativeCriteria),
        "last_valid_day": diagnosis.expires_at - datetime.timedelta(days=1) if diagnosis else None,
        "diagnosis_url": _with_next(
            reverse("eligibility_geiq_prescriber", args=[wizard.job_seeker.public_id]), wizard.url(STEP_GEIQ.slug)
        ),
    }
    return _render_step(request, wizard, STEP_GEIQ, "applications/apply/eligibility_geiq.html", context)


def _advisors(tunnel):
    """organizations.md §5.5: the active members of the sender's organization (job seekers choose none)."""
    if not tunnel.is_proxy:
        return None
    if tunnel.sender_company is not None:
        memberships = CompanyMembership.objects.active().filter(organization=tunnel.sender_company)
    else:
        memberships = PrescriberMembership.objects.active().filter(organization=tunnel.sender_prescriber_organization)
    members = [membership.user for membership in memberships.select_related("user")]
    return sorted(members, key=lambda user: (user.last_name.lower(), user.first_name.lower(), user.pk))


def message_step(request, wizard):
    """applications.md §13.7: message, resume and advisor; then `submission.submit` creates the application."""
    tunnel = wizard.tunnel
    posted = request.method == "POST"
    form = MessageForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        message_required=not tunnel.is_self_prescription,
        advisors=_advisors(tunnel),
        resume_recommended=any(job.is_resume_mandatory for job in wizard.selected_jobs),
        initial={"advisor": str(request.user.pk)},
    )
    if posted and form.is_valid():
        advisor, advisor_unknown = form.chosen_advisor()
        try:
            result = submission.submit(
                **wizard.submit_kwargs(),
                selected_jobs=wizard.selected_jobs if not wizard.state.get("spontaneous") else (),
                message=form.cleaned_data["message"],
                resume=form.cleaned_data.get("resume"),
                advisor=advisor,
                advisor_unknown=advisor_unknown,
            )
        except submission.SubmissionRefused as refusal:
            form.add_error(None, refusal.messages)
        else:
            wizard.state = {**wizard.state, "submitted": str(result.job_application.pk)}
            wizard.save()
            return redirect("apply_done", job_application_id=result.job_application.pk)
    context = {"form": form, "jobs_url": wizard.url(STEP_JOBS.slug)}
    return _render_step(request, wizard, STEP_MESSAGE, "applications/apply/message.html", context)


@dataclass(frozen=True, eq=False)
class Step:
    slug: str
    title: str
    view: object
    applies: object = staticmethod(lambda wizard: True)
    is_done: object = staticmethod(lambda wizard: False)
    # A step that never shows a page of its own unless it has something to say is not counted in the stepper.
    is_visible: object = staticmethod(lambda wizard: True)


def _has_job_seeker(wizard):
    return wizard.job_seeker is not None


def _nir_done(wizard):
    profile = job_seeker_data.job_seeker_profile_of(wizard.job_seeker)
    return bool(wizard.state.get("nir_skipped")) or bool(profile and profile.nir)


STEP_AUTHORIZATION = Step(
    "habilitation",
    "Habilitation en attente",
    authorization_step,
    applies=_authorization_pending,
    is_done=lambda wizard: bool(wizard.state.get("authorization_seen")),
)
STEP_JOB_SEEKER = Step(
    "candidat",
    "Choix du candidat",
    job_seeker_step,
    is_done=_has_job_seeker,
    is_visible=lambda wizard: wizard.tunnel.is_proxy,
)
STEP_NIR = Step(
    "numero-securite-sociale",
    "Numéro de sécurité sociale",
    nir_step,
    applies=lambda wizard: _has_job_seeker(wizard) and bool(wizard.state.get("asks_nir")),
    is_done=_nir_done,
)
STEP_DATA = Step(
    "informations",
    "Informations du candidat",
    data_step,
    applies=_has_job_seeker,
    is_done=lambda wizard: bool(wizard.state.get("data_checked")),
    is_visible=lambda wizard: False,
)
STEP_PREVIOUS = Step(
    "candidatures-precedentes",
    "Candidature déjà envoyée",
    previous_applications_step,
    applies=_has_job_seeker,
    is_done=lambda wizard: bool(wizard.state.get("previous_checked")),
    is_visible=lambda wizard: False,
)
# The jobs and message steps always come (the stepper counts them before the person is chosen).
STEP_JOBS = Step("metiers", "Choix des métiers", jobs_step, is_done=Wizard.jobs_chosen)
STEP_IAE = Step(
    "eligibilite-iae",
    "Éligibilité IAE",
    iae_eligibility_step,
    applies=_iae_step_applies,
    is_done=lambda wizard: (
        bool(wizard.state.get("iae_done"))
        and eligibility_rules.last_considered_valid_diagnosis(wizard.job_seeker) is not None
    ),
)
STEP_GEIQ = Step(
    "eligibilite-geiq",
    "Éligibilité GEIQ",
    geiq_eligibility_step,
    applies=_geiq_step_applies,
    is_done=lambda wizard: bool(wizard.state.get("geiq_done")),
)
STEP_MESSAGE = Step("message", "Message et CV", message_step)

# applications.md §13: the order of the steps.
STEPS = (
    STEP_AUTHORIZATION,
    STEP_JOB_SEEKER,
    STEP_NIR,
    STEP_DATA,
    STEP_PREVIOUS,
    STEP_JOBS,
    STEP_IAE,
    STEP_GEIQ,
    STEP_MESSAGE,
)
STEPS_BY_SLUG = {step.slug: step for step in STEPS}


# Views --------------------------------------------------------------------------------------------------------------


def _preselected_job_id(request, company):
    """`?job_description=<uid>`: an open job description of the company, preselected at the jobs step."""
    value = request.GET.get("job_description", "")
    try:
        uid = uuid.UUID(value)
    except ValueError:
        return None
    job = JobDescription.objects.active().filter(company=company, uid=uid).only("pk").first()
    return job.pk if job else None


@require_GET
def apply_start(request, company_uid):
    """applications.md §13.1: from the company card, a job description card or the search."""
    company = _company_or_404(company_uid)
    tunnel = _tunnel_or_403(request, company)
    reason = submission.start_refusal_reason(
        company=company,
        sender=request.user,
        sender_kind=tunnel.sender_kind,
        sender_company=tunnel.sender_company,
    )
    if reason:
        return _refused(request, company, reason, tunnel=tunnel)
    wizard = Wizard.start(request, company, tunnel, preselected_job_id=_preselected_job_id(request, company))
    return redirect(wizard.next_url())


@require_http_methods(["GET", "POST"])
def apply_step(request, company_uid, session_id, step):
    company = _company_or_404(company_uid)
    tunnel = _tunnel_or_403(request, company)
    current = STEPS_BY_SLUG.get(step)
    if current is None:
        raise Http404("Étape inconnue.")
    wizard = Wizard.load(request, company, tunnel, session_id)
    if wizard is None:
        messages.info(request, STALE_WIZARD)
        return redirect("apply_start", company_uid=company.uid)
    if wizard.state.get("submitted"):
        # applications.md §18.10: the form posted again (back button, double click) shows the application sent.
        return redirect("apply_done", job_application_id=wizard.state["submitted"])
    if wizard.state.get("job_seeker") and wizard.job_seeker is None:
        # The person's account was deleted meanwhile: choose again.
        wizard.state["job_seeker"] = ""
    applicable = wizard.applicable_steps()
    pending = wizard.first_pending_step()
    if current not in applicable or applicable.index(pending) < applicable.index(current):
        return redirect(wizard.url(pending.slug))
    return current.view(request, wizard)


def _list_link(job_application, is_proxy):
    """Where the sender finds the application afterwards (applications.md §14)."""
    if not is_proxy:
        name, label = "applications_job_seeker", "Voir mes candidatures"
    elif job_application.sender_company_id == job_application.to_company_id:
        name, label = "applications_received", "Voir les candidatures reçues"
    else:
        name, label = "applications_sent", "Voir les candidatures envoyées"
    return {"list_url": _reverse_or_empty(name), "list_label": label}


@require_GET
def apply_done(request, job_application_id):
    """applications.md §13.8: the end page; proxies allowed to edit may complete the person's address and phone."""
    require(perms.can_apply(request.user, request.current_organization), NOT_ALLOWED)
    job_application = get_object_or_404(
        JobApplication.objects.select_related("to_company", "job_seeker"), pk=job_application_id
    )
    require_visible(perms.can_see_sent_confirmation(request.user, job_application), "Candidature introuvable.")
    job_seeker = job_application.job_seeker
    is_proxy = job_application.sender_kind != SenderKind.JOB_SEEKER
    complete_url = ""
    may_edit = can_edit_personal_information(request.user, job_seeker, organization=request.current_organization)
    if is_proxy and may_edit:
        done_url = reverse("apply_done", args=[job_application.pk])
        complete_url = _with_next(reverse("job_seeker_complete", args=[job_seeker.public_id]), done_url)
    is_self_prescription = job_application.sender_company_id == job_application.to_company_id
    context = {
        "title": "Candidature enregistrée" if is_self_prescription else "Candidature envoyée",
        "job_application": job_application,
        "company": job_application.to_company,
        "job_seeker_name": display_name_for(request.user, job_seeker, organization=request.current_organization),
        "is_proxy": is_proxy,
        "is_self_prescription": is_self_prescription,
        "complete_url": complete_url,
        "lacks_contact": job_seeker_data.lacks_contact_data(job_seeker),
        **_list_link(job_application, is_proxy),
        "search_url": reverse("search_companies"),
    }
    return render(request, "applications/apply/done.html", context)
