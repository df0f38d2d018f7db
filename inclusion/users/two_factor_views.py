"""The second step of a staff login (platform_rules.md §3): enrolment of an authenticator application, then a code
at every login. Non-staff accounts have no second step: these pages do not exist for them (404)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from inclusion.users import perms, two_factor, two_factor_totp
from inclusion.users.two_factor_forms import SetupCodeForm, VerifyCodeForm
from inclusion.utils.access import require_visible
from inclusion.utils.ratelimit import wait_in_words

WRONG_CODE = (
    "Ce code n'est pas le bon, ou il a expiré. Saisissez le code affiché en ce moment par l'application, et vérifiez "
    "que votre téléphone est à l'heure."
)


def refusal(check):
    """The French error of a refused code, and the status of the page that shows it."""
    if check.retry_after:
        return (
            "Trop de codes erronés. Par sécurité, attendez "
            f"{wait_in_words(check.retry_after)} avant de saisir un nouveau code.",
            429,
        )
    return WRONG_CODE, 200


def staff_only(request):
    require_visible(perms.has_second_factor(request.user), "Cette page ne concerne que les comptes administrateurs.")


# never_cache: the QR code, the secret and the backup codes must not stay in a browser or proxy cache.
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    staff_only(request)
    target = two_factor.next_url(request)
    if two_factor.confirmed_device(request.user):
        if two_factor.session_verified_at(request):
            messages.info(request, "La double authentification est déjà activée sur votre compte.")
            return redirect(target)
        # Only the second factor of the confirmed device may let this session in: never a new enrolment.
        return redirect(two_factor.url_with_next("two_factor_verify", target))
    device = two_factor.pending_device(request.user)
    form = SetupCodeForm(data=request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        check, backup_codes = two_factor.device_confirm(device=device, code=form.cleaned_data["code"])
        if check.accepted:
            two_factor.mark_session_verified(request)
            if not backup_codes:  # confirmed by another tab, which showed the codes
                return redirect(target)
            context = {"title": "Double authentification activée", "backup_codes": backup_codes, "next": target}
            return render(request, "users/two_factor/backup_codes.html", context)
        message, status = refusal(check)
        form.add_error("code", message)
    secret = two_factor.device_secret(device)
    uri = two_factor_totp.provisioning_uri(secret, account=request.user.email, issuer=two_factor.ISSUER)
    context = {
        "title": "Activer la double authentification",
        "form": form,
        "next": target,
        "qr_code": two_factor_totp.qr_code_data_uri(uri),
        "secret": two_factor_totp.secret_for_typing(secret),
    }
    return render(request, "users/two_factor/setup.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    staff_only(request)
    target = two_factor.next_url(request)
    if two_factor.session_verified_at(request):
        return redirect(target)
    device = two_factor.confirmed_device(request.user)
    if device is None:
        return redirect(two_factor.url_with_next("two_factor_setup", target))
    form = VerifyCodeForm(data=request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        check = two_factor.code_check(device=device, code=form.cleaned_data["code"])
        if check.accepted:
            two_factor.mark_session_verified(request)
            if check.backup_code_used:
                messages.warning(request, backup_code_message(check.backup_codes_left))
            return redirect(target)
        message, status = refusal(check)
        form.add_error("code", message)
    context = {"title": "Vérification en deux étapes", "form": form, "next": target}
    return render(request, "users/two_factor/verify.html", context, status=status)


def backup_code_message(left):
    if left == 0:
        return (
            "Vous avez utilisé votre dernier code de secours. Demandez à un autre administrateur de désactiver votre "
            "application d'authentification : vous en enregistrerez une nouvelle, avec de nouveaux codes."
        )
    plural = "s" if left > 1 else ""
    return f"Vous vous êtes connecté(e) avec un code de secours : il vous en reste {left} utilisable{plural}."
