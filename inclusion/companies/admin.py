from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone

from inclusion.companies.models import (
    CONVENTION_GRACE_PERIOD,
    Company,
    CompanyMembership,
    Convention,
    FinancialAnnex,
    JobDescription,
)
from inclusion.organizations.admin import MembershipAdmin, MembershipInline, OrganizationAdmin


def reactivate_conventions(request, conventions):
    """conventionnement.md §1.2: a support reactivation protects the convention from the imports for 90 days."""
    count = 0
    for convention in conventions:
        convention.reactivate(by=request.user)
        count += 1
    return count


class FinancialAnnexInline(admin.TabularInline):
    """The annexes come from the ASP import: shown, never edited here."""

    model = FinancialAnnex
    fields = ["number", "state", "start_at", "end_at", "is_active_today"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="active aujourd'hui", boolean=True)
    def is_active_today(self, obj):
        return obj.is_active()


@admin.register(Convention)
class ConventionAdmin(admin.ModelAdmin):
    list_display = ["asp_id", "kind", "siret_signature", "is_active", "deactivated_at", "reactivated_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["=asp_id", "siret_signature", "financial_annexes__number", "companies__name"]
    # Everything comes from the ASP import; the support acts through the "Réactiver la convention" action only.
    fields = readonly_fields = [
        "asp_id",
        "kind",
        "siret_signature",
        "is_active",
        "deactivated_at",
        "reactivated_at",
        "reactivated_by",
        "created_at",
        "updated_at",
    ]
    inlines = [FinancialAnnexInline]
    actions = ["reactivate"]

    def has_add_permission(self, request):
        return False  # conventions are created by the ASP import only

    def has_delete_permission(self, request, obj=None):
        return False  # the ASP import owns them; an orphan convention does no harm

    @admin.action(description="Réactiver la convention", permissions=["change"])
    def reactivate(self, request, queryset):
        count = reactivate_conventions(request, queryset)
        self.message_user(
            request,
            f"{count} convention(s) réactivée(s) : les imports ne les désactiveront pas pendant 90 jours.",
            messages.SUCCESS,
        )


class ConventionStateFilter(admin.SimpleListFilter):
    """organizations.md §8.4: active, in its 30-day grace period, or past it."""

    title = "état de la convention"
    parameter_name = "convention_state"

    def lookups(self, request, model_admin):
        return [
            ("active", "Active"),
            ("grace", "Désactivée, en période de grâce"),
            ("expired", "Désactivée, période de grâce terminée"),
            ("none", "Sans convention"),
        ]

    def queryset(self, request, queryset):
        grace_start = timezone.now() - CONVENTION_GRACE_PERIOD
        inactive = Q(convention__is_active=False)
        filters = {
            "active": Q(convention__is_active=True),
            "grace": inactive & Q(convention__deactivated_at__gt=grace_start),
            "expired": inactive
            & (Q(convention__deactivated_at__lte=grace_start) | Q(convention__deactivated_at=None)),
            "none": Q(convention__isnull=True),
        }
        return queryset.filter(filters[self.value()]) if self.value() in filters else queryset


class CompanyMembershipInline(MembershipInline):
    model = CompanyMembership


@admin.register(Company)
class CompanyAdmin(OrganizationAdmin):
    list_display = ["display_name", "kind", "siret", "city", "department", "source", "convention", "is_searchable"]
    list_filter = [
        "kind",
        "source",
        ConventionStateFilter,
        "is_searchable",
        "block_job_applications",
        "department",
    ]
    list_select_related = ["convention"]
    search_fields = ["name", "brand", "siret", "city", "post_code", "=convention__asp_id"]
    autocomplete_fields = [*OrganizationAdmin.autocomplete_fields, "convention"]
    inlines = [CompanyMembershipInline]
    actions = ["reactivate_convention"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "uid",
                    "kind",
                    "siret",
                    "naf",
                    "name",
                    "brand",
                    "source",
                    "convention",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
        ("Contact", {"fields": ["phone", "email", "auth_email", "website"]}),
        OrganizationAdmin.address_fieldset,
        ("Présentation", {"fields": ["description", "provided_support"]}),
        (
            "Candidatures",
            {
                "fields": [
                    "is_searchable",
                    "is_convergence",
                    "block_job_applications",
                    "spontaneous_applications_open_since",
                ]
            },
        ),
    ]

    @admin.display(description="nom", ordering="name")
    def display_name(self, obj):
        return obj.display_name

    @admin.action(description="Réactiver la convention", permissions=["change"])
    def reactivate_convention(self, request, queryset):
        conventions = Convention.objects.filter(companies__in=queryset).distinct()
        count = reactivate_conventions(request, conventions)
        self.message_user(
            request,
            f"{count} convention(s) réactivée(s) : les imports ne les désactiveront pas pendant 90 jours.",
            messages.SUCCESS,
        )


@admin.register(CompanyMembership)
class CompanyMembershipAdmin(MembershipAdmin):
    list_filter = MembershipAdmin.list_filter + ["organization__kind"]


@admin.register(JobDescription)
class JobDescriptionAdmin(admin.ModelAdmin):
    list_display = [
        "display_name",
        "company",
        "contract_type",
        "open_positions",
        "is_active",
        "last_employer_update_at",
    ]
    list_filter = ["is_active", "contract_type", "company__kind"]
    list_select_related = ["company", "appellation"]
    search_fields = ["custom_name", "appellation__name", "appellation__rome__code", "company__name", "company__siret"]
    autocomplete_fields = ["company", "appellation", "location"]
    readonly_fields = ["uid", "created_at", "updated_at"]

    @admin.display(description="intitulé")
    def display_name(self, obj):
        return obj.display_name
