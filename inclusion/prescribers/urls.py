from django.urls import path

from inclusion.prescribers import followup, views

urlpatterns = [
    path("prescripteur/candidats-suivis/", followup.followed_job_seekers_list, name="followed_job_seekers"),
    path("inscription/prescripteur/", views.prescriber_signup, name="prescriber_signup"),
    path("inscription/prescripteur/organisation/", views.prescriber_signup_create, name="prescriber_signup_create"),
    path(
        "inscription/prescripteur/verifiez-vos-e-mails/",
        views.prescriber_signup_done,
        name="prescriber_signup_done",
    ),
    path(
        "inscription/prescripteur/demander-une-invitation/<uuid:uid>/",
        views.prescriber_request_invitation,
        name="prescriber_request_invitation",
    ),
]
