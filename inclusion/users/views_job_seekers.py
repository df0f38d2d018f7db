"""Job seeker pages: the proxy's search-or-create flow (organizations.md §5.2), the "completer" step of the
application and accept wizards (applications.md §8.4, §13.3) and the job seeker's own profile (organizations.md §1.2).

Who may act comes from `inclusion.users.perms`; what is missing, the duplicates and the writes from
`inclusion.users.job_seeker_data`. The search-or-create flow keeps its state in the session, under a random id that
the URLs carry, so that two tabs searching for two people never mix.
"""

import uuid
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from inclusion.users import job_seeker_data, perms, validators
from inclusion.users.display import display_name_for
from inclusion.users.enums import Title
from inclusion.users.forms import birth_place_initial
from inclusion.users.forms_job_seekers import (
    PROFILE_FIELDS,
    USER_FIELDS,
    AddressForm,
    EmailSearchForm,
    IdentityForm,
    JobSeekerCompleteForm,
    JobSeekerProfileForm,
    NIRSearchForm,
    SituationForm,
)
from inclusion.users.models import JobSeekerProfile, User
from inclusion.utils.access import require
from inclusion.utils.french import de
from inclusion.utils.next_url import safe_next_url

NOT_A_FINDER = (
    "Seuls les employeurs et les prescripteurs peuvent rechercher ou créer le compte d'un candidat "
    "(changez d'organisation si vous en avez plusieurs)."
)
NOT_AN_EDITOR = "Vous ne pouvez pas modifier les informations personnelles de ce candidat."
JOB_SEEKERS_ONLY = "Cette page est réservée aux candidats."
FLOW_EXPIRED = "Cette recherche est terminée ou a expiré : recommencez-la."
NIR_NOT_A_JOB_SEEKER = "Ce numéro de sécurité sociale n'est pas celui d'un compte candidat : contactez le support."
INACTIVE_ACCOUNT = (
    "Ce compte candidat est désactivé : il ne peut pas être utilisé. Contactez le support pour le réactiver."
)
PROFESSIONAL_EMAIL = (
    "Cette adresse e-mail appartient à un compte professionnel : elle ne peut pas être celle d'un candidat. "
    "Saisissez l'adresse personnelle de la personne."
)
# How many unfinished searches a session keeps (the oldest is forgotten beyond).
MAX_FIND_STATES = 10


# The `next` URL ---------------------------------------------------------------------------------------------------


def _safe_next(request):
    """The `next` of the request if it is a local URL of this site, else ""."""
    return safe_next_url(request) or ""


def with_job_seeker(url, public_id):
    """`url` with `job_seeker=<public_id>` in its query string (replacing any former one)."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != "job_seeker"]
    query.append(("job_seeker", str(public_id)))
    return urlunsplit(parts._replace(query=urlencode(query)))


# The state of one search --------------------------------------------------------------------------------------------


class FindState:
    """One search-or-create flow, stored in the session under `job_seeker_find:<id>`.

    nir: a valid NIR that no account holds (kept for the creation); nir_attempted: an invalid NIR was typed (both
    open the e-mail search, organizations.md §5.2); email / email_searched: the e-mail search was done (the address
    is kept for the creation, "" when the person has none); found / found_by: the account found and how; steps: the
    posted data of each creation step, validated again on the summary.
    """

    PREFIX = "job_seeker_find:"

    def __init__(self, request, state_id, data):
        self.request = request
        self.id = state_id
        self.data = data

    @classmethod
    def create(cls, request, next_url):
        cls._forget_oldest(request)
        state = cls(request, str(uuid.uuid4()), {"next": next_url, "steps": {}, "order": cls._counter(request)})
        state.save()
        return state

    @classmethod
    def load(cls, request, state_id):
        data = request.session.get(f"{cls.PREFIX}{state_id}")
        return cls(request, str(state_id), data) if data is not None else None

    @classmethod
    def _keys(cls, request):
        return [key for key in request.session.keys() if key.startswith(cls.PREFIX)]

    @classmethod
    def _counter(cls, request):
        return max((request.session[key].get("order", 0) for key in cls._keys(request)), default=0) + 1

    @classmethod
    def _forget_oldest(cls, request):
        keys = sorted(cls._keys(request), key=lambda key: request.session[key].get("order", 0))
        for key in keys[: max(0, len(keys) - MAX_FIND_STATES + 1)]:
            del request.session[key]

    def save(self):
        self.request.session[f"{self.PREFIX}{self.id}"] = self.data

    def delete(self):
        self.request.session.pop(f"{self.PREFIX}{self.id}", None)

    def get(self, name, default=None):
        return self.data.get(name, default)

    def __getitem__(self, name):
        # Templates read the state as a dictionary ({{ state.nir }}).
        return self.data[name]

    def update(self, **values):
        self.data.update(values)
        self.save()

    def set_step(self, step, posted):
        self.data["steps"][step] = {
            key: value for key, value in posted.items() if key not in ("csrfmiddlewaretoken", "next", "action")
        }
        self.save()

    def step_data(self, step):
        return self.data["steps"].get(step)

    @property
    def email_search_allowed(self):
        return bool(self.get("nir") or self.get("nir_attempted"))

    def url(self, step):
        return reverse("job_seeker_find_step", args=[self.id, step])

    @property
    def next_url(self):
        return self.get("next") or ""


# The search-or-create flow (organizations.md §5.2) ----------------------------------------------------------------


def _require_finder(request):
    require(perms.can_find_or_create_job_seeker(request.user, organization=request.current_organization), NOT_A_FINDER)


@require_http_methods(["GET", "POST"])
def job_seeker_find(request):
    """The first step, NIR search. The flow's state starts with the first posted NIR."""
    _require_finder(request)
    if request.method == "POST":
        return _nir_step(request, FindState.create(request, _safe_next(request)))
    context = {"form": NIRSearchForm(), "state": None, "action_url": request.path, "next_url": _safe_next(request)}
    return render(request, "job_seekers/find_nir.html", _page(context, "Rechercher un candidat"))


@require_http_methods(["GET", "POST"])
def job_seeker_find_step(request, state_id, step):
    _require_finder(request)
    handler = STEP_HANDLERS.get(step)
    if handler is None:
        raise Http404("Étape inconnue.")
    state = FindState.load(request, state_id)
    if state is None:
        messages.info(request, FLOW_EXPIRED)
        return redirect("job_seeker_find")
    return handler(request, state)


def _page(context, title):
    return {"title": title, "dashboard_url": reverse("dashboard"), **context}


def _nir_step(request, state):
    form = NIRSearchForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            nir = form.cleaned_data["nir"]
            holder = job_seeker_data.nir_holder(nir)
            if holder is None:
                state.update(nir=nir, found="", found_by="")
                return redirect(state.url("email"))
            if not holder.is_job_seeker:
                form.add_error("nir", NIR_NOT_A_JOB_SEEKER)
            elif not holder.is_active:
                form.add_error("nir", INACTIVE_ACCOUNT)
            else:
                state.update(found=str(holder.public_id), found_by="nir")
                return redirect(state.url("confirmer"))
        else:
            # organizations.md §5.2: one invalid attempt opens the e-mail search (the person may have no NIR).
            state.update(nir="", nir_attempted=True)
    context = {"form": form, "state": state, "action_url": state.url("nir"), "next_url": state.next_url}
    return render(request, "job_seekers/find_nir.html", _page(context, "Rechercher un candidat"))


def _email_step(request, state):
    if not state.email_search_allowed:
        return redirect(state.url("nir"))
    form = EmailSearchForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.POST.get("action") == "no_email":
        state.update(email="", email_searched=True, found="", found_by="")
        return redirect(state.url("identite"))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        account = User.objects.filter(email=email).first()
        if account is None:
            state.update(email=email, email_searched=True, found="", found_by="")
            return redirect(state.url("identite"))
        if not account.is_job_seeker:
            form.add_error("email", PROFESSIONAL_EMAIL)
        elif not account.is_active:
            form.add_error("email", INACTIVE_ACCOUNT)
        else:
            state.update(found=str(account.public_id), found_by="email")
            return redirect(state.url("confirmer"))
    context = {"form": form, "state": state, "next_url": state.next_url}
    return render(request, "job_seekers/find_email.html", _page(context, "Rechercher un candidat par e-mail"))


def _found_job_seeker(state):
    return (
        User.objects.job_seekers()
        .filter(public_id=state.get("found"), is_active=True)
        .select_related("jobseeker_profile")
        .first()
    )


def _may_attach_nir(request, state, job_seeker):
    """organizations.md §5.2: found by e-mail, without NIR, the typed NIR free, the viewer allowed."""
    profile = job_seeker_data.job_seeker_profile_of(job_seeker)
    return (
        state.get("found_by") == "email"
        and bool(state.get("nir"))
        and not (profile and profile.nir)
        and perms.can_attach_nir(request.user, job_seeker, organization=request.current_organization)
        and job_seeker_data.nir_holder(state.get("nir")) is None
    )


def _confirm_step(request, state):
    job_seeker = _found_job_seeker(state) if state.get("found") else None
    if job_seeker is None:
        return redirect(state.url("nir"))
    organization = request.current_organization
    may_attach_nir = _may_attach_nir(request, state, job_seeker)
    name = display_name_for(request.user, job_seeker, organization=organization)
    if request.method == "POST":
        if may_attach_nir and request.POST.get("attach_nir"):
            try:
                job_seeker_data.attach_nir(job_seeker, state.get("nir"))
            except job_seeker_data.NIRAlreadyUsed as error:
                messages.error(request, error.message)
                return redirect(state.url("confirmer"))
            messages.success(request, f"Le numéro de sécurité sociale est enregistré sur le compte {de(name)}.")
        return _finish(request, state, job_seeker)
    context = {
        "state": state,
        "job_seeker": job_seeker,
        "name": name,
        "can_view": perms.can_view_personal_information(request.user, job_seeker, organization=organization),
        "profile": job_seeker_data.job_seeker_profile_of(job_seeker),
        "may_attach_nir": may_attach_nir,
        "next_url": state.next_url,
    }
    return render(request, "job_seekers/find_confirm.html", _page(context, "Confirmer le candidat"))


def _finish(request, state, job_seeker):
    target = with_job_seeker(state.next_url or reverse("dashboard"), job_seeker.public_id)
    state.delete()
    return redirect(target)


# Creation in 3 steps + summary.

CREATION_STEPS = (
    ("identite", "Identité", IdentityForm),
    ("adresse", "Coordonnées", AddressForm),
    ("situation", "Situation administrative", SituationForm),
)
SUMMARY_STEP = ("recapitulatif", "Récapitulatif")
CREATION_STEP_COUNT = len(CREATION_STEPS) + 1


def _creation_form_kwargs(step, state):
    if step != "identite":
        return {}
    nir = state.get("nir") or ""
    birth_country, birth_place = job_seeker_data.birth_data_from_nir(nir)
    initial = {"nir": nir, "birth_country": birth_country.pk if birth_country else None}
    initial.update(birth_place_initial(birth_place))
    if nir:
        initial["title"] = Title.M if nir[0] in validators.NIR_MALE_DIGITS else Title.MME
    return {"initial": initial}


def _bound_creation_form(step, form_class, state, data=None):
    """The step's form bound to what was posted now, else to what was posted before, else unbound."""
    data = data if data is not None else state.step_data(step)
    return form_class(data, **_creation_form_kwargs(step, state)) if data is not None else None


def _previous_step_missing(state, index):
    """The first earlier step not filled yet, as a redirect; None when the step may be shown."""
    if not state.get("email_searched"):
        return redirect(state.url("email") if state.email_search_allowed else state.url("nir"))
    for slug, _title, _form in CREATION_STEPS[:index]:
        if state.step_data(slug) is None:
            return redirect(state.url(slug))
    return None


def _creation_step(index):
    slug, step_title, form_class = CREATION_STEPS[index]
    next_slug = CREATION_STEPS[index + 1][0] if index + 1 < len(CREATION_STEPS) else SUMMARY_STEP[0]
    next_title = CREATION_STEPS[index + 1][1] if index + 1 < len(CREATION_STEPS) else SUMMARY_STEP[1]

    def handler(request, state):
        if response := _previous_step_missing(state, index):
            return response
        if request.method == "POST":
            form = _bound_creation_form(slug, form_class, state, data=request.POST)
            if form.is_valid():
                state.set_step(slug, request.POST)
                return redirect(state.url(next_slug))
        else:
            form = _bound_creation_form(slug, form_class, state) or form_class(**_creation_form_kwargs(slug, state))
        context = {
            "state": state,
            "form": form,
            "step": index + 1,
            "steps": CREATION_STEP_COUNT,
            "step_title": step_title,
            "next_step_title": next_title,
            "previous_url": state.url(CREATION_STEPS[index - 1][0]) if index else state.url("email"),
            "email": state.get("email"),
            "next_url": state.next_url,
        }
        return render(request, "job_seekers/find_create_step.html", _page(context, f"Créer le compte : {step_title}"))

    return handler


def _summary_rows(form):
    """(legend, [(label, shown value)]) of a valid step form, for the summary."""
    sections = []
    for legend, fields in form.grouped_fields():
        rows = [(field.label, _shown_value(form, field.name)) for field in fields if not field.is_hidden]
        sections.append((legend, [row for row in rows if row[0]]))
    return sections


def _shown_value(form, name):
    value = form.cleaned_data.get(name)
    field = form.fields[name]
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if value in (None, ""):
        return "Non renseigné"
    if hasattr(value, "strftime"):
        return date_format(value, "j F Y")
    if hasattr(field, "choices") and not hasattr(field, "queryset"):
        return dict(field.choices).get(value, value)
    return str(value)


def _summary_step(request, state):
    if response := _previous_step_missing(state, len(CREATION_STEPS)):
        return response
    forms_by_step = {slug: _bound_creation_form(slug, form_class, state) for slug, _t, form_class in CREATION_STEPS}
    for slug, form in forms_by_step.items():
        if not form.is_valid():
            # Something changed since the step was filled (e.g. another account took the NIR): back to it.
            messages.error(request, "Certaines informations ne sont plus valables : vérifiez-les.")
            return redirect(state.url(slug))
    if request.method == "POST":
        return _create(request, state, forms_by_step)
    context = {
        "state": state,
        "email": state.get("email"),
        "sections": [
            (title, state.url(slug), _summary_rows(forms_by_step[slug])) for slug, title, _form in CREATION_STEPS
        ],
        "step": CREATION_STEP_COUNT,
        "steps": CREATION_STEP_COUNT,
        "step_title": SUMMARY_STEP[1],
        "next_url": state.next_url,
    }
    return render(request, "job_seekers/find_summary.html", _page(context, "Créer le compte : récapitulatif"))


def _create(request, state, forms_by_step):
    job_seeker, profile = User(), JobSeekerProfile()
    for form in forms_by_step.values():
        form.apply_to(job_seeker, profile)
    user_fields = {name: getattr(job_seeker, name) for name in _applied(forms_by_step, USER_FIELDS)}
    profile_fields = {name: getattr(profile, name) for name in _applied(forms_by_step, PROFILE_FIELDS)}
    try:
        job_seeker = job_seeker_data.create_job_seeker_by_proxy(
            proxy=request.user,
            organization=request.current_organization,
            email=state.get("email"),
            user_fields=user_fields,
            profile_fields=profile_fields,
        )
    except job_seeker_data.NIRAlreadyUsed as error:
        messages.error(request, error.message)
        return redirect(state.url("identite"))
    except job_seeker_data.EmailAlreadyUsed as error:
        messages.error(request, error.message)
        return redirect(state.url("email"))
    if job_seeker.email:
        messages.success(
            request,
            f"Le compte {de(job_seeker.get_full_name())} est créé. Un e-mail lui a été envoyé à {job_seeker.email} "
            "pour choisir son mot de passe.",
        )
    else:
        messages.success(request, f"Le compte {de(job_seeker.get_full_name())} est créé.")
    return _finish(request, state, job_seeker)


def _applied(forms_by_step, names):
    fields = {name for form in forms_by_step.values() for name in form.fields}
    return [name for name in names if name in fields]


STEP_HANDLERS = {
    "nir": _nir_step,
    "email": _email_step,
    "confirmer": _confirm_step,
    **{slug: _creation_step(index) for index, (slug, _title, _form) in enumerate(CREATION_STEPS)},
    SUMMARY_STEP[0]: _summary_step,
}


# The "completer" page (applications.md §8.4, §13.3) ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def job_seeker_complete(request, public_id):
    """Fill the data the wizards need (NIR, France Travail, birth, address), confirm it, then go on to `next`."""
    job_seeker = get_object_or_404(
        User.objects.job_seekers().select_related(
            "jobseeker_profile__birth_country", "jobseeker_profile__birth_place"
        ),
        public_id=public_id,
    )
    require(
        perms.can_edit_personal_information(request.user, job_seeker, organization=request.current_organization),
        NOT_AN_EDITOR,
    )
    next_url = _safe_next(request)
    profile = job_seeker_data.job_seeker_profile_of(job_seeker) or JobSeekerProfile(user=job_seeker)
    # What is saved, read before a posted form touches the instances (a refused save leaves them changed).
    missing = job_seeker_data.missing_job_seeker_data(job_seeker)
    saved_nir = profile.nir
    form = JobSeekerCompleteForm(
        request.POST if request.method == "POST" else None,
        job_seeker=job_seeker,
        read_only=job_seeker_data.read_only_fields(job_seeker),
    )
    if request.method == "POST" and _save_form(form, job_seeker, profile):
        messages.success(request, f"Les informations {de(job_seeker.get_full_name())} sont enregistrées.")
        return redirect(next_url or reverse("dashboard"))
    context = {
        "form": form,
        "job_seeker": job_seeker,
        "saved_nir": saved_nir,
        "missing": form.missing_items(missing),
        "needs_check": job_seeker_data.needs_check(job_seeker),
        "is_self": request.user.pk == job_seeker.pk,
        "next_url": next_url,
    }
    return render(
        request, "job_seekers/complete.html", _page(context, f"Informations {de(job_seeker.get_full_name())}")
    )


def _save_form(form, job_seeker, profile):
    """Applies a valid form and saves; False (with the error on the form) when it may not be saved."""
    if not form.is_valid():
        return False
    snapshot = job_seeker_data.identity_snapshot(job_seeker, profile)
    form.apply_to(job_seeker, profile)
    try:
        job_seeker_data.save_job_seeker(job_seeker, profile, snapshot=snapshot, checked=True)
    except job_seeker_data.NIRAlreadyUsed as error:
        form.add_error("nir" if "nir" in form.fields else None, error.message)
        return False
    return True


# The job seeker's own profile (organizations.md §1.2, §3) ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def job_seeker_profile(request):
    require(perms.can_edit_own_profile(request.user), JOB_SEEKERS_ONLY)
    job_seeker = (
        User.objects.select_related("jobseeker_profile__birth_country", "jobseeker_profile__birth_place")
        .filter(pk=request.user.pk)
        .get()
    )
    profile = job_seeker_data.job_seeker_profile_of(job_seeker) or JobSeekerProfile(user=job_seeker)
    read_only = job_seeker_data.read_only_fields(job_seeker)
    form = JobSeekerProfileForm(
        request.POST if request.method == "POST" else None, job_seeker=job_seeker, read_only=read_only
    )
    if request.method == "POST" and _save_form(form, job_seeker, profile):
        messages.success(request, "Votre profil est enregistré.")
        return redirect(_safe_next(request) or reverse("dashboard"))
    context = {
        "form": form,
        "job_seeker": job_seeker,
        "profile": profile,
        "certified": bool(read_only),
        "incomplete": job_seeker_data.profile_is_incomplete(job_seeker),
        "next_url": _safe_next(request),
    }
    return render(request, "job_seekers/profile.html", _page(context, "Mon profil"))
