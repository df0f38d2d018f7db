from django.urls import path

from inclusion.eligibility import views

urlpatterns = [
    path(
        "candidats/<uuid:public_id>/eligibilite-iae/",
        views.eligibility_iae_prescriber,
        name="eligibility_iae_prescriber",
    ),
    path(
        "candidats/<uuid:public_id>/eligibilite-geiq/",
        views.eligibility_geiq_prescriber,
        name="eligibility_geiq_prescriber",
    ),
    path(
        "candidatures/<uuid:job_application_id>/eligibilite-iae/",
        views.eligibility_iae_employer,
        name="eligibility_iae_employer",
    ),
    path(
        "candidatures/<uuid:job_application_id>/eligibilite-geiq/",
        views.eligibility_geiq_employer,
        name="eligibility_geiq_employer",
    ),
    path("mon-eligibilite/", views.eligibility_job_seeker, name="eligibility_job_seeker"),
]
