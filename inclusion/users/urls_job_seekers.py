from django.urls import path

from inclusion.users import views_job_seekers as views

urlpatterns = [
    path("candidats/trouver/", views.job_seeker_find, name="job_seeker_find"),
    path("candidats/trouver/<uuid:state_id>/<slug:step>/", views.job_seeker_find_step, name="job_seeker_find_step"),
    path("candidats/<uuid:public_id>/completer/", views.job_seeker_complete, name="job_seeker_complete"),
    path("mon-profil/", views.job_seeker_profile, name="job_seeker_profile"),
]
