from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from inclusion.users.models import JobSeekerProfile, User


class JobSeekerProfileInline(admin.StackedInline):
    model = JobSeekerProfile
    fk_name = "user"
    can_delete = False
    autocomplete_fields = ["birth_country", "created_by_prescriber_organization"]
    readonly_fields = ["asp_uid"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["email", "first_name", "last_name", "kind", "is_active", "date_joined", "last_login"]
    list_filter = ["kind", "is_active", "identity_provider", "is_superuser"]
    search_fields = ["email", "first_name", "last_name", "jobseeker_profile__nir", "public_id"]
    ordering = ["-date_joined"]
    readonly_fields = ["public_id", "date_joined", "last_login", "first_login", "created_by"]
    autocomplete_fields = ["commune"]
    fieldsets = [
        (None, {"fields": ["public_id", "email", "password", "kind", "identity_provider"]}),
        ("Identité", {"fields": ["title", "first_name", "last_name", "phone"]}),
        ("Adresse", {"fields": ["address_line_1", "address_line_2", "post_code", "city", "commune"]}),
        ("Droits", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["date_joined", "last_login", "first_login", "terms_accepted_at", "created_by"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "kind", "password1", "password2"]})]

    # Who may grant back-office rights is decided by superusers only: support staff cannot raise anyone's.
    RIGHTS_FIELDS = ["kind", "is_staff", "is_superuser", "groups", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += self.RIGHTS_FIELDS
        return readonly

    def get_inlines(self, request, obj):
        return [JobSeekerProfileInline] if obj and obj.is_job_seeker else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.is_job_seeker:
            JobSeekerProfile.objects.get_or_create(user=obj)


@admin.register(JobSeekerProfile)
class JobSeekerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "birthdate", "nir", "pole_emploi_id", "education_level"]
    list_select_related = ["user"]
    list_filter = ["education_level", "has_rsa_allocation", "is_stalled"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "nir", "pole_emploi_id"]
    autocomplete_fields = ["user", "birth_country", "created_by_prescriber_organization"]
    readonly_fields = ["asp_uid"]
