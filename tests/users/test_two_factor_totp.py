"""The cryptography of the second factor (inclusion/users/two_factor_totp.py), against the RFC test vectors."""

import base64
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from inclusion.users import two_factor_totp as totp

RFC_SECRET = b"12345678901234567890"  # the SHA-1 secret of RFC 4226 appendix D and RFC 6238 appendix B


@pytest.mark.parametrize(
    "counter,code",
    list(
        enumerate(["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"])
    ),
)
def test_hotp_rfc_4226_vectors(counter, code):
    assert totp.hotp(RFC_SECRET, counter) == code


@pytest.mark.parametrize(
    "timestamp,code",
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_totp_rfc_6238_sha1_vectors(timestamp, code):
    assert totp.totp(RFC_SECRET, timestamp, digits=8) == code


def test_six_digit_codes_are_the_last_six_digits_and_keep_leading_zeros():
    assert totp.totp(RFC_SECRET, 1111111109) == "081804"


class TestMatchingStep:
    NOW = 1111111111  # step 37037037, 1 second into it

    def code_at(self, step):
        return totp.hotp(RFC_SECRET, step)

    @pytest.mark.parametrize("offset", [-1, 0, 1])
    def test_one_step_either_side_is_accepted(self, offset):
        step = totp.totp_step(self.NOW) + offset
        assert totp.matching_step(RFC_SECRET, self.code_at(step), timestamp=self.NOW, last_used_step=None) == step

    @pytest.mark.parametrize("offset", [-2, 2])
    def test_two_steps_away_is_refused(self, offset):
        step = totp.totp_step(self.NOW) + offset
        assert totp.matching_step(RFC_SECRET, self.code_at(step), timestamp=self.NOW, last_used_step=None) is None

    def test_a_used_step_and_the_steps_before_are_refused(self):
        step = totp.totp_step(self.NOW)
        code = self.code_at(step)
        assert totp.matching_step(RFC_SECRET, code, timestamp=self.NOW, last_used_step=step) is None
        assert (
            totp.matching_step(RFC_SECRET, self.code_at(step - 1), timestamp=self.NOW, last_used_step=step - 1) is None
        )
        assert totp.matching_step(RFC_SECRET, code, timestamp=self.NOW, last_used_step=step - 1) == step

    def test_another_code_is_refused(self):
        assert totp.matching_step(RFC_SECRET, "000000", timestamp=59, last_used_step=None) is None


def test_secret_for_the_applications():
    secret = totp.new_secret()
    assert len(secret) == 20
    assert base64.b32decode(totp.secret_base32(secret)) == secret  # 20 bytes: 32 characters, no padding
    assert totp.secret_for_typing(RFC_SECRET) == "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"


def test_provisioning_uri_follows_the_key_uri_format():
    uri = totp.provisioning_uri(RFC_SECRET, account="anne@example.com", issuer="Plateforme de l'inclusion")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert unquote(parts.path) == "/Plateforme de l'inclusion:anne@example.com"
    assert parse_qs(parts.query) == {
        "secret": ["GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"],
        "issuer": ["Plateforme de l'inclusion"],
        "algorithm": ["SHA1"],
        "digits": ["6"],
        "period": ["30"],
    }


def test_qr_code_is_an_svg_data_uri():
    assert totp.qr_code_data_uri("otpauth://totp/x?secret=ABC").startswith("data:image/svg+xml")


class TestSecretAtRest:
    def test_encrypted_with_a_key_derived_from_secret_key_when_none_is_set(self, settings):
        settings.TWO_FACTOR_ENCRYPTION_KEY = ""
        token = totp.encrypt_secret(RFC_SECRET)
        assert RFC_SECRET not in token.encode() and totp.secret_base32(RFC_SECRET) not in token
        assert totp.decrypt_secret(token) == RFC_SECRET
        settings.SECRET_KEY = "another-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
        assert totp.decrypt_secret(token) is None

    def test_encrypted_with_the_configured_key(self, settings):
        key = Fernet.generate_key().decode()
        settings.TWO_FACTOR_ENCRYPTION_KEY = key
        token = totp.encrypt_secret(RFC_SECRET)
        assert Fernet(key).decrypt(token.encode()) == RFC_SECRET
        settings.SECRET_KEY = "another-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"  # does not matter
        assert totp.decrypt_secret(token) == RFC_SECRET

    def test_key_rotation(self, settings):
        old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
        settings.TWO_FACTOR_ENCRYPTION_KEY = old
        token = totp.encrypt_secret(RFC_SECRET)
        settings.TWO_FACTOR_ENCRYPTION_KEY = f"{new}, {old}"
        assert totp.decrypt_secret(token) == RFC_SECRET
        assert Fernet(new).decrypt(totp.encrypt_secret(RFC_SECRET).encode()) == RFC_SECRET
        settings.TWO_FACTOR_ENCRYPTION_KEY = new
        assert totp.decrypt_secret(token) is None

    def test_a_malformed_key_is_a_configuration_error(self, settings):
        settings.TWO_FACTOR_ENCRYPTION_KEY = "pas-une-cle-fernet"
        with pytest.raises(ImproperlyConfigured, match="TWO_FACTOR_ENCRYPTION_KEY"):
            totp.encrypt_secret(RFC_SECRET)


class TestBackupCodes:
    def test_ten_distinct_codes_of_twelve_unambiguous_characters(self):
        codes = totp.new_backup_codes()
        assert len(set(codes)) == 10
        for code in codes:
            assert len(code) == 12
            assert not set(code) & set("01OI")

    @pytest.mark.parametrize("typed", ["ABCD-EFGH-JKLM", "abcd efgh jklm", " ABCDEFGHJKLM ", "abcd-efgh-jklm"])
    def test_typed_in_any_form(self, typed):
        assert totp.normalize_backup_code(typed) == "ABCDEFGHJKLM"

    @pytest.mark.parametrize("typed", ["ABCD-EFGH-JKL", "ABCD-EFGH-JKLMN", "ABCD-EFGH-JKL0", "123456", ""])
    def test_not_a_code(self, typed):
        assert totp.normalize_backup_code(typed) is None

    def test_formatted_in_groups_of_four(self):
        assert totp.format_backup_code("ABCDEFGHJKLM") == "ABCD-EFGH-JKLM"

    def test_stored_as_a_hash(self):
        digest = totp.hash_backup_code("ABCDEFGHJKLM")
        assert len(digest) == 64 and "ABCD" not in digest
        assert digest == totp.hash_backup_code("ABCDEFGHJKLM") != totp.hash_backup_code("ABCDEFGHJKLN")
