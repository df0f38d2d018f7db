from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from inclusion.organizations.admin import MembershipAdmin, MembershipInline, OrganizationAdmin
from inclusion.prescribers import authorization
from inclusion.prescribers.enums import AuthorizationStatus
from inclusion.prescribers.models import PrescriberMembership, PrescriberOrganization
from inclusion.prescribers.perms import can_manage_authorization


class PrescriberMembershipInline(MembershipInline):
    model = PrescriberMembership


# organizations.md §9.2: the decisions the support takes, from the list (several) or the change page (one).
DECISIONS = {
    "validate": (authorization.validate, "L'habilitation de « {} » est validée ; ses membres sont prévenus."),
    "refuse": (authorization.refuse, "L'habilitation de « {} » est refusée ; ses membres sont prévenus."),
}


@admin.register(PrescriberOrganization)
class PrescriberOrganizationAdmin(OrganizationAdmin):
    list_display = ["name", "kind", "authorization_status", "siret", "city", "department"]
    list_filter = ["authorization_status", "kind", "is_brsa", "department"]
    search_fields = ["name", "siret", "code_safir_pole_emploi", "city", "post_code"]
    inlines = [PrescriberMembershipInline]
    # The status changes only through the decisions below, or follows a change of kind.
    readonly_fields = OrganizationAdmin.readonly_fields + [
        "authorization_status",
        "authorization_updated_at",
        "authorization_updated_by",
    ]
    fieldsets = [
        (None, {"fields": ["uid", "kind", "siret", "code_safir_pole_emploi", "name", "is_brsa", "created_at"]}),
        (
            "Habilitation",
            {
                "fields": ["authorization_status", "authorization_updated_at", "authorization_updated_by"],
                "description": "Le statut change avec les boutons « Valider » et « Refuser l'habilitation », ou "
                "revient « en attente » (« pas nécessaire » pour le type Autre) quand le type change.",
            },
        ),
        ("Contact", {"fields": ["phone", "email", "website", "description"]}),
        OrganizationAdmin.address_fieldset,
    ]
    actions = ["validate_authorization", "refuse_authorization"]
    change_form_template = "prescribers/admin/change_form.html"

    def get_ordering(self, request):
        # Pending organizations first: they are the support's work queue.
        pending_first = Case(
            When(authorization_status=AuthorizationStatus.NOT_SET, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return [pending_first.asc(), "name"]

    def save_model(self, request, obj, form, change):
        if not change or "kind" in form.changed_data:
            authorization.apply_kind_change(obj, request.user)
        super().save_model(request, obj, form, change)

    # Decisions ----------------------------------------------------------------------------------------------------

    def _decide(self, request, organization, decision):
        function, success = DECISIONS[decision]
        try:
            function(organization, request.user)
        except authorization.AuthorizationError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, success.format(organization.display_name), messages.SUCCESS)

    @admin.action(description="Valider l'habilitation", permissions=["change"])
    def validate_authorization(self, request, queryset):
        for organization in queryset:
            self._decide(request, organization, "validate")

    @admin.action(description="Refuser l'habilitation", permissions=["change"])
    def refuse_authorization(self, request, queryset):
        for organization in queryset:
            self._decide(request, organization, "refuse")

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:object_id>/habilitation/<str:decision>/",
                self.admin_site.admin_view(require_POST(self.decision_view)),
                name="{}_{}_authorization".format(*info),
            ),
            *super().get_urls(),
        ]

    def decision_view(self, request, object_id, decision):
        if decision not in DECISIONS:
            raise Http404("Décision inconnue.")
        organization = get_object_or_404(PrescriberOrganization, pk=object_id)
        if not self.has_change_permission(request, organization):
            raise Http404("Organisation introuvable.")
        self._decide(request, organization, decision)
        return HttpResponseRedirect(reverse("admin:prescribers_prescriberorganization_change", args=[object_id]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and can_manage_authorization(request.user):
            url_name = "admin:prescribers_prescriberorganization_authorization"
            context["authorization_decisions"] = [
                {
                    "url": reverse(url_name, args=[obj.pk, "validate"]),
                    "label": "Valider l'habilitation",
                    "error": authorization.validation_error(obj, request.user),
                },
                {
                    "url": reverse(url_name, args=[obj.pk, "refuse"]),
                    "label": "Refuser l'habilitation",
                    "error": authorization.refusal_error(obj, request.user),
                },
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(PrescriberMembership)
class PrescriberMembershipAdmin(MembershipAdmin):
    list_filter = MembershipAdmin.list_filter + ["organization__authorization_status"]
