"""Support back-office of the eligibility: criteria (reference data, read-only) and diagnoses.

Diagnoses are created by the rules (`rules.py`), never here: creation has side effects (assignment, certification).
Staff may correct the expiry and the criteria of a diagnosis, within the rules of eligibility.md §4 / §7.2, but
cannot remove a certified criterion (eligibility.md §6.5).
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from inclusion.audit.admin import AuditHistoryMixin
from inclusion.eligibility import certification, rules
from inclusion.eligibility.models import (
    AdministrativeCriteria,
    EligibilityDiagnosis,
    GEIQAdministrativeCriteria,
    GEIQEligibilityDiagnosis,
    GEIQSelectedAdministrativeCriteria,
    SelectedAdministrativeCriteria,
)

CERTIFIED_CRITERION_KEPT = "Le critère « %(name)s » est certifié : il ne peut pas être retiré du diagnostic."


class ReadOnlyAdminMixin:
    """Reference data seeded on every deployment (eligibility.md §3): shown, never edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AdministrativeCriteria)
class AdministrativeCriteriaAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "ui_rank", "certifiable_by"]
    list_filter = ["level", "certifiable_by"]
    search_fields = ["code", "name"]


@admin.register(GEIQAdministrativeCriteria)
class GEIQAdministrativeCriteriaAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "annex", "level", "parent", "ui_rank"]
    list_filter = ["annex", "level"]
    search_fields = ["code", "name"]


class SelectedCriteriaFormSet(BaseInlineFormSet):
    """Keeps certified criteria (§6.5) and checks the resulting selection with the rules of the diagnosis kind."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = set()
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            original = form.instance if form.instance.pk else None
            removed = self.can_delete and self._should_delete_form(form)
            changed = original is not None and "administrative_criteria" in form.changed_data
            if original is not None and (removed or changed):
                stored = type(original).objects.select_related("administrative_criteria").get(pk=original.pk)
                if certification.is_certified(stored):
                    raise ValidationError(CERTIFIED_CRITERION_KEPT % {"name": stored.administrative_criteria.name})
            if not removed and form.cleaned_data.get("administrative_criteria"):
                kept.add(form.cleaned_data["administrative_criteria"].pk)
        errors = self.selection_errors(kept)
        if errors:
            raise ValidationError(errors)

    def selection_errors(self, codes):
        diagnosis = self.instance
        if isinstance(diagnosis, GEIQEligibilityDiagnosis):
            errors = rules.geiq_criteria_errors(codes, author_kind=diagnosis.author_kind)
            if set(rules.geiq_normalized_codes(codes)) != codes:
                errors.append("Un critère est coché sans son critère parent.")
            return errors
        company_kind = diagnosis.author_siae.kind if diagnosis.author_siae_id else None
        return rules.criteria_errors(codes, author_kind=diagnosis.author_kind, company_kind=company_kind)


class SelectedCriteriaInline(admin.TabularInline):
    formset = SelectedCriteriaFormSet
    fields = [
        "administrative_criteria",
        "certification_state",
        "certification_period_start",
        "certification_period_end",
        "certified_at",
        "last_certification_attempt_at",
    ]
    readonly_fields = fields[1:]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("administrative_criteria", "eligibility_diagnosis")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "administrative_criteria":
            kwargs["label"] = "critère"  # the model field has no French verbose name
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def diagnosis_expiry(self, diagnosis):
        """The expiry the certification is judged against, as on the screens (`eligibility/views.py`)."""
        return diagnosis.expires_at

    @admin.display(description="certification")
    def certification_state(self, obj):
        if obj.pk is None:
            return "-"
        return certification.certification_state(
            obj, diagnosis_expires_at=self.diagnosis_expiry(obj.eligibility_diagnosis)
        ).label


class IAESelectedCriteriaInline(SelectedCriteriaInline):
    model = SelectedAdministrativeCriteria

    def diagnosis_expiry(self, diagnosis):
        """eligibility.md §2.3: an IAE diagnosis linked to a valid PASS lives as long as the PASS; the screens judge
        the certification against that considered expiry ("Certifié temporairement" until then). Computed once per
        diagnosis (the inline instance lives for one request)."""
        cache = self.__dict__.setdefault("_considered_expiries", {})
        if diagnosis.pk not in cache:
            cache[diagnosis.pk] = rules.considered_to_expire_at(diagnosis)
        return cache[diagnosis.pk]


class GEIQSelectedCriteriaInline(SelectedCriteriaInline):
    model = GEIQSelectedAdministrativeCriteria


class DiagnosisAdmin(AuditHistoryMixin, admin.ModelAdmin):
    date_hierarchy = "created_at"
    search_fields = ["public_id", "job_seeker__email", "job_seeker__last_name", "job_seeker__first_name"]
    list_filter = ["author_kind"]
    # Who, for whom and when are facts: only the expiry and the criteria can be corrected.
    fields = [
        "public_id",
        "job_seeker",
        "author",
        "author_kind",
        "author_structure",
        "created_at",
        "updated_at",
        "expires_at",
    ]

    def get_readonly_fields(self, request, obj=None):
        return [name for name in self.fields if name != "expires_at"]

    def has_add_permission(self, request):
        return False  # created by the rules only (side effects: follow-up, certification)

    @admin.display(description="structure de l'auteur")
    def author_structure(self, obj):
        return obj.author_structure


@admin.register(EligibilityDiagnosis)
class EligibilityDiagnosisAdmin(DiagnosisAdmin):
    list_display = ["public_id", "job_seeker", "author_kind", "author_structure", "created_at", "expires_at"]
    list_select_related = ["job_seeker", "author_siae", "author_prescriber_organization"]
    inlines = [IAESelectedCriteriaInline]

    def get_queryset(self, request):
        # The change form's criteria check reads `author_siae.kind`. A queryset already select_related makes the
        # changelist skip `list_select_related`, so the list's relations are joined here too (one query per page).
        return super().get_queryset(request).select_related(*self.list_select_related)


@admin.register(GEIQEligibilityDiagnosis)
class GEIQEligibilityDiagnosisAdmin(DiagnosisAdmin):
    list_display = ["public_id", "job_seeker", "author_kind", "author_structure", "created_at", "expires_at"]
    list_select_related = ["job_seeker", "author_geiq", "author_prescriber_organization"]
    inlines = [GEIQSelectedCriteriaInline]
