"""Forms of the employer's processing screens (applications.md §3, §7, §9, §10, §15).

The forms check what the user can fix on a field (a missing answer, dates in the wrong order, a comment too long);
the rules (`transitions.py`, `prior_actions.py`, `submission.py`) stay the authority and the views show what they
refuse.
"""

from django import forms

from inclusion.applications.enums import PROFESSIONAL_SITUATION_KINDS, PriorActionKind, RefusalReason
from inclusion.applications.models import JobApplicationComment
from inclusion.approvals.forms import date_field
from inclusion.companies.models import JobDescription
from inclusion.utils.forms import DsfrFormMixin

# applications.md §9: the two families of prior actions, shown as groups of the kind select.
PRIOR_ACTION_GROUPS = (
    ("Mise en situation professionnelle", PROFESSIONAL_SITUATION_KINDS),
    (
        "Pré-qualification",
        tuple(kind for kind in PriorActionKind if kind not in PROFESSIONAL_SITUATION_KINDS),
    ),
)
# Long enough for a real message, short enough to stay a message.
ANSWER_MAX_LENGTH = 5000
COMPANY_SEARCH_MIN_LENGTH = 2


def _textarea(rows=8):
    return forms.Textarea(attrs={"rows": rows})


class AnswerForm(DsfrFormMixin, forms.Form):
    """applications.md §3: the answer to the job seeker when postponing (mandatory) or adding to the pool
    (optional, pre-filled with a default text)."""

    answer = forms.CharField(
        label="Message au candidat",
        max_length=ANSWER_MAX_LENGTH,
        widget=_textarea(),
        error_messages={"required": "Écrivez un message au candidat : il est obligatoire pour une mise en attente."},
    )

    def __init__(self, *args, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = required
        hint = (
            "Obligatoire : expliquez au candidat pourquoi sa candidature est mise en attente."
            if required
            else "Facultatif : le candidat et, le cas échéant, son prescripteur reçoivent ce message."
        )
        # The bound field copied the hint when the DSFR mixin first built it: both are changed.
        self.fields["answer"].help_text = self["answer"].help_text = hint


class RefusalReasonForm(DsfrFormMixin, forms.Form):
    """Refusal wizard, step 1 (applications.md §7)."""

    reason = forms.ChoiceField(
        label="Motif du refus",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez le motif du refus.",
            "invalid_choice": "Choisissez un des motifs proposés.",
        },
    )
    shared = forms.BooleanField(
        label="Partager le motif du refus avec le candidat",
        required=False,
        help_text=(
            "Non coché, le candidat reçoit votre message sans le motif ; le prescripteur voit toujours le motif."
        ),
    )

    def __init__(self, *args, for_geiq, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = RefusalReason.selectable(for_geiq=for_geiq)


class RefusalAnswerForm(DsfrFormMixin, forms.Form):
    """Refusal wizard, step 2: the message to the job seeker, pre-filled from the reason's text."""

    answer = forms.CharField(
        label="Message au candidat",
        max_length=ANSWER_MAX_LENGTH,
        widget=_textarea(12),
        help_text="Pré-rempli selon le motif choisi : adaptez-le si besoin. Il est envoyé au candidat.",
        error_messages={"required": "Écrivez un message au candidat."},
    )


class RefusalPrescriberAnswerForm(DsfrFormMixin, forms.Form):
    """Refusal wizard, step 3: the private message to the prescriber (never shown to the job seeker)."""

    answer_to_prescriber = forms.CharField(
        label="Message au prescripteur",
        max_length=ANSWER_MAX_LENGTH,
        widget=_textarea(),
        help_text="Ce message est envoyé uniquement au prescripteur ou à l'orienteur : le candidat ne le voit pas.",
        error_messages={"required": "Écrivez un message au prescripteur."},
    )


class TransferForm(DsfrFormMixin, forms.Form):
    """applications.md §10: the company (one of the user's) the applications are transferred to."""

    target = forms.ModelChoiceField(
        label="Structure de destination",
        queryset=None,
        to_field_name="uid",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choisissez la structure vers laquelle transférer.",
            "invalid_choice": "Choisissez une des structures proposées.",
        },
    )

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = companies
        self.fields["target"].label_from_instance = lambda company: f"{company.display_name} ({company.kind})"


class CompanySearchForm(DsfrFormMixin, forms.Form):
    """applications.md §10 external transfer, step 1: a company by name or city."""

    q = forms.CharField(
        label="Nom ou ville de la structure",
        max_length=100,
        min_length=COMPANY_SEARCH_MIN_LENGTH,
        error_messages={
            "required": "Saisissez le nom ou la ville de la structure.",
            "min_length": f"Saisissez au moins {COMPANY_SEARCH_MIN_LENGTH} caractères.",
        },
    )


class ExternalTransferForm(DsfrFormMixin, forms.Form):
    """applications.md §10 external transfer, step 2: jobs, message, and whether to keep the original resume."""

    selected_jobs = forms.ModelMultipleChoiceField(
        label="Métiers recherchés",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun métier coché : candidature spontanée.",
        error_messages={"invalid_choice": "Choisissez parmi les fiches de poste proposées."},
    )
    message = forms.CharField(
        label="Message de candidature",
        max_length=ANSWER_MAX_LENGTH,
        widget=_textarea(12),
        help_text="Pré-rempli avec le message de la candidature d'origine : adaptez-le pour la nouvelle structure.",
        error_messages={"required": "Écrivez un message de candidature."},
    )
    keep_resume = forms.BooleanField(
        label="Joindre le CV de la candidature d'origine",
        required=False,
        initial=True,
        help_text="Une copie du CV est jointe à la nouvelle candidature.",
    )

    def __init__(self, *args, company, has_resume, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected_jobs"].queryset = (
            JobDescription.objects.active().filter(company=company).select_related("appellation").order_by("pk")
        )
        self.fields["selected_jobs"].label_from_instance = lambda job: job.display_name
        if not has_resume:
            del self.fields["keep_resume"]


class PriorActionForm(DsfrFormMixin, forms.Form):
    """applications.md §9: a GEIQ prior action, an inclusive date range."""

    kind = forms.ChoiceField(
        label="Type d'action",
        choices=[("", "Choisissez un type d'action")]
        + [(group, [(kind.value, kind.label) for kind in kinds]) for group, kinds in PRIOR_ACTION_GROUPS],
        error_messages={"required": "Choisissez le type d'action.", "invalid_choice": "Choisissez un type proposé."},
    )
    start_at = date_field("Date de début")
    end_at = date_field("Date de fin", help_text="Égale ou postérieure à la date de début.")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_at"), cleaned.get("end_at")
        if start and end and end < start:
            self.add_error("end_at", "La date de fin ne peut pas être antérieure à la date de début.")
        return cleaned


class CommentForm(DsfrFormMixin, forms.Form):
    """applications.md §15: an internal comment, seen by the members of the company only."""

    text = forms.CharField(
        label="Nouveau commentaire",
        max_length=JobApplicationComment.MAX_LENGTH,
        widget=_textarea(4),
        help_text=(
            f"{JobApplicationComment.MAX_LENGTH} caractères au plus. Visible uniquement par les membres de votre "
            "structure : ni le candidat ni le prescripteur ne le voient."
        ),
        error_messages={
            "required": "Écrivez le commentaire.",
            "max_length": (
                f"Le commentaire ne peut pas dépasser {JobApplicationComment.MAX_LENGTH} caractères "
                "(il en compte %(show_value)d)."
            ),
        },
    )
