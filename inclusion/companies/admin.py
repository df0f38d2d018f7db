from django.contrib import admin

from inclusion.companies.models import Company, CompanyMembership, JobDescription
from inclusion.organizations.admin import MembershipAdmin, MembershipInline, OrganizationAdmin


class CompanyMembershipInline(MembershipInline):
    model = CompanyMembership


@admin.register(Company)
class CompanyAdmin(OrganizationAdmin):
    list_display = ["display_name", "kind", "siret", "city", "department", "source", "is_searchable"]
    list_filter = ["kind", "source", "is_searchable", "block_job_applications", "department"]
    search_fields = ["name", "brand", "siret", "city", "post_code"]
    inlines = [CompanyMembershipInline]
    fieldsets = [
        (None, {"fields": ["uid", "kind", "siret", "naf", "name", "brand", "source", "created_at", "updated_at"]}),
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
