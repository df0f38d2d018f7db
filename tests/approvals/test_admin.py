"""Back-office of the PASS IAE and of the manual PASS requests (pass_iae.md §2, §9, §10, §18)."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import transaction
from django.urls import reverse

from inclusion.applications.enums import ApprovalDeliveryMode, JobApplicationState
from inclusion.approvals import rules
from inclusion.approvals.enums import ORIGINS_WITH_DIAGNOSIS, ApprovalEventKind, Origin
from inclusion.approvals.models import Approval, ApprovalEvent, CancelledApproval
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.approvals.factories_approvals_core import accepted_application, noon
from tests.approvals.factories_suspensions_prolongations import ProlongationRequestFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory, StaffFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


def days(n):
    return datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def frozen_today(time_machine, settings):
    time_machine.move_to(noon(TODAY), tick=False)
    settings.PASS_IAE_NUMBER_PREFIX = "99999"


@pytest.fixture
def staff(client):
    user = StaffFactory()
    login(client, user)
    return user


def change_url(approval):
    return reverse("admin:approvals_approval_change", args=[approval.pk])


def form_data(response, **changes):
    """What the browser would post back: the editable fields as shown, the inline management forms, then changes."""
    form = response.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({f"{management.prefix}-{name}": management[name].value() for name in management.fields})
    data.update(changes)
    return data


def errors(response):
    """The French error messages of the admin form, as the support reads them."""
    return " ".join(message for messages in response.context["adminform"].form.errors.values() for message in messages)


def run_action(client, url_name, action, objects):
    return client.post(
        reverse(url_name), {"action": action, "_selected_action": [str(obj.pk) for obj in objects]}, follow=True
    )


class TestList:
    def test_query_count_does_not_grow_with_the_rows(self, client, staff, django_assert_num_queries):
        for _ in range(3):
            SuspensionFactory(approval=ApprovalFactory(start_at=TODAY - days(40)), start_at=TODAY - days(2))
        url = reverse("admin:approvals_approval_changelist")
        client.get(url)  # warms the content types cache up
        with django_assert_num_queries(8):
            response = client.get(url)
        assert response.status_code == 200
        assert "Valide (suspendu)" in response.content.decode()
        for _ in range(7):
            SuspensionFactory(approval=ApprovalFactory(start_at=TODAY - days(40)), start_at=TODAY - days(2))
        with django_assert_num_queries(8):
            client.get(url)

    def test_bulk_deletion_is_not_offered(self, client, staff):
        response = client.get(reverse("admin:approvals_approval_changelist"))
        actions = dict(response.context["action_form"].fields["action"].choices)
        assert "delete_selected" not in actions
        assert "terminate" in actions


class TestAdd:
    def post(self, client, follow=False, **fields):
        job_seeker = fields.pop("user", None) or JobSeekerFactory()
        data = {
            "user": job_seeker.pk,
            "number": "",
            "start_at": "10/03/2026",
            "end_at": "",
            "origin": Origin.ADMIN,
            "eligibility_diagnosis": "",
            "origin_siae_siret": "",
            "origin_siae_kind": "",
            "origin_sender_kind": "",
            "origin_prescriber_organization_kind": "",
        }
        data.update(fields)
        return client.post(reverse("admin:approvals_approval_add"), data, follow=follow)

    def test_a_blank_number_is_generated_and_the_end_defaults_to_730_days(self, client, staff):
        ApprovalFactory(number="999990000041")
        job_seeker = JobSeekerFactory()
        diagnosis = EligibilityDiagnosisFactory(job_seeker=job_seeker)
        response = self.post(client, user=job_seeker, eligibility_diagnosis=diagnosis.pk)
        assert response.status_code == 302
        approval = Approval.objects.get(user=job_seeker)
        assert approval.number == "999990000042"
        assert (approval.start_at, approval.end_at) == (TODAY, TODAY + days(729))
        assert (approval.origin, approval.created_by) == (Origin.ADMIN, staff)
        assert [(e.kind, e.user) for e in approval.events.all()] == [(ApprovalEventKind.CREATED, staff)]

    def test_a_prefixed_number_cannot_be_typed(self, client, staff):
        response = self.post(client, number="999990000099")
        assert response.status_code == 200
        assert "sont attribués automatiquement" in errors(response)
        assert not Approval.objects.exists()

    def test_a_non_prefixed_number_makes_a_pe_approval(self, client, staff):
        response = self.post(client, number="591152012345", origin=Origin.ADMIN)
        assert response.status_code == 302
        approval = Approval.objects.get()
        assert (approval.number, approval.origin, approval.eligibility_diagnosis) == (
            "591152012345",
            Origin.PE_APPROVAL,
            None,
        )

    def test_a_pe_approval_has_no_diagnosis(self, client, staff):
        job_seeker = JobSeekerFactory()
        diagnosis = EligibilityDiagnosisFactory(job_seeker=job_seeker)
        response = self.post(client, user=job_seeker, number="591152012345", eligibility_diagnosis=diagnosis.pk)
        assert "n'a pas de diagnostic d'éligibilité" in errors(response)
        assert not Approval.objects.exists()

    def test_an_admin_pass_needs_a_diagnosis_of_this_person(self, client, staff):
        other = EligibilityDiagnosisFactory()
        assert "repose sur un diagnostic" in errors(self.post(client))
        assert "concerne un autre candidat" in errors(self.post(client, eligibility_diagnosis=other.pk))
        assert not Approval.objects.exists()

    def test_not_for_a_holder_of_a_valid_pass(self, client, staff):
        holder = ApprovalFactory(start_at=TODAY + days(3)).user
        response = self.post(client, user=holder, number="591152012345")
        assert "Ce candidat a déjà un PASS IAE valide." in errors(response)
        assert Approval.objects.count() == 1

    def test_a_pass_given_meanwhile_is_seen_under_the_lock(self, client, staff, monkeypatch):
        # pass_iae.md §4, §20.3: a hiring committed the person's PASS after the form's check, before the save. The
        # form's check is made to answer as it did before that hiring; the save checks again under the lock.
        given_meanwhile = ApprovalFactory(start_at=TODAY - days(1))
        real_valid_approval = rules.valid_approval
        checks = []

        def valid_approval(user, **kwargs):
            checks.append(user)
            return None if len(checks) == 1 else real_valid_approval(user, **kwargs)

        monkeypatch.setattr(rules, "valid_approval", valid_approval)
        response = self.post(client, user=given_meanwhile.user, number="591152012345", follow=True)
        assert response.status_code == 200
        assert response.redirect_chain == [(reverse("admin:approvals_approval_add"), 302)]
        assert [str(m) for m in response.context["messages"]] == [
            "Ce candidat a déjà un PASS IAE valide. Aucun PASS IAE n'a été créé."
        ]
        assert list(Approval.objects.all()) == [given_meanwhile]
        assert not ApprovalEvent.objects.exists()
        assert len(checks) == 2

    def test_the_end_follows_the_start(self, client, staff):
        response = self.post(client, number="591152012345", end_at="10/03/2026")
        assert "La date de fin doit être postérieure à la date de début." in errors(response)


class TestChange:
    def test_dates_are_read_only(self, client, staff):
        approval = ApprovalFactory(start_at=TODAY - days(10))
        response = client.get(change_url(approval))
        assert response.status_code == 200
        assert set(response.context["adminform"].form.fields) == {"number"}
        client.post(change_url(approval), form_data(response, start_at="01/01/2026", end_at="01/01/2030"))
        approval.refresh_from_db()
        assert (approval.start_at, approval.end_at) == (TODAY - days(10), TODAY + days(719))

    def test_a_legacy_number_may_be_corrected(self, client, staff):
        approval = ApprovalFactory(number="591152012345", origin=Origin.PE_APPROVAL, eligibility_diagnosis=None)
        response = client.get(change_url(approval))
        response = client.post(change_url(approval), form_data(response, number="591152012346"))
        assert response.status_code == 302
        approval.refresh_from_db()
        assert (approval.number, approval.origin) == ("591152012346", Origin.PE_APPROVAL)

    @pytest.mark.parametrize("origin", [Origin.DEFAULT, Origin.ADMIN, Origin.AI_STOCK])
    @pytest.mark.parametrize("new_number", ["591152012345", "999990000099"])
    def test_a_number_issued_by_the_platform_never_changes(self, client, staff, origin, new_number):
        # pass_iae.md §2: dropping the number without a cancelled snapshot would let it be issued again.
        without_diagnosis = {} if origin in ORIGINS_WITH_DIAGNOSIS else {"eligibility_diagnosis": None}
        approval = ApprovalFactory(number="999990000041", origin=origin, **without_diagnosis)
        response = client.get(change_url(approval))
        response = client.post(change_url(approval), form_data(response, number=new_number))
        assert response.status_code == 200
        assert errors(response) == "Un numéro délivré par la plateforme ne se modifie pas."
        approval.refresh_from_db()
        assert (approval.number, approval.origin) == ("999990000041", origin)
        assert not CancelledApproval.objects.exists()
        with transaction.atomic():
            assert rules.next_approval_number() == "999990000042"

    def test_a_legacy_number_on_a_diagnosis_cannot_become_another_agrement(self, client, staff):
        # Inconsistent data (a diagnosis behind a non-prefixed number): the number stays as it is.
        approval = ApprovalFactory(number="591152012340")
        response = client.get(change_url(approval))
        response = client.post(change_url(approval), form_data(response, number="591152012345"))
        assert "ne peut pas recevoir un numéro d'agrément Pôle emploi" in errors(response)
        approval.refresh_from_db()
        assert approval.number == "591152012340"


class TestDeleteAndTerminate:
    def test_deletion_writes_the_snapshot(self, client, staff):
        approval = ApprovalFactory(start_at=TODAY - days(10))
        application = accepted_application(job_seeker=approval.user, approval=approval)
        url = reverse("admin:approvals_approval_delete", args=[approval.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"post": "yes"})
        assert response.status_code == 302
        assert not Approval.objects.exists()
        assert CancelledApproval.objects.get().number == approval.number
        application.refresh_from_db()
        assert (application.approval, application.state) == (None, JobApplicationState.ACCEPTED)
        event = ApprovalEvent.objects.get(kind=ApprovalEventKind.DELETED)
        assert event.user == staff

    def test_bulk_deletion_is_refused_even_when_forced(self, client, staff):
        approvals = [ApprovalFactory(), ApprovalFactory()]
        run_action(client, "admin:approvals_approval_changelist", "delete_selected", approvals)
        assert Approval.objects.count() == 2

    def test_terminate(self, client, staff):
        ongoing = ApprovalFactory(start_at=TODAY - days(10))
        future = ApprovalFactory(start_at=TODAY + days(10))
        response = run_action(client, "admin:approvals_approval_changelist", "terminate", [ongoing, future])
        content = response.content.decode()
        assert "1 PASS IAE clôturé(s) à la date du jour." in content
        assert "n&#x27;a pas encore commencé" in content
        ongoing.refresh_from_db()
        future.refresh_from_db()
        assert (ongoing.end_at, future.end_at) == (TODAY, TODAY + days(739))

    def test_terminate_waits_for_the_pending_prolongation_request(self, client, staff):
        # pass_iae.md §14.2: the request would be granted from a PASS end that no longer exists.
        approval = ApprovalFactory(start_at=TODAY - days(10))
        ProlongationRequestFactory(approval=approval)
        response = run_action(client, "admin:approvals_approval_changelist", "terminate", [approval])
        assert response.status_code == 200
        assert [str(m) for m in response.context["messages"]] == [
            f"{approval} : Une demande de prolongation est en attente pour ce PASS IAE : elle doit d'abord être "
            "traitée."
        ]
        approval.refresh_from_db()
        assert approval.end_at == TODAY + days(719)


class TestCancelledApprovals:
    def test_read_only(self, client, staff):
        cancelled = rules.approval_delete(ApprovalFactory())
        assert client.get(reverse("admin:approvals_cancelledapproval_add")).status_code == 403
        url = reverse("admin:approvals_cancelledapproval_change", args=[cancelled.pk])
        assert client.get(url).status_code == 200
        assert client.post(url, {"number": "999990000099"}).status_code == 403
        delete_url = reverse("admin:approvals_cancelledapproval_delete", args=[cancelled.pk])
        assert client.post(delete_url, {"post": "yes"}).status_code == 403
        assert CancelledApproval.objects.get().number == cancelled.number


class TestManualRequests:
    @pytest.fixture
    def manual_request(self):
        job_seeker = JobSeekerFactory(profile__nir="")
        EligibilityDiagnosisFactory(job_seeker=job_seeker)
        application = accepted_application(job_seeker=job_seeker, hiring_start_at=TODAY + days(2))
        rules.approval_issue_or_reuse(job_application=application, by_user=application.employer)
        application.refresh_from_db()
        assert application.approval_delivery_mode == ApprovalDeliveryMode.MANUAL
        return application

    def support(self, client, *codenames):
        user = StaffFactory(is_superuser=False)
        user.user_permissions.add(*Permission.objects.filter(codename__in=["view_jobapplication", *codenames]))
        login(client, user)
        return user

    def test_the_support_delivers(self, client, manual_request, django_capture_on_commit_callbacks):
        support = self.support(client, "handle_manual_approval_requests")
        with django_capture_on_commit_callbacks(execute=True):
            response = run_action(
                client, "admin:applications_jobapplication_changelist", "deliver_approval", [manual_request]
            )
        assert "1 PASS IAE délivré(s)" in response.content.decode()
        manual_request.refresh_from_db()
        assert manual_request.approval.origin == Origin.ADMIN
        assert manual_request.approval_manually_delivered_by == support
        assert [email.subject for email in mail.outbox][-1].startswith("PASS IAE pour")

    def test_the_support_refuses(self, client, manual_request):
        support = self.support(client, "handle_manual_approval_requests")
        response = run_action(
            client, "admin:applications_jobapplication_changelist", "refuse_approval", [manual_request]
        )
        assert "1 demande(s) de PASS IAE refusée(s)" in response.content.decode()
        manual_request.refresh_from_db()
        assert manual_request.approval_manually_refused_by == support

    def test_without_the_permission_nothing_happens(self, client, manual_request):
        self.support(client)
        response = client.get(reverse("admin:applications_jobapplication_changelist"))
        assert response.status_code == 200
        assert response.context["action_form"] is None or "deliver_approval" not in dict(
            response.context["action_form"].fields["action"].choices
        )
        run_action(client, "admin:applications_jobapplication_changelist", "deliver_approval", [manual_request])
        manual_request.refresh_from_db()
        assert manual_request.approval is None

    def test_an_error_is_shown_per_application(self, client, manual_request):
        self.support(client, "handle_manual_approval_requests")
        ApprovalFactory(user=manual_request.job_seeker, start_at=TODAY - days(1))
        response = run_action(
            client, "admin:applications_jobapplication_changelist", "deliver_approval", [manual_request]
        )
        assert "déjà un PASS IAE valide" in response.content.decode()

    def test_the_requests_to_process_are_listed_and_linked(self, client, manual_request):
        self.support(client, "handle_manual_approval_requests")
        accepted_application()  # an ordinary application: not a request
        url = reverse("admin:applications_jobapplication_changelist")
        response = client.get(url, {"manual_approval": "todo"})
        assert [application.pk for application in response.context["cl"].result_list] == [manual_request.pk]
        detail = client.get(reverse("admin:applications_jobapplication_change", args=[manual_request.pk]))
        assert f"{url}?id={manual_request.pk}" in detail.content.decode()
        filtered = client.get(url, {"id": str(manual_request.pk)})
        assert [application.pk for application in filtered.context["cl"].result_list] == [manual_request.pk]
