from django.urls import path

from inclusion.companies import signup

urlpatterns = [
    path("inscription/employeur/", signup.employer_signup, name="employer_signup"),
    path("inscription/employeur/envoyer-le-lien/", signup.employer_signup_send_link, name="employer_signup_send_link"),
    path("inscription/employeur/rejoindre/<str:token>/", signup.employer_signup_join, name="employer_signup_join"),
    path("inscription/employeur/verifiez-vos-e-mails/", signup.employer_signup_done, name="employer_signup_done"),
]
