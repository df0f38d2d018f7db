"""Back-office of the job applications: for now, the support's handling of manual PASS IAE requests
(pass_iae.md §6 step 6, §9). The applications are shown read-only; their journey lives in the applications app."""

from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html

from inclusion.applications.enums import ApprovalDeliveryMode, JobApplicationState
from inclusion.applications.models import JobApplication, JobApplicationTransitionLog
from inclusion.approvals import rules

MANUAL_APPROVAL_PERMISSION = "approvals.handle_manual_approval_requests"


class ManualApprovalRequestFilter(admin.SimpleListFilter):
    """pass_iae.md §9: accepted applications waiting for the support (no PASS, neither delivered nor refused)."""

    title = "demande de PASS IAE manuelle"
    parameter_name = "manual_approval"

    def lookups(self, request, model_admin):
        return [("todo", "À traiter"), ("delivered", "PASS IAE délivré"), ("refused", "PASS IAE refusé")]

    def queryset(self, request, queryset):
        manual = queryset.filter(approval_delivery_mode=ApprovalDeliveryMode.MANUAL)
        if self.value() == "todo":
            return manual.filter(
                state=JobApplicationState.ACCEPTED,
                approval__isnull=True,
                approval_manually_delivered_at__isnull=True,
                approval_manually_refused_at__isnull=True,
            )
        if self.value() == "delivered":
            return manual.filter(approval_manually_delivered_at__isnull=False)
        if self.value() == "refused":
            return manual.filter(approval_manually_refused_at__isnull=False)
        return queryset


class TransitionLogInline(admin.TabularInline):
    """applications.md §3: the transition history, read-only (only the state machine writes it)."""

    model = JobApplicationTransitionLog
    fields = ["created_at", "transition", "from_state", "to_state", "user", "target_company"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["created_at", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "target_company")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(JobApplication)
class JobApplicationAdmin(admin.ModelAdmin):
    inlines = [TransitionLogInline]
    list_display = [
        "job_seeker",
        "to_company",
        "state",
        "hiring_start_at",
        "approval",
        "approval_delivery_mode",
        "created_at",
    ]
    list_select_related = ["job_seeker", "to_company", "approval"]
    list_filter = [ManualApprovalRequestFilter, "state", "approval_delivery_mode", "to_company__kind"]
    search_fields = ["job_seeker__email", "job_seeker__first_name", "job_seeker__last_name", "to_company__siret"]
    ordering = ["-created_at"]
    actions = ["deliver_approval", "refuse_approval"]
    fieldsets = [
        (None, {"fields": ["id", "job_seeker", "sender_kind", "sender", "sender_prescriber_organization"]}),
        ("Embauche", {"fields": ["to_company", "state", "hiring_start_at", "hiring_end_at", "accepted_at"]}),
        (
            "PASS IAE",
            {
                "fields": [
                    "eligibility_diagnosis",
                    "approval",
                    "approval_delivery_mode",
                    "manual_request",
                    "approval_number_sent_by_email",
                    "approval_number_sent_at",
                    "approval_manually_delivered_by",
                    "approval_manually_delivered_at",
                    "approval_manually_refused_by",
                    "approval_manually_refused_at",
                ]
            },
        ),
    ]
    readonly_fields = [field for _, options in fieldsets for field in options["fields"]]

    def has_add_permission(self, request):
        return False  # applications are created by their journey, never here

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_handle_manual_approval_requests_permission(self, request):
        return request.user.has_perm(MANUAL_APPROVAL_PERMISSION)

    @admin.display(description="demande manuelle")
    def manual_request(self, obj):
        reason = rules.manual_request_refusal_reason(obj)
        if obj.approval_delivery_mode != ApprovalDeliveryMode.MANUAL or reason:
            return "—"
        url = reverse("admin:applications_jobapplication_changelist") + f"?id={obj.pk}"
        return format_html('<a href="{}">À traiter : délivrer ou refuser le PASS IAE</a>', url)

    def _process(self, request, queryset, process, success_message):
        done = 0
        for job_application in queryset.select_related("job_seeker", "to_company"):
            try:
                with transaction.atomic():
                    process(job_application=job_application, by_user=request.user)
            except rules.ApprovalError as error:
                self.message_user(request, f"{job_application} : {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, success_message.format(count=done), messages.SUCCESS)

    @admin.action(description="Délivrer le PASS IAE", permissions=["handle_manual_approval_requests"])
    def deliver_approval(self, request, queryset):
        self._process(
            request,
            queryset,
            rules.approval_deliver_manually,
            "{count} PASS IAE délivré(s) ; l'employeur a été prévenu par e-mail.",
        )

    @admin.action(description="Refuser la délivrance du PASS IAE", permissions=["handle_manual_approval_requests"])
    def refuse_approval(self, request, queryset):
        self._process(
            request,
            queryset,
            rules.approval_refuse_manually,
            "{count} demande(s) de PASS IAE refusée(s) ; l'employeur a été prévenu par e-mail.",
        )
