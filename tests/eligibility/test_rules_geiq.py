"""GEIQ diagnoses: criteria, uniqueness, priority, in-place update, aid amounts (eligibility.md §7, invariant §8.6)."""

import datetime

import pytest
import time_machine

from inclusion.eligibility import rules
from inclusion.eligibility.enums import AuthorKind
from inclusion.eligibility.models import GEIQEligibilityDiagnosis
from inclusion.users.enums import AssignmentAction
from inclusion.users.models import JobSeekerAssignment
from tests.companies.factories import CompanyFactory
from tests.eligibility.factories import GEIQEligibilityDiagnosisFactory
from tests.eligibility.factories_rules import accepted_application
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
GEIQ = AuthorKind.GEIQ


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-10 12:00 +01:00", tick=False):
        yield


def _codes(diagnosis):
    return set(diagnosis.selected_criteria.values_list("administrative_criteria_id", flat=True))


class TestCriteria:
    @pytest.mark.parametrize(
        "codes,expected",
        [
            (["JEUNE_SQ"], []),
            (["JEUNE_SQ", "JEUNE"], ["JEUNE", "JEUNE_SQ"]),
            (["RSA", "AAH"], []),
            (["AAH", "MINIMA", "RSA"], ["MINIMA", "RSA", "AAH"]),
            (["DELD"], []),
            (["FT", "DELD"], ["FT", "DELD"]),
            (["PM", "NOPE"], ["PM"]),
        ],
    )
    def test_children_without_parent_are_discarded(self, codes, expected):
        assert rules.geiq_normalized_codes(codes) == expected

    @pytest.mark.parametrize(
        "pair",
        [
            ("QPV", "ZRR"),
            ("JEUNE", "SENIOR"),
            ("JEUNE", "DE_45"),
            ("SENIOR", "ASE"),
            ("DE_45", "ASE"),
            ("REF_DA", "RS_PS_DA"),
        ],
    )
    def test_exclusions(self, pair):
        errors = rules.geiq_criteria_errors(pair, author_kind=GEIQ)
        assert len(errors) == 1
        assert "ne peuvent pas être sélectionnés ensemble" in errors[0]
        for code in pair:
            assert rules.geiq_criteria_errors([code], author_kind=GEIQ) == []

    def test_one_choice_under_france_travail(self):
        errors = rules.geiq_criteria_errors(["FT", "DELD", "DETLD"], author_kind=GEIQ)
        assert errors == [
            "Sous « Personne inscrite à France Travail », un seul choix est possible parmi « Demandeur d'emploi "
            "inscrit depuis moins de 12 mois », « Demandeur d'emploi de longue durée (DELD) (12 mois et plus) », "
            "« Demandeur d'emploi de très longue durée (DETLD) (24 mois et plus) »."
        ]
        assert rules.geiq_criteria_errors(["FT", "DETLD"], author_kind=GEIQ) == []

    def test_geiq_author_needs_a_criterion_prescriber_does_not(self):
        assert rules.geiq_criteria_errors([], author_kind=GEIQ) == ["Sélectionnez au moins un critère administratif."]
        # An orphan child is discarded, leaving nothing.
        assert rules.geiq_criteria_errors(["RSA"], author_kind=GEIQ) == [
            "Sélectionnez au moins un critère administratif."
        ]
        assert rules.geiq_criteria_errors([], author_kind=AuthorKind.PRESCRIBER) == []

    def test_unknown_code(self):
        assert rules.geiq_criteria_errors(["NOPE"], author_kind=GEIQ) == ["Critère inconnu : NOPE."]


def _by_geiq(job_seeker, geiq, codes=("SENIOR",), author=None):
    return rules.create_geiq_diagnosis(
        job_seeker=job_seeker, author=author or ProfessionalFactory(), author_geiq=geiq, codes=codes
    )


def _by_prescriber(job_seeker, codes=(), organization=None):
    return rules.create_geiq_diagnosis(
        job_seeker=job_seeker,
        author=ProfessionalFactory(),
        author_prescriber_organization=organization or PrescriberOrganizationFactory(authorized=True),
        codes=codes,
    )


class TestCreation:
    def test_by_a_geiq(self):
        job_seeker, geiq, author = JobSeekerFactory(), CompanyFactory(kind="GEIQ"), ProfessionalFactory()
        diagnosis = _by_geiq(job_seeker, geiq, codes=["MINIMA", "RSA", "DELD"], author=author)
        diagnosis.refresh_from_db()
        assert (diagnosis.author_kind, diagnosis.author_geiq, diagnosis.author_prescriber_organization) == (
            GEIQ,
            geiq,
            None,
        )
        assert diagnosis.expires_at == datetime.date(2026, 9, 10)
        assert _codes(diagnosis) == {"MINIMA", "RSA"}  # DELD without FT discarded
        assignment = JobSeekerAssignment.objects.get(job_seeker=job_seeker)
        assert (assignment.professional, assignment.company, assignment.last_action) == (
            author,
            geiq,
            AssignmentAction.GEIQ_ELIGIBILITY,
        )

    def test_by_a_prescriber_with_no_criterion(self):
        organization = PrescriberOrganizationFactory(authorized=True)
        diagnosis = _by_prescriber(JobSeekerFactory(), organization=organization)
        assert diagnosis.author_kind == AuthorKind.PRESCRIBER
        assert diagnosis.author_prescriber_organization == organization
        assert diagnosis.expires_at == datetime.date(2026, 9, 10)
        assert JobSeekerAssignment.objects.get().prescriber_organization == organization

    @pytest.mark.parametrize(
        "authors,message",
        [
            ({}, "Un diagnostic GEIQ a pour auteur soit un GEIQ, soit une organisation prescriptrice habilitée."),
            ({"geiq": "ACI"}, "Seul un GEIQ peut réaliser un diagnostic d'éligibilité GEIQ employeur."),
            ({"orienteur": True}, "Seul un prescripteur habilité peut réaliser un diagnostic d'éligibilité GEIQ."),
            (
                {"geiq": "GEIQ", "prescriber": True},
                "Un diagnostic GEIQ a pour auteur soit un GEIQ, soit une organisation prescriptrice habilitée.",
            ),
        ],
    )
    def test_author_rules(self, authors, message):
        kwargs = {}
        if "geiq" in authors:
            kwargs["author_geiq"] = CompanyFactory(kind=authors["geiq"])
        if "prescriber" in authors:
            kwargs["author_prescriber_organization"] = PrescriberOrganizationFactory(authorized=True)
        if "orienteur" in authors:
            kwargs["author_prescriber_organization"] = PrescriberOrganizationFactory()
        with pytest.raises(rules.EligibilityError) as error:
            rules.create_geiq_diagnosis(
                job_seeker=JobSeekerFactory(), author=ProfessionalFactory(), codes=["PM"], **kwargs
            )
        assert error.value.messages == [message]

    def test_criteria_errors_refuse_the_creation(self):
        with pytest.raises(rules.EligibilityError):
            _by_geiq(JobSeekerFactory(), CompanyFactory(kind="GEIQ"), codes=["QPV", "ZRR"])
        assert not GEIQEligibilityDiagnosis.objects.exists()


class TestUniqueness:
    def test_a_valid_prescriber_diagnosis_blocks_everyone(self):
        job_seeker = JobSeekerFactory()
        GEIQEligibilityDiagnosisFactory(
            job_seeker=job_seeker, from_prescriber=True, expires_at=TODAY + datetime.timedelta(days=1)
        )
        with pytest.raises(rules.EligibilityError, match="Un diagnostic d'éligibilité GEIQ valide existe déjà"):
            _by_prescriber(job_seeker)
        with pytest.raises(rules.EligibilityError):
            _by_geiq(job_seeker, CompanyFactory(kind="GEIQ"))

    def test_an_expired_one_does_not_block(self):
        job_seeker = JobSeekerFactory()
        GEIQEligibilityDiagnosisFactory(job_seeker=job_seeker, from_prescriber=True, expires_at=TODAY)
        assert _by_prescriber(job_seeker) is not None

    def test_same_geiq_blocked_other_geiq_allowed(self):
        job_seeker, geiq, other = JobSeekerFactory(), CompanyFactory(kind="GEIQ"), CompanyFactory(kind="GEIQ")
        _by_geiq(job_seeker, geiq)
        with pytest.raises(rules.EligibilityError):
            _by_geiq(job_seeker, geiq)
        assert _by_geiq(job_seeker, other).author_geiq == other


class TestPriority:
    def test_a_new_prescriber_diagnosis_expires_unattached_geiq_ones(self):
        job_seeker, geiq, other_geiq = JobSeekerFactory(), CompanyFactory(kind="GEIQ"), CompanyFactory(kind="GEIQ")
        unattached = _by_geiq(job_seeker, geiq)
        attached = _by_geiq(job_seeker, other_geiq)
        accepted_application(
            job_seeker=job_seeker, company=other_geiq, hiring_start_at=TODAY, geiq_eligibility_diagnosis=attached
        )
        already_expired = GEIQEligibilityDiagnosisFactory(job_seeker=job_seeker, expires_at=datetime.date(2026, 1, 1))

        prescriber = _by_prescriber(job_seeker)

        unattached.refresh_from_db()
        attached.refresh_from_db()
        already_expired.refresh_from_db()
        assert unattached.expires_at == TODAY
        assert attached.expires_at == datetime.date(2026, 9, 10)
        assert already_expired.expires_at == datetime.date(2026, 1, 1)
        assert rules.last_valid_geiq_diagnosis(job_seeker, for_geiq=geiq) == prescriber

    def test_geiq_diagnoses_do_not_expire_each_other(self):
        job_seeker, geiq, other_geiq = JobSeekerFactory(), CompanyFactory(kind="GEIQ"), CompanyFactory(kind="GEIQ")
        first = _by_geiq(job_seeker, geiq)
        _by_geiq(job_seeker, other_geiq)
        first.refresh_from_db()
        assert rules.diagnosis_is_valid(first)


class TestUpdate:
    def test_in_place(self, django_capture_on_commit_callbacks):
        job_seeker, geiq = JobSeekerFactory(), CompanyFactory(kind="GEIQ")
        with time_machine.travel("2026-01-05 10:00 +01:00", tick=False):
            diagnosis = _by_geiq(job_seeker, geiq, codes=["SENIOR"])
        new_author = ProfessionalFactory()
        with django_capture_on_commit_callbacks() as callbacks:
            updated = rules.update_geiq_diagnosis(diagnosis, author=new_author, codes=["MINIMA", "AAH", "PM"])
        assert len(callbacks) == 1  # the certification of AAH is re-run
        assert updated.pk == diagnosis.pk
        diagnosis.refresh_from_db()
        assert diagnosis.author == new_author
        assert diagnosis.expires_at == datetime.date(2026, 9, 10)
        assert _codes(diagnosis) == {"MINIMA", "AAH", "PM"}
        assert GEIQEligibilityDiagnosis.objects.count() == 1

    def test_refused_once_expired(self):
        diagnosis = GEIQEligibilityDiagnosisFactory(expires_at=TODAY)
        with pytest.raises(rules.EligibilityError, match="a expiré"):
            rules.update_geiq_diagnosis(diagnosis, author=ProfessionalFactory(), codes=["PM"])
        diagnosis.expires_at = TODAY + datetime.timedelta(days=1)
        diagnosis.save(update_fields=["expires_at"])
        assert rules.update_geiq_diagnosis(diagnosis, author=ProfessionalFactory(), codes=["PM"]) == diagnosis

    def test_checks_the_stored_diagnosis_under_the_lock(self):
        # The GEIQ's form was loaded before an authorized prescriber's GEIQ diagnosis force-expired this one (§7.1):
        # the update must not revive it.
        job_seeker, geiq = JobSeekerFactory(), CompanyFactory(kind="GEIQ")
        diagnosis = _by_geiq(job_seeker, geiq, codes=["SENIOR"])
        stale = GEIQEligibilityDiagnosis.objects.get(pk=diagnosis.pk)
        rules.create_geiq_diagnosis(
            job_seeker=job_seeker,
            author=ProfessionalFactory(),
            author_prescriber_organization=PrescriberOrganizationFactory(authorized=True),
            codes=[],
        )
        with pytest.raises(rules.EligibilityError, match="a expiré"):
            rules.update_geiq_diagnosis(stale, author=ProfessionalFactory(), codes=["PM"])
        diagnosis.refresh_from_db()
        assert diagnosis.expires_at == TODAY
        assert _codes(diagnosis) == {"SENIOR"}

    def test_refused_on_a_prescriber_diagnosis(self):
        diagnosis = GEIQEligibilityDiagnosisFactory(from_prescriber=True)
        with pytest.raises(rules.EligibilityError):
            rules.update_geiq_diagnosis(diagnosis, author=ProfessionalFactory(), codes=["PM"])

    def test_needs_a_criterion(self):
        diagnosis = GEIQEligibilityDiagnosisFactory(criteria=["PM"])
        with pytest.raises(rules.EligibilityError):
            rules.update_geiq_diagnosis(diagnosis, author=ProfessionalFactory(), codes=[])
        assert _codes(diagnosis) == {"PM"}


class TestVisibility:
    def test_scope_and_order(self, django_assert_num_queries):
        job_seeker, geiq, other_geiq = JobSeekerFactory(), CompanyFactory(kind="GEIQ"), CompanyFactory(kind="GEIQ")
        own = GEIQEligibilityDiagnosisFactory(job_seeker=job_seeker, author_geiq=geiq)
        GEIQEligibilityDiagnosisFactory(job_seeker=job_seeker, author_geiq=other_geiq)
        prescriber = GEIQEligibilityDiagnosisFactory(
            job_seeker=job_seeker, from_prescriber=True, created_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        )
        with django_assert_num_queries(1):
            assert list(rules.visible_geiq_diagnoses(job_seeker, for_geiq=geiq)) == [prescriber, own]
        assert list(rules.visible_geiq_diagnoses(job_seeker)) == [prescriber]
        assert rules.last_valid_geiq_diagnosis(job_seeker, for_geiq=geiq) == prescriber
        assert rules.last_valid_geiq_diagnosis(job_seeker, for_geiq=geiq, on=datetime.date(2026, 7, 1)) == own


class TestJobSeekerView:
    """eligibility.md §7.1, §7.3: the job seeker sees their valid GEIQ diagnoses, whoever the author, and the card
    shows the first one (prescriber first, then newest) that opens an allowance."""

    def test_every_author_prescriber_first_and_only_valid_ones(self):
        job_seeker = JobSeekerFactory()
        expiring = GEIQEligibilityDiagnosisFactory(
            job_seeker=job_seeker, criteria=["TH"], expires_at=TODAY + datetime.timedelta(days=1)
        )
        prescriber = GEIQEligibilityDiagnosisFactory(
            job_seeker=job_seeker, from_prescriber=True, created_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        )
        GEIQEligibilityDiagnosisFactory(job_seeker=job_seeker, expires_at=TODAY)  # expired today
        other_person = GEIQEligibilityDiagnosisFactory(criteria=["TH"])
        assert list(rules.job_seeker_geiq_diagnoses(job_seeker)) == [prescriber, expiring]
        # The day before its expiry, the diagnosis expiring today is still shown; never another person's.
        day_before = list(rules.job_seeker_geiq_diagnoses(job_seeker, on=TODAY - datetime.timedelta(days=1)))
        assert len(day_before) == 3 and other_person not in day_before
        assert expiring not in rules.job_seeker_geiq_diagnoses(job_seeker, on=TODAY + datetime.timedelta(days=1))

    def test_the_card_skips_a_diagnosis_without_allowance(self):
        job_seeker = JobSeekerFactory()
        with_aid = GEIQEligibilityDiagnosisFactory(
            job_seeker=job_seeker, criteria=["TH"], created_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        )
        GEIQEligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["FT", "DELD_12"])  # newer, 0 €
        diagnoses = rules.job_seeker_geiq_diagnoses(job_seeker).prefetch_related("selected_criteria")
        assert rules.first_with_geiq_aid(diagnoses) == with_aid
        assert rules.first_with_geiq_aid(diagnoses.exclude(pk=with_aid.pk)) is None


class TestAidAmount:
    @pytest.mark.parametrize(
        "codes,amount",
        [
            (["RSA", "MINIMA"], 1400),  # one level 1
            (["FT", "DETLD"], 1400),  # one level 1 under FT
            (["SENIOR", "CAP_BEP"], 1400),  # two level 2
            (["TH", "CAP_BEP"], 1400),  # 1+2 counts as level 2
            (["CAP_BEP"], 0),  # one level 2 of annex 2 only
            (["TH"], 814),  # 1+2 counts as annex 1
            (["SANS_TRAVAIL_12"], 814),  # annex 1
            (["JEUNE", "JEUNE_SQ"], 814),  # one level 2 + one annex 1
            (["FT", "DELD_12"], 0),  # annex 0 never counts
            (["MINIMA", "AUTRE_MINIMA"], 814),  # MINIMA is annex 1, AUTRE_MINIMA (annex 0) adds nothing
            (["CAP_BEP", "FT", "DELD_12"], 0),
        ],
    )
    def test_geiq_authored(self, codes, amount):
        diagnosis = GEIQEligibilityDiagnosisFactory(criteria=codes)
        assert rules.geiq_aid_amount(diagnosis) == amount

    def test_prescriber_is_always_1400(self):
        assert rules.geiq_aid_amount(GEIQEligibilityDiagnosisFactory(from_prescriber=True)) == 1400
        assert rules.geiq_aid_amount(GEIQEligibilityDiagnosisFactory(from_prescriber=True, criteria=["FT"])) == 1400

    def test_prefetched_criteria_cost_no_query(self, django_assert_num_queries):
        GEIQEligibilityDiagnosisFactory(criteria=["TH"])
        diagnosis = GEIQEligibilityDiagnosis.objects.prefetch_related("selected_criteria").get()
        with django_assert_num_queries(0):
            assert rules.geiq_aid_amount(diagnosis) == 814

    def test_eligibility_confirmed_needs_validity_and_an_amount(self):
        diagnosis = GEIQEligibilityDiagnosisFactory(criteria=["TH"], expires_at=TODAY + datetime.timedelta(days=1))
        assert rules.geiq_eligibility_confirmed(diagnosis)
        assert not rules.geiq_eligibility_confirmed(diagnosis, on=TODAY + datetime.timedelta(days=1))
        assert not rules.geiq_eligibility_confirmed(GEIQEligibilityDiagnosisFactory(criteria=["FT", "DELD_12"]))
        assert not rules.geiq_eligibility_confirmed(None)
