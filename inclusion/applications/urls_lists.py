from django.urls import path

from inclusion.applications import views_lists

urlpatterns = [
    path("entreprise/candidatures/", views_lists.applications_received, name="applications_received"),
    path("candidatures-envoyees/", views_lists.applications_sent, name="applications_sent"),
    path(
        "candidatures/filtres/recues/<slug:field>/",
        views_lists.applications_received_filter,
        name="applications_received_filter",
    ),
    path(
        "candidatures/filtres/envoyees/<slug:field>/",
        views_lists.applications_sent_filter,
        name="applications_sent_filter",
    ),
    path(
        "candidatures-envoyees/<uuid:job_application_id>/",
        views_lists.application_detail_sender,
        name="application_detail_sender",
    ),
    path("mes-candidatures/", views_lists.applications_job_seeker, name="applications_job_seeker"),
    path(
        "mes-candidatures/<uuid:job_application_id>/",
        views_lists.application_detail_job_seeker,
        name="application_detail_job_seeker",
    ),
    path("candidatures/export/", views_lists.applications_export, name="applications_export"),
    path(
        "candidatures/export/<str:month>.xlsx",
        views_lists.applications_export_month,
        name="applications_export_month",
    ),
]
