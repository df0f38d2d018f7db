from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Count, Q

from inclusion.audit.admin import AuditHistoryMixin
from inclusion.users import two_factor
from inclusion.users.models import JobSeekerProfile, TOTPDevice, User


class JobSeekerProfileInline(admin.StackedInline):
    model = JobSeekerProfile
    fk_name = "user"
    can_delete = False
    autocomplete_fields = ["birth_country", "created_by_prescriber_organization"]
    readonly_fields = ["asp_uid"]


@admin.register(User)
class UserAdmin(AuditHistoryMixin, BaseUserAdmin):
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
class JobSeekerProfileAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["user", "birthdate", "nir", "pole_emploi_id", "education_level"]
    list_select_related = ["user"]
    list_filter = ["education_level", "has_rsa_allocation", "is_stalled"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "nir", "pole_emploi_id"]
    autocomplete_fields = ["user", "birth_country", "created_by_prescriber_organization"]
    readonly_fields = ["asp_uid"]


class TOTPDeviceStateFilter(admin.SimpleListFilter):
    title = "état"
    parameter_name = "etat"
    STATES = {
        "en-attente": ("en attente de confirmation", {"confirmed_at__isnull": True, "disabled_at__isnull": True}),
        "active": ("active", {"confirmed_at__isnull": False, "disabled_at__isnull": True}),
        "desactivee": ("désactivée", {"disabled_at__isnull": False}),
    }

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _) in self.STATES.items()]

    def queryset(self, request, queryset):
        if self.value() in self.STATES:
            return queryset.filter(**self.STATES[self.value()][1])
        return queryset


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Second-factor devices of staff members (platform_rules.md §3). The support only disables one (lost phone, no
    backup code left): the person enrols a new application at the next login. Secrets are never shown."""

    list_display = ["user", "name", "created_at", "confirmed_at", "last_used_at", "backup_codes_left", "disabled_at"]
    list_select_related = ["user"]
    list_filter = [TOTPDeviceStateFilter]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    ordering = ["-created_at"]
    fields = ["user", "name", "created_at", "confirmed_at", "last_used_at", "backup_codes_left", "disabled_at"]
    readonly_fields = fields
    actions = ["disable"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(unused_backup_codes=Count("backup_codes", filter=Q(backup_codes__used_at__isnull=True)))
        )

    @admin.display(description="codes de secours restants", ordering="unused_backup_codes")
    def backup_codes_left(self, device):
        return device.unused_backup_codes

    def has_add_permission(self, request):
        return False  # enrolment happens at the login of the person, with their phone

    @admin.action(description="Désactiver (une nouvelle application sera demandée à la prochaine connexion)")
    def disable(self, request, queryset):
        devices = list(queryset.filter(disabled_at__isnull=True))
        for device in devices:
            two_factor.device_disable(device=device)
        self.message_user(request, f"{len(devices)} application(s) désactivée(s).", messages.SUCCESS)
