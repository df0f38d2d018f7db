"""Staff accounts reach nothing, the admin above all, without their second factor (platform_rules.md §3, issue 6)."""

import base64
import datetime
import re
from io import StringIO
from urllib.parse import quote

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from inclusion.users import tasks, two_factor, two_factor_totp
from inclusion.users.models import BackupCode, TOTPDevice
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.auth import TEST_TOTP_SECRET, confirmed_device, login
from tests.users.factories import DEFAULT_PASSWORD, JobSeekerFactory, ProfessionalFactory, StaffFactory

# 10:00:10 in Paris, 10 seconds into a 30-second step.
NOW = datetime.datetime(2026, 3, 10, 9, 0, 10, tzinfo=datetime.UTC)
SETUP_URL = reverse("two_factor_setup")
VERIFY_URL = reverse("two_factor_verify")
ADMIN_URL = reverse("admin:index")


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def staff(db):
    return StaffFactory(email="anne.support@example.com", first_name="Anne")


def code_at(moment, secret=TEST_TOTP_SECRET):
    return two_factor_totp.totp(secret, moment.timestamp())


def with_next(url, next_url):
    return f"{url}?next={quote(next_url, safe='/')}"


def password_login(client, user, next_url=""):
    url = with_next(reverse("login"), next_url) if next_url else reverse("login")
    return client.post(url, {"username": user.email, "password": DEFAULT_PASSWORD, "next": next_url})


def content(response):
    return response.content.decode()


def setup_secret(response):
    """The secret shown for manual entry on the enrolment page."""
    typed = re.search(r'<code class="fr-text--lg" id="cle-secrete">([A-Z2-7 ]+)</code>', content(response)).group(1)
    return base64.b32decode(typed.replace(" ", ""))


def shown_backup_codes(response):
    return re.findall(r"<code class=\"fr-text--lg\">([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</code>", content(response))


class TestTheAdminNeedsTheSecondFactor:
    """Done when: a staff account cannot reach the admin without its second factor, logged in through the real form."""

    def test_the_password_alone_does_not_open_the_admin(self, client, staff):
        device = confirmed_device(staff)
        change_url = reverse("admin:users_user_change", args=[staff.pk])

        response = password_login(client, staff, next_url=ADMIN_URL)
        assert response["Location"] == ADMIN_URL
        assert client.get(ADMIN_URL)["Location"] == with_next(VERIFY_URL, ADMIN_URL)
        assert client.get(change_url)["Location"] == with_next(VERIFY_URL, change_url)
        assert client.get(reverse("admin:login"))["Location"] == ADMIN_URL  # and then to the verification

        response = client.post(with_next(VERIFY_URL, change_url), {"code": code_at(NOW), "next": change_url})
        assert response["Location"] == change_url
        assert client.get(change_url).status_code == 200
        assert client.get(ADMIN_URL).status_code == 200
        device.refresh_from_db()
        assert device.last_used_at == NOW

    def test_a_first_login_enrols_an_application_before_the_admin(self, client, staff):
        password_login(client, staff, next_url=ADMIN_URL)
        response = client.get(ADMIN_URL)
        assert response["Location"] == with_next(SETUP_URL, ADMIN_URL)

        page = client.get(response["Location"])
        assert page.status_code == 200
        secret = setup_secret(page)
        response = client.post(SETUP_URL, {"code": code_at(NOW, secret), "next": ADMIN_URL})
        assert response.status_code == 200
        assert len(shown_backup_codes(response)) == 10
        assert f'href="{ADMIN_URL}"' in content(response)
        assert client.get(ADMIN_URL).status_code == 200

    def test_every_new_session_asks_again(self, client, staff):
        login(client, staff)
        assert client.get(ADMIN_URL).status_code == 200
        client.post(reverse("logout"))
        password_login(client, staff)
        assert client.get(ADMIN_URL)["Location"] == with_next(VERIFY_URL, ADMIN_URL)

    def test_another_browser_asks_again(self, client, staff):
        login(client, staff)
        other_browser = client.__class__()
        password_login(other_browser, staff)
        assert other_browser.get(ADMIN_URL)["Location"] == with_next(VERIFY_URL, ADMIN_URL)
        assert client.get(ADMIN_URL).status_code == 200

    def test_every_page_waits_for_the_second_factor(self, client, staff):
        confirmed_device(staff)
        client.force_login(staff)
        dashboard = reverse("dashboard")
        assert client.get(dashboard)["Location"] == with_next(VERIFY_URL, dashboard)
        assert client.get(reverse("home"))["Location"] == with_next(VERIFY_URL, reverse("home"))
        # A form cannot be sent again after the second step: no `next`.
        assert client.post(reverse("admin:users_user_changelist"), {"action": "x"})["Location"] == VERIFY_URL
        assert client.get(VERIFY_URL).status_code == 200
        assert client.post(reverse("logout"))["Location"] == reverse("home")
        assert "_auth_user_id" not in client.session

    def test_other_accounts_have_no_second_step(self, client, db):
        professional = ProfessionalFactory()
        PrescriberOrganizationFactory(with_member=professional)
        for user in (professional, JobSeekerFactory()):
            client.force_login(user)
            assert client.get(SETUP_URL).status_code == 404
            assert client.get(VERIFY_URL).status_code == 404
            client.logout()
        assert client.get(SETUP_URL)["Location"] == with_next(reverse("login"), SETUP_URL)  # LoginRequiredMiddleware

    def test_a_verified_session_reaches_the_admin_without_more_queries(self, client, staff, django_assert_num_queries):
        login(client, staff)
        client.get(ADMIN_URL)
        # Session, user, the admin's own reads: the middleware adds no query once the session is verified.
        with django_assert_num_queries(2):
            response = client.get(reverse("admin:jsi18n"))
        assert response.status_code == 200


class TestAdminLoginPage:
    """The admin's own login form would be a door without throttle nor second factor: it is never served."""

    def test_anonymous_visitors_are_sent_to_our_login(self, client, db):
        users = reverse("admin:users_user_changelist")
        response = client.get(with_next(reverse("admin:login"), users))
        assert response["Location"] == with_next(reverse("login"), users)
        assert client.get(reverse("admin:login"))["Location"] == with_next(reverse("login"), ADMIN_URL)
        unsafe = client.get(with_next(reverse("admin:login"), "https://evil.example.org/"))
        assert unsafe["Location"] == with_next(reverse("login"), ADMIN_URL)

    def test_its_form_logs_nobody_in(self, client, staff):
        response = client.post(reverse("admin:login"), {"username": staff.email, "password": DEFAULT_PASSWORD})
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session

    def test_other_accounts_are_refused(self, client, db):
        client.force_login(PrescriberOrganizationFactory(with_member=ProfessionalFactory()).members.get())
        assert client.get(ADMIN_URL)["Location"].startswith(reverse("admin:login"))
        response = client.get(reverse("admin:login"), follow=True)
        assert response.redirect_chain == [(reverse("dashboard"), 302)]
        assert "L&#x27;administration de la plateforme est réservée à son équipe." in content(response)

    def test_verified_staff_go_to_the_admin(self, client, staff):
        login(client, staff)
        assert client.get(reverse("admin:login"))["Location"] == ADMIN_URL


class TestEnrolment:
    def test_the_page_shows_a_qr_code_and_the_secret_of_one_pending_device(self, client, staff):
        client.force_login(staff)
        first = client.get(SETUP_URL)
        body = content(first)
        assert '<img src="data:image/svg+xml' in body
        assert "alt=\"QR code à scanner avec votre application d'authentification." in body
        secret = setup_secret(first)
        assert re.search(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", body)  # 32 characters in groups of 4
        assert "no-store" in first["Cache-Control"]
        # Reloading keeps the QR code already scanned.
        assert setup_secret(client.get(SETUP_URL)) == secret
        device = TOTPDevice.objects.get(user=staff)
        assert device.confirmed_at is None
        assert two_factor_totp.secret_base32(secret) not in device.encrypted_secret
        assert two_factor.device_secret(device) == secret

    def test_a_wrong_code_does_not_confirm(self, client, staff):
        client.force_login(staff)
        secret = setup_secret(client.get(SETUP_URL))
        two_minutes_ago = NOW - datetime.timedelta(minutes=2)
        response = client.post(SETUP_URL, {"code": code_at(two_minutes_ago, secret)})
        assert response.status_code == 200
        assert "Ce code n&#x27;est pas le bon, ou il a expiré." in content(response)
        assert TOTPDevice.objects.get(user=staff).confirmed_at is None
        assert client.get(ADMIN_URL)["Location"] == with_next(SETUP_URL, ADMIN_URL)

    @pytest.mark.parametrize(
        "typed,error",
        [
            ("", "Saisissez le code à 6 chiffres affiché par l&#x27;application."),
            ("12345", "Le code comporte 6 chiffres"),
            ("1234567", "Le code comporte 6 chiffres"),
            ("12a456", "Le code comporte 6 chiffres"),
        ],
    )
    def test_malformed_codes_get_a_french_message(self, client, staff, typed, error):
        client.force_login(staff)
        client.get(SETUP_URL)
        response = client.post(SETUP_URL, {"code": typed})
        assert error in content(response)
        assert TOTPDevice.objects.get(user=staff).failed_attempts == 0  # not a guess

    def test_the_right_code_shows_ten_backup_codes_once_stored_as_hashes(self, client, staff):
        client.force_login(staff)
        secret = setup_secret(client.get(SETUP_URL))
        response = client.post(SETUP_URL, {"code": " ".join(code_at(NOW, secret)[i : i + 3] for i in (0, 3))})
        assert "Vos 10 codes de secours" in content(response)
        assert "no-store" in response["Cache-Control"]
        codes = shown_backup_codes(response)
        assert len(set(codes)) == 10
        device = TOTPDevice.objects.get(user=staff)
        assert device.confirmed_at == NOW
        stored = set(BackupCode.objects.filter(device=device).values_list("code_hash", flat=True))
        assert stored == {two_factor_totp.hash_backup_code(code.replace("-", "")) for code in codes}
        # Never again: the page now sends elsewhere.
        response = client.get(SETUP_URL, follow=True)
        assert response.redirect_chain[-1][0] == reverse("dashboard")
        assert "La double authentification est déjà activée sur votre compte." in content(response)

    def test_a_pending_device_whose_key_is_lost_is_replaced(self, client, staff, caplog):
        lost = TOTPDevice.objects.create(user=staff, encrypted_secret="chiffré avec une clé perdue")
        client.force_login(staff)
        response = client.get(SETUP_URL)
        assert response.status_code == 200
        lost.refresh_from_db()
        assert lost.disabled_at == NOW
        assert two_factor.device_secret(TOTPDevice.objects.active().get(user=staff)) == setup_secret(response)

    def test_a_confirmed_device_cannot_be_replaced_by_a_session_without_it(self, client, staff):
        device = confirmed_device(staff)
        client.force_login(staff)  # someone who knows the password only
        response = client.get(with_next(SETUP_URL, ADMIN_URL))
        assert response["Location"] == with_next(VERIFY_URL, ADMIN_URL)
        assert client.post(SETUP_URL, {"code": "123456"})["Location"] == with_next(VERIFY_URL, reverse("dashboard"))
        assert list(TOTPDevice.objects.filter(user=staff)) == [device]


class TestVerification:
    @pytest.fixture
    def device(self, staff, client):
        device = confirmed_device(staff)
        client.force_login(staff)
        return device

    def verify(self, client, code):
        return client.post(VERIFY_URL, {"code": code})

    @pytest.mark.parametrize("drift_steps", [-1, 0, 1])
    def test_the_code_of_the_current_step_or_one_step_away(self, client, device, drift_steps):
        response = self.verify(client, code_at(NOW + datetime.timedelta(seconds=30 * drift_steps)))
        assert response["Location"] == reverse("dashboard")
        assert two_factor.SESSION_VERIFIED_AT in client.session

    @pytest.mark.parametrize("drift_steps", [-2, 2])
    def test_a_code_two_steps_away_is_refused(self, client, device, drift_steps):
        response = self.verify(client, code_at(NOW + datetime.timedelta(seconds=30 * drift_steps)))
        assert response.status_code == 200
        assert "Ce code n&#x27;est pas le bon, ou il a expiré." in content(response)
        assert two_factor.SESSION_VERIFIED_AT not in client.session

    def test_a_code_is_never_accepted_twice(self, client, device, staff):
        code = code_at(NOW)
        assert self.verify(client, code).status_code == 302
        other_browser = client.__class__()
        other_browser.force_login(staff)
        assert self.verify(other_browser, code).status_code == 200
        assert self.verify(other_browser, code_at(NOW - datetime.timedelta(seconds=30))).status_code == 200
        assert self.verify(other_browser, code_at(NOW + datetime.timedelta(seconds=30))).status_code == 302

    def test_the_session_gets_a_new_key(self, client, device):
        before = client.session.session_key
        self.verify(client, code_at(NOW))
        assert client.session.session_key != before

    def test_an_unsafe_next_is_ignored(self, client, device):
        response = client.post(VERIFY_URL, {"code": code_at(NOW), "next": "https://evil.example.org/admin/"})
        assert response["Location"] == reverse("dashboard")

    def test_a_next_back_to_the_second_step_is_ignored(self, client, device):
        response = client.post(VERIFY_URL, {"code": code_at(NOW), "next": SETUP_URL})
        assert response["Location"] == reverse("dashboard")

    def test_without_a_confirmed_device_the_person_enrols(self, client, staff):
        client.force_login(staff)
        assert client.get(with_next(VERIFY_URL, ADMIN_URL))["Location"] == with_next(SETUP_URL, ADMIN_URL)

    def test_a_verified_session_goes_on(self, client, staff):
        login(client, staff)
        assert client.get(with_next(VERIFY_URL, ADMIN_URL))["Location"] == ADMIN_URL

    def test_a_device_whose_key_is_lost_refuses_every_code_and_says_why_in_the_logs(self, client, device, caplog):
        TOTPDevice.objects.filter(pk=device.pk).update(encrypted_secret="chiffré avec une clé perdue")
        assert self.verify(client, code_at(NOW)).status_code == 200
        assert two_factor.SESSION_VERIFIED_AT not in client.session
        assert f"TOTP device {device.pk} cannot be decrypted: was TWO_FACTOR_ENCRYPTION_KEY changed?" in caplog.text

    @pytest.mark.parametrize("typed", ["12345", "ABCD-EFGH", "<script>"])
    def test_malformed_codes_are_not_counted(self, client, device, typed):
        response = self.verify(client, typed)
        assert "Saisissez les 6 chiffres affichés par votre application, ou un code de secours" in content(response)
        device.refresh_from_db()
        assert device.failed_attempts == 0


class TestWrongCodesLimit:
    """At most 5 wrong codes per 15 minutes: then even the right code waits for the end of the window."""

    @pytest.fixture
    def device(self, staff, client):
        device = confirmed_device(staff)
        client.force_login(staff)
        return device

    def wrong_codes(self, client, count):
        for _ in range(count):
            response = client.post(VERIFY_URL, {"code": "000000"})
        return response

    def test_four_wrong_codes_then_the_right_one(self, client, device):
        assert self.wrong_codes(client, 4).status_code == 200
        assert client.post(VERIFY_URL, {"code": code_at(NOW)})["Location"] == reverse("dashboard")
        device.refresh_from_db()
        assert (device.failed_attempts, device.first_failed_at) == (0, None)

    def test_the_fifth_wrong_code_locks_for_15_minutes(self, client, device, frozen_time):
        response = self.wrong_codes(client, 5)
        assert response.status_code == 429
        assert "Trop de codes erronés. Par sécurité, attendez 15 minutes avant de saisir un nouveau code." in content(
            response
        )
        frozen_time.shift(datetime.timedelta(minutes=15) - datetime.timedelta(seconds=1))
        moment = NOW + datetime.timedelta(minutes=15) - datetime.timedelta(seconds=1)
        response = client.post(VERIFY_URL, {"code": code_at(moment)})
        assert response.status_code == 429
        assert "attendez 1 seconde avant" in content(response)
        frozen_time.shift(datetime.timedelta(seconds=1))
        response = client.post(VERIFY_URL, {"code": code_at(moment + datetime.timedelta(seconds=1))})
        assert response["Location"] == reverse("dashboard")

    def test_the_window_starts_at_the_first_wrong_code(self, client, device, frozen_time):
        self.wrong_codes(client, 4)
        frozen_time.shift(datetime.timedelta(minutes=15))
        # A new window: four more wrong codes do not lock.
        assert self.wrong_codes(client, 4).status_code == 200
        assert self.wrong_codes(client, 1).status_code == 429

    def test_the_limit_counts_per_account_not_per_session(self, client, device, staff):
        self.wrong_codes(client, 5)
        other_browser = client.__class__()
        other_browser.force_login(staff)
        assert other_browser.post(VERIFY_URL, {"code": code_at(NOW)}).status_code == 429

    def test_wrong_codes_at_enrolment_count_too(self, client, staff):
        client.force_login(staff)
        secret = setup_secret(client.get(SETUP_URL))
        for _ in range(5):
            response = client.post(SETUP_URL, {"code": "000000"})
        assert response.status_code == 429
        assert client.post(SETUP_URL, {"code": code_at(NOW, secret)}).status_code == 429


class TestBackupCodes:
    @pytest.fixture
    def backup_codes(self, client, staff):
        client.force_login(staff)
        secret = setup_secret(client.get(SETUP_URL))
        codes = shown_backup_codes(client.post(SETUP_URL, {"code": code_at(NOW, secret)}))
        client.logout()
        client.force_login(staff)
        return codes

    def test_a_backup_code_replaces_the_application_once_and_warns_by_email(
        self, client, staff, backup_codes, django_capture_on_commit_callbacks
    ):
        typed = backup_codes[3].lower().replace("-", " ")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(VERIFY_URL, {"code": typed}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("dashboard")
        assert "Vous vous êtes connecté(e) avec un code de secours : il vous en reste 9 utilisables." in content(
            response
        )
        assert BackupCode.objects.filter(used_at=NOW).count() == 1
        (email,) = mail.outbox
        assert email.to == [staff.email]
        assert email.subject == "Un code de secours a été utilisé pour vous connecter à la Plateforme de l'inclusion"
        assert "Bonjour Anne," in email.body
        assert "le 10 mars 2026 à 10:00" in email.body
        assert "http://127.0.0.1:8000/mot-de-passe/oublie/" in email.body

        client.logout()
        client.force_login(staff)
        response = client.post(VERIFY_URL, {"code": backup_codes[3]})
        assert "Ce code n&#x27;est pas le bon" in content(response)
        assert len(mail.outbox) == 1

    def test_the_last_backup_code(self, client, staff, backup_codes):
        BackupCode.objects.exclude(
            code_hash=two_factor_totp.hash_backup_code(backup_codes[0].replace("-", ""))
        ).update(used_at=NOW)
        response = client.post(VERIFY_URL, {"code": backup_codes[0]}, follow=True)
        assert "Vous avez utilisé votre dernier code de secours." in content(response)

    def test_one_backup_code_left(self, client, staff, backup_codes):
        kept = {two_factor_totp.hash_backup_code(code.replace("-", "")) for code in backup_codes[:2]}
        BackupCode.objects.exclude(code_hash__in=kept).update(used_at=NOW)
        response = client.post(VERIFY_URL, {"code": backup_codes[0]}, follow=True)
        assert "il vous en reste 1 utilisable." in content(response)

    def test_the_codes_of_another_account_are_refused(self, client, staff, backup_codes):
        other = StaffFactory()
        confirmed_device(other)
        client.logout()
        client.force_login(other)
        assert client.post(VERIFY_URL, {"code": backup_codes[0]}).status_code == 200
        assert two_factor.SESSION_VERIFIED_AT not in client.session


class TestStaffSessionLifetime:
    def test_a_staff_session_ends_12_hours_after_its_second_factor(self, client, staff, frozen_time):
        login(client, staff)
        frozen_time.shift(datetime.timedelta(hours=12))
        assert client.get(ADMIN_URL).status_code == 200
        frozen_time.shift(datetime.timedelta(seconds=1))
        response = client.get(ADMIN_URL)
        assert response["Location"] == with_next(reverse("login"), ADMIN_URL)
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"])
        assert "une session d&#x27;administration dure 12 heures : reconnectez-vous." in content(page)

    def test_other_sessions_are_not_limited_to_12_hours(self, client, db, frozen_time):
        client.force_login(JobSeekerFactory())
        frozen_time.shift(datetime.timedelta(hours=13))
        assert client.get(reverse("notification_settings")).status_code == 200
        assert "_auth_user_id" in client.session


class TestDeviceAdmin:
    def test_the_support_disables_a_device_and_the_person_enrols_again(self, client, staff):
        colleague = StaffFactory()
        device = confirmed_device(colleague)
        login(client, staff)
        changelist = reverse("admin:users_totpdevice_changelist")
        response = client.get(changelist)
        assert response.status_code == 200
        assert str(colleague) in content(response)
        change = client.get(reverse("admin:users_totpdevice_change", args=[device.pk]))
        assert change.status_code == 200
        assert device.encrypted_secret not in content(change)
        assert client.get(reverse("admin:users_totpdevice_add")).status_code == 403

        response = client.post(changelist, {"action": "disable", "_selected_action": [device.pk]}, follow=True)
        assert "1 application(s) désactivée(s)." in content(response)
        device.refresh_from_db()
        assert device.disabled_at == NOW

        other_browser = client.__class__()
        password_login(other_browser, colleague)
        assert other_browser.get(ADMIN_URL)["Location"] == with_next(SETUP_URL, ADMIN_URL)
        other_browser.get(SETUP_URL)
        assert TOTPDevice.objects.active().get(user=colleague) != device

    def test_devices_are_filtered_by_state(self, client, staff):
        login(client, staff)  # an active device
        pending = TOTPDevice.objects.create(user=StaffFactory(), encrypted_secret="x")
        disabled = confirmed_device(StaffFactory())
        two_factor.device_disable(device=disabled)
        changelist = reverse("admin:users_totpdevice_changelist")
        active = staff.totp_devices.get()
        for state, expected in [("en-attente", pending), ("active", active), ("desactivee", disabled)]:
            listed = client.get(changelist, {"etat": state}).context["cl"].result_list
            assert list(listed) == [expected], state
        assert len(client.get(changelist).context["cl"].result_list) == 3


class TestPurgeOfDisabledDevices:
    """platform_rules.md §1.4: disabled devices are deleted after 90 days."""

    @pytest.fixture
    def devices(self, db):
        def disabled(ago):
            device = confirmed_device(StaffFactory())
            BackupCode.objects.create(device=device, code_hash=f"{ago.total_seconds():064.0f}")
            two_factor.device_disable(device=device, now=NOW - ago)
            return device

        return {
            "89 days 23:59:59": disabled(datetime.timedelta(days=90) - datetime.timedelta(seconds=1)),
            "90 days": disabled(datetime.timedelta(days=90)),
            "91 days": disabled(datetime.timedelta(days=91)),
            "active": confirmed_device(StaffFactory()),
        }

    def remaining(self, devices):
        return sorted(name for name, device in devices.items() if TOTPDevice.objects.filter(pk=device.pk).exists())

    def test_command_dry_run(self, devices):
        out = StringIO()
        call_command("purge_disabled_two_factor_devices", stdout=out)
        assert "Simulation : 2 application(s) à supprimer, rien n'a changé." in out.getvalue()
        assert len(self.remaining(devices)) == 4

    def test_command_wet_run(self, devices):
        out = StringIO()
        call_command("purge_disabled_two_factor_devices", "--wet-run", stdout=out)
        assert "2 application(s) désactivée(s) supprimée(s)." in out.getvalue()
        assert self.remaining(devices) == ["89 days 23:59:59", "active"]
        assert BackupCode.objects.count() == 1
        out = StringIO()
        call_command("purge_disabled_two_factor_devices", "--wet-run", stdout=out)
        assert "Aucune application désactivée à supprimer." in out.getvalue()

    def test_periodic_task_applies(self, devices):
        assert tasks.purge_disabled_two_factor_devices_task.call_local() == 2
        assert self.remaining(devices) == ["89 days 23:59:59", "active"]

    @pytest.mark.parametrize(
        "utc,runs",
        [
            (datetime.datetime(2026, 1, 18, 3, 0), True),  # Sunday 04:00 in winter (UTC+1)
            (datetime.datetime(2026, 7, 19, 2, 0), True),  # Sunday 04:00 in summer (UTC+2)
            (datetime.datetime(2026, 1, 18, 4, 0), False),  # Sunday 05:00 in winter
            (datetime.datetime(2026, 1, 17, 3, 0), False),  # Saturday 04:00
        ],
    )
    def test_weekly_on_sunday_at_4_paris_time(self, utc, runs):
        assert tasks.PURGE_DISABLED_DEVICES_SCHEDULE(utc) is runs


class TestDisableCommand:
    def test_disables_the_device_of_an_account(self, staff):
        device = confirmed_device(staff)
        out = StringIO()
        call_command("disable_two_factor", "Anne.Support@example.com", stdout=out)
        assert "Application d'authentification de anne.support@example.com désactivée" in out.getvalue()
        device.refresh_from_db()
        assert device.disabled_at == NOW
        out = StringIO()
        call_command("disable_two_factor", staff.email, stdout=out)
        assert "n'a pas d'application d'authentification active : rien à faire." in out.getvalue()

    def test_unknown_account(self, db):
        with pytest.raises(CommandError, match="Aucun compte avec l'adresse personne@example.com."):
            call_command("disable_two_factor", "personne@example.com")
