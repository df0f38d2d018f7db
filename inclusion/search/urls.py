from django.urls import path

from inclusion.search import views

urlpatterns = [
    path("recherche/employeurs/", views.search_companies, name="search_companies"),
    path("recherche/fiches-de-poste/", views.search_job_descriptions, name="search_job_descriptions"),
    path("recherche/prescripteurs/", views.search_prescribers, name="search_prescribers"),
    path("entreprise/<uuid:company_uid>/", views.company_card, name="company_card"),
    path("fiche-de-poste/<uuid:job_description_uid>/", views.job_description_card, name="job_description_card"),
    path("prescripteur/<uuid:organization_uid>/", views.prescriber_card, name="prescriber_card"),
]
