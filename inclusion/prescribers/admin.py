from django.contrib import admin

from inclusion.organizations.admin import MembershipAdmin, MembershipInline, OrganizationAdmin
from inclusion.prescribers.models import PrescriberMembership, PrescriberOrganization


class PrescriberMembershipInline(MembershipInline):
    model = PrescriberMembership


@admin.register(PrescriberOrganization)
class PrescriberOrganizationAdmin(OrganizationAdmin):
    list_display = ["name", "kind", "authorization_status", "siret", "city", "department"]
    list_filter = ["authorization_status", "kind", "is_brsa", "department"]
    search_fields = ["name", "siret", "code_safir_pole_emploi", "city", "post_code"]
    inlines = [PrescriberMembershipInline]
    readonly_fields = OrganizationAdmin.readonly_fields + ["authorization_updated_at", "authorization_updated_by"]
    fieldsets = [
        (None, {"fields": ["uid", "kind", "siret", "code_safir_pole_emploi", "name", "is_brsa", "created_at"]}),
        (
            "Habilitation",
            {"fields": ["authorization_status", "authorization_updated_at", "authorization_updated_by"]},
        ),
        ("Contact", {"fields": ["phone", "email", "website", "description"]}),
        OrganizationAdmin.address_fieldset,
    ]


@admin.register(PrescriberMembership)
class PrescriberMembershipAdmin(MembershipAdmin):
    list_filter = MembershipAdmin.list_filter + ["organization__authorization_status"]
