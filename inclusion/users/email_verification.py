"""Proof that a person owns the e-mail address of their account (platform_rules.md §3)."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from inclusion.users.models import User
from inclusion.utils.emails import absolute_url


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Like password-reset tokens (valid PASSWORD_RESET_TIMEOUT), but spent once the address is verified."""

    key_salt = "inclusion.users.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.email_verified_at}{timestamp}"


email_verification_token = EmailVerificationTokenGenerator()


def user_from_verification_link(uidb64, token):
    """The active account the link was made for, or None when the link is forged, spent or expired."""
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode(), is_active=True)
    except (ValueError, User.DoesNotExist):
        return None
    return user if email_verification_token.check_token(user, token) else None


def mark_email_verified(user, *, save=True):
    """Following a link we mailed (confirmation or password reset) proves the person reads that address."""
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        if save:
            user.save(update_fields=["email_verified_at"])


def send_email_verification(request, user):
    """Mails the confirmation link once the current transaction commits.

    The link is built on settings.SITE_URL, never on the request's Host header (which the sender controls);
    `request` is kept for the callers' sake.
    """
    path = reverse(
        "email_verification",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": email_verification_token.make_token(user),
        },
    )
    context = {"user": user, "url": absolute_url(path)}
    subject = render_to_string("users/emails/email_verification_subject.txt", context).strip()
    body = render_to_string("users/emails/email_verification_body.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
