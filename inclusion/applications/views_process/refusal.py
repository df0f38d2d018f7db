"""The refusal wizard (applications.md §7): reason, message to the job seeker, message to the prescriber."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from inclusion.applications import transitions
from inclusion.applications.answer_messages import refusal_message_for
from inclusion.applications.enums import RefusalReason
from inclusion.applications.forms_process import (
    RefusalAnswerForm,
    RefusalPrescriberAnswerForm,
    RefusalReasonForm,
)
from inclusion.applications.views_process.common import (
    drop_selection,
    error_text,
    get_selection,
    inbox_url,
    plural,
    report_for,
    save_selection,
    selected_applications,
    selection_gone,
)
from inclusion.companies.enums import CompanyKind

# --- Refusal wizard (applications.md §7) --------------------------------------------------------------------------

REFUSAL_STEPS = ("motif", "message", "prescripteur")
REFUSAL_STEP_TITLES = {
    "motif": "Motif du refus",
    "message": "Message au candidat",
    "prescripteur": "Message au prescripteur",
}


def _refusal_steps(job_applications):
    """Step 3 only when at least one selected application was sent by a prescriber (or an orienteur)."""
    if any(job_application.is_sent_by_prescriber for job_application in job_applications):
        return REFUSAL_STEPS
    return REFUSAL_STEPS[:2]


def _refusal_form(step, data, *, post, for_geiq, company):
    if step == "motif":
        initial = {"reason": data.get("reason"), "shared": data.get("shared", False)}
        return RefusalReasonForm(post, for_geiq=for_geiq, initial=initial)
    if step == "message":
        answer = data.get("answer") or refusal_message_for(data["reason"], company_name=company.display_name)
        return RefusalAnswerForm(post, initial={"answer": answer})
    return RefusalPrescriberAnswerForm(post, initial={"answer_to_prescriber": data.get("answer_to_prescriber", "")})


def _refusal_first_missing_step(data, steps):
    """A step is reached only once the previous ones are filled (a typed URL does not skip the reason)."""
    if not data.get("reason"):
        return "motif"
    if "prescripteur" in steps and not data.get("answer"):
        return "message"
    return None


def _refuse_all(request, selection, job_applications):
    data = selection["data"]
    report = report_for(selection, "refuse", job_applications)
    for job_application in job_applications:
        try:
            transitions.refuse(
                job_application,
                user=request.user,
                reason=data["reason"],
                answer=data["answer"],
                answer_to_prescriber=data.get("answer_to_prescriber", ""),
                shared=data.get("shared", False),
            )
        except ValidationError as error:
            report.skip(job_application, error_text(error))
        else:
            report.done += 1
    return report


@require_http_methods(["GET", "HEAD", "POST"])
def refusal_wizard(request, selection_id, step):
    """applications.md §7: reason (+ shared), message to the job seeker, message to the prescriber when needed."""
    selection = get_selection(request, selection_id, "refuse")
    if selection is None:
        return selection_gone(request)
    company = request.current_organization
    job_applications = selected_applications(request, selection)
    if not job_applications:  # all transferred to another company meanwhile: nothing left to refuse
        drop_selection(request, selection_id)
        report_for(selection, "refuse", job_applications).send(request)
        return redirect(inbox_url())  # the page the refusal started from may be the detail of one of them
    steps = _refusal_steps(job_applications)
    if step not in steps:
        raise Http404("Étape inconnue.")
    data = selection["data"]
    index = steps.index(step)
    missing = _refusal_first_missing_step(data, steps)
    if missing is not None and steps.index(missing) < index:
        return redirect("refusal_wizard", selection_id, missing)

    post = request.POST if request.method == "POST" else None
    form = _refusal_form(step, data, post=post, for_geiq=company.kind == CompanyKind.GEIQ, company=company)
    if post is not None and "back" in post and index > 0:
        # Going back keeps what was typed on this step, even unfinished.
        field_name = next(iter(form.fields))
        data[field_name] = post.get(field_name, "")
        save_selection(request, selection_id, selection)
        return redirect("refusal_wizard", selection_id, steps[index - 1])
    if post is not None and form.is_valid():
        if step == "motif" and form.cleaned_data["reason"] != data.get("reason"):
            data["answer"] = ""  # a new reason gets its own pre-filled text
        data.update(form.cleaned_data)
        if index + 1 < len(steps):
            save_selection(request, selection_id, selection)
            return redirect("refusal_wizard", selection_id, steps[index + 1])
        report = _refuse_all(request, selection, job_applications)
        drop_selection(request, selection_id)
        report.send(request)
        return redirect(selection["back"])

    count = len(job_applications)
    context = {
        "title": f"Décliner {plural(count, 'la candidature', f'{count} candidatures')} — {REFUSAL_STEP_TITLES[step]}",
        "heading": f"Décliner {plural(count, 'la candidature', f'{count} candidatures')}",
        "form": form,
        "step": index + 1,
        "steps": len(steps),
        "step_title": REFUSAL_STEP_TITLES[step],
        "next_step_title": REFUSAL_STEP_TITLES[steps[index + 1]] if index + 1 < len(steps) else "",
        "is_last": index + 1 == len(steps),
        "submit_label": f"Décliner {plural(count, 'la candidature', f'les {count} candidatures')}",
        "job_applications": job_applications,
        "skipped": selection["skipped"],
        "back": selection["back"],
        "reason_label": RefusalReason(data["reason"]).label if data.get("reason") else "",
        "prescriber_count": sum(1 for ja in job_applications if ja.is_sent_by_prescriber),
    }
    return render(request, "applications/process/refusal.html", context)
