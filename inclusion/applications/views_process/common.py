"""What the processing pages share: the other pages' URLs, who may act, batch reports and session selections."""

import secrets
from dataclasses import dataclass, field

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from inclusion.applications import perms
from inclusion.applications.models import JobApplication
from inclusion.organizations.enums import Role
from inclusion.organizations.perms import acts_as
from inclusion.utils.access import require, require_visible
from inclusion.utils.next_url import safe_next_url

NOT_AN_EMPLOYER = "Cette page est réservée aux employeurs, pour les candidatures reçues par leur structure."
SELECTIONS_SESSION_KEY = "application_selections"
# A selection lives until its page is done; an abandoned one is dropped once this many newer ones exist.
MAX_SELECTIONS = 10
RESUME_FILENAME = "cv.pdf"


# --- URLs of the other pages of the journey -----------------------------------------------------------------------


def inbox_url():
    return reverse("applications_received")


def accept_url(job_application):
    return reverse("application_accept", args=[job_application.pk])


def cancel_url(job_application):
    return reverse("application_cancel", args=[job_application.pk])


def contract_edit_url(job_application):
    return reverse("application_contract_edit", args=[job_application.pk])


def detail_url(job_application):
    return reverse("application_detail_company", args=[job_application.pk])


def next_url(request):
    return safe_next_url(request)


# --- Access -------------------------------------------------------------------------------------------------------


def require_employer(request):
    """applications.md §5: only employers process applications; other roles get a 403 (they see none)."""
    require(acts_as(request.user, request.current_organization, Role.EMPLOYER), NOT_AN_EMPLOYER)
    return request.current_organization


def received_application(request, job_application_id, queryset=None):
    """The application received by the current company, else a 404 (another company does not learn it exists)."""
    company = require_employer(request)
    queryset = queryset if queryset is not None else JobApplication.objects.select_related("job_seeker", "to_company")
    job_application = get_object_or_404(queryset, pk=job_application_id)
    require_visible(
        perms.can_view_as_company(request.user, job_application, organization=company), "Candidature introuvable."
    )
    return job_application


def plural(count, singular, plural_form):
    return singular if count <= 1 else plural_form


# --- Batch reports ------------------------------------------------------------------------------------------------

# What "done" reads like for each action, singular and plural.
DONE_PHRASES = {
    "process": ("mise à l'étude", "mises à l'étude"),
    "postpone": ("mise en attente", "mises en attente"),
    "add_to_pool": ("ajoutée au vivier", "ajoutées au vivier"),
    "refuse": ("déclinée", "déclinées"),
    "archive": ("archivée", "archivées"),
    "unarchive": ("désarchivée", "désarchivées"),
    "transfer": ("transférée", "transférées"),
}
UNKNOWN_APPLICATION = "Candidature introuvable parmi celles reçues par votre structure."
NOT_ARCHIVED = "Cette candidature n'est pas archivée."
SELECTION_GONE = (
    "Cette sélection de candidatures a déjà été traitée ou n'existe plus : retrouvez vos candidatures dans la liste."
)


@dataclass
class BatchReport:
    """What a batch did: applications done, and the skipped ones with their French reason."""

    action: str
    done: int = 0
    skipped: list = field(default_factory=list)  # French lines "Camille MARTIN : Impossible de …"

    def skip(self, job_application, reason):
        self.skipped.append(_sentence(f"{job_application.job_seeker.get_full_name()} — {reason}"))

    def skip_unknown(self, count):
        self.skipped.extend([UNKNOWN_APPLICATION] * count)

    @property
    def message(self):
        """« 3 candidatures mises à l'étude, 1 ignorée : Camille MARTIN — Impossible de … »."""
        done_singular, done_plural = DONE_PHRASES[self.action]
        if self.done:
            text = f"{self.done} {plural(self.done, 'candidature', 'candidatures')} "
            text += plural(self.done, done_singular, done_plural)
        else:
            text = f"Aucune candidature {done_singular}"
        if not self.skipped:
            return f"{text}."
        count = len(self.skipped)
        return f"{text}, {count} {plural(count, 'ignorée', 'ignorées')} : " + " ".join(self.skipped)

    def send(self, request):
        if not self.done:
            messages.error(request, self.message)
        elif self.skipped:
            messages.warning(request, self.message)
        else:
            messages.success(request, self.message)


def _sentence(text):
    return text if text.endswith(".") else f"{text}."


def error_text(error):
    return " ".join(error.messages)


# --- Selections (the state of the pages that follow a batch) -------------------------------------------------------


def new_selection(request, *, action, job_applications, back, skipped):
    selections = request.session.get(SELECTIONS_SESSION_KEY, {})
    selection_id = secrets.token_urlsafe(16)
    selections[selection_id] = {
        "action": action,
        "company": request.current_organization.pk,
        "ids": [str(job_application.pk) for job_application in job_applications],
        "back": back,
        "skipped": skipped,
        "data": {},
    }
    for stale in list(selections)[:-MAX_SELECTIONS]:
        del selections[stale]
    request.session[SELECTIONS_SESSION_KEY] = selections
    return selection_id


def get_selection(request, selection_id, action):
    """The selection of this session for this action and the current company, else None (see `selection_gone`)."""
    company = require_employer(request)
    selection = request.session.get(SELECTIONS_SESSION_KEY, {}).get(selection_id)
    if selection is None or selection["action"] != action or selection["company"] != company.pk:
        return None
    return selection


def selection_gone(request):
    """A selection already done (the form posted twice: a double click), forgotten, or another session's: back to the
    inbox, which shows where the applications are now, rather than an error page."""
    messages.info(request, SELECTION_GONE)
    return redirect(inbox_url())


def save_selection(request, selection_id, selection):
    selections = request.session.get(SELECTIONS_SESSION_KEY, {})
    selections[selection_id] = selection
    request.session[SELECTIONS_SESSION_KEY] = selections


def drop_selection(request, selection_id):
    selections = request.session.get(SELECTIONS_SESSION_KEY, {})
    selections.pop(selection_id, None)
    request.session[SELECTIONS_SESSION_KEY] = selections


def selected_applications(request, selection):
    """The selected applications still received by the company (one may have been transferred meanwhile)."""
    return list(
        perms.received_by(request.current_organization)
        .filter(pk__in=selection["ids"])
        .select_related("job_seeker", "to_company", "sender_prescriber_organization")
        .order_by("job_seeker__last_name", "job_seeker__first_name", "pk")
    )


def report_for(selection, action, job_applications):
    """The report of a selection's page: the applications the batch skipped, and those `selected_applications` no
    longer finds (transferred to another company meanwhile), reported rather than forgotten."""
    report = BatchReport(action)
    report.skipped.extend(selection["skipped"])
    report.skip_unknown(len(selection["ids"]) - len(job_applications))
    return report
