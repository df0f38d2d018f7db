"""The hiring screens (applications.md §6, §8, §13 "Direct hire"; pass_iae.md §5, §6, §10).

- `application_accept`: the accept wizard (§8.4). One URL; the step follows from what is known: missing job seeker
  data (sent to `job_seeker_complete`), then the contract, then the eligibility (IAE diagnosis the SIAE must make,
  optional GEIQ diagnosis), then the confirmation. The wizard's state lives in the session under a random id (`?w=`),
  so that two tabs never mix their contracts; the contract is bound again at every step, so that its rules (dates
  against today, the PASS end) still hold at the confirmation.
- `direct_hire_start`: "Déclarer une embauche". Finds the person, checks the guards and the previous applications,
  then creates the application (`submission.submit`, sender: the employer for its own company) and continues in the
  accept wizard, which knows it is a direct hire (`process` then `accept`, assignment `HIRE`). The application exists
  from the contract step on because the employer's IAE diagnosis is made on an application (eligibility views).
- `application_cancel`, `application_contract_edit`.

Who may act comes from `perms.py`; what is allowed from `hiring.py`, `transitions.py` and the PASS rules.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from inclusion.applications import hiring, perms, transitions
from inclusion.applications.enums import ApprovalDeliveryMode, JobApplicationState, SenderKind
from inclusion.applications.forms_hiring import NEW_JOB, ContractEditForm, HiringContractForm
from inclusion.applications.hiring import EligibilityStep
from inclusion.applications.models import JobApplication
from inclusion.applications.submission import SubmissionRefused, submit
from inclusion.approvals.rules import ApprovalError, can_get_automatic_approval, hiring_dates_edit, valid_approval
from inclusion.companies.enums import SIAE_KINDS, CompanyKind
from inclusion.eligibility.rules import last_considered_valid_diagnosis, last_valid_geiq_diagnosis
from inclusion.organizations.enums import Role
from inclusion.organizations.perms import acts_as
from inclusion.users.job_seeker_data import job_seeker_profile_of, missing_job_seeker_data, needs_check
from inclusion.users.models import User
from inclusion.users.perms import can_view_personal_information
from inclusion.utils.access import require
from inclusion.utils.french import de

NOT_AN_EMPLOYER = "Cette page est réservée à la structure qui a reçu la candidature."
NO_DIRECT_HIRE = (
    "La déclaration d'embauche est réservée aux SIAE et aux GEIQ. Les EA, EATT et structures porteuses de clauses "
    "sociales embauchent en acceptant une candidature."
)
ALREADY_ACCEPTED = "Cette candidature a déjà été acceptée : l'embauche est enregistrée."
ALREADY_CANCELLED = "Cette embauche est déjà annulée."
SANCTIONED_NO_DIAGNOSIS = (
    "À la suite du contrôle a posteriori, votre structure ne peut plus valider elle-même l'éligibilité IAE. Ce "
    "candidat n'a ni diagnostic d'éligibilité valide établi par un prescripteur habilité, ni PASS IAE valide : son "
    "embauche n'est pas possible pour le moment. Orientez-le vers un prescripteur habilité (France Travail, Mission "
    "locale, Cap emploi…)."
)
CONTRACT_NO_LONGER_VALID = (
    "Les informations du contrat ne sont plus valables (la date a peut-être changé depuis votre saisie) : "
    "vérifiez-les avant de confirmer."
)

# The wizards of one session, by random id (at most MAX_WIZARDS: the oldest ones are forgotten).
WIZARDS_SESSION_KEY = "hiring_wizards"
MAX_WIZARDS = 10


class WizardStore:
    """The hiring wizards of a session: {id: {"kind", "object", ...data}}. An unknown, foreign or malformed id reads
    as a new, empty wizard: the person starts again from the first step."""

    def __init__(self, request):
        self.session = request.session

    def _all(self):
        return self.session.get(WIZARDS_SESSION_KEY, {})

    def load(self, wizard_id, *, kind, object_id):
        """(id, data) of the wizard `wizard_id`. An id not stored yet (the first page is not saved) starts empty; a
        malformed id, or one of another wizard of this session, gets a new id."""
        if not self._is_well_formed(wizard_id):
            return uuid.uuid4().hex, {}
        data = self._all().get(wizard_id)
        if data is None:
            return wizard_id, {}
        if data.get("kind") == kind and data.get("object") == object_id:
            return wizard_id, {key: value for key, value in data.items() if key not in ("kind", "object")}
        return uuid.uuid4().hex, {}

    @staticmethod
    def _is_well_formed(wizard_id):
        try:
            return wizard_id is not None and uuid.UUID(hex=wizard_id).hex == wizard_id
        except ValueError:
            return False

    def save(self, wizard_id, *, kind, object_id, data):
        wizards = {key: value for key, value in self._all().items() if key != wizard_id}
        wizards[wizard_id] = {**data, "kind": kind, "object": object_id}
        while len(wizards) > MAX_WIZARDS:
            wizards.pop(next(iter(wizards)))
        self.session[WIZARDS_SESSION_KEY] = wizards

    def delete(self, wizard_id):
        wizards = self._all()
        if wizard_id in wizards:
            self.session[WIZARDS_SESSION_KEY] = {key: value for key, value in wizards.items() if key != wizard_id}


# --- Shared helpers


def _received_application(request, job_application_id):
    """The application received by the company the employer acts for: another role gets a 403, another company's
    employer a 404 (it must not learn that the application exists)."""
    company = request.current_organization
    require(acts_as(request.user, company, Role.EMPLOYER), NOT_AN_EMPLOYER)
    job_application = get_object_or_404(
        perms.received_by(company).select_related(
            "job_seeker",
            "job_seeker__jobseeker_profile",
            "to_company",
            "sender_prescriber_organization",
            "approval",
        ),
        id=job_application_id,
    )
    require(perms.can_process(request.user, job_application, organization=company), NOT_AN_EMPLOYER)
    return job_application


def _with_query(url, **params):
    return f"{url}?{urlencode(params)}" if params else url


def detail_url(job_application):
    """The employer's detail page of the application (processing screens)."""
    return reverse("application_detail_company", args=[job_application.pk])


def _complete_url(job_seeker, next_url):
    """applications.md §8.4 step 1, §13.3: the job seekers' page that fills the missing data, back to `next_url`."""
    return _with_query(reverse("job_seeker_complete", args=[job_seeker.public_id]), next=next_url)


def _blocked(request, *, title, reason, back_url, job_application=None):
    """A hiring the rules refuse (waiting period, suspension, sanction): a 403 that says why."""
    context = {"title": title, "reason": reason, "back_url": back_url, "job_application": job_application}
    return render(request, "applications/hiring/blocked.html", context, status=403)


def _job_seeker_facts(request, job_seeker):
    """The person's data the wizard shows for checking (applications.md §8.4, §16: only to whom may see it)."""
    if not can_view_personal_information(request.user, job_seeker, organization=request.current_organization):
        return None
    return {"profile": job_seeker_profile_of(job_seeker), "needs_check": needs_check(job_seeker)}


# --- The accept wizard (applications.md §8.4)

CONTRACT, ELIGIBILITY, CONFIRMATION = "contrat", "eligibilite", "confirmation"
STEP_TITLES = {
    "candidat": "Candidat",
    CONTRACT: "Contrat de travail",
    ELIGIBILITY: "Éligibilité",
    CONFIRMATION: "Confirmation",
}


def accept_url(job_application, wizard_id, **params):
    return _with_query(reverse("application_accept", args=[job_application.pk]), w=wizard_id, **params)


class AcceptWizard:
    """One accept wizard: `state` holds the posted contract, whether the optional GEIQ step was passed, whether it is
    a direct hire, and whether the eligibility step was part of the journey (for the stepper)."""

    KIND = "accept"

    def __init__(self, request, job_application, store):
        self.request = request
        self.job_application = job_application
        self.company = job_application.to_company
        self.job_seeker = job_application.job_seeker
        self.store = store
        self.wizard_id, self.state = store.load(
            request.GET.get("w"), kind=self.KIND, object_id=str(job_application.pk)
        )

    @property
    def url(self):
        return accept_url(self.job_application, self.wizard_id)

    def save(self):
        self.store.save(self.wizard_id, kind=self.KIND, object_id=str(self.job_application.pk), data=self.state)

    def contract_form(self, data=None):
        return HiringContractForm(data, job_application=self.job_application, user=self.request.user)

    # Steps

    def eligibility(self):
        return hiring.eligibility_step(self.job_application)

    def current_step(self, eligibility):
        if "contract" not in self.state or self.request.GET.get("etape") == CONTRACT:
            return CONTRACT
        if eligibility in (EligibilityStep.IAE_DIAGNOSIS_REQUIRED, EligibilityStep.IAE_SANCTIONED):
            return ELIGIBILITY
        if eligibility == EligibilityStep.GEIQ_OPTIONAL and not self.state.get("geiq_done"):
            return ELIGIBILITY
        return CONFIRMATION

    def steps(self, eligibility):
        with_eligibility = self.state.get("with_eligibility", eligibility != EligibilityStep.NONE)
        steps = ["candidat"] if self.state.get("direct_hire") else []
        steps += [CONTRACT, *([ELIGIBILITY] if with_eligibility else []), CONFIRMATION]
        return steps

    def render(self, step, eligibility, context, status=200):
        steps = self.steps(eligibility)
        number = steps.index(step) + 1
        next_title = STEP_TITLES[steps[number]] if number < len(steps) else ""
        direct_hire = self.state.get("direct_hire", False)
        name = self.job_seeker.get_full_name()
        context = {
            "title": f"Déclarer l'embauche {de(name)}" if direct_hire else f"Accepter la candidature {de(name)}",
            "job_application": self.job_application,
            "job_seeker": self.job_seeker,
            "company": self.company,
            "direct_hire": direct_hire,
            "wizard_url": self.url,
            "contract_url": accept_url(self.job_application, self.wizard_id, etape=CONTRACT),
            "cancel_url": detail_url(self.job_application),
            "stepper": {"title": STEP_TITLES[step], "step": number, "steps": len(steps), "next_title": next_title},
            **context,
        }
        template = {CONTRACT: "contract", ELIGIBILITY: "eligibility", CONFIRMATION: "confirmation"}[step]
        return render(self.request, f"applications/hiring/accept_{template}.html", context, status=status)

    def render_contract(self, form, eligibility):
        return self.render(CONTRACT, eligibility, {"form": form, "new_job_value": NEW_JOB})

    def render_eligibility(self, eligibility):
        if eligibility == EligibilityStep.IAE_SANCTIONED:
            return _blocked(
                self.request,
                title="Auto-prescription suspendue",
                reason=SANCTIONED_NO_DIAGNOSIS,
                back_url=detail_url(self.job_application),
                job_application=self.job_application,
            )
        next_param = urlencode({"next": self.url})
        if eligibility == EligibilityStep.GEIQ_OPTIONAL:
            diagnosis_url = reverse("eligibility_geiq_employer", args=[self.job_application.pk])
            current = last_valid_geiq_diagnosis(self.job_seeker, for_geiq=self.company)
        else:
            diagnosis_url = reverse("eligibility_iae_employer", args=[self.job_application.pk])
            current = None
        context = {
            "eligibility": eligibility.value,
            "diagnosis_url": f"{diagnosis_url}?{next_param}",
            "geiq_diagnosis": current,
        }
        return self.render(ELIGIBILITY, eligibility, context)

    def render_confirmation(self, form, eligibility, errors=()):
        company, job_seeker = self.company, self.job_seeker
        context = {
            "form": form,
            "contract_lines": contract_lines(form),
            "answer": form.cleaned_data.get("answer", "").strip(),
            "facts": _job_seeker_facts(self.request, job_seeker),
            "errors": errors,
            "is_siae": company.kind in SIAE_KINDS,
            "is_geiq": company.kind == CompanyKind.GEIQ,
        }
        if company.kind in SIAE_KINDS:
            context["approval"] = valid_approval(job_seeker)
            context["automatic_approval"] = can_get_automatic_approval(job_seeker)
            context["diagnosis"] = last_considered_valid_diagnosis(job_seeker, for_siae=company)
        elif company.kind == CompanyKind.GEIQ:
            context["geiq_diagnosis"] = last_valid_geiq_diagnosis(job_seeker, for_geiq=company)
            diagnosis_url = reverse("eligibility_geiq_employer", args=[self.job_application.pk])
            context["geiq_diagnosis_url"] = _with_query(diagnosis_url, next=self.url)
        return self.render(CONFIRMATION, eligibility, context, status=400 if errors else 200)

    # Requests

    def get(self):
        eligibility = self.eligibility()
        step = self.current_step(eligibility)
        if step == CONTRACT:
            return self.render_contract(self.contract_form(self.state.get("contract")), eligibility)
        if step == ELIGIBILITY:
            return self.render_eligibility(eligibility)
        form = self.contract_form(self.state["contract"])
        if not form.is_valid():
            messages.warning(self.request, CONTRACT_NO_LONGER_VALID)
            return self.render_contract(form, eligibility)
        # The employer decides on what this page shows: the confirmation is refused if the state changes meanwhile.
        self.state["seen_state"] = self.job_application.state
        self.save()
        return self.render_confirmation(form, eligibility)

    def post(self):
        action = self.request.POST.get("action")
        if action == "contract":
            form = self.contract_form(self.request.POST)
            if not form.is_valid():
                return self.render_contract(form, self.eligibility())
            self.state["contract"] = form.stored_data()
            self.state["seen_state"] = self.job_application.state
            # Once shown in the stepper, the eligibility step stays there (the count never shrinks on the way).
            self.state["with_eligibility"] = (
                self.state.get("with_eligibility", False) or self.eligibility() != EligibilityStep.NONE
            )
            self.save()
        elif action == "geiq_continue":
            self.state["geiq_done"] = True
            self.save()
        elif action == "confirm":
            return self.confirm()
        return redirect(self.url)

    def confirm(self):
        eligibility = self.eligibility()
        if self.current_step(eligibility) != CONFIRMATION:
            return redirect(self.url)  # a step is missing (e.g. the diagnosis expired meanwhile): show it
        form = self.contract_form(self.state["contract"])
        if not form.is_valid():
            messages.warning(self.request, CONTRACT_NO_LONGER_VALID)
            return self.render_contract(form, eligibility)
        job_application = self.job_application
        had_approval = job_application.to_company.kind in SIAE_KINDS and valid_approval(self.job_seeker) is not None
        try:
            hiring.hire(
                job_application,
                user=self.request.user,
                contract=form.contract(),
                direct_hire=self.state.get("direct_hire", False),
                expected_state=self.state.get("seen_state"),
            )
        except transitions.TransitionError as error:
            if job_application.is_accepted:  # a second click, or a colleague, accepted it meanwhile
                return self.already_accepted()
            return self.render_confirmation(form, eligibility, errors=error.messages)
        except ValidationError as error:  # ApprovalError included: the PASS rules' French message
            return self.render_confirmation(form, eligibility, errors=error.messages)
        self.store.delete(self.wizard_id)
        messages.success(self.request, success_message(job_application, reused=had_approval))
        return redirect(detail_url(job_application))

    def already_accepted(self):
        self.store.delete(self.wizard_id)
        messages.info(self.request, ALREADY_ACCEPTED)
        return redirect(detail_url(self.job_application))


def _job_label(job):
    label = HiringContractForm.job_label(job)
    return label if job.is_active else f"{label} (recrutement fermé)"


def _choice_label(field, value):
    return dict(field.choices).get(value, value)


def contract_lines(form):
    """[(label, value)] of the contract the confirmation page summarises (applications.md §8.4)."""
    data = form.cleaned_data
    end = data.get("hiring_end_at")
    if data["job_description"] is not None:
        job = _job_label(data["job_description"])
    elif data["new_job_appellation"] is not None:
        job = f"Nouveau poste : {data['new_job_appellation'].name} — {data['new_job_location']}"
    else:
        job = "Non précisé"
    lines = [
        ("Date de début du contrat", f"{data['hiring_start_at']:%d/%m/%Y}"),
        ("Date prévisionnelle de fin du contrat", f"{end:%d/%m/%Y}" if end else "Non précisée"),
        ("Poste retenu", job),
    ]
    for name, value in (data["geiq_contract"] or {}).items():
        field = form.fields[name]
        if name == "geiq_contract_type_details" and not value:
            continue
        if isinstance(value, bool):
            value = "Oui" if value else "Non"
        elif getattr(field, "choices", None):
            value = _choice_label(field, value)
        lines.append((field.label, value))
    advisor = data["advisor_user"]
    lines.append(
        ("Conseiller qui suit la personne", advisor.get_full_name() if advisor else "Conseiller non référencé")
    )
    return lines


def success_message(job_application, *, reused):
    """What the employer reads after the hiring: the dates, and the PASS IAE number when one is attached."""
    name = job_application.job_seeker.get_full_name()
    message = f"L'embauche {de(name)} est enregistrée à partir du {job_application.hiring_start_at:%d/%m/%Y}."
    approval = job_application.approval
    if approval is not None:
        verb = "repris" if reused else "délivré"
        message += (
            f" PASS IAE n° {approval.number_with_spaces} {verb} : il est valable du {approval.start_at:%d/%m/%Y} "
            f"au {approval.end_at:%d/%m/%Y}."
        )
    elif job_application.approval_delivery_mode == ApprovalDeliveryMode.MANUAL:
        message += (
            " Le PASS IAE sera délivré par le support après vérification des informations du candidat : vous "
            "recevrez un e-mail."
        )
    return message


@require_http_methods(["GET", "POST"])
def application_accept(request, job_application_id):
    """applications.md §8.4: missing data → contract → eligibility → confirmation, from the company that received
    the application, as current organization. The waiting period is checked at the start and at every step."""
    job_application = _received_application(request, job_application_id)
    wizard = AcceptWizard(request, job_application, WizardStore(request))
    if job_application.is_accepted:
        return wizard.already_accepted()
    if reason := hiring.hiring_block_reason(job_application):
        return _blocked(
            request,
            title="Embauche impossible",
            reason=reason,
            back_url=detail_url(job_application),
            job_application=job_application,
        )
    if missing_job_seeker_data(job_application.job_seeker):
        return redirect(_complete_url(job_application.job_seeker, wizard.url))
    if request.method == "POST":
        return wizard.post()
    return wizard.get()


# --- Cancellation (pass_iae.md §10)


@require_http_methods(["GET", "POST"])
def application_cancel(request, job_application_id):
    """ "Annuler l'embauche": a confirmation page, then `transitions.cancel` (refused for the AI stock)."""
    job_application = _received_application(request, job_application_id)
    if job_application.state == JobApplicationState.CANCELLED:
        messages.info(request, ALREADY_CANCELLED)
        return redirect(detail_url(job_application))
    reason = transitions.cancel_refusal_reason(job_application)
    deletes_approval = reason is None and transitions.cancel_deletes_approval(job_application)
    if request.method == "POST" and reason is None:
        approval = job_application.approval
        try:
            transitions.cancel(job_application, user=request.user)
        except transitions.TransitionError as error:
            job_application.refresh_from_db()
            if job_application.state == JobApplicationState.CANCELLED:
                messages.info(request, ALREADY_CANCELLED)
                return redirect(detail_url(job_application))
            reason = error.messages[0]
        else:
            message = f"L'embauche {de(job_application.job_seeker.get_full_name())} est annulée."
            if deletes_approval:
                message += f" Le PASS IAE n° {approval.number_with_spaces} est supprimé."
            messages.success(request, message)
            return redirect(detail_url(job_application))
    context = {
        "title": f"Annuler l'embauche {de(job_application.job_seeker.get_full_name())}",
        "job_application": job_application,
        "reason": reason,
        "deletes_approval": deletes_approval,
        "back_url": detail_url(job_application),
    }
    return render(
        request, "applications/hiring/cancel.html", context, status=400 if reason and request.method == "POST" else 200
    )


# --- Later edit of the contract dates (applications.md §8.3)


@require_http_methods(["GET", "POST"])
def application_contract_edit(request, job_application_id):
    """applications.md §8.3 (**Reference differs**: 403 unless the application is accepted); `hiring_dates_edit`
    saves and moves a PASS that has not started with the hiring."""
    job_application = _received_application(request, job_application_id)
    require(perms.contract_dates_editable(job_application), "Seules les dates d'une embauche acceptée se modifient.")
    started = hiring.contract_has_started(job_application)
    form = None
    if not started:
        form = ContractEditForm(request.POST if request.method == "POST" else None, job_application=job_application)
        if request.method == "POST" and form.is_valid():
            try:
                hiring_dates_edit(
                    job_application=job_application,
                    hiring_start_at=form.cleaned_data["hiring_start_at"],
                    hiring_end_at=form.cleaned_data["hiring_end_at"],
                    by_user=request.user,
                )
            except ApprovalError as error:
                form.add_error(None, error.messages)
            else:
                message = f"Les dates du contrat {de(job_application.job_seeker.get_full_name())} sont modifiées."
                approval = job_application.approval
                if approval is not None:
                    message += (
                        f" PASS IAE n° {approval.number_with_spaces} : du {approval.start_at:%d/%m/%Y} au "
                        f"{approval.end_at:%d/%m/%Y}."
                    )
                messages.success(request, message)
                return redirect(detail_url(job_application))
    context = {
        "title": f"Modifier les dates du contrat {de(job_application.job_seeker.get_full_name())}",
        "job_application": job_application,
        "form": form,
        "started": started,
        "back_url": detail_url(job_application),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "applications/hiring/contract_edit.html", context, status=status)


# --- Direct hire (applications.md §13 "Direct hire")

DIRECT_HIRE_KIND = "direct_hire"


def _direct_hire_url(wizard_id):
    return _with_query(reverse("direct_hire_start"), w=wizard_id)


def _job_seeker_from_query(value):
    """The job seeker `job_seeker_find` sends back (`?job_seeker=<public_id>`); 404 for anything else."""
    try:
        public_id = uuid.UUID(value)
    except ValueError:
        public_id = None
    return get_object_or_404(User.objects.job_seekers(), public_id=public_id)


def _start_accept_wizard(request, store, job_application):
    """The direct hire continues in the accept wizard, which knows it is one (process + accept, assignment HIRE)."""
    wizard_id = uuid.uuid4().hex
    # The declaration announced four steps (candidate, contract, eligibility, confirmation): the stepper keeps them.
    data = {"direct_hire": True, "with_eligibility": True}
    store.save(wizard_id, kind=AcceptWizard.KIND, object_id=str(job_application.pk), data=data)
    return wizard_id


@require_http_methods(["GET", "POST"])
def direct_hire_start(request):
    """ "Déclarer une embauche" (SIAE and GEIQ employers, current company): find or create the person, check the
    guards, the data and the previous applications, then create the application and go on to the contract."""
    company = request.current_organization
    require(perms.can_declare_direct_hire(request.user, company), NO_DIRECT_HIRE)
    store = WizardStore(request)
    wizard_id, state = store.load(request.GET.get("w"), kind=DIRECT_HIRE_KIND, object_id=str(company.pk))
    here = _direct_hire_url(wizard_id)

    def save():
        store.save(wizard_id, kind=DIRECT_HIRE_KIND, object_id=str(company.pk), data=state)

    if "job_seeker" in request.GET:  # back from `job_seeker_find`
        state = {"job_seeker": str(_job_seeker_from_query(request.GET["job_seeker"]).public_id)}
        save()
        return redirect(here)
    job_seeker = None
    if state.get("job_seeker"):
        job_seeker = (
            User.objects.job_seekers()
            .select_related("jobseeker_profile")
            .filter(public_id=state["job_seeker"])
            .first()
        )
    context = {"title": "Déclarer une embauche", "company": company, "wizard_url": here}
    if job_seeker is None:
        find_url = _with_query(reverse("job_seeker_find"), next=here)
        return render(request, "applications/hiring/direct_hire_start.html", {**context, "find_url": find_url})

    # Already created (a second click, or back from the contract): the declaration goes on in the accept wizard;
    # once the hiring is saved, this declaration is over and a new one starts.
    created = JobApplication.objects.filter(pk=state.get("application"), to_company=company).first()
    if created is not None:
        if created.is_accepted:
            store.delete(wizard_id)
            return redirect("direct_hire_start")
        return redirect(accept_url(created, state["accept_wizard"]))

    context |= {"job_seeker": job_seeker, "restart_url": _with_query(reverse("job_seeker_find"), next=here)}
    if reason := hiring.direct_hire_refusal_reason(job_seeker=job_seeker, company=company, employer=request.user):
        return render(request, "applications/hiring/direct_hire_refused.html", {**context, "reason": reason})
    if missing_job_seeker_data(job_seeker):
        return redirect(_complete_url(job_seeker, here))

    previous = list(hiring.direct_hire_previous_applications(job_seeker=job_seeker, company=company))
    error = ""
    if request.method == "POST":
        if previous and not request.POST.get("previous_confirmed"):
            error = "Confirmez que vous avez pris connaissance des candidatures précédentes de ce candidat."
        else:
            try:
                submission = submit(
                    job_seeker=job_seeker,
                    company=company,
                    sender=request.user,
                    sender_kind=SenderKind.EMPLOYER,
                    sender_company=company,
                    direct_hire=True,
                )
            except SubmissionRefused as refusal:
                return render(
                    request,
                    "applications/hiring/direct_hire_refused.html",
                    {**context, "reason": refusal.messages[0]},
                )
            job_application = submission.job_application
            state["application"] = str(job_application.pk)
            state["accept_wizard"] = _start_accept_wizard(request, store, job_application)
            save()
            return redirect(accept_url(job_application, state["accept_wizard"]))
    context |= {
        "facts": _job_seeker_facts(request, job_seeker),
        "previous": previous,
        "previous_error": error,
        "previous_with_urls": [
            (application, application.sender_kind_label, detail_url(application)) for application in previous
        ],
    }
    return render(request, "applications/hiring/direct_hire_job_seeker.html", context, status=400 if error else 200)
