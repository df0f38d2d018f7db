"""Logging a user in from a test, second factor included.

`login(client, user)` is `client.force_login(user)`, and for a staff member (who cannot reach any page before the
second factor, platform_rules.md §3) a confirmed authenticator application and a session that passed it.
"""

from django.utils import timezone

from inclusion.users import two_factor, two_factor_totp
from inclusion.users.models import TOTPDevice

# The secret of the applications created here, so that a test can compute their codes.
TEST_TOTP_SECRET = b"inclusion-test-secret"


def confirmed_device(user, *, secret=TEST_TOTP_SECRET):
    device = TOTPDevice.objects.confirmed().filter(user=user).first()
    if device is None:
        TOTPDevice.objects.active().filter(user=user).delete()  # an enrolment left pending
        device = TOTPDevice.objects.create(
            user=user, encrypted_secret=two_factor_totp.encrypt_secret(secret), confirmed_at=timezone.now()
        )
    return device


def login(client, user):
    client.force_login(user)
    if two_factor.is_required(user):
        confirmed_device(user)
        session = client.session
        session[two_factor.SESSION_VERIFIED_AT] = timezone.now().timestamp()
        session.save()
    return user
