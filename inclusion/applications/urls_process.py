"""The employer's processing of received applications (applications.md §3–§11, §14, §15)."""

from django.urls import path

from inclusion.applications.views_process import batch, detail, external_transfer, geiq, refusal

urlpatterns = [
    path("entreprise/candidatures/actions/", batch.applications_batch, name="applications_batch"),
    path(
        "entreprise/candidatures/actions/<str:selection_id>/mettre-en-attente/",
        batch.applications_postpone,
        name="applications_postpone",
    ),
    path(
        "entreprise/candidatures/actions/<str:selection_id>/vivier/",
        batch.applications_add_to_pool,
        name="applications_add_to_pool",
    ),
    path(
        "entreprise/candidatures/actions/<str:selection_id>/decliner/<slug:step>/",
        refusal.refusal_wizard,
        name="refusal_wizard",
    ),
    path(
        "entreprise/candidatures/actions/<str:selection_id>/transferer/",
        batch.applications_transfer,
        name="applications_transfer",
    ),
    path(
        "entreprise/candidatures/<uuid:job_application_id>/",
        detail.application_detail_company,
        name="application_detail_company",
    ),
    path(
        "entreprise/candidatures/<uuid:job_application_id>/commentaires/<int:comment_id>/supprimer/",
        detail.application_comment_delete,
        name="application_comment_delete",
    ),
    path(
        "entreprise/candidatures/<uuid:job_application_id>/transfert-externe/",
        external_transfer.application_external_transfer,
        name="application_external_transfer",
    ),
    path(
        "entreprise/candidatures/<uuid:job_application_id>/transfert-externe/<uuid:company_uid>/",
        external_transfer.application_external_transfer_company,
        name="application_external_transfer_company",
    ),
    path(
        "entreprise/candidatures/<uuid:job_application_id>/actions-prealables/ajouter/",
        geiq.prior_action_add,
        name="prior_action_add",
    ),
    path(
        "entreprise/candidatures/<uuid:job_application_id>/actions-prealables/<int:prior_action_id>/modifier/",
        geiq.prior_action_edit,
        name="prior_action_edit",
    ),
    path(
        "entreprise/candidatures/<uuid:job_application_id>/actions-prealables/<int:prior_action_id>/supprimer/",
        geiq.prior_action_delete,
        name="prior_action_delete",
    ),
    path("candidatures/<uuid:job_application_id>/cv/", detail.application_resume, name="application_resume"),
]
