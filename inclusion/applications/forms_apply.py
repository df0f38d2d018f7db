"""The forms of the application wizard (applications.md §13)."""

from django import forms

from inclusion.applications.resume import clean_resume
from inclusion.users import validators
from inclusion.users.models import JobSeekerProfile
from inclusion.utils.forms import DsfrFormMixin

# The value of the "non référencé" advisor choice (organizations.md §5.5 "unknown advisor").
UNKNOWN_ADVISOR = "inconnu"
# applications.md §13.7: a message is mandatory except for an auto-prescription.
MESSAGE_MAX_LENGTH = 5000

NIR_TAKEN = (
    "Ce numéro de sécurité sociale est déjà associé à un autre compte. Vérifiez votre saisie ; si c'est bien le "
    "vôtre, contactez le support."
)
CHOOSE_ONE = "Choisissez au moins une fiche de poste, ou la candidature spontanée."
NOT_BOTH = "Choisissez des fiches de poste ou la candidature spontanée, pas les deux."


class NIRForm(DsfrFormMixin, forms.Form):
    """applications.md §13.2: a job seeker without NIR is asked for it before applying."""

    nir = forms.CharField(
        label="Numéro de sécurité sociale",
        max_length=21,  # 15 characters, with the spaces people type between groups
        help_text="15 caractères, par exemple 2 84 05 75 115 423 12.",
        error_messages={"required": "Saisissez votre numéro de sécurité sociale."},
    )

    def __init__(self, *args, job_seeker, **kwargs):
        super().__init__(*args, **kwargs)
        self.job_seeker = job_seeker

    def clean_nir(self):
        nir = validators.normalize_nir(self.cleaned_data["nir"])
        validators.validate_nir(nir)
        if JobSeekerProfile.objects.filter(nir=nir).exclude(user=self.job_seeker).exists():
            raise forms.ValidationError(NIR_TAKEN)
        profile = getattr(self.job_seeker, "jobseeker_profile", None)
        errors = validators.nir_identity_errors(
            nir, title=self.job_seeker.title, birthdate=profile.birthdate if profile else None
        )
        if errors:
            raise forms.ValidationError(errors)
        return nir


class JobsForm(forms.Form):
    """applications.md §13.5: the open job descriptions of the company, or a spontaneous application; exactly one of
    the two. The template renders the checkboxes itself, with the "unpopular" badge."""

    jobs = forms.TypedMultipleChoiceField(label="Fiches de poste", required=False, coerce=int)
    spontaneous = forms.BooleanField(label="Candidature spontanée", required=False)

    def __init__(self, *args, job_descriptions, spontaneous_open, **kwargs):
        super().__init__(*args, **kwargs)
        self.job_descriptions = job_descriptions
        self.fields["jobs"].choices = [(job.pk, job.display_name) for job in job_descriptions]
        self.spontaneous_open = spontaneous_open
        if not spontaneous_open:
            del self.fields["spontaneous"]

    def clean(self):
        cleaned = super().clean()
        jobs, spontaneous = cleaned.get("jobs"), cleaned.get("spontaneous", False)
        if "jobs" in self.errors:
            return cleaned
        if jobs and spontaneous:
            raise forms.ValidationError(NOT_BOTH)
        if not jobs and not spontaneous:
            raise forms.ValidationError(CHOOSE_ONE)
        return cleaned

    def rows(self):
        """(job description, checked) for the template."""
        if self.is_bound:
            checked = {str(value) for value in self.data.getlist("jobs")}
        else:
            checked = {str(value) for value in self.initial.get("jobs", [])}
        return [(job, str(job.pk) in checked) for job in self.job_descriptions]

    def spontaneous_checked(self):
        if self.is_bound:
            return bool(self.data.get("spontaneous"))
        return bool(self.initial.get("spontaneous"))


class MessageForm(DsfrFormMixin, forms.Form):
    """applications.md §13.7: the message (mandatory except for an auto-prescription), an optional PDF resume and,
    for proxies, the advisor who follows the person (a member of the sender's organization or "non référencé")."""

    message = forms.CharField(
        label="Message à l'employeur",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Écrivez un message à l'employeur : il accompagne la candidature."},
    )
    resume = forms.FileField(
        label="CV",
        required=False,
        help_text="Format PDF uniquement, 5 Mo au maximum.",
        # The DSFR file upload markup; `accept` only filters the browser's file picker, the content is checked.
        widget=forms.FileInput(attrs={"class": "fr-upload", "accept": "application/pdf,.pdf"}),
    )
    advisor = forms.ChoiceField(
        label="Conseiller qui accompagne le candidat",
        help_text="Il sera indiqué comme accompagnateur du candidat pour votre structure.",
        error_messages={"required": "Choisissez le conseiller qui accompagne le candidat."},
    )

    def __init__(self, *args, message_required, advisors=None, resume_recommended=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resume"].widget.group_class = "fr-upload-group"  # read by the DSFR input snippet
        self.fields["message"].required = message_required
        if resume_recommended:
            self.fields[
                "resume"
            ].help_text = (
                "Recommandé : une des fiches de poste choisies demande un CV. Format PDF uniquement, 5 Mo au maximum."
            )
        if advisors is None:
            del self.fields["advisor"]
        else:
            self.advisors = {str(advisor.pk): advisor for advisor in advisors}
            self.fields["advisor"].choices = [
                *((pk, advisor.get_full_name() or advisor.email) for pk, advisor in self.advisors.items()),
                (UNKNOWN_ADVISOR, "Conseiller non référencé sur la plateforme"),
            ]
        # DsfrFormMixin built the bound fields before the help text above changed: build them again.
        self._bound_fields_cache.clear()

    def clean_resume(self):
        # A real PDF of at most 5 MB, scanned by the antivirus (platform_rules.md §6); the other fields keep their
        # values when it is refused, only the file has to be chosen again (browsers never refill a file input).
        return clean_resume(self.cleaned_data.get("resume"))

    def chosen_advisor(self):
        """(advisor user or None, advisor_unknown) for `submission.submit`."""
        value = self.cleaned_data.get("advisor")
        if value is None or value == UNKNOWN_ADVISOR:
            return None, value == UNKNOWN_ADVISOR
        return self.advisors[value], False
