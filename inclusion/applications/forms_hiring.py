"""Forms of the hiring screens: the contract of an acceptance or a direct hire (applications.md §8.1, §8.2) and the
later edit of the contract dates (§8.3).

The forms put each refusal next to its field; the rules stay the authority: the start date is checked by
`transitions.check_hiring_dates` (bounds of `approvals.rules.hiring_start_bounds`), the GEIQ fields by
`transitions.geiq_contract_errors`, the hired job by `hiring`. `transitions.accept` checks everything again.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from inclusion.applications import hiring, transitions
from inclusion.applications.enums import GEIQContractType, QualificationLevel, QualificationType
from inclusion.approvals.forms import date_field, format_date, range_hint, set_hint
from inclusion.approvals.rules import hiring_start_bounds, hiring_start_edit_bounds, valid_approval
from inclusion.companies.enums import SIAE_KINDS, CompanyKind
from inclusion.companies.forms import (
    UNKNOWN_APPELLATION,
    UNKNOWN_COMMUNE,
    GroupedFieldsMixin,
    autocomplete_input,
    find_appellation,
    find_commune,
)
from inclusion.utils.forms import DsfrFormMixin

# The values of the "hired job" select that are no job description.
NO_JOB = ""
NEW_JOB = "nouveau"
# The advisor choice "non référencé" (applications.md §8.1).
UNKNOWN_ADVISOR = "non-reference"

INTEGER_ERRORS = {"invalid": "Saisissez un nombre entier."}


class HiringContractForm(DsfrFormMixin, GroupedFieldsMixin, forms.Form):
    """applications.md §8.1 (all kinds) and §8.2 (GEIQ only) for `job_application`; `user` is the accepting employer.

    The GEIQ fields exist only for a GEIQ. `contract()` gives the checked `hiring.HiringContract`.
    """

    hiring_start_at = date_field("Date de début du contrat")
    hiring_end_at = date_field(
        "Date prévisionnelle de fin du contrat",
        required=False,
        help_text="Facultative. À laisser vide pour un CDI inclusion.",
    )
    hired_job = forms.ChoiceField(
        label="Poste retenu",
        required=False,
        error_messages={"invalid_choice": "Choisissez un des postes proposés."},
    )
    new_job_appellation = forms.CharField(
        label="Métier du nouveau poste",
        required=False,
        max_length=255,
        help_text="Seulement pour « Autre poste » : commencez à saisir un métier puis choisissez-le dans la liste.",
        widget=autocomplete_input(
            reverse_lazy("appellation_autocomplete"), "id_new_job_appellation_code", "Par exemple : maçon"
        ),
    )
    new_job_appellation_code = forms.CharField(required=False, widget=forms.HiddenInput)
    new_job_location = forms.CharField(
        label="Lieu de travail du nouveau poste",
        required=False,
        max_length=120,
        help_text="Seulement pour « Autre poste » : la commune où le poste est situé.",
        widget=autocomplete_input(
            reverse_lazy("commune_autocomplete"), "id_new_job_location_slug", "Par exemple : Lyon"
        ),
    )
    new_job_location_slug = forms.CharField(required=False, widget=forms.HiddenInput)

    geiq_contract_type = forms.ChoiceField(
        label="Type de contrat",
        choices=GEIQContractType.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    geiq_contract_type_details = forms.CharField(
        label="Précisions sur le type de contrat",
        required=False,
        max_length=150,
        help_text="Obligatoire pour « Autre type de contrat ».",
    )
    geiq_hours_per_week = forms.IntegerField(
        label="Nombre d'heures par semaine",
        required=False,
        help_text="Entre 1 et 48 heures.",
        error_messages=INTEGER_ERRORS,
    )
    geiq_qualification_type = forms.ChoiceField(
        label="Type de qualification visée",
        choices=QualificationType.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    geiq_qualification_level = forms.ChoiceField(
        label="Niveau de qualification visé",
        choices=QualificationLevel.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="« Non pertinent » n'est pas possible pour un diplôme d'État ou un titre homologué.",
    )
    geiq_planned_training_hours = forms.IntegerField(
        label="Nombre d'heures de formation prévues",
        required=False,
        initial=0,
        help_text="0 si aucune formation n'est prévue.",
        error_messages=INTEGER_ERRORS,
    )
    geiq_inverted_vae_contract = forms.BooleanField(
        label="Contrat associé à une VAE inversée",
        required=False,
        help_text="Seulement avec un contrat de professionnalisation.",
    )

    advisor = forms.ChoiceField(
        label="Conseiller qui suit la personne",
        help_text="Le membre de votre structure qui accompagnera la personne pendant son contrat.",
        error_messages={"required": "Choisissez le conseiller.", "invalid_choice": "Choisissez un des conseillers."},
    )
    answer = forms.CharField(
        label="Message au candidat",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Facultatif : il est joint à l'e-mail qui annonce l'embauche au candidat.",
    )

    GEIQ_FIELDS = (
        "geiq_contract_type",
        "geiq_contract_type_details",
        "geiq_hours_per_week",
        "geiq_qualification_type",
        "geiq_qualification_level",
        "geiq_planned_training_hours",
        "geiq_inverted_vae_contract",
    )
    fieldsets = (
        ("Dates du contrat", ["hiring_start_at", "hiring_end_at"]),
        (
            "Poste retenu",
            [
                "hired_job",
                "new_job_appellation",
                "new_job_appellation_code",
                "new_job_location",
                "new_job_location_slug",
            ],
        ),
        ("Contrat en GEIQ", list(GEIQ_FIELDS)),
        ("Suivi et message", ["advisor", "answer"]),
    )

    def __init__(self, *args, job_application, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.job_application = job_application
        self.company = company = job_application.to_company
        self.is_geiq = company.kind == CompanyKind.GEIQ
        earliest, latest = hiring_start_bounds(job_seeker=job_application.job_seeker, company=company)
        if earliest is None:
            hint = f"Au plus tard le {format_date(latest)} (une date passée est possible en GEIQ)"
        else:
            hint = range_hint(earliest, latest)
        approval = valid_approval(job_application.job_seeker) if company.kind in SIAE_KINDS else None
        if approval is not None:
            # pass_iae.md §7: the PASS is reused, so the hiring starts by its end.
            hint += f". Le PASS IAE de la personne prend fin le {format_date(approval.end_at)}"
        set_hint(self, "hiring_start_at", hint)
        self._set_hired_job_choices()
        self._set_advisor_choices(user)
        if self.is_geiq:
            self._mark_geiq_required()
        else:
            for name in self.GEIQ_FIELDS:
                del self.fields[name]
        if company.commune_id is not None:
            self.initial.setdefault("new_job_location", str(company.commune))
            self.initial.setdefault("new_job_location_slug", company.commune.slug)

    # applications.md §8.2: every GEIQ field is required but the details and the VAE inversée; the messages are the
    # rules' own (`transitions.geiq_contract_errors` checks them again).
    GEIQ_REQUIRED_MESSAGES = {
        "geiq_contract_type": "Choisissez le type de contrat.",
        "geiq_hours_per_week": "Indiquez un nombre d'heures par semaine entre {} et {}.".format(
            *transitions.GEIQ_HOURS_PER_WEEK_RANGE
        ),
        "geiq_qualification_type": "Choisissez le type de qualification visée.",
        "geiq_qualification_level": "Choisissez le niveau de qualification visé.",
        "geiq_planned_training_hours": "Indiquez le nombre d'heures de formation prévues (0 si aucune).",
    }

    def _mark_geiq_required(self):
        for name, message in self.GEIQ_REQUIRED_MESSAGES.items():
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message

    def _set_hired_job_choices(self):
        jobs = list(hiring.hired_job_options(self.company))
        self.jobs_by_uid = {str(job.uid): job for job in jobs}
        field = self.fields["hired_job"]
        field.required = hiring.hired_job_is_required(self.company)
        field.error_messages["required"] = "Choisissez le poste retenu : il est obligatoire pour une embauche en GEIQ."
        first = (NO_JOB, "Choisir un poste" if field.required else "Ne pas préciser")
        choices = [first]
        for legend, active in (("Fiches de poste ouvertes", True), ("Fiches de poste fermées", False)):
            group = [(str(job.uid), self.job_label(job)) for job in jobs if job.is_active == active]
            if group:
                choices.append((legend, group))
        choices.append((NEW_JOB, "Autre poste (nouveau)"))
        field.choices = choices

    @staticmethod
    def job_label(job):
        return f"{job.display_name} — {job.location}" if job.location_id else job.display_name

    def _set_advisor_choices(self, user):
        memberships = self.company.memberships.active().select_related("user").order_by("user__last_name", "pk")
        self.advisors = {str(m.user.pk): m.user for m in memberships}
        self.fields["advisor"].choices = [(pk, advisor.get_full_name()) for pk, advisor in self.advisors.items()] + [
            (UNKNOWN_ADVISOR, "Conseiller non référencé")
        ]
        self.initial.setdefault("advisor", str(user.pk) if str(user.pk) in self.advisors else UNKNOWN_ADVISOR)

    # --- Dates (pass_iae.md §5)

    def clean_hiring_start_at(self):
        start = self.cleaned_data["hiring_start_at"]
        transitions.check_hiring_dates(self.job_application, hiring_start_at=start)  # the range only
        return start

    def _clean_end(self, cleaned):
        start, end = cleaned.get("hiring_start_at"), cleaned.get("hiring_end_at")
        if start is None or end is None:
            return
        try:
            transitions.check_hiring_dates(self.job_application, hiring_start_at=start, hiring_end_at=end)
        except ValidationError as error:  # the start is in range (clean_hiring_start_at): the end is at fault
            self.add_error("hiring_end_at", error)
            return
        if message := hiring.contract_end_error(cleaned.get("job_description"), end):
            self.add_error("hiring_end_at", message)

    # --- Hired job (applications.md §8.1)

    def _clean_hired_job(self, cleaned):
        choice = cleaned.get("hired_job", NO_JOB)
        cleaned["job_description"] = cleaned["new_job_appellation"] = cleaned["new_job_location"] = None
        if choice == NEW_JOB:
            appellation = find_appellation(
                self.data.get("new_job_appellation_code", ""), self.data.get("new_job_appellation", "")
            )
            location = find_commune(self.data.get("new_job_location_slug", ""), self.data.get("new_job_location", ""))
            if appellation is None:
                self.add_error("new_job_appellation", UNKNOWN_APPELLATION)
            if location is None:
                self.add_error("new_job_location", UNKNOWN_COMMUNE)
            cleaned["new_job_appellation"], cleaned["new_job_location"] = appellation, location
        elif choice:
            cleaned["job_description"] = self.jobs_by_uid[choice]  # a valid choice is one of these uids

    # --- GEIQ contract (applications.md §8.2)

    def _clean_geiq(self, cleaned):
        if not self.is_geiq:
            cleaned["geiq_contract"] = None
            return
        contract = {name: cleaned.get(name) for name in self.GEIQ_FIELDS}
        for name, message in transitions.geiq_contract_errors(contract).items():
            if name not in self.errors:  # a field already refused (not a number...) keeps its own message
                self.add_error(name, message)
        cleaned["geiq_contract"] = contract

    def clean(self):
        cleaned = super().clean()
        self._clean_hired_job(cleaned)
        self._clean_end(cleaned)
        self._clean_geiq(cleaned)
        advisor = cleaned.get("advisor")
        cleaned["advisor_user"] = self.advisors.get(advisor)
        return cleaned

    def contract(self):
        data = self.cleaned_data
        return hiring.HiringContract(
            hiring_start_at=data["hiring_start_at"],
            hiring_end_at=data.get("hiring_end_at"),
            job_description=data["job_description"],
            new_job_appellation=data["new_job_appellation"],
            new_job_location=data["new_job_location"],
            geiq_contract=data["geiq_contract"],
            answer=data.get("answer", "").strip(),
            advisor=data["advisor_user"],
            advisor_unknown=data["advisor_user"] is None,
        )

    def stored_data(self):
        """What the wizard keeps in the session: the posted text of every field, bound again at each step so that the
        rules (dates against today, the PASS end) are checked again up to the confirmation."""
        return {name: self.data.get(name, "") for name in self.fields}

    def error_summary(self):
        """[(anchor id, message)] for the summary at the top of the page, each linked to its field."""
        summary = []
        for name, errors in self.errors.items():
            anchor = self[name].auto_id if name in self.fields else ""
            if name in self.fields and isinstance(self.fields[name].widget, forms.RadioSelect):
                anchor = f"radio-{anchor}"
            summary.extend((anchor, message) for message in errors)
        return summary


class ContractEditForm(DsfrFormMixin, forms.Form):
    """applications.md §8.3, pass_iae.md §5 "later edit": new contract dates of an accepted application whose hiring
    has not started. The bounds come from `hiring_start_edit_bounds`; `hiring_dates_edit` saves (and checks again)."""

    hiring_start_at = date_field("Date de début du contrat")
    hiring_end_at = date_field(
        "Date prévisionnelle de fin du contrat",
        required=False,
        help_text="Facultative. À laisser vide pour un CDI inclusion.",
    )

    def __init__(self, *args, job_application, **kwargs):
        kwargs.setdefault(
            "initial",
            {"hiring_start_at": job_application.hiring_start_at, "hiring_end_at": job_application.hiring_end_at},
        )
        super().__init__(*args, **kwargs)
        self.earliest, self.latest = hiring_start_edit_bounds(job_application=job_application)
        set_hint(self, "hiring_start_at", range_hint(self.earliest, self.latest))

    def clean_hiring_start_at(self):
        start = self.cleaned_data["hiring_start_at"]
        if not self.earliest <= start <= self.latest:
            raise ValidationError(
                f"La date de début du contrat doit être comprise entre le {format_date(self.earliest)} et le "
                f"{format_date(self.latest)}."
            )
        return start

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("hiring_start_at"), cleaned.get("hiring_end_at")
        if start and end and end < start:
            self.add_error("hiring_end_at", "La date de fin du contrat ne peut pas précéder sa date de début.")
        return cleaned
