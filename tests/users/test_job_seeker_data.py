"""The rules of inclusion.users.job_seeker_data: what is missing, when to check again, duplicates, writes."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from inclusion.geo.models import CommuneFormerCode, Country
from inclusion.users import job_seeker_data
from inclusion.users.enums import IdentityCertifier, LackOfFranceTravailIdReason, Title
from inclusion.users.models import IdentityCertification, JobSeekerProfile, User
from inclusion.users.validators import nir_key
from tests.geo.factories import CommuneFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, valid_nir


def france():
    return Country.objects.get_or_create(
        insee_code=Country.FRANCE_INSEE_CODE, defaults={"asp_code": "100", "name": "FRANCE", "kind": "country"}
    )[0]


def morocco():
    return Country.objects.get_or_create(
        insee_code="99350", defaults={"asp_code": "350", "name": "MAROC", "kind": "country"}
    )[0]


def complete_job_seeker(**kwargs):
    job_seeker = JobSeekerFactory(with_address=True, **kwargs)
    profile = job_seeker.jobseeker_profile
    profile.pole_emploi_id = "1234567A"
    profile.birth_country = france()
    profile.birth_place = CommuneFactory()
    profile.save()
    return job_seeker


class TestMissingJobSeekerData:
    def test_complete(self, db):
        assert job_seeker_data.missing_job_seeker_data(complete_job_seeker()) == []

    def test_a_lack_reason_counts_as_data(self, db):
        job_seeker = complete_job_seeker(without_nir=True)
        profile = job_seeker.jobseeker_profile
        profile.pole_emploi_id = ""
        profile.lack_of_pole_emploi_id_reason = LackOfFranceTravailIdReason.NOT_REGISTERED
        profile.save()
        assert job_seeker_data.missing_job_seeker_data(job_seeker) == []

    def test_everything_missing(self, db):
        job_seeker = JobSeekerFactory(profile=None)
        assert job_seeker_data.missing_job_seeker_data(job_seeker) == [
            job_seeker_data.MISSING_NIR,
            job_seeker_data.MISSING_FT_ID,
            job_seeker_data.MISSING_BIRTHDATE,
            job_seeker_data.MISSING_BIRTH_COUNTRY,
            job_seeker_data.MISSING_ADDRESS,
        ]

    @pytest.mark.parametrize(
        "change,label",
        [
            ({"nir": ""}, job_seeker_data.MISSING_NIR),
            ({"pole_emploi_id": ""}, job_seeker_data.MISSING_FT_ID),
            ({"birthdate": None}, job_seeker_data.MISSING_BIRTHDATE),
            ({"birth_place": None}, job_seeker_data.MISSING_BIRTH_PLACE),
        ],
    )
    def test_each_profile_item(self, db, change, label):
        job_seeker = complete_job_seeker()
        JobSeekerProfile.objects.filter(user=job_seeker).update(**change)
        job_seeker = User.objects.get(pk=job_seeker.pk)
        assert job_seeker_data.missing_job_seeker_data(job_seeker) == [label]

    @pytest.mark.parametrize("field", ["address_line_1", "post_code", "city"])
    def test_each_address_item(self, db, field):
        job_seeker = complete_job_seeker()
        setattr(job_seeker, field, "")
        assert job_seeker_data.missing_job_seeker_data(job_seeker) == [job_seeker_data.MISSING_ADDRESS]

    def test_born_abroad_needs_no_birth_place(self, db):
        job_seeker = complete_job_seeker()
        profile = job_seeker.jobseeker_profile
        profile.birth_country, profile.birth_place = morocco(), None
        assert job_seeker_data.missing_job_seeker_data(job_seeker) == []


class TestNeedsCheck:
    """applications.md §13.3: more than 6 months since the last check."""

    @pytest.mark.parametrize(
        "checked_at,expected",
        [
            (datetime.datetime(2026, 1, 16, 12, 0, tzinfo=datetime.UTC), False),  # the day after 6 months ago
            (datetime.datetime(2026, 1, 15, 12, 0, tzinfo=datetime.UTC), False),  # exactly 6 months ago
            (datetime.datetime(2026, 1, 15, 11, 59, 59, tzinfo=datetime.UTC), True),
            (datetime.datetime(2026, 1, 14, 12, 0, tzinfo=datetime.UTC), True),  # the day before
        ],
    )
    def test_boundaries(self, db, checked_at, expected):
        job_seeker = JobSeekerFactory(last_checked_at=checked_at)
        now = datetime.datetime(2026, 7, 15, 12, 0, tzinfo=datetime.UTC)
        assert job_seeker_data.needs_check(job_seeker, now=now) is expected

    def test_now_by_default(self, db):
        with time_machine.travel(datetime.datetime(2026, 7, 15, 12, 0, tzinfo=datetime.UTC), tick=False):
            fresh = JobSeekerFactory(last_checked_at=timezone.now())
            old = JobSeekerFactory(last_checked_at=timezone.now() - datetime.timedelta(days=200))
            assert not job_seeker_data.needs_check(fresh)
            assert job_seeker_data.needs_check(old)


class TestProfileIsIncomplete:
    def test_complete(self, db):
        assert not job_seeker_data.profile_is_incomplete(JobSeekerFactory(with_address=True))

    @pytest.mark.parametrize("field", ["title", "first_name", "last_name", "address_line_1", "post_code", "city"])
    def test_each_missing_item(self, db, field):
        job_seeker = JobSeekerFactory(with_address=True)
        setattr(job_seeker, field, "")
        assert job_seeker_data.profile_is_incomplete(job_seeker)

    def test_only_job_seekers(self, db):
        assert not job_seeker_data.profile_is_incomplete(ProfessionalFactory())


class TestLacksContactData:
    """applications.md §13.8: the end of the wizard offers to complete the address and the phone."""

    def test_complete(self, db):
        assert not job_seeker_data.lacks_contact_data(JobSeekerFactory(with_address=True, phone="0601020304"))

    @pytest.mark.parametrize("field", ["address_line_1", "post_code", "city", "phone"])
    def test_each_missing_item(self, db, field):
        job_seeker = JobSeekerFactory(with_address=True, phone="0601020304")
        setattr(job_seeker, field, "")
        assert job_seeker_data.lacks_contact_data(job_seeker)


class TestBirthDataFromNIR:
    def test_born_in_a_french_commune(self, db):
        lyon, born_in = CommuneFactory(), france()
        country, place = job_seeker_data.birth_data_from_nir(valid_nir(department="69"))  # commune 123: Lyon
        assert (country, place) == (born_in, lyon)

    def test_arrondissement_gives_the_whole_commune(self, db):
        lyon = CommuneFactory()
        CommuneFactory(code_insee="69383", name="Lyon 3e Arrondissement", kind="ARM", parent=lyon, postal_codes="")
        first_13 = "2900369383001"
        nir = f"{first_13}{nir_key(first_13):02d}"
        france()
        assert job_seeker_data.birth_data_from_nir(nir)[1] == lyon

    def test_merged_commune_gives_its_successor(self, db):
        lyon = CommuneFactory()
        CommuneFormerCode.objects.create(former_code="69999", commune=lyon, relation="COMD")
        first_13 = "2900369999001"
        france()
        assert job_seeker_data.birth_data_from_nir(f"{first_13}{nir_key(first_13):02d}")[1] == lyon

    def test_born_abroad(self, db):
        first_13 = "1900399350001"
        born_in = morocco()
        assert job_seeker_data.birth_data_from_nir(f"{first_13}{nir_key(first_13):02d}") == (born_in, None)

    def test_temporary_nir_says_nothing(self, db):
        first_13 = "7900369123001"
        assert job_seeker_data.birth_data_from_nir(f"{first_13}{nir_key(first_13):02d}") == (None, None)

    def test_unknown_commune(self, db):
        # No department 96 (the reference data may be loaded by other tests of the session).
        assert job_seeker_data.birth_data_from_nir(valid_nir(department="96")) == (None, None)


class TestCommuneForAddress:
    def test_one_commune_for_the_post_code(self, db):
        lyon = CommuneFactory()
        assert job_seeker_data.commune_for_address("69003", "n'importe") == lyon

    def test_the_city_decides_between_several(self, db):
        # Invented codes, absent from the reference data.
        CommuneFactory(code_insee="69901", name="Val-Fictif", postal_codes="00190")
        saint_fictif = CommuneFactory(code_insee="69902", name="Saint-Fictif", postal_codes="00190")
        assert job_seeker_data.commune_for_address("00190", "saint fictif") == saint_fictif
        assert job_seeker_data.commune_for_address("00190", "Ailleurs") is None

    def test_unknown(self, db):
        assert job_seeker_data.commune_for_address("00199", "Nulle part") is None
        assert job_seeker_data.commune_for_address("", "Lyon") is None


class TestHomonyms:
    def test_accents_and_case_are_ignored(self, db):
        other = JobSeekerFactory(first_name="Élodie", last_name="Dupont-Lefèvre")
        found = job_seeker_data.homonyms_of(
            first_name="elodie", last_name="DUPONT LEFEVRE", birthdate=other.jobseeker_profile.birthdate
        )
        assert found == [other]

    def test_another_birthdate_or_name_is_no_homonym(self, db):
        other = JobSeekerFactory(first_name="Élodie", last_name="Dupont")
        birthdate = other.jobseeker_profile.birthdate
        assert job_seeker_data.homonyms_of(first_name="Elodie", last_name="Dupond", birthdate=birthdate) == []
        assert (
            job_seeker_data.homonyms_of(
                first_name="Elodie", last_name="Dupont", birthdate=birthdate + datetime.timedelta(days=1)
            )
            == []
        )

    def test_professionals_are_no_homonyms(self, db):
        ProfessionalFactory(first_name="Élodie", last_name="Dupont")
        assert (
            job_seeker_data.homonyms_of(first_name="Elodie", last_name="Dupont", birthdate=datetime.date(1990, 3, 15))
            == []
        )


class TestWrites:
    def test_identity_change_wipes_certifications(self, db):
        job_seeker = JobSeekerFactory()
        IdentityCertification.objects.create(job_seeker=job_seeker, certifier=IdentityCertifier.FRANCE_TRAVAIL)
        profile = job_seeker.jobseeker_profile
        snapshot = job_seeker_data.identity_snapshot(job_seeker, profile)
        job_seeker.phone = "0612345678"
        job_seeker_data.save_job_seeker(job_seeker, profile, snapshot=snapshot)
        assert IdentityCertification.objects.filter(job_seeker=job_seeker).exists()
        snapshot = job_seeker_data.identity_snapshot(job_seeker, profile)
        job_seeker.last_name = "Autre"
        job_seeker_data.save_job_seeker(job_seeker, profile, snapshot=snapshot)
        assert not IdentityCertification.objects.filter(job_seeker=job_seeker).exists()

    def test_birthdate_change_wipes_certifications(self, db):
        job_seeker = JobSeekerFactory()
        IdentityCertification.objects.create(job_seeker=job_seeker, certifier=IdentityCertifier.API_PARTICULIER)
        profile = job_seeker.jobseeker_profile
        snapshot = job_seeker_data.identity_snapshot(job_seeker, profile)
        profile.birthdate = datetime.date(1990, 3, 16)
        job_seeker_data.save_job_seeker(job_seeker, profile, snapshot=snapshot)
        assert not IdentityCertification.objects.exists()

    def test_checked_sets_last_checked_at(self, db):
        job_seeker = JobSeekerFactory(last_checked_at=timezone.now() - datetime.timedelta(days=400))
        profile = job_seeker.jobseeker_profile
        now = timezone.now()
        snapshot = job_seeker_data.identity_snapshot(job_seeker, profile)
        job_seeker_data.save_job_seeker(job_seeker, profile, snapshot=snapshot, checked=True, now=now)
        job_seeker.refresh_from_db()
        assert job_seeker.last_checked_at == now

    def test_attach_nir(self, db):
        job_seeker = JobSeekerFactory(without_nir=True, title=Title.MME)
        IdentityCertification.objects.create(job_seeker=job_seeker, certifier=IdentityCertifier.FRANCE_TRAVAIL)
        nir = valid_nir(order=77)
        job_seeker_data.attach_nir(job_seeker, nir)
        profile = JobSeekerProfile.objects.get(user=job_seeker)
        assert (profile.nir, profile.lack_of_nir_reason) == (nir, "")
        assert not IdentityCertification.objects.exists()

    def test_attach_a_nir_someone_holds(self, db):
        holder = JobSeekerFactory()
        job_seeker = JobSeekerFactory(without_nir=True)
        with pytest.raises(job_seeker_data.NIRAlreadyUsed):
            job_seeker_data.attach_nir(job_seeker, holder.jobseeker_profile.nir)
        assert JobSeekerProfile.objects.get(user=job_seeker).nir == ""

    def test_the_database_constraint_becomes_a_french_error(self, db):
        """Another account takes the NIR between the check and the insertion."""
        holder = JobSeekerFactory()
        job_seeker = JobSeekerFactory(without_nir=True)
        profile = job_seeker.jobseeker_profile
        snapshot = job_seeker_data.identity_snapshot(job_seeker, profile)
        profile.nir, profile.lack_of_nir_reason = holder.jobseeker_profile.nir, ""
        real_holder = job_seeker_data.nir_holder
        with mock.patch.object(job_seeker_data, "nir_holder", side_effect=[None, real_holder(profile.nir)]):
            with pytest.raises(job_seeker_data.NIRAlreadyUsed):
                job_seeker_data.save_job_seeker(job_seeker, profile, snapshot=snapshot)
        assert JobSeekerProfile.objects.get(user=job_seeker).nir == ""
