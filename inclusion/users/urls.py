from django.urls import path

from inclusion.users import two_factor_views, views

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("inscription/candidat/", views.job_seeker_signup, name="job_seeker_signup"),
    path("inscription/candidat/verifiez-vos-e-mails/", views.job_seeker_signup_done, name="job_seeker_signup_done"),
    path("inscription/confirmer/<uidb64>/<token>/", views.email_verification, name="email_verification"),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe/oublie/envoye/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("mot-de-passe/modifie/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("mon-compte/double-authentification/", two_factor_views.two_factor_setup, name="two_factor_setup"),
    path("mon-compte/double-authentification/verifier/", two_factor_views.two_factor_verify, name="two_factor_verify"),
]
