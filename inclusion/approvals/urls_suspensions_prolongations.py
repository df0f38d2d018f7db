from django.urls import path

from inclusion.approvals import views_prolongations, views_suspensions

urlpatterns = [
    # Suspensions, for the last hiring SIAE (pass_iae.md §13).
    path("pass-iae/<uuid:public_id>/suspendre/", views_suspensions.suspension_create, name="suspension_create"),
    path("suspensions/<uuid:public_id>/modifier/", views_suspensions.suspension_update, name="suspension_update"),
    path(
        "suspensions/<uuid:public_id>/reintegrer/",
        views_suspensions.suspension_end_early,
        name="suspension_end_early",
    ),
    path("suspensions/<uuid:public_id>/supprimer/", views_suspensions.suspension_delete, name="suspension_delete"),
    # Prolongations, for the SIAE with an accepted application carrying the PASS (pass_iae.md §14).
    path(
        "pass-iae/<uuid:public_id>/prolonger/",
        views_prolongations.prolongation_declare,
        name="prolongation_declare",
    ),
    # Prolongation requests, for the addressed authorized prescriber organization (pass_iae.md §15).
    path(
        "prescripteur/demandes-de-prolongation/",
        views_prolongations.prolongation_requests,
        name="prolongation_requests",
    ),
    path(
        "prescripteur/demandes-de-prolongation/<uuid:public_id>/",
        views_prolongations.prolongation_request_detail,
        name="prolongation_request_detail",
    ),
    path(
        "prescripteur/demandes-de-prolongation/<uuid:public_id>/accepter/",
        views_prolongations.prolongation_request_grant,
        name="prolongation_request_grant",
    ),
    path(
        "prescripteur/demandes-de-prolongation/<uuid:public_id>/refuser/",
        views_prolongations.prolongation_request_deny,
        name="prolongation_request_deny",
    ),
    path(
        "prescripteur/demandes-de-prolongation/<uuid:public_id>/fiche-bilan/",
        views_prolongations.prolongation_request_report,
        name="prolongation_request_report",
    ),
]
