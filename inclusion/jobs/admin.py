from django.contrib import admin

from inclusion.geo.admin import ReadOnlyReferenceAdmin
from inclusion.jobs.models import Appellation, Rome


class AppellationInline(admin.TabularInline):
    model = Appellation
    fields = ["code", "name"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Rome)
class RomeAdmin(ReadOnlyReferenceAdmin):
    list_display = ["code", "name", "domain_name", "grand_domain_name"]
    list_filter = ["grand_domain_name"]
    search_fields = ["code", "name"]
    inlines = [AppellationInline]


@admin.register(Appellation)
class AppellationAdmin(ReadOnlyReferenceAdmin):
    list_display = ["code", "name", "rome"]
    list_select_related = ["rome"]
    list_filter = ["rome__grand_domain_name"]
    search_fields = ["code", "name", "rome__code"]
