"""What the three organization admins share: readable lists, search, filters and membership inlines."""

from django.contrib import admin
from django.db import models

from inclusion.audit.admin import AuditHistoryMixin


class MembershipInline(admin.TabularInline):
    fields = ["user", "is_admin", "is_active", "joined_at", "updated_by"]
    readonly_fields = ["joined_at", "updated_by"]
    autocomplete_fields = ["user"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "updated_by")


class MembershipAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["user", "organization", "is_admin", "is_active", "joined_at"]
    list_filter = ["is_admin", "is_active"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    readonly_fields = ["updated_by"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class OrganizationAdmin(AuditHistoryMixin, admin.ModelAdmin):
    # A website typed without a scheme is https (the Django 6.0 default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ["name", "siret", "city", "post_code"]
    readonly_fields = ["uid", "created_at", "updated_at", "latitude", "longitude", "department", "city"]
    autocomplete_fields = ["commune"]
    address_fieldset = (
        "Adresse",
        {
            "fields": [
                "address_line_1",
                "address_line_2",
                "post_code",
                "commune",
                "city",
                "department",
                "latitude",
                "longitude",
            ]
        },
    )

    def save_model(self, request, obj, form, change):
        if "commune" in form.changed_data:
            obj.set_location_from_commune(obj.commune)
        super().save_model(request, obj, form, change)
