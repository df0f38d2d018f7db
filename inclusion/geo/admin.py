from django.contrib import admin

from inclusion.geo.models import Commune, CommuneFormerCode, Country, Department, PostalCode, Region


class ReadOnlyReferenceAdmin(admin.ModelAdmin):
    """Reference data comes from import_reference_data; support staff read it, they do not edit it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyReferenceAdmin):
    list_display = ["code", "name", "zone"]
    list_filter = ["zone"]
    search_fields = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(ReadOnlyReferenceAdmin):
    list_display = ["code", "name", "region", "zone"]
    list_filter = ["zone", "region"]
    list_select_related = ["region"]
    search_fields = ["code", "name"]


class FormerCodeInline(admin.TabularInline):
    model = CommuneFormerCode
    fields = ["former_code", "former_name", "relation"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Commune)
class CommuneAdmin(ReadOnlyReferenceAdmin):
    list_display = ["code_insee", "name", "postal_codes", "department", "kind", "zrr_status", "latitude", "longitude"]
    list_filter = ["kind", "zrr_status", "department__zone", "department"]
    list_select_related = ["department"]
    search_fields = ["code_insee", "name", "postal_codes"]
    inlines = [FormerCodeInline]


@admin.register(PostalCode)
class PostalCodeAdmin(ReadOnlyReferenceAdmin):
    list_display = ["code", "commune"]
    list_select_related = ["commune"]
    search_fields = ["code", "commune__name"]


@admin.register(Country)
class CountryAdmin(ReadOnlyReferenceAdmin):
    list_display = ["insee_code", "asp_code", "name", "kind", "group"]
    list_filter = ["kind", "group"]
    search_fields = ["insee_code", "name"]
