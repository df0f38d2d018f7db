from django.urls import path

from inclusion.applications import views_hiring

urlpatterns = [
    path(
        "entreprise/candidatures/<uuid:job_application_id>/accepter/",
        views_hiring.application_accept,
        name="application_accept",
    ),
    path(
        "entreprise/candidatures/<uuid:job_application_id>/annuler-embauche/",
        views_hiring.application_cancel,
        name="application_cancel",
    ),
    path(
        "entreprise/candidatures/<uuid:job_application_id>/contrat/",
        views_hiring.application_contract_edit,
        name="application_contract_edit",
    ),
    path("entreprise/declarer-une-embauche/", views_hiring.direct_hire_start, name="direct_hire_start"),
]
