"""Forms of the suspension, prolongation and prolongation-request screens (pass_iae.md §13, §14, §15).

The forms check what a user can fix on a field (a date outside the allowed range, a missing value) with bounds
computed by the rules (`suspensions.py`, `prolongations.py`), so that each error sits next to its field and names the
allowed range. The rules stay the authority: the views call them and show what they refuse (`add_rule_errors`).
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from inclusion.approvals import prolongations, suspensions
from inclusion.approvals.enums import (
    ProlongationReason,
    ProlongationRequestDenyProposedAction,
    ProlongationRequestDenyReason,
)
from inclusion.users.models import User
from inclusion.utils import uploads
from inclusion.utils.forms import DsfrFormMixin
from inclusion.utils.french import de

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATE_ERRORS = {
    "required": "Indiquez une date.",
    "invalid": "Saisissez une date valide, par exemple 15/03/2026.",
}
ONE_DAY = datetime.timedelta(days=1)


def format_date(day):
    return day.strftime("%d/%m/%Y")


def range_hint(first, last):
    """The allowed range as the hint under a date field: « Entre le 12/03/2026 et le 21/11/2026 »."""
    return f"Entre le {format_date(first)} et le {format_date(last)}"


def date_field(label, **kwargs):
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATE_INPUT_FORMATS,
        error_messages=DATE_ERRORS,
        **kwargs,
    )


def set_hint(form, name, text):
    """Changes the hint under a field, also on its bound field (which copies the hint when first built)."""
    form.fields[name].help_text = text
    form[name].help_text = text


def add_rule_errors(form, error):
    """Shows a refusal of the rules on the form: on the fields it names when it names some, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# Suspensions (pass_iae.md §13) --------------------------------------------------------------------------------------


class SuspensionForm(DsfrFormMixin, forms.Form):
    """Create or edit a suspension (pass_iae.md §13.1, §13.2). `suspension` is the one being edited, if any."""

    start_at = date_field("Date de début de la suspension")
    end_at = date_field("Date de fin de la suspension", required=False)
    end_unknown = forms.BooleanField(
        label="Date de fin inconnue",
        required=False,
        help_text="La suspension durera alors le maximum autorisé : 36 mois à partir de la date de début, moins un "
        "jour. Cochée, cette case remplace la date de fin saisie.",
    )
    reason = forms.ChoiceField(
        label="Motif de la suspension",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez le motif de la suspension.",
            "invalid_choice": "Choisissez un des motifs proposés.",
        },
    )
    reason_explanation = forms.CharField(
        label="Explications",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Facultatif : précisez la situation si cela peut aider à la comprendre plus tard.",
    )

    def __init__(self, *args, approval, siae, suspension=None, today, **kwargs):
        if suspension is not None:
            kwargs.setdefault(
                "initial",
                {
                    "start_at": suspension.start_at,
                    "end_at": suspension.end_at,
                    "reason": suspension.reason,
                    "reason_explanation": suspension.reason_explanation,
                },
            )
        super().__init__(*args, **kwargs)
        self.today = today
        # pass_iae.md §13.2: never in the future, inside the PASS, not before the retroactivity floor.
        self.min_start = suspensions.suspension_min_start(approval, editing=suspension, on=today)
        self.max_start = suspensions.suspension_max_start(approval, on=today)
        set_hint(self, "start_at", range_hint(self.min_start, self.max_start))
        latest_start_end = suspensions.suspension_max_end(self.max_start)
        set_hint(
            self,
            "end_at",
            f"Au plus tard 36 mois après la date de début, moins un jour (le {format_date(latest_start_end)} pour une "
            f"suspension qui commence le {format_date(self.max_start)}). Une suspension d'un seul jour est possible.",
        )
        choices = list(suspensions.selectable_suspension_reasons(siae))
        # A legacy reason of the suspension being edited stays shown (and kept) so that its dates can be changed.
        if suspension is not None and suspension.reason not in dict(choices):
            choices.append((suspension.reason, suspension.get_reason_display()))
        self.fields["reason"].choices = choices

    def clean_start_at(self):
        start = self.cleaned_data["start_at"]
        if not self.min_start <= start <= self.max_start:
            if start > self.today:
                problem = "La suspension ne peut pas commencer dans le futur"
            else:
                problem = "Cette date de début n'est pas autorisée"
            raise ValidationError(
                f"{problem} : choisissez une date entre le {format_date(self.min_start)} "
                f"et le {format_date(self.max_start)}."
            )
        return start

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("start_at")
        if start is None:
            if not cleaned.get("end_unknown") and "end_at" not in self.errors and cleaned.get("end_at") is None:
                self.add_error("end_at", "Indiquez la date de fin, ou cochez « Date de fin inconnue ».")
            return cleaned
        max_end = suspensions.suspension_max_end(start)
        set_hint(
            self,
            "end_at",
            f"{range_hint(start, max_end)} (36 mois au plus). Une suspension d'un seul jour est possible.",
        )
        if cleaned.get("end_unknown"):
            # pass_iae.md §13.2: "Date de fin inconnue" sets the end to the maximum.
            cleaned["end_at"] = max_end
            self.errors.pop("end_at", None)
        elif "end_at" in self.errors:
            pass
        elif cleaned.get("end_at") is None:
            self.add_error("end_at", "Indiquez la date de fin, ou cochez « Date de fin inconnue ».")
        elif not start <= cleaned["end_at"] <= max_end:
            self.add_error(
                "end_at",
                f"La date de fin doit être comprise entre la date de début et 36 mois plus tard : choisissez une date "
                f"entre le {format_date(start)} et le {format_date(max_end)}.",
            )
        return cleaned


class SuspensionEndEarlyForm(DsfrFormMixin, forms.Form):
    """pass_iae.md §13.5: the first working day back D, with start < D < end; the suspension then ends on D − 1."""

    first_day_back = date_field("Premier jour de retour dans la structure")

    def __init__(self, *args, suspension, **kwargs):
        super().__init__(*args, **kwargs)
        self.first, self.last = suspensions.suspension_first_day_back_bounds(suspension)
        set_hint(
            self,
            "first_day_back",
            f"{range_hint(self.first, self.last)}. La suspension prendra fin la veille de ce jour.",
        )

    def clean_first_day_back(self):
        day = self.cleaned_data["first_day_back"]
        if not self.first <= day <= self.last:
            raise ValidationError(
                f"Le premier jour de retour doit tomber après le début et avant la fin de la suspension : choisissez "
                f"une date entre le {format_date(self.first)} et le {format_date(self.last)}."
            )
        return day


# Prolongations (pass_iae.md §14, §15.2) -----------------------------------------------------------------------------


def authorized_organizations_of(user):
    """pass_iae.md §15.2: the active authorized organizations of the addressed prescriber, by name."""
    return prolongations.authorized_organizations_of(user).order_by("name", "pk")


def find_authorized_prescriber(email):
    """pass_iae.md §15.2: the professional with this e-mail who belongs to an authorized organization, or None."""
    if "\x00" in email:
        # Read raw from the POST (before the field's own checks): PostgreSQL refuses a NUL in a query (a 500).
        return None
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None or not user.is_professional or not authorized_organizations_of(user).exists():
        return None
    return user


class ProlongationForm(DsfrFormMixin, forms.Form):
    """Declare a prolongation (pass_iae.md §14.2) or, for the reasons validated by an authorized prescriber, a
    prolongation request (§15.2).

    Choosing the prescriber takes two submissions without JavaScript: the e-mail is searched ("Rechercher", with
    `searching_prescriber=True`: nothing else is checked), then the page offers the prescriber's authorized
    organizations.
    """

    reason = forms.ChoiceField(
        label="Motif de la prolongation",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez le motif de la prolongation.",
            "invalid_choice": "Ce motif n'est pas possible pour ce PASS IAE : choisissez un des motifs proposés.",
        },
    )
    end_at = date_field("Date de fin de la prolongation")
    reason_explanation = forms.CharField(
        label="Explications",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Décrivez la situation de la personne qui justifie la prolongation.",
    )
    validator_email = forms.EmailField(
        label="Adresse e-mail du prescripteur habilité",
        required=False,
        max_length=254,
        help_text="Le prescripteur habilité qui validera la demande. Format attendu : nom@domaine.fr",
        error_messages={"invalid": "Saisissez une adresse e-mail valide, par exemple nom@domaine.fr."},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    prescriber_organization = forms.ChoiceField(
        label="Organisation du prescripteur habilité",
        required=False,
        help_text="Recherchez d'abord le prescripteur par son adresse e-mail.",
        error_messages={"invalid_choice": "Choisissez une des organisations proposées pour ce prescripteur."},
    )
    require_phone_interview = forms.BooleanField(
        label="Je souhaite un entretien téléphonique avec le prescripteur habilité", required=False
    )
    contact_email = forms.EmailField(
        label="Adresse e-mail de contact",
        required=False,
        max_length=254,
        help_text="Obligatoire si vous demandez un entretien téléphonique. Format attendu : nom@domaine.fr",
        error_messages={"invalid": "Saisissez une adresse e-mail valide, par exemple nom@domaine.fr."},
    )
    contact_phone = forms.CharField(
        label="Téléphone de contact",
        required=False,
        max_length=20,
        help_text="Obligatoire si vous demandez un entretien téléphonique. Par exemple : 01 23 45 67 89",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    report_file = forms.FileField(
        label="Fiche bilan",
        required=False,
        help_text="Classeur Excel (.xlsx, sans macros) de 1 Mo au plus, obligatoire pour ces motifs. Après une "
        "recherche du prescripteur ou une erreur, sélectionnez-le à nouveau.",
        widget=forms.FileInput(
            attrs={
                "class": "fr-upload",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
        error_messages={"empty": "Le fichier envoyé est vide.", "invalid": "Envoyez un fichier."},
    )

    # The fields of a request (pass_iae.md §14.2): kept only for the reasons they belong to.
    VALIDATOR_FIELDS = ("validator_email", "prescriber_organization")
    CONTACT_FIELDS = ("require_phone_interview", "contact_email", "contact_phone")

    def __init__(self, *args, approval, siae, searching_prescriber=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.approval = approval
        self.siae = siae
        self.searching_prescriber = searching_prescriber
        self.validator = None
        # pass_iae.md §14.2: start = the current PASS end, at least one day.
        self.start_at = approval.end_at
        self.min_end = self.start_at + ONE_DAY
        self.max_ends = {
            code: prolongations.prolongation_max_end(approval, reason=code, start_at=self.start_at)
            for code, _label in prolongations.selectable_prolongation_reasons(approval, siae=siae)
        }
        labels = dict(ProlongationReason.choices)
        self.fields["reason"].choices = [
            (code, f"{labels[code]} (fin au plus tard le {format_date(max_end)})")
            for code, max_end in self.max_ends.items()
        ]
        set_hint(
            self,
            "end_at",
            f"Au plus tôt le {format_date(self.min_end)} ; au plus tard, la date indiquée pour le motif choisi.",
        )
        # pass_iae.md §14.2: only an AI uploads the report file.
        if siae.kind not in prolongations.REPORT_FILE_KINDS:
            del self.fields["report_file"]
        else:
            # The DSFR file upload markup (the input snippet reads the group class from the widget).
            self.fields["report_file"].widget.group_class = "fr-upload-group"
        self._set_organization_choices()

    @property
    def offers_report_file(self):
        return "report_file" in self.fields

    @property
    def validated_reasons(self):
        """The selectable reasons that go through a request (pass_iae.md §14.1 "Validation")."""
        return [
            (code, ProlongationReason(code).label)
            for code in self.max_ends
            if prolongations.PROLONGATION_LIMITS[code].needs_validation
        ]

    def _set_organization_choices(self):
        email = self.data.get(self.add_prefix("validator_email"), "") if self.is_bound else ""
        if email:
            self.validator = find_authorized_prescriber(email)
        organizations = list(authorized_organizations_of(self.validator)) if self.validator else []
        choices = [(str(organization.uid), organization.display_name) for organization in organizations]
        # A single organization is shown already chosen (the browser selects the only option).
        placeholder = [] if len(choices) == 1 else [("", "Sélectionnez une organisation")]
        self.fields["prescriber_organization"].choices = placeholder + choices
        self.organizations = {str(organization.uid): organization for organization in organizations}
        if self.validator is not None:
            name = self.validator.get_full_name()
            set_hint(self, "prescriber_organization", f"Les organisations habilitées {de(name)}.")

    def clean_validator_email(self):
        email = self.cleaned_data["validator_email"]
        if email and self.validator is None:
            raise ValidationError(
                "Aucun prescripteur habilité n'a cette adresse e-mail : vérifiez-la auprès de votre interlocuteur. "
                "Il doit avoir un compte sur la plateforme et être membre d'une organisation habilitée."
            )
        return email

    def clean_report_file(self):
        uploaded = self.cleaned_data.get("report_file")
        if not uploaded:
            return None
        # platform_rules.md §6: a real .xlsx of at most 1 MB without macros, scanned by the antivirus; it comes back
        # renamed, its own name never reaches the storage (the model field draws a random key).
        return uploads.accept_upload(uploaded, uploads.REPORT_FILE)

    def clean(self):
        cleaned = super().clean()
        if self.searching_prescriber:
            # Only the e-mail is looked at: the rest of the form is being filled in.
            for name in [name for name in self.errors if name != "validator_email"]:
                del self.errors[name]
            if not cleaned.get("validator_email") and "validator_email" not in self.errors:
                self.add_error("validator_email", "Saisissez l'adresse e-mail du prescripteur habilité à rechercher.")
            return cleaned
        reason, end = cleaned.get("reason"), cleaned.get("end_at")
        if reason and end is not None:
            max_end = self.max_ends[reason]
            set_hint(self, "end_at", range_hint(self.min_end, max_end))
            if not self.min_end <= end <= max_end:
                self.add_error(
                    "end_at",
                    f"Pour le motif « {ProlongationReason(reason).label} », la date de fin doit être comprise entre "
                    f"le {format_date(self.min_end)} et le {format_date(max_end)}.",
                )
        if reason:
            self._clean_request_fields(cleaned, reason)
        return cleaned

    def _drop(self, cleaned, names):
        # Fields that do not belong to the chosen reason are neither checked nor sent (pass_iae.md §14.2).
        for name in names:
            cleaned.pop(name, None)
            self.errors.pop(name, None)

    def _clean_request_fields(self, cleaned, reason):
        if prolongations.PROLONGATION_LIMITS[reason].needs_validation:
            self._clean_validator(cleaned)
        else:
            self._drop(cleaned, self.VALIDATOR_FIELDS)
        if reason in prolongations.REASONS_WITH_CONTACT:
            self._clean_contact(cleaned)
        else:
            self._drop(cleaned, self.CONTACT_FIELDS)
        if "report_file" in self.fields:
            if not prolongations.report_file_required(reason, siae=self.siae):
                self._drop(cleaned, ["report_file"])
            elif not cleaned.get("report_file") and "report_file" not in self.errors:
                self.add_error(
                    "report_file", "Joignez la fiche bilan (fichier .xlsx) : elle est obligatoire pour ce motif."
                )

    def _clean_validator(self, cleaned):
        if not cleaned.get("validator_email") and "validator_email" not in self.errors:
            self.add_error(
                "validator_email", "Ce motif doit être validé : indiquez l'e-mail du prescripteur habilité."
            )
        if self.validator is not None and "prescriber_organization" not in self.errors:
            organization = self.organizations.get(cleaned.get("prescriber_organization") or "")
            if organization is None and len(self.organizations) == 1:
                # Without a search first (no JavaScript needed), a prescriber of one organization is addressed there.
                [organization] = self.organizations.values()
            if organization is None:
                self.add_error("prescriber_organization", "Choisissez l'organisation du prescripteur habilité.")
            else:
                cleaned["prescriber_organization"] = organization

    def _clean_contact(self, cleaned):
        if cleaned.get("require_phone_interview"):
            # pass_iae.md §14.2: an interview request needs both the e-mail and the phone.
            for name, message in (
                ("contact_email", "Indiquez l'adresse e-mail à laquelle le prescripteur peut vous joindre."),
                ("contact_phone", "Indiquez le téléphone auquel le prescripteur peut vous joindre."),
            ):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)


# Prolongation requests: the deny wizard (pass_iae.md §15.3) ---------------------------------------------------------

DENY_STEP_REASON, DENY_STEP_EXPLANATION, DENY_STEP_ACTIONS = 1, 2, 3
DENY_STEP_FIELDS = {
    DENY_STEP_REASON: ("reason",),
    DENY_STEP_EXPLANATION: ("reason_explanation",),
    DENY_STEP_ACTIONS: ("proposed_actions", "proposed_actions_explanation"),
}
DENY_STEP_TITLES = {
    DENY_STEP_REASON: "Motif du refus",
    DENY_STEP_EXPLANATION: "Explications",
    DENY_STEP_ACTIONS: "Actions envisagées",
}


def deny_steps_for(reason):
    """pass_iae.md §15.3: three steps when the reason is IAE, two otherwise."""
    if reason == ProlongationRequestDenyReason.IAE:
        return (DENY_STEP_REASON, DENY_STEP_EXPLANATION, DENY_STEP_ACTIONS)
    return (DENY_STEP_REASON, DENY_STEP_EXPLANATION)


class ProlongationRequestDenyForm(DsfrFormMixin, forms.Form):
    """The whole deny wizard in one form: step N requires the fields of steps 1 to N, so the last step validates
    everything again (the earlier answers travel in hidden inputs)."""

    reason = forms.ChoiceField(
        label="Pour quel motif refusez-vous la prolongation ?",
        choices=ProlongationRequestDenyReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez le motif du refus.",
            "invalid_choice": "Choisissez un des motifs proposés.",
        },
    )
    reason_explanation = forms.CharField(
        label="Expliquez votre refus",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Un refus doit être motivé par écrit : cette explication est transmise à l'employeur et à la "
        "personne (article R. 5132-1-8 du code du travail).",
        error_messages={"required": "Expliquez votre refus : un refus doit être motivé par écrit."},
    )
    proposed_actions = forms.MultipleChoiceField(
        label="Quelles actions envisagez-vous pour la personne ?",
        choices=ProlongationRequestDenyProposedAction.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Cochez au moins une action.",
        error_messages={
            "required": "Cochez au moins une action envisagée.",
            "invalid_choice": "Choisissez parmi les actions proposées.",
        },
    )
    proposed_actions_explanation = forms.CharField(
        label="Précisez les actions envisagées",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Précisez les actions envisagées."},
    )

    def __init__(self, *args, step, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        for number, names in DENY_STEP_FIELDS.items():
            for name in names:
                self.fields[name].required = number <= step

    def clean(self):
        cleaned = super().clean()
        if self.step == DENY_STEP_ACTIONS and cleaned.get("reason") not in (None, ProlongationRequestDenyReason.IAE):
            # Step 3 exists for the reason IAE only: a changed reason drops its answers (pass_iae.md §15.3).
            cleaned["proposed_actions"], cleaned["proposed_actions_explanation"] = None, ""
            for name in DENY_STEP_FIELDS[DENY_STEP_ACTIONS]:
                self.errors.pop(name, None)
        return cleaned

    def first_step_with_errors(self):
        for number, names in DENY_STEP_FIELDS.items():
            if any(name in self.errors for name in names):
                return number
        return None
