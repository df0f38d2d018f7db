from django.contrib import admin

from inclusion.institutions.models import Institution, InstitutionMembership
from inclusion.organizations.admin import MembershipAdmin, MembershipInline, OrganizationAdmin


class InstitutionMembershipInline(MembershipInline):
    model = InstitutionMembership


@admin.register(Institution)
class InstitutionAdmin(OrganizationAdmin):
    list_display = ["name", "kind", "department", "city"]
    list_filter = ["kind", "department"]
    search_fields = ["name", "city", "post_code"]
    inlines = [InstitutionMembershipInline]
    fieldsets = [(None, {"fields": ["uid", "kind", "name", "created_at"]}), OrganizationAdmin.address_fieldset]


@admin.register(InstitutionMembership)
class InstitutionMembershipAdmin(MembershipAdmin):
    list_filter = MembershipAdmin.list_filter + ["organization__kind"]
