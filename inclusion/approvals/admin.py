"""Back-office of the PASS IAE (pass_iae.md §2, §9, §10, §18).

Every change goes through `rules.py`: numbers are generated or checked by its helpers, a deletion writes the
cancelled-PASS snapshot (`approval_delete`), "Clôturer" calls `approval_terminate`. Dates are read-only once the PASS
exists (§18: `end_at` follows suspensions and prolongations, which have their own rules); suspensions, prolongations
and the history are shown, not edited, here.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect

from inclusion.approvals import rules
from inclusion.approvals.enums import ORIGINS_WITH_DIAGNOSIS, ApprovalEventKind, Origin
from inclusion.approvals.models import Approval, ApprovalEvent, CancelledApproval, Prolongation, Suspension
from inclusion.audit.admin import AuditHistoryMixin
from inclusion.users.models import User
from inclusion.utils.dates import today

VALID_APPROVAL_HELD = "Ce candidat a déjà un PASS IAE valide."

# Origins the support may choose for a PASS typed by hand; `default` is the hiring flow's own (pass_iae.md §3).
MANUAL_ORIGINS = [Origin.ADMIN, Origin.PE_APPROVAL, Origin.AI_STOCK]


class ApprovalAdminForm(forms.ModelForm):
    number = forms.CharField(
        label="Numéro",
        required=False,
        max_length=rules.NUMBER_LENGTH,
        help_text=(
            "Laissez vide pour générer un numéro. Un numéro saisi ne peut être qu'un numéro d'agrément Pôle emploi "
            "(sans le préfixe de la plateforme) : le PASS IAE prend alors l'origine « agrément Pôle emploi »."
        ),
    )
    end_at = forms.DateField(
        label="Date de fin",
        required=False,
        help_text=f"Laissez vide pour la durée par défaut ({rules.APPROVAL_DURATION.days} jours).",
    )

    class Meta:
        model = Approval
        # The admin narrows these to the fieldsets of the page (add: all of them; change: the number only).
        fields = [
            "user",
            "number",
            "start_at",
            "end_at",
            "origin",
            "eligibility_diagnosis",
            "origin_siae_siret",
            "origin_siae_kind",
            "origin_sender_kind",
            "origin_prescriber_organization_kind",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "origin" in self.fields:
            self.fields["origin"].choices = [(origin.value, origin.label) for origin in MANUAL_ORIGINS]
            self.fields["origin"].initial = Origin.ADMIN

    @property
    def _current_number(self):
        return self.instance.number if self.instance.pk else None

    def clean_number(self):
        number = self.cleaned_data["number"].strip().upper()
        if not number:
            if self._current_number:
                raise forms.ValidationError("Le numéro d'un PASS IAE existant ne peut pas être effacé.")
            return ""
        error = rules.manual_number_error(number, current_number=self._current_number)
        if error:
            raise forms.ValidationError(error)
        return number

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("number")
        if self.instance.pk:
            self._clean_number_change(number)
        else:
            self._clean_new_approval(cleaned)
        return cleaned

    def _clean_number_change(self, number):
        # pass_iae.md §2, §9: a non-prefixed number is a legacy agrément, which never carries a diagnosis (§3).
        if not number or number == self.instance.number:
            return
        if self.instance.eligibility_diagnosis_id is not None:
            self.add_error(
                "number",
                "Ce PASS IAE a été délivré sur un diagnostic d'éligibilité : il ne peut pas recevoir un numéro "
                "d'agrément Pôle emploi.",
            )
            return
        self.instance.origin = rules.origin_for_number(number, self.instance.origin)

    def _clean_new_approval(self, cleaned):
        number, start_at, user = cleaned.get("number"), cleaned.get("start_at"), cleaned.get("user")
        origin = rules.origin_for_number(number, cleaned.get("origin"))
        cleaned["origin"] = origin
        diagnosis = cleaned.get("eligibility_diagnosis")
        if start_at and not cleaned.get("end_at"):
            cleaned["end_at"] = rules.default_end_at(start_at)
        end_at = cleaned.get("end_at")
        if start_at and end_at and end_at <= start_at:
            self.add_error("end_at", "La date de fin doit être postérieure à la date de début.")
        if origin in ORIGINS_WITH_DIAGNOSIS and diagnosis is None:
            self.add_error("eligibility_diagnosis", "Un PASS IAE délivré par le support repose sur un diagnostic.")
        if origin not in ORIGINS_WITH_DIAGNOSIS and diagnosis is not None:
            self.add_error(
                "eligibility_diagnosis",
                f"Un PASS IAE d'origine « {Origin(origin).label} » n'a pas de diagnostic d'éligibilité.",
            )
        if diagnosis is not None and user is not None and diagnosis.job_seeker_id != user.pk:
            self.add_error("eligibility_diagnosis", "Ce diagnostic concerne un autre candidat.")
        if user is not None and rules.valid_approval(user) is not None:
            # pass_iae.md §4: no new PASS while the person holds a valid one (checked again under lock on save).
            self.add_error("user", VALID_APPROVAL_HELD)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuspensionInline(ReadOnlyInline):
    model = Suspension
    fields = ["start_at", "end_at", "reason", "siae", "created_at", "created_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("siae", "created_by")


class ProlongationInline(ReadOnlyInline):
    model = Prolongation
    fk_name = "approval"
    fields = ["start_at", "end_at", "reason", "declared_by_siae", "validated_by", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("declared_by_siae", "validated_by")


class ApprovalEventInline(ReadOnlyInline):
    model = ApprovalEvent
    fields = ["created_at", "kind", "user", "data"]
    verbose_name_plural = "historique"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Approval)
class ApprovalAdmin(AuditHistoryMixin, admin.ModelAdmin):
    form = ApprovalAdminForm
    list_display = ["number_with_spaces", "user", "start_at", "end_at", "state", "origin", "ft_notification_status"]
    list_select_related = ["user"]
    list_filter = ["origin", "ft_notification_status"]
    search_fields = ["=number", "user__email", "user__first_name", "user__last_name", "user__jobseeker_profile__nir"]
    date_hierarchy = "start_at"
    autocomplete_fields = ["user"]
    raw_id_fields = ["eligibility_diagnosis"]
    inlines = [SuspensionInline, ProlongationInline, ApprovalEventInline]
    actions = ["terminate"]

    ADD_FIELDSETS = [
        (None, {"fields": ["user", "number", "start_at", "end_at", "origin", "eligibility_diagnosis"]}),
        (
            "Embauche d'origine",
            {
                "fields": [
                    "origin_siae_siret",
                    "origin_siae_kind",
                    "origin_sender_kind",
                    "origin_prescriber_organization_kind",
                ]
            },
        ),
    ]
    CHANGE_FIELDSETS = [
        (
            None,
            {
                "fields": [
                    "public_id",
                    "number",
                    "user",
                    "start_at",
                    "end_at",
                    "state",
                    "remainder",
                    "origin",
                    "eligibility_diagnosis",
                ]
            },
        ),
        ADD_FIELDSETS[1],
        (
            "France Travail",
            {
                "fields": [
                    "ft_notification_status",
                    "ft_notification_at",
                    "ft_notification_endpoint",
                    "ft_notification_code",
                ]
            },
        ),
        ("Suivi", {"fields": ["created_at", "created_by", "updated_at"]}),
    ]

    def get_queryset(self, request):
        # `state` reads the suspensions: one prefetch for the whole list.
        return super().get_queryset(request).prefetch_related("suspensions")

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def get_fieldsets(self, request, obj=None):
        return self.CHANGE_FIELDSETS if obj else self.ADD_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        editable = {"number"}
        return [field for _, options in self.CHANGE_FIELDSETS for field in options["fields"] if field not in editable]

    @admin.display(description="numéro", ordering="number")
    def number_with_spaces(self, obj):
        return obj.number_with_spaces

    @admin.display(description="état")
    def state(self, obj):
        return rules.approval_state(obj).label

    @admin.display(description="reliquat")
    def remainder(self, obj):
        on = today()
        return rules.remainder_display(rules.approval_remainder(obj, on=on), on=on)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A refusal of the rules while saving (raised inside the admin's transaction, which it rolls back) is shown
        as an error message on the form page again, never as a server error."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except rules.ApprovalError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # The admin runs this in the request's transaction: the locks last until the PASS is committed.
        # pass_iae.md §4, §20.3: the job seeker row lock serialises this creation with a hiring of the same person
        # (`approval_issue_or_reuse` takes the same lock), and the form's "no valid PASS" check is made again under
        # it: a hiring may have given the person a PASS since the form was validated.
        job_seeker = User.objects.select_for_update().get(pk=obj.user_id)
        if rules.valid_approval(job_seeker) is not None:
            raise rules.ApprovalError(f"{VALID_APPROVAL_HELD} Aucun PASS IAE n'a été créé.")
        if not obj.number:
            obj.number = rules.next_approval_number()
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
        rules.log_event(obj, ApprovalEventKind.CREATED, user=request.user, start_at=obj.start_at, end_at=obj.end_at)

    # pass_iae.md §10: a deletion always writes the cancelled-PASS snapshot; bulk deletion is forbidden.
    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        rules.approval_delete(obj, by_user=request.user)

    def delete_queryset(self, request, queryset):
        raise PermissionDenied("La suppression groupée des PASS IAE est interdite.")

    @admin.action(description="Clôturer le PASS IAE aujourd'hui", permissions=["change"])
    def terminate(self, request, queryset):
        done = 0
        for approval in queryset:
            try:
                with transaction.atomic():
                    rules.approval_terminate(approval, by_user=request.user)
            except rules.ApprovalError as error:
                self.message_user(request, f"{approval} : {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, f"{done} PASS IAE clôturé(s) à la date du jour.", messages.SUCCESS)


@admin.register(CancelledApproval)
class CancelledApprovalAdmin(AuditHistoryMixin, admin.ModelAdmin):
    """Snapshots of deleted PASS (pass_iae.md §10): kept as written, sent to France Travail, anonymised later."""

    list_display = ["number", "user_last_name", "user_first_name", "start_at", "end_at", "ft_notification_status"]
    list_filter = ["ft_notification_status", "origin_siae_kind"]
    search_fields = ["=number", "user_last_name", "user_first_name", "user_nir"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # anonymisation is an explicit job, never a click
