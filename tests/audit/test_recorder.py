"""The audit trail at the model level (platform_rules.md §1.4): what is written, when, and what is not."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import F

from inclusion.approvals.models import Approval, Suspension
from inclusion.audit import acting_as
from inclusion.audit.context import SYSTEM_LABEL
from inclusion.audit.models import AuditAction, AuditEntry
from inclusion.audit.recorder import record_created, update_tracked
from inclusion.audit.tracked import TRACKED, Tracked, _resolve, resolve_tracked
from inclusion.eligibility.models import AdministrativeCriteria, SelectedAdministrativeCriteria
from inclusion.users.enums import LackOfNIRReason
from inclusion.users.models import JobSeekerProfile, User
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.audit.helpers import entries_of, last_entry_of
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.users.factories import JobSeekerFactory, valid_nir

pytestmark = pytest.mark.django_db


class TestCreation:
    def test_a_new_job_seeker_is_recorded_with_its_identity(self):
        job_seeker = JobSeekerFactory(first_name="Camille", last_name="Martin", email="camille@example.com")

        entry = last_entry_of(job_seeker)
        assert entry.action == AuditAction.CREATED
        assert entry.changes["first_name"] == [None, "Camille"]
        assert entry.changes["email"] == [None, "camille@example.com"]
        assert entry.changes["kind"] == [None, "job_seeker"]
        assert entry.object_label == f"utilisateur n° {job_seeker.pk}"
        # Outside a request, a command or a task: the platform itself.
        assert (entry.actor, entry.actor_label) == (None, SYSTEM_LABEL)

    def test_the_profile_creation_records_the_nir_and_the_birthdate_as_iso_dates(self):
        job_seeker = JobSeekerFactory()
        profile = job_seeker.jobseeker_profile

        entry = last_entry_of(profile)
        assert entry.changes["nir"] == [None, profile.nir]
        assert entry.changes["birthdate"] == [None, "1990-03-15"]
        # A foreign key is kept as the primary key; the profile belongs to the person's history.
        assert entry.changes["user"] == [None, job_seeker.pk]
        assert (entry.parent_model, entry.parent_object_id) == ("users.user", str(job_seeker.pk))

    def test_empty_values_are_left_out_of_a_creation(self):
        profile = JobSeekerFactory().jobseeker_profile

        changes = last_entry_of(profile).changes
        assert "lack_of_nir_reason" not in changes  # blank
        assert "birth_place" not in changes  # null

    def test_secrets_are_never_recorded(self):
        job_seeker = JobSeekerFactory()

        for entry in AuditEntry.objects.all():
            assert "password" not in entry.changes
            assert job_seeker.password not in str(entry.changes)


class TestUpdate:
    def test_one_entry_with_the_changed_fields_only(self):
        job_seeker = JobSeekerFactory(first_name="Camille", last_name="Martin")
        job_seeker = User.objects.get(pk=job_seeker.pk)

        job_seeker.last_name = "Durand"
        job_seeker.save()

        entries = entries_of(job_seeker, action=AuditAction.UPDATED)
        assert [entry.changes for entry in entries] == [{"last_name": ["Martin", "Durand"]}]

    def test_a_save_without_change_writes_nothing(self):
        job_seeker = User.objects.get(pk=JobSeekerFactory().pk)
        count = AuditEntry.objects.count()

        job_seeker.save()
        job_seeker.jobseeker_profile.save()

        assert AuditEntry.objects.count() == count

    def test_a_change_of_an_untracked_field_writes_nothing(self):
        job_seeker = User.objects.get(pk=JobSeekerFactory().pk)
        count = AuditEntry.objects.count()

        job_seeker.last_login = datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC)
        job_seeker.save(update_fields=["last_login"])
        profile = job_seeker.jobseeker_profile
        profile.education_level = "50"
        profile.save()

        assert AuditEntry.objects.count() == count

    def test_a_value_typed_as_text_equal_to_the_stored_date_is_no_change(self):
        approval = Approval.objects.get(pk=ApprovalFactory(start_at=datetime.date(2026, 3, 10)).pk)
        count = AuditEntry.objects.count()

        approval.start_at = "2026-03-10"
        approval.save()

        assert AuditEntry.objects.count() == count

    def test_update_fields_records_only_what_is_written(self):
        job_seeker = User.objects.get(pk=JobSeekerFactory(first_name="Camille", last_name="Martin").pk)

        job_seeker.first_name = "Inès"
        job_seeker.last_name = "Durand"
        job_seeker.save(update_fields=["first_name"])
        job_seeker.save(update_fields=["last_name"])

        entries = entries_of(job_seeker, action=AuditAction.UPDATED)
        assert [entry.changes for entry in entries] == [
            {"first_name": ["Camille", "Inès"]},
            {"last_name": ["Martin", "Durand"]},
        ]

    def test_the_second_save_compares_with_what_the_first_stored(self):
        job_seeker = User.objects.get(pk=JobSeekerFactory(last_name="Martin").pk)

        job_seeker.last_name = "Durand"
        job_seeker.save()
        job_seeker.save()
        job_seeker.last_name = "Martin"
        job_seeker.save()

        entries = entries_of(job_seeker, action=AuditAction.UPDATED)
        assert [entry.changes for entry in entries] == [
            {"last_name": ["Martin", "Durand"]},
            {"last_name": ["Durand", "Martin"]},
        ]

    def test_the_nir_replaced_by_a_reason(self):
        profile = JobSeekerFactory().jobseeker_profile
        nir = profile.nir
        profile = JobSeekerProfile.objects.get(pk=profile.pk)

        profile.nir = ""
        profile.lack_of_nir_reason = LackOfNIRReason.NO_NIR
        profile.save()

        assert last_entry_of(profile).changes == {
            "nir": [nir, ""],
            "lack_of_nir_reason": ["", "NO_NIR"],
        }

    def test_a_column_deferred_at_load_gets_its_stored_old_value(self):
        profile = JobSeekerFactory().jobseeker_profile
        old_nir, new_nir = profile.nir, valid_nir(order=998, department="75")
        deferred = JobSeekerProfile.objects.only("pk").get(pk=profile.pk)

        deferred.nir = new_nir
        deferred.save(update_fields=["nir"])

        assert last_entry_of(profile).changes == {"nir": [old_nir, new_nir]}

    def test_a_rolled_back_change_leaves_no_entry(self):
        job_seeker = User.objects.get(pk=JobSeekerFactory(last_name="Martin").pk)
        count = AuditEntry.objects.count()

        with pytest.raises(RuntimeError), transaction.atomic():
            job_seeker.last_name = "Durand"
            job_seeker.save()
            raise RuntimeError

        assert AuditEntry.objects.count() == count


class TestDeletion:
    def test_the_deleted_values_are_kept(self):
        suspension = SuspensionFactory(start_at=datetime.date(2026, 3, 10), end_at=datetime.date(2026, 4, 9))
        pk, approval = suspension.pk, suspension.approval

        Suspension.objects.filter(pk=pk).delete()  # a queryset deletion: Django sends the signal per row

        entry = AuditEntry.objects.get(model="approvals.suspension", object_id=str(pk), action=AuditAction.DELETED)
        assert entry.changes["start_at"] == ["2026-03-10", None]
        assert entry.changes["end_at"] == ["2026-04-09", None]
        assert entry.changes["approval"] == [approval.pk, None]
        assert entry.object_label == f"suspension n° {pk}"
        assert (entry.parent_model, entry.parent_object_id) == ("approvals.approval", str(approval.pk))

    def test_a_cascade_records_each_row(self):
        suspension = SuspensionFactory()
        approval = suspension.approval
        label = f"PASS IAE {approval.number_with_spaces}"

        approval.delete()

        deleted = AuditEntry.objects.filter(action=AuditAction.DELETED)
        assert {(entry.model, entry.object_label) for entry in deleted} == {
            ("approvals.suspension", f"suspension n° {suspension.pk}"),
            ("approvals.approval", label),
        }


class TestActor:
    def test_acting_as_names_the_command(self):
        with acting_as("commande : import_siae"):
            job_seeker = JobSeekerFactory()

        assert last_entry_of(job_seeker).actor_label == "commande : import_siae"
        assert last_entry_of(job_seeker).actor is None

    def test_the_innermost_context_wins_and_the_outer_one_comes_back(self):
        with acting_as("commande : load_demo_data"):
            with acting_as("tâche : certify_with_api_particulier"):
                inner = JobSeekerFactory()
            outer = JobSeekerFactory()
        after = JobSeekerFactory()

        assert last_entry_of(inner).actor_label == "tâche : certify_with_api_particulier"
        assert last_entry_of(outer).actor_label == "commande : load_demo_data"
        assert last_entry_of(after).actor_label == SYSTEM_LABEL

    def test_acting_as_decorates_a_function(self):
        @acting_as("tâche : essai")
        def task():
            return JobSeekerFactory()

        assert last_entry_of(task()).actor_label == "tâche : essai"
        assert last_entry_of(task()).actor_label == "tâche : essai"  # reusable


class TestBulkWrites:
    def test_update_tracked_records_each_changed_row_and_updates_all(self):
        march = {"start_at": datetime.date(2026, 3, 1)}
        first = SuspensionFactory(**march, end_at=datetime.date(2026, 3, 31))
        already = SuspensionFactory(**march, end_at=datetime.date(2026, 3, 20))

        with acting_as("commande : essai"):
            updated = update_tracked(
                Suspension.objects.filter(pk__in=[first.pk, already.pk]), end_at=datetime.date(2026, 3, 20)
            )

        assert updated == 2
        assert last_entry_of(first).changes == {"end_at": ["2026-03-31", "2026-03-20"]}
        assert last_entry_of(first).actor_label == "commande : essai"
        # Same value: updated, but nothing changed.
        assert last_entry_of(already).action == AuditAction.CREATED
        first.refresh_from_db()
        assert first.end_at == datetime.date(2026, 3, 20)

    def test_update_tracked_of_untracked_fields_is_a_plain_update(self):
        suspension = SuspensionFactory()
        count = AuditEntry.objects.count()

        assert update_tracked(Suspension.objects.filter(pk=suspension.pk), reason_explanation="Texte libre") == 1

        assert AuditEntry.objects.count() == count

    def test_update_tracked_refuses_an_expression_on_a_tracked_field(self):
        suspension = SuspensionFactory()
        with pytest.raises(ValueError, match="pas des expressions"):
            update_tracked(Suspension.objects.filter(pk=suspension.pk), end_at=F("start_at"))
        suspension.refresh_from_db()
        assert suspension.end_at > suspension.start_at

    def test_update_tracked_keeps_a_foreign_key_given_as_an_object(self):
        approval = ApprovalFactory()
        other = EligibilityDiagnosisFactory(job_seeker=approval.user)

        update_tracked(Approval.objects.filter(pk=approval.pk), eligibility_diagnosis=other)

        assert last_entry_of(approval).changes == {
            "eligibility_diagnosis": [approval.eligibility_diagnosis_id, other.pk]
        }

    def test_record_created_follows_a_bulk_create(self):
        diagnosis = EligibilityDiagnosisFactory()
        criterion = AdministrativeCriteria.objects.exclude(
            pk__in=diagnosis.selected_criteria.values("administrative_criteria")
        ).first()

        created = SelectedAdministrativeCriteria.objects.bulk_create(
            [SelectedAdministrativeCriteria(eligibility_diagnosis=diagnosis, administrative_criteria=criterion)]
        )
        record_created(created)

        entry = last_entry_of(created[0])
        assert entry.action == AuditAction.CREATED
        assert entry.changes["administrative_criteria"] == [None, criterion.pk]
        assert entry.object_label == f"critère {criterion.pk} du diagnostic n° {diagnosis.pk}"
        assert (entry.parent_model, entry.parent_object_id) == ("eligibility.eligibilitydiagnosis", str(diagnosis.pk))

    def test_record_created_refuses_unsaved_objects(self):
        with pytest.raises(ValueError):
            record_created([Suspension()])


class TestRegistry:
    def test_every_tracked_model_and_field_exists(self):
        resolved = resolve_tracked()
        assert len(resolved) == len(TRACKED)

    @pytest.mark.parametrize("secret", ["password", "encrypted_secret"])
    def test_a_secret_cannot_be_tracked(self, secret):
        label = "users.User" if secret == "password" else "users.TOTPDevice"
        with pytest.raises(ImproperlyConfigured, match="secret"):
            _resolve(label, Tracked(fields=(secret,)))

    def test_no_tracked_field_is_a_secret(self):
        for tracked_model in resolve_tracked().values():
            for model_field in tracked_model.fields:
                assert "password" not in model_field.name
                assert "secret" not in model_field.name
