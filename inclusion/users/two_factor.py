"""Second factor (TOTP) for staff accounts (platform_rules.md §3).

A staff member logs in with the password, then types the 6-digit code of an authenticator application (or a
one-time backup code); until then the session reaches only the pages of this second step. The cryptography lives in
two_factor_totp.py, the pages in two_factor_views.py.
"""

import dataclasses
import datetime
import logging
import math

from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from inclusion.users import perms, two_factor_totp
from inclusion.users.models import BackupCode, TOTPDevice
from inclusion.utils.emails import send_templated_email
from inclusion.utils.next_url import safe_next_url

logger = logging.getLogger(__name__)

# "At most 5 wrong codes per 15 minutes per user" (issue 6): then every code is refused until the window ends.
MAX_FAILED_ATTEMPTS = 5
FAILED_ATTEMPTS_WINDOW = datetime.timedelta(minutes=15)
# platform_rules.md §1.4: disabled 2FA devices are deleted after 90 days.
DISABLED_DEVICE_RETENTION = datetime.timedelta(days=90)
# A staff session lasts 12 hours after its second factor at most, even when the browser stays open.
STAFF_SESSION_MAX_AGE = datetime.timedelta(hours=12)

SESSION_VERIFIED_AT = "two_factor_verified_at"
ISSUER = "Plateforme de l'inclusion"

# The pages an unverified staff session may reach (static files are served before any view).
SECOND_STEP_URL_NAMES = {"two_factor_setup", "two_factor_verify", "logout"}


def is_required(user) -> bool:
    """platform_rules.md §3: mandatory for staff (professionals may come later, by allow-list)."""
    return perms.has_second_factor(user)


# Devices -----------------------------------------------------------------------------------------------------------


def device_secret(device: TOTPDevice) -> bytes | None:
    secret = two_factor_totp.decrypt_secret(device.encrypted_secret)
    if secret is None:
        logger.error("TOTP device %s cannot be decrypted: was TWO_FACTOR_ENCRYPTION_KEY changed?", device.pk)
    return secret


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.confirmed().filter(user=user).first()


def pending_device(user) -> TOTPDevice:
    """The device being enrolled: the same one until it is confirmed, so that reloading the page keeps the QR code
    already scanned."""
    device = TOTPDevice.objects.active().filter(user=user, confirmed_at__isnull=True).first()
    if device is not None and device_secret(device) is None:
        device_disable(device=device)  # its key is gone: nothing was confirmed with it, start afresh
        device = None
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, encrypted_secret=two_factor_totp.encrypt_secret(two_factor_totp.new_secret())
        )
    return device


def device_disable(*, device: TOTPDevice, now: datetime.datetime | None = None) -> None:
    """The person enrols a new application at the next login; the old one is purged after 90 days."""
    if device.disabled_at is None:
        device.disabled_at = now or timezone.now()
        device.save(update_fields=["disabled_at"])


def purge_disabled_devices(*, dry_run: bool, now: datetime.datetime | None = None) -> int:
    """platform_rules.md §1.4: delete the devices disabled 90 days ago or more (their backup codes go with them)."""
    devices = TOTPDevice.objects.filter(disabled_at__lte=(now or timezone.now()) - DISABLED_DEVICE_RETENTION)
    count = devices.count()
    if not dry_run:
        devices.delete()
    return count


# Checking a code ---------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CodeCheck:
    accepted: bool
    retry_after: int | None = None  # seconds before a code is checked again, when too many were wrong
    backup_code_used: bool = False
    backup_codes_left: int | None = None


def _retry_after(device, now):
    """Seconds left in the window, if its wrong codes reached the limit; None otherwise."""
    if device.first_failed_at is None or device.failed_attempts < MAX_FAILED_ATTEMPTS:
        return None
    left = (device.first_failed_at + FAILED_ATTEMPTS_WINDOW - now).total_seconds()
    return math.ceil(left) if left > 0 else None


def _record_failure(device, now):
    if device.first_failed_at is None or now >= device.first_failed_at + FAILED_ATTEMPTS_WINDOW:
        device.first_failed_at, device.failed_attempts = now, 0
    device.failed_attempts += 1
    device.save(update_fields=["first_failed_at", "failed_attempts"])


def _use_backup_code(device, typed, now):
    code = two_factor_totp.normalize_backup_code(typed)
    if code is None:
        return False
    return bool(
        BackupCode.objects.filter(
            device=device, code_hash=two_factor_totp.hash_backup_code(code), used_at__isnull=True
        ).update(used_at=now)
    )


def code_check(*, device: TOTPDevice, code: str, now: datetime.datetime | None = None) -> CodeCheck:
    """Accepts the current code of the application (never twice the same), or an unused backup code of a confirmed
    device; refuses every code while the device has had 5 wrong ones in 15 minutes.

    The device row is locked, so that two requests cannot both use one code or both slip under the limit.
    """
    now = now or timezone.now()
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if retry_after := _retry_after(device, now):
            return CodeCheck(accepted=False, retry_after=retry_after)
        secret = device_secret(device)
        step = None
        if secret is not None:
            step = two_factor_totp.matching_step(
                secret, code.strip(), timestamp=now.timestamp(), last_used_step=device.last_used_step
            )
        backup_code_used = step is None and device.confirmed_at is not None and _use_backup_code(device, code, now)
        if step is None and not backup_code_used:
            _record_failure(device, now)
            return CodeCheck(accepted=False, retry_after=_retry_after(device, now))
        if step is not None:
            device.last_used_step = step
        device.last_used_at, device.failed_attempts, device.first_failed_at = now, 0, None
        device.save(update_fields=["last_used_step", "last_used_at", "failed_attempts", "first_failed_at"])
    if not backup_code_used:
        return CodeCheck(accepted=True)
    send_backup_code_used_email(device, now)
    return CodeCheck(
        accepted=True,
        backup_code_used=True,
        backup_codes_left=device.backup_codes.filter(used_at__isnull=True).count(),
    )


def device_confirm(*, device: TOTPDevice, code: str, now: datetime.datetime | None = None) -> tuple[CodeCheck, list]:
    """Enrolment: the first right code confirms the device and creates its backup codes, returned in clear this once
    (only their hashes are stored)."""
    check = code_check(device=device, code=code, now=now)
    if not check.accepted:
        return check, []
    codes = two_factor_totp.new_backup_codes()
    with transaction.atomic():
        confirmed = TOTPDevice.objects.filter(pk=device.pk, confirmed_at__isnull=True).update(
            confirmed_at=now or timezone.now()
        )
        if not confirmed:  # another tab confirmed it a moment ago, and showed the codes there
            return check, []
        BackupCode.objects.bulk_create(
            BackupCode(device=device, code_hash=two_factor_totp.hash_backup_code(code)) for code in codes
        )
    return check, [two_factor_totp.format_backup_code(code) for code in codes]


def send_backup_code_used_email(device, now):
    # platform_rules.md §2: a plain e-mail (outside the notification registry), so that the person notices a code
    # used by someone else.
    send_templated_email(
        [device.user.email],
        "users/two_factor/emails/backup_code_used",
        {"user": device.user, "used_at": now},
    )


# The session -------------------------------------------------------------------------------------------------------


def mark_session_verified(request) -> None:
    """The session passed its second factor. A new session key, since the session gains rights (session fixation)."""
    request.session.cycle_key()
    request.session[SESSION_VERIFIED_AT] = timezone.now().timestamp()


def session_verified_at(request) -> datetime.datetime | None:
    timestamp = request.session.get(SESSION_VERIFIED_AT)
    return None if timestamp is None else datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)


def next_url(request, default: str = "") -> str:
    """Where to go after the second step: the `next` parameter when it stays on this site and leaves the second step,
    else `default` (the dashboard)."""
    target = safe_next_url(request)
    second_step_paths = {reverse(name) for name in SECOND_STEP_URL_NAMES}
    if target and target.split("?")[0] not in second_step_paths:
        return target
    return default or reverse("dashboard")


def url_with_next(url_name: str, next_path: str) -> str:
    """The URL with ?next=, written like Django's own login redirects (slashes kept)."""
    url = reverse(url_name)
    if not next_path:
        return url
    query = QueryDict(mutable=True)
    query["next"] = next_path
    return f"{url}?{query.urlencode(safe='/')}"


def going_to(request) -> str:
    """Where the person was going, unless it was a form (its data cannot be sent again after logging in)."""
    return request.get_full_path() if request.method in ("GET", "HEAD") else ""


class StaffTwoFactorMiddleware:
    """The back-office is reached through our login page (throttled) and the second factor, and through nothing else.

    - The admin's own login page is never served: it would be a second, unthrottled door.
    - A staff session without its second factor reaches only the second-step pages and the logout; anything else
      redirects to enrolment (no confirmed device) or to verification, keeping where the person was going.
    - A verified staff session ends 12 hours after its second factor.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match.view_name == "admin:login":
            return self.leave_admin_login(request)
        if not is_required(request.user):
            return None
        verified_at = session_verified_at(request)
        if verified_at is not None:
            if timezone.now() - verified_at <= STAFF_SESSION_MAX_AGE:
                return None
            logout(request)
            messages.info(request, "Par sécurité, une session d'administration dure 12 heures : reconnectez-vous.")
            return redirect(url_with_next("login", going_to(request)))
        if match.url_name in SECOND_STEP_URL_NAMES and not match.namespace:
            return None
        step = "two_factor_verify" if confirmed_device(request.user) else "two_factor_setup"
        return redirect(url_with_next(step, going_to(request)))

    def leave_admin_login(self, request):
        user = request.user
        if user.is_authenticated and not user.is_staff:
            # The admin sends logged-in people without access here; our login page would send them back: loop.
            messages.error(request, "L'administration de la plateforme est réservée à son équipe.")
            return redirect("dashboard")
        target = next_url(request, default=reverse("admin:index"))
        if not user.is_authenticated:
            return redirect(url_with_next("login", target))
        return redirect(target)  # staff: this middleware asks for the second factor on the way if needed
