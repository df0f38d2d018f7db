"""The e-mails of the applications journey (applications.md §4, §16 "outside a request")."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from inclusion.applications import auto_refusal, submission, transitions
from inclusion.applications.enums import JobApplicationState, RefusalReason, SenderKind
from inclusion.applications.models import JobApplication
from inclusion.approvals.rules import ApprovalError
from inclusion.notifications import applications as notifications
from inclusion.notifications.models import DisabledNotification
from inclusion.utils.emails import absolute_url
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories_approvals_core import noon
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.notifications.factories import (
    company_with_members,
    job_seeker,
    sent_by_employer,
    sent_by_job_seeker,
    sent_by_prescriber,
)
from tests.users.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db

State = JobApplicationState
TODAY = datetime.date(2026, 3, 10)
FULL_NAME = "Sophie DURAND"
MASKED_NAME = "S… D…"


@pytest.fixture(autouse=True)
def frozen_today(time_machine, settings):
    time_machine.move_to(noon(TODAY), tick=False)
    settings.PASS_IAE_NUMBER_PREFIX = "99999"


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Runs the callable and the e-mails it queued for after commit; returns {address: [message, ...]}."""

    def run(callable_, *args, **kwargs):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            callable_(*args, **kwargs)
        by_address = {}
        for message in mail.outbox:
            assert len(message.to) == 1, "one e-mail per recipient"
            by_address.setdefault(message.to[0], []).append(message)
        return by_address

    return run


def only(messages):
    [message] = messages
    return message


def submit(job_application_kwargs, **extra):
    job_application_kwargs["company"].open_spontaneous_applications()
    return submission.submit(message="Je suis motivée par ce poste.", **job_application_kwargs, **extra)


# --- Creation


class TestCreation:
    def test_job_seeker_applies_the_members_and_the_job_seeker_are_told(self, sent):
        company = company_with_members(members=2)
        inactive = CompanyMembershipFactory(
            organization=company, user=ProfessionalFactory(), is_active=False, is_admin=False
        ).user
        person = job_seeker()

        outbox = sent(
            submit,
            dict(job_seeker=person, company=company, sender=person, sender_kind=SenderKind.JOB_SEEKER),
        )

        assert set(outbox) == {*(employer.email for employer in company.employers), person.email}
        assert inactive.email not in outbox
        for employer in company.employers:
            message = only(outbox[employer.email])
            assert message.subject == f"Nouvelle candidature de {FULL_NAME} pour {company.display_name}"
            assert "envoyée par le candidat lui-même" in message.body
            assert "Je suis motivée par ce poste." in message.body
            assert "Candidature spontanée" in message.body
            assert "/mon-compte/notifications/" in message.body
        confirmation = only(outbox[person.email])
        assert confirmation.subject == f"Votre candidature à {company.display_name} a bien été envoyée"
        assert "Bonjour Sophie," in confirmation.body
        assert "Votre candidature a bien été envoyée" in confirmation.body

    def test_selected_jobs_are_named(self, sent):
        job_application = sent_by_job_seeker()
        job = job_application.to_company.job_descriptions.create(
            appellation=_appellation(), custom_name="Agent d'entretien"
        )
        job_application.selected_jobs.set([job])
        outbox = sent(notifications.application_created, job_application)
        body = only(outbox[job_application.to_company.employers[0].email]).body
        assert "Poste : Agent d'entretien" in body  # not escaped: a plain-text e-mail
        assert "Candidature spontanée" not in body

    def test_orienteur_gets_a_confirmation_with_the_masked_name(self, sent):
        job_application = sent_by_prescriber(authorized=False)
        outbox = sent(notifications.application_created, job_application)

        proxy = only(outbox[job_application.sender.email])
        assert proxy.subject == f"Candidature envoyée à {job_application.to_company.display_name} pour {MASKED_NAME}"
        assert FULL_NAME not in proxy.body and "Durand" not in proxy.body
        # The company always sees its candidates; the job seeker learns who applied for her.
        member = only(outbox[job_application.to_company.employers[0].email])
        assert FULL_NAME in member.subject
        assert f"Paul PRESCRIPTEUR (orienteur, {job_application.sender_prescriber_organization.name})" in member.body
        assert "Paul PRESCRIPTEUR (orienteur" in only(outbox[job_application.job_seeker.email]).body

    def test_each_one_is_sent_to_their_own_page_of_the_application(self, sent):
        job_application = sent_by_prescriber(authorized=True)
        outbox = sent(notifications.application_created, job_application)
        for address, url_name in [
            (job_application.to_company.employers[0].email, "application_detail_company"),
            (job_application.job_seeker.email, "application_detail_job_seeker"),
            (job_application.sender.email, "application_detail_sender"),
        ]:
            link = absolute_url(reverse(url_name, args=[job_application.pk]))
            assert link in only(outbox[address]).body, url_name

    def test_orienteur_who_created_the_account_still_gets_the_masked_name(self, sent):
        # applications.md §16 "outside a request": only authorized organizations or companies.
        job_application = sent_by_prescriber(authorized=False, created_by_sender=True)
        outbox = sent(notifications.application_created, job_application)
        assert MASKED_NAME in only(outbox[job_application.sender.email]).subject

    def test_authorized_prescriber_gets_the_full_name(self, sent):
        job_application = sent_by_prescriber(authorized=True)
        outbox = sent(notifications.application_created, job_application)
        assert FULL_NAME in only(outbox[job_application.sender.email]).subject
        assert "(prescripteur habilité, " in only(outbox[job_application.job_seeker.email]).body

    def test_employer_applying_for_someone_gets_the_full_name(self, sent):
        job_application = sent_by_employer()
        outbox = sent(notifications.application_created, job_application)
        assert FULL_NAME in only(outbox[job_application.sender.email]).subject

    def test_a_deleted_sender_is_named_by_his_organization(self, sent):
        job_application = sent_by_prescriber(authorized=True)
        organization = job_application.sender_prescriber_organization
        company = job_application.to_company
        job_application.sender.delete()
        job_application.refresh_from_db()
        outbox = sent(notifications.application_created, job_application)
        member = only(outbox[company.employers[0].email])
        assert f"envoyée par {organization.name} (prescripteur habilité)." in member.body

    def test_self_prescription_the_sender_gets_his_confirmation_not_the_members_mail(self, sent):
        company = company_with_members(members=2)
        sender = company.employers[0]
        job_application = sent_by_employer(company=company, sender_company=company, sender=sender)
        outbox = sent(notifications.application_created, job_application)
        assert only(outbox[sender.email]).subject.startswith("Candidature envoyée à")
        assert only(outbox[company.employers[1].email]).subject.startswith("Nouvelle candidature de")

    def test_direct_hire_sends_nothing_at_creation(self, sent):
        company = company_with_members()
        employer = company.employers[0]
        outbox = sent(
            submit,
            dict(
                job_seeker=job_seeker(),
                company=company,
                sender=employer,
                sender_kind=SenderKind.EMPLOYER,
                sender_company=company,
            ),
            direct_hire=True,
        )
        assert outbox == {}

    def test_job_seeker_without_email_gets_nothing(self, sent):
        job_application = sent_by_prescriber(authorized=True, job_seeker=job_seeker(email=None))
        outbox = sent(notifications.application_created, job_application)
        assert set(outbox) == {job_application.sender.email, job_application.to_company.employers[0].email}

    def test_a_member_who_turned_it_off_is_not_told(self, sent):
        company = company_with_members(members=2)
        quiet, other = company.employers
        DisabledNotification.objects.create(user=quiet, notification="application_new_for_company")
        # Another notification turned off does not matter.
        DisabledNotification.objects.create(user=other, notification="application_refused_for_proxy")
        outbox = sent(notifications.application_created, sent_by_job_seeker(company=company))
        assert quiet.email not in outbox
        assert other.email in outbox

    def test_preferences_are_read_in_one_query_whatever_the_number_of_members(self, django_assert_num_queries):
        def queries_for(members):
            job_application = sent_by_job_seeker(company=company_with_members(members=members))
            for employer in job_application.to_company.employers[1:]:
                DisabledNotification.objects.create(user=employer, notification="application_new_for_company")
            notification = notifications.ApplicationNewForCompany(job_application)
            with django_assert_num_queries(2):  # the members with their accounts, their preferences
                recipients = notification.enabled_recipients()
            assert recipients == job_application.to_company.employers[:1]

        queries_for(1)
        queries_for(8)

    def test_nothing_is_sent_when_the_transaction_rolls_back(self, sent):
        job_application = sent_by_prescriber(authorized=True)

        def created_then_rolled_back():
            with pytest.raises(RuntimeError), transaction.atomic():
                notifications.application_created(job_application)
                raise RuntimeError

        assert sent(created_then_rolled_back) == {}


def _appellation():
    from tests.jobs.factories import AppellationFactory

    return AppellationFactory(code="19999", name="Agent d'entretien de locaux")


# --- Postpone and pool


class TestPostponeAndPool:
    def test_postpone_tells_the_job_seeker_and_the_proxy(self, sent):
        job_application = sent_by_prescriber(authorized=False, state=State.PROCESSING)
        employer = job_application.to_company.employers[0]

        outbox = sent(transitions.postpone, job_application, user=employer, answer="Nous vous recontactons en mai.")

        assert set(outbox) == {job_application.job_seeker.email, job_application.sender.email}
        to_job_seeker = only(outbox[job_application.job_seeker.email])
        assert to_job_seeker.subject == f"Votre candidature à {job_application.to_company.display_name} est en attente"
        assert "Nous vous recontactons en mai." in to_job_seeker.body
        to_proxy = only(outbox[job_application.sender.email])
        assert MASKED_NAME in to_proxy.subject and "Durand" not in to_proxy.body
        assert "Nous vous recontactons en mai." in to_proxy.body

    def test_pool_tells_the_job_seeker_and_the_proxy(self, sent):
        job_application = sent_by_employer(state=State.NEW)
        outbox = sent(transitions.add_to_pool, job_application, user=job_application.to_company.employers[0])
        assert "vivier" in only(outbox[job_application.job_seeker.email]).subject
        assert f"Candidature de {FULL_NAME} ajoutée au vivier" in only(outbox[job_application.sender.email]).subject

    def test_no_proxy_when_the_job_seeker_applied_himself(self, sent):
        job_application = sent_by_job_seeker(state=State.PROCESSING)
        outbox = sent(transitions.postpone, job_application, user=None, answer="Plus tard.")
        assert set(outbox) == {job_application.job_seeker.email}

    def test_no_proxy_once_his_account_is_deleted(self, sent):
        job_application = sent_by_prescriber(authorized=True, state=State.PROCESSING)
        job_application.sender.delete()
        job_application.refresh_from_db()
        assert job_application.sender is None
        outbox = sent(transitions.add_to_pool, job_application, user=None)
        assert set(outbox) == {job_application.job_seeker.email}

    def test_a_proxy_is_not_told_about_his_own_decision(self, sent):
        # Self-prescription: the employer who sent it answers it himself.
        company = company_with_members()
        employer = company.employers[0]
        job_application = sent_by_employer(company=company, sender_company=company, sender=employer)
        outbox = sent(transitions.add_to_pool, job_application, user=employer)
        assert set(outbox) == {job_application.job_seeker.email}

    def test_turned_off_for_the_job_seeker(self, sent):
        job_application = sent_by_prescriber(authorized=True, state=State.PROCESSING)
        DisabledNotification.objects.create(
            user=job_application.job_seeker, notification="application_postponed_for_job_seeker"
        )
        outbox = sent(transitions.postpone, job_application, user=None, answer="Plus tard.")
        assert set(outbox) == {job_application.sender.email}


# --- Refusal


def refuse(job_application, *, shared, reason=RefusalReason.NO_POSITION, user="employer"):
    user = job_application.to_company.employers[0] if user == "employer" else user
    return transitions.refuse(
        job_application,
        user=user,
        reason=reason,
        shared=shared,
        answer="Nous n'avons plus de poste.",
        answer_to_prescriber="Le poste a été supprimé.",
    )


class TestRefusal:
    def test_shared_reason_is_told_to_the_job_seeker(self, sent):
        job_application = sent_by_prescriber(authorized=True)
        outbox = sent(refuse, job_application, shared=True)
        body = only(outbox[job_application.job_seeker.email]).body
        assert "Motif : Pas de recrutement en cours" in body
        assert "Nous n'avons plus de poste." in body
        assert "Le poste a été supprimé." not in body  # the private answer to the prescriber

    def test_unshared_reason_is_not(self, sent):
        job_application = sent_by_prescriber(authorized=True)
        outbox = sent(refuse, job_application, shared=False)
        to_job_seeker = only(outbox[job_application.job_seeker.email])
        assert "Motif" not in to_job_seeker.body and "Pas de recrutement" not in to_job_seeker.body
        assert "n'a pas été retenue" in to_job_seeker.subject
        # The proxy always learns the reason and the private answer.
        to_proxy = only(outbox[job_application.sender.email])
        assert "Motif : Pas de recrutement en cours" in to_proxy.body
        assert "Le poste a été supprimé." in to_proxy.body
        assert f"Candidature de {FULL_NAME} déclinée par" in to_proxy.subject

    def test_orienteur_gets_the_masked_name(self, sent):
        job_application = sent_by_prescriber(authorized=False)
        outbox = sent(refuse, job_application, shared=False)
        assert MASKED_NAME in only(outbox[job_application.sender.email]).subject

    def test_automatic_refusal_is_told_to_the_job_seeker_only(self, sent):
        job_application = sent_by_prescriber(authorized=True)
        outbox = sent(
            transitions.refuse,
            job_application,
            user=None,
            reason=RefusalReason.AUTO,
            shared=True,
            answer=auto_refusal.AUTO_REFUSAL_ANSWER,
        )
        assert set(outbox) == {job_application.job_seeker.email}
        assert "Motif : Refus automatique" in only(outbox[job_application.job_seeker.email]).body

    def test_the_auto_refusal_command_sends_the_job_seeker_mail(self, sent):
        job_application = sent_by_prescriber(authorized=True)
        JobApplication.objects.filter(pk=job_application.pk).update(
            updated_at=noon(TODAY) - auto_refusal.AUTO_REFUSAL_DELAY
        )
        outbox = sent(auto_refusal.auto_refuse, dry_run=False)
        assert set(outbox) == {job_application.job_seeker.email}

    def test_refused_by_the_system_with_another_reason_no_proxy_mail_either(self, sent):
        job_application = sent_by_prescriber(authorized=True)
        outbox = sent(refuse, job_application, shared=True, user=None)
        assert set(outbox) == {job_application.job_seeker.email}


# --- Acceptance


def accept(job_application, **kwargs):
    kwargs.setdefault("hiring_start_at", TODAY + datetime.timedelta(days=3))
    return transitions.accept(job_application, user=job_application.to_company.employers[0], **kwargs)


class TestAcceptance:
    def test_job_seeker_and_proxy_are_told_and_the_employer_gets_the_pass_once(self, sent):
        job_application = sent_by_prescriber(authorized=True, company=company_with_members("ACI", members=2))
        EligibilityDiagnosisFactory(job_seeker=job_application.job_seeker)
        employer, colleague = job_application.to_company.employers

        outbox = sent(accept, job_application, answer="Bienvenue !")

        job_application.refresh_from_db()
        assert job_application.approval is not None
        assert set(outbox) == {job_application.job_seeker.email, job_application.sender.email, employer.email}
        to_job_seeker = only(outbox[job_application.job_seeker.email])
        assert to_job_seeker.subject == f"Votre candidature à {job_application.to_company.display_name} est acceptée"
        assert "Début du contrat : 13/03/2026" in to_job_seeker.body
        assert "Bienvenue !" in to_job_seeker.body
        assert f"Candidature de {FULL_NAME} acceptée par" in only(outbox[job_application.sender.email]).subject
        # "PASS IAE accepté": to the accepting user only, and only once (applications.md §4).
        pass_mail = only(outbox[employer.email])
        assert pass_mail.subject == f"PASS IAE pour {FULL_NAME} et avis d'embauche"
        assert job_application.approval.number_with_spaces in pass_mail.body
        assert colleague.email not in outbox

    def test_geiq_has_no_pass_mail(self, sent):
        job_application = sent_by_job_seeker(company=company_with_members("GEIQ"))
        outbox = sent(accept, job_application)
        assert set(outbox) == {job_application.job_seeker.email}

    def test_the_pass_mail_cannot_be_turned_off(self, sent):
        job_application = sent_by_job_seeker(company=company_with_members("ACI"))
        EligibilityDiagnosisFactory(job_seeker=job_application.job_seeker)
        employer = job_application.to_company.employers[0]
        DisabledNotification.objects.create(user=employer, notification="approval_delivered_for_employer")
        outbox = sent(accept, job_application)
        assert "PASS IAE pour" in only(outbox[employer.email]).subject

    def test_accepting_renders_others_obsolete_without_telling_anyone_about_them(self, sent):
        job_application = sent_by_job_seeker(company=company_with_members("EA"))
        other = sent_by_prescriber(authorized=True, job_seeker=job_application.job_seeker, state=State.PROCESSING)
        outbox = sent(accept, job_application)
        other.refresh_from_db()
        assert other.state == State.OBSOLETE
        assert set(outbox) == {job_application.job_seeker.email}
        assert other.sender.email not in outbox

    def test_nothing_is_sent_when_the_acceptance_fails(self, sent):
        # An ACI hiring without any diagnosis for a person with a NIR: the PASS rules refuse, all rolls back.
        job_application = sent_by_prescriber(authorized=True, company=company_with_members("ACI"))
        outbox = sent(lambda: pytest.raises(ApprovalError, accept, job_application))
        assert outbox == {}
        job_application.refresh_from_db()
        assert job_application.state == State.NEW


class TestApprovalDeliveredNotification:
    def hired(self):
        company = company_with_members("ACI", members=2)
        job_application = sent_by_job_seeker(company=company)
        EligibilityDiagnosisFactory(job_seeker=job_application.job_seeker)
        accept(job_application)
        job_application.refresh_from_db()
        job_application.to_company = company  # with its `employers`
        return job_application

    def test_goes_to_the_accepting_user(self):
        job_application = self.hired()
        colleague = job_application.to_company.employers[1]
        job_application.accepted_by = colleague
        notification = notifications.ApprovalDeliveredForEmployer(job_application)
        assert notification.enabled_recipients() == [colleague]

    def test_falls_back_on_the_user_of_the_acceptance_log(self):
        job_application = self.hired()
        job_application.accepted_by = None
        notification = notifications.ApprovalDeliveredForEmployer(job_application)
        assert notification.enabled_recipients() == [job_application.to_company.employers[0]]

    def test_sends_the_pass_number(self, sent):
        job_application = self.hired()
        outbox = sent(notifications.ApprovalDeliveredForEmployer(job_application).send)
        message = only(outbox[job_application.to_company.employers[0].email])
        assert job_application.approval.number_with_spaces in message.body
        assert "/mon-compte/notifications/" not in message.body  # always on: no settings link

    def test_nothing_without_a_pass(self, sent):
        job_application = sent_by_job_seeker(company=company_with_members("EA"))
        accept(job_application)
        assert sent(notifications.ApprovalDeliveredForEmployer(job_application).send) == {}


# --- Cancellation


class TestCancellation:
    def test_the_canceller_and_the_proxy_are_told(self, sent):
        job_application = sent_by_prescriber(authorized=False, company=company_with_members("EA", members=2))
        accept(job_application)
        canceller = job_application.to_company.employers[1]

        outbox = sent(transitions.cancel, job_application, user=canceller)

        assert set(outbox) == {canceller.email, job_application.sender.email}
        assert only(outbox[canceller.email]).subject == (
            f"Embauche annulée : {FULL_NAME} chez {job_application.to_company.display_name}"
        )
        to_proxy = only(outbox[job_application.sender.email])
        assert to_proxy.subject == f"Embauche annulée : {MASKED_NAME} chez {job_application.to_company.display_name}"

    def test_a_canceller_who_sent_it_gets_one_mail(self, sent):
        company = company_with_members("EA")
        employer = company.employers[0]
        job_application = sent_by_employer(company=company, sender_company=company, sender=employer)
        accept(job_application)
        outbox = sent(transitions.cancel, job_application, user=employer)
        assert only(outbox[employer.email]).subject.startswith("Embauche annulée")
        assert set(outbox) == {employer.email}


# --- Transfer


class TestTransfer:
    def transfer_setup(self, job_application_builder, **kwargs):
        origin = company_with_members(members=2)
        transferring = origin.employers[0]
        target = CompanyFactory(with_member=transferring)
        job_application = job_application_builder(company=origin, **kwargs)
        return job_application, origin, target, transferring

    def test_origin_members_job_seeker_and_proxy_are_told(self, sent):
        job_application, origin, target, transferring = self.transfer_setup(sent_by_prescriber, authorized=False)

        outbox = sent(transitions.transfer, job_application, user=transferring, target_company=target)

        assert set(outbox) == {
            *(employer.email for employer in origin.employers),
            job_application.job_seeker.email,
            job_application.sender.email,
        }
        to_origin = only(outbox[origin.employers[1].email])
        assert to_origin.subject == f"Candidature de {FULL_NAME} transférée à {target.display_name}"
        assert f"reçue par {origin.display_name}" in to_origin.body
        to_job_seeker = only(outbox[job_application.job_seeker.email])
        assert f"envoyée à {origin.display_name} a été transférée à {target.display_name}" in to_job_seeker.body
        assert MASKED_NAME in only(outbox[job_application.sender.email]).subject

    def test_no_proxy_mail_when_the_sender_is_the_origin_company(self, sent):
        origin = company_with_members(members=2)
        transferring, sender = origin.employers
        target = CompanyFactory(with_member=transferring)
        job_application = sent_by_employer(company=origin, sender_company=origin, sender=sender)

        outbox = sent(transitions.transfer, job_application, user=transferring, target_company=target)

        assert set(outbox) == {transferring.email, sender.email, job_application.job_seeker.email}
        assert len(outbox[sender.email]) == 1  # as an origin member only


# --- No notification


@pytest.mark.parametrize(
    "state,transition",
    [
        (State.NEW, "process"),
        (State.NEW, "move_to_prior_to_hire"),
        (State.PRIOR_TO_HIRE, "cancel_prior_to_hire"),
        (State.PROCESSING, "render_obsolete"),
        (State.OBSOLETE, "reset"),
    ],
)
def test_transitions_without_notification(sent, state, transition):
    job_application = sent_by_prescriber(authorized=True, company=company_with_members("GEIQ"), state=state)
    outbox = sent(getattr(transitions, transition), job_application, user=job_application.to_company.employers[0])
    assert outbox == {}


def test_external_transfer_sends_nothing_by_itself(sent):
    job_application = sent_by_prescriber(authorized=True, state=State.REFUSED)
    outbox = sent(
        transitions.external_transfer,
        job_application,
        user=job_application.to_company.employers[0],
        target_company=CompanyFactory(),
    )
    assert outbox == {}


def test_every_notification_has_its_templates_and_a_french_label():
    from django.template.loader import get_template

    from inclusion.notifications.base import REGISTRY

    assert len(REGISTRY) == 17
    for key, cls in REGISTRY.items():
        assert cls.label and cls.description and cls.audience, key
        get_template(f"{cls.templates()}_subject.txt")
        get_template(f"{cls.templates()}_body.txt")


def test_job_application_factory_default_sender_is_not_a_proxy():
    assert notifications.proxy_of(JobApplicationFactory()) is None


# --- Every e-mail to a proxy, for an orienteur (applications.md §16 "outside a request")


def _transfer(job_application, employer):
    target = CompanyFactory(with_member=employer)
    transitions.transfer(job_application, user=employer, target_company=target)


def _cancel(job_application, employer):
    accept(job_application)
    transitions.cancel(job_application, user=employer)


# The event that sends each e-mail to the proxy, run through the rules as in the application.
PROXY_EVENTS = {
    "application_new_for_proxy": lambda job_application, employer: notifications.application_created(job_application),
    "application_postponed_for_proxy": lambda job_application, employer: transitions.postpone(
        job_application, user=employer, answer="Nous vous recontactons en mai."
    ),
    "application_added_to_pool_for_proxy": lambda job_application, employer: transitions.add_to_pool(
        job_application, user=employer
    ),
    "application_refused_for_proxy": lambda job_application, employer: refuse(job_application, shared=True),
    "application_accepted_for_proxy": lambda job_application, employer: accept(job_application),
    "hiring_cancelled_for_proxy": _cancel,
    "application_transferred_for_proxy": _transfer,
}


def test_every_proxy_email_has_its_personal_data_test():
    from inclusion.notifications.base import REGISTRY, Audience

    assert set(PROXY_EVENTS) == {key for key, cls in REGISTRY.items() if cls.audience == Audience.PROXY}


@pytest.mark.parametrize("created_by_sender", [False, True])
@pytest.mark.parametrize("key", PROXY_EVENTS)
def test_an_orienteur_never_reads_the_job_seeker_s_identity(sent, key, created_by_sender):
    """Subject and body of every e-mail to an orienteur: initials only, no contact details (even for the account he
    created: outside a request, only authorized organizations and companies see names)."""
    person = job_seeker(email="sophie.durand@example.com", phone="0611223344", created_by=None)
    # An EA: accepting needs no diagnosis and issues no PASS, so that every event runs from a new application.
    job_application = sent_by_prescriber(authorized=False, company=company_with_members("EA"), job_seeker=person)
    if created_by_sender:
        person.created_by = job_application.sender
        person.save()
    employer = job_application.to_company.employers[0]

    outbox = sent(PROXY_EVENTS[key], job_application, employer)

    # A cancellation comes after its acceptance's e-mail: every message the orienteur gets is read.
    messages = outbox[job_application.sender.email]
    assert messages
    for message in messages:
        assert MASKED_NAME in message.subject
        for text in (message.subject, message.body):
            for identity in ("Sophie", "Durand", "DURAND", "sophie.durand@example.com", "0611223344"):
                assert identity not in text, (key, identity)
