"""User accounts and job seeker profiles (organizations.md §1.1, §2, §3)."""

import re

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from inclusion.companies.models import CompanyMembership
from inclusion.users.enums import LackOfNIRReason, RSAAllocation, UserKind
from inclusion.users.models import JobSeekerProfile, User, asp_uid_for
from tests.companies.factories import CompanyFactory
from tests.users.factories import (
    DEFAULT_PASSWORD,
    JobSeekerFactory,
    JobSeekerProfileFactory,
    ProfessionalFactory,
    StaffFactory,
    valid_nir,
)

pytestmark = pytest.mark.django_db


# E-mail and login ---------------------------------------------------------------------------------------------


def test_email_is_stored_lower_cased():
    user = ProfessionalFactory(email="  Claire.Martin@Example.COM ")
    user.refresh_from_db()
    assert user.email == "claire.martin@example.com"
    user = User.objects.create_user("Jean.Dupont@Example.com", DEFAULT_PASSWORD, kind=UserKind.PROFESSIONAL)
    user.refresh_from_db()
    assert user.email == "jean.dupont@example.com"


def test_empty_email_is_stored_as_null():
    first = JobSeekerFactory(email="")
    second = JobSeekerFactory(email="")
    assert User.objects.filter(pk__in=[first.pk, second.pk], email__isnull=True).count() == 2


def test_login_by_email_ignores_case():
    user = ProfessionalFactory(email="claire.martin@example.com")
    assert authenticate(email="Claire.Martin@Example.com", password=DEFAULT_PASSWORD) == user
    assert authenticate(email="CLAIRE.MARTIN@EXAMPLE.COM", password=DEFAULT_PASSWORD) == user
    assert authenticate(email="claire.martin@example.com", password="mauvais-mot-de-passe") is None
    assert authenticate(email="autre@example.com", password=DEFAULT_PASSWORD) is None


def test_inactive_user_cannot_log_in():
    ProfessionalFactory(email="claire.martin@example.com", is_active=False)
    assert authenticate(email="claire.martin@example.com", password=DEFAULT_PASSWORD) is None


def test_emails_differing_only_by_case_are_refused():
    ProfessionalFactory(email="claire.martin@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        JobSeekerFactory(email="Claire.Martin@Example.com")
    assert User.objects.filter(email__iexact="claire.martin@example.com").count() == 1


def test_database_refuses_an_upper_case_email():
    user = ProfessionalFactory(email="claire.martin@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(email="Claire.Martin@example.com")


# Staff ----------------------------------------------------------------------------------------------------------


def test_staff_kind_forces_is_staff():
    user = User(email="support@example.com", kind=UserKind.STAFF, is_staff=False)
    user.save()
    user.refresh_from_db()
    assert user.is_staff is True
    user.is_staff = False
    user.save()
    user.refresh_from_db()
    assert user.is_staff is True


@pytest.mark.parametrize("field", ["is_staff", "is_superuser"])
@pytest.mark.parametrize("kind", [UserKind.PROFESSIONAL, UserKind.JOB_SEEKER])
def test_database_refuses_back_office_access_for_non_staff(kind, field):
    user = ProfessionalFactory(kind=kind)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(**{field: True})
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser


def test_database_refuses_a_staff_without_is_staff():
    user = StaffFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_staff=False)


def test_professional_with_is_staff_fails_validation():
    user = ProfessionalFactory.build(is_staff=True)
    with pytest.raises(ValidationError, match="Seuls les administrateurs ont accès à l'administration"):
        user.full_clean()


def test_create_superuser_gives_a_staff():
    user = User.objects.create_superuser("Support@Example.com", DEFAULT_PASSWORD)
    user.refresh_from_db()
    assert user.kind == UserKind.STAFF
    assert user.is_staff and user.is_superuser
    assert user.email == "support@example.com"
    assert authenticate(email="support@example.com", password=DEFAULT_PASSWORD) == user


# Names ----------------------------------------------------------------------------------------------------------


def test_full_name_and_inverted_name():
    user = ProfessionalFactory.build(first_name="Hélène", last_name="Lefèvre-Roux")
    assert user.get_full_name() == "Hélène LEFÈVRE-ROUX"
    assert user.get_inverted_full_name() == "LEFÈVRE-ROUX Hélène"
    assert str(user) == "Hélène LEFÈVRE-ROUX"


def test_str_falls_back_to_the_email():
    user = ProfessionalFactory.build(first_name="", last_name="", email="anonyme@example.com")
    assert str(user) == "anonyme@example.com"


# Job seeker profile --------------------------------------------------------------------------------------------


def test_nir_is_unique_among_job_seekers():
    nir = valid_nir(order=42)
    JobSeekerProfileFactory(nir=nir)
    with pytest.raises(IntegrityError), transaction.atomic():
        JobSeekerProfileFactory(nir=nir)
    assert JobSeekerProfile.objects.filter(nir=nir).count() == 1


def test_nir_uniqueness_is_reported_in_french_on_validation():
    nir = valid_nir(order=42)
    JobSeekerProfileFactory(nir=nir)
    profile = JobSeekerProfileFactory.build(nir=nir, user=JobSeekerFactory(profile=None))
    with pytest.raises(ValidationError, match="déjà associé à un autre candidat"):
        profile.full_clean()


def test_several_job_seekers_may_have_no_nir():
    JobSeekerProfileFactory(nir="", lack_of_nir_reason=LackOfNIRReason.NO_NIR)
    JobSeekerProfileFactory(nir="", lack_of_nir_reason=LackOfNIRReason.NO_NIR)
    JobSeekerProfileFactory(nir="")
    assert JobSeekerProfile.objects.filter(nir="").count() == 3


def test_nir_and_lack_of_nir_reason_are_exclusive():
    with pytest.raises(IntegrityError), transaction.atomic():
        JobSeekerProfileFactory(nir=valid_nir(order=7), lack_of_nir_reason=LackOfNIRReason.NIR_ASSOCIATED_TO_OTHER)
    profile = JobSeekerProfileFactory(nir=valid_nir(order=7))
    with pytest.raises(IntegrityError), transaction.atomic():
        JobSeekerProfile.objects.filter(pk=profile.pk).update(lack_of_nir_reason=LackOfNIRReason.NO_NIR)


@pytest.mark.parametrize(
    "has_rsa_allocation,rsa_allocation_since,valid",
    [
        (RSAAllocation.NO, "", True),
        (RSAAllocation.NO, "01", False),
        (RSAAllocation.YES_WITH_MARKUP, "", False),
        (RSAAllocation.YES_WITH_MARKUP, "03", True),
        (RSAAllocation.YES_WITHOUT_MARKUP, "", False),
        (RSAAllocation.YES_WITHOUT_MARKUP, "04", True),
    ],
)
def test_rsa_duration_is_set_iff_rsa_beneficiary(has_rsa_allocation, rsa_allocation_since, valid):
    fields = {"has_rsa_allocation": has_rsa_allocation, "rsa_allocation_since": rsa_allocation_since}
    if valid:
        profile = JobSeekerProfileFactory(**fields)
        profile.refresh_from_db()
        assert profile.rsa_allocation_since == rsa_allocation_since
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            JobSeekerProfileFactory(**fields)


def test_asp_uid_is_30_hexadecimal_characters_stable_and_unique():
    first, second = JobSeekerProfileFactory(), JobSeekerProfileFactory()
    for profile in (first, second):
        profile.refresh_from_db()
        assert re.fullmatch(r"[0-9a-f]{30}", profile.asp_uid)
        assert profile.asp_uid == asp_uid_for(profile.user_id)
    assert first.asp_uid != second.asp_uid

    # Saving again, or recreating the profile of the same person, keeps the identifier sent to the ASP.
    asp_uid, user = first.asp_uid, first.user
    first.education_level = "50"
    first.save()
    first.refresh_from_db()
    assert first.asp_uid == asp_uid
    first.delete()
    assert JobSeekerProfileFactory(user=user).asp_uid == asp_uid


def test_asp_uid_is_unique_in_the_database():
    first, second = JobSeekerProfileFactory(), JobSeekerProfileFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        JobSeekerProfile.objects.filter(pk=second.pk).update(asp_uid=first.asp_uid)


def test_job_seeker_factory_builds_a_complete_profile():
    job_seeker = JobSeekerFactory()
    assert job_seeker.kind == UserKind.JOB_SEEKER
    job_seeker.jobseeker_profile.full_clean()


def test_nir_is_stored_normalised_whatever_the_entry_point():
    nir = valid_nir(department="2A", order=7)
    profile = JobSeekerProfileFactory(nir=f" {nir[:5]} {nir[5:].lower()}")
    profile.refresh_from_db()
    assert profile.nir == nir
    # So the uniqueness holds between spellings.
    with pytest.raises(IntegrityError), transaction.atomic():
        JobSeekerProfileFactory(nir=nir.lower())


def test_database_refuses_a_lower_case_nir():
    profile = JobSeekerProfileFactory(nir=valid_nir(department="2B", order=8))
    with pytest.raises(IntegrityError), transaction.atomic():
        JobSeekerProfile.objects.filter(pk=profile.pk).update(nir=profile.nir.lower())


def test_only_professionals_may_be_members():
    membership = CompanyMembership(user=JobSeekerFactory(), organization=CompanyFactory())
    with pytest.raises(ValidationError, match="Seul un professionnel"):
        membership.full_clean()
    CompanyMembership(user=ProfessionalFactory(), organization=membership.organization).full_clean()


@pytest.mark.parametrize(
    "kind,provider,allowed",
    [
        (UserKind.JOB_SEEKER, "FC", True),
        (UserKind.JOB_SEEKER, "PEC", True),
        (UserKind.JOB_SEEKER, "PC", False),
        (UserKind.PROFESSIONAL, "PC", True),
        (UserKind.PROFESSIONAL, "FC", False),
        (UserKind.STAFF, "DJANGO", True),
        (UserKind.STAFF, "PC", False),
    ],
)
def test_identity_provider_matches_the_kind(kind, provider, allowed):
    user = User(email=f"{kind}-{provider}@example.com", kind=kind, identity_provider=provider)
    if allowed:
        user.save()
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            user.save()


def test_user_without_email_cannot_be_found_by_an_empty_login(db):
    User.objects.create_user(email=None, kind=UserKind.JOB_SEEKER)
    User.objects.create_user(email=None, kind=UserKind.JOB_SEEKER)
    assert authenticate(email="", password="x") is None
