from django.urls import path

from inclusion.companies import views

urlpatterns = [
    path("mon-entreprise/modifier/", views.company_edit, name="company_edit"),
    path("mon-entreprise/fiches-de-poste/", views.job_description_list, name="job_description_list"),
    path("mon-entreprise/fiches-de-poste/nouvelle/", views.job_description_create, name="job_description_create"),
    path(
        "mon-entreprise/fiches-de-poste/<uuid:job_description_uid>/modifier/",
        views.job_description_edit,
        name="job_description_edit",
    ),
    path(
        "mon-entreprise/fiches-de-poste/<uuid:job_description_uid>/recrutement/",
        views.job_description_toggle,
        name="job_description_toggle",
    ),
    path(
        "mon-entreprise/fiches-de-poste/<uuid:job_description_uid>/supprimer/",
        views.job_description_delete,
        name="job_description_delete",
    ),
    path(
        "mon-entreprise/candidatures-spontanees/",
        views.company_spontaneous_applications,
        name="company_spontaneous_applications",
    ),
    path("mon-entreprise/blocage-candidatures/", views.company_block_applications, name="company_block_applications"),
]
