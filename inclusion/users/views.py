from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_safe

from inclusion.organizations.middleware import organization_not_required
from inclusion.users.email_verification import (
    mark_email_verified,
    send_email_verification,
    user_from_verification_link,
)
from inclusion.users.forms import JobSeekerSignupForm, LoginForm, PasswordResetForm, SetPasswordForm
from inclusion.utils import ratelimit

public_page = [login_not_required, organization_not_required]


@method_decorator(public_page, name="dispatch")
class LoginView(auth_views.LoginView):
    """E-mail and password; ten failed logins in a row from one address are throttled (issue 6), and the admin's
    own login page sends here (inclusion/users/two_factor.py), so that there is no other door."""

    template_name = "users/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": "Connexion"}

    def post(self, request, *args, **kwargs):
        # Checked before the password, so that even the right one is refused: guessing gains nothing.
        if retry_after := ratelimit.login_retry_after(request):
            return ratelimit.too_many_requests(
                request,
                retry_after,
                heading=ratelimit.LOGIN_BLOCKED_HEADING,
                explanation=ratelimit.LOGIN_BLOCKED_EXPLANATION,
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        ratelimit.login_succeeded(self.request)
        return super().form_valid(form)

    def form_invalid(self, form):
        # Only a wrong e-mail or password is a guess; a malformed address or an unconfirmed account is not.
        if form.has_error(NON_FIELD_ERRORS, "invalid_login"):
            ratelimit.login_failed(self.request)
        return super().form_invalid(form)


@method_decorator(public_page, name="dispatch")
class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "Vous êtes déconnecté(e). À bientôt !")
        return response


@method_decorator(public_page, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "users/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "users/emails/password_reset_body.txt"
    subject_template_name = "users/emails/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")
    extra_context = {"title": "Mot de passe oublié"}


@method_decorator(public_page, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "users/password_reset_done.html"
    extra_context = {"title": "E-mail envoyé"}


@method_decorator(public_page, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "users/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("password_reset_complete")
    extra_context = {"title": "Nouveau mot de passe"}

    def form_valid(self, form):
        mark_email_verified(self.user, save=False)  # saved with the new password
        return super().form_valid(form)


@method_decorator(public_page, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "users/password_reset_complete.html"
    extra_context = {"title": "Mot de passe modifié"}


@login_not_required
@organization_not_required
@require_http_methods(["GET", "POST"])
def job_seeker_signup(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = JobSeekerSignupForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = form.save()
        except IntegrityError:
            # Another signup with the same e-mail or NIR won the race between validation and insertion.
            form.add_error(None, "Un compte existe déjà avec cette adresse e-mail ou ce numéro de sécurité sociale.")
        else:
            send_email_verification(request, user)
            return redirect("job_seeker_signup_done")
    return render(request, "users/job_seeker_signup.html", {"form": form, "title": "Inscription candidat"})


@login_not_required
@organization_not_required
@require_safe
def job_seeker_signup_done(request):
    return render(request, "users/job_seeker_signup_done.html", {"title": "Vérifiez votre messagerie"})


@login_not_required
@organization_not_required
@require_safe
def email_verification(request, uidb64, token):
    user = user_from_verification_link(uidb64, token)
    if user is None:
        return render(request, "users/email_verification_invalid.html", {"title": "Lien expiré"})
    mark_email_verified(user)
    login(request, user, backend="inclusion.users.backends.EmailBackend")
    messages.success(request, "Votre adresse e-mail est confirmée : bienvenue sur la Plateforme de l'inclusion !")
    return redirect("dashboard")
