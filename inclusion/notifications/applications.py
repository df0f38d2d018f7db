"""The e-mails of the applications journey (applications.md §4): one class per e-mail, and one hook per event.

The hooks (`application_created`, `application_postponed`...) are called by the rules (submission.py,
transitions.py) inside their transaction; the e-mails are rendered at once and leave after commit through the task
queue, so a rolled back transition sends nothing.

Who is who:
- the *job seeker* is told about every answer to their application (when they have an e-mail address);
- the *proxy* is the professional (prescriber or employer) who sent the application for the job seeker, if that
  account still exists. Outside a request, a proxy sees the job seeker's full name only when
  `can_notify_with_personal_information` allows it, else the masked form (applications.md §16);
- the members of a company always see their candidates' names.

"PASS IAE accepté" (`ApprovalDeliveredForEmployer`) is sent by the PASS rules themselves at acceptance
(`inclusion.approvals.rules`), which also record that the number was sent: the acceptance hook does not send it a
second time.
"""

from functools import cached_property

from django.urls import reverse

from inclusion.applications.enums import JobApplicationTransition, RefusalReason, SenderKind
from inclusion.applications.perms import job_seeker_sees_refusal_reason
from inclusion.notifications.base import Audience, Notification
from inclusion.users.display import masked_name
from inclusion.users.perms import can_notify_with_personal_information
from inclusion.utils.emails import absolute_url

# --- Building blocks


def proxy_of(job_application):
    """The professional who sent the application for the job seeker; None when the job seeker sent it himself or
    when the sender's account was deleted (applications.md §4 "if any and not deleted")."""
    if job_application.sender_kind == SenderKind.JOB_SEEKER or job_application.sender_id is None:
        return None
    if job_application.sender_id == job_application.job_seeker_id:
        return None
    return job_application.sender


def sender_label(job_application):
    """The sender kind in the middle of a sentence ("orienteur", "employeur (SIAE)")."""
    label = job_application.sender_kind_label
    return label[0].lower() + label[1:]


def _link(url_name, job_application):
    """An absolute link to one of the application's pages (e-mails are read outside the site)."""
    return absolute_url(reverse(url_name, args=[job_application.pk]))


class ApplicationNotification(Notification):
    """An e-mail about one job application; `user` is the person who made the event happen (None: the system)."""

    def __init__(self, job_application, *, user=None):
        self.job_application = job_application
        self.user = user

    @cached_property
    def common_context(self):
        """Computed once for all recipients: rendering one e-mail per recipient queries nothing more."""
        job_application = self.job_application
        sender_organization = job_application.sender_prescriber_organization or job_application.sender_company
        return {
            "job_application": job_application,
            "company": job_application.to_company,
            "jobs": [job.display_name for job in job_application.selected_jobs.all()],
            "sender": job_application.sender,
            "sender_label": sender_label(job_application),
            "sender_organization": sender_organization,
            "user": self.user,
        }

    def job_seeker_name_for(self, recipient):
        return self.job_application.job_seeker.get_full_name()

    def url_for(self, recipient):
        return ""

    def extra_context(self):
        return {}

    def context_for(self, recipient):
        return {
            **self.common_context,
            **self.extra_context(),
            "recipient": recipient,
            "job_seeker_name": self.job_seeker_name_for(recipient),
            "url": self.url_for(recipient),
        }


class ForJobSeeker(ApplicationNotification):
    audience = Audience.JOB_SEEKER

    def recipients(self):
        return [self.job_application.job_seeker]

    def url_for(self, recipient):
        return _link("application_detail_job_seeker", self.job_application)


class ForProxy(ApplicationNotification):
    """The sender for the job seeker; never told about a decision he made himself (self-prescription)."""

    audience = Audience.PROXY

    def recipients(self):
        proxy = proxy_of(self.job_application)
        if proxy is None or (self.user is not None and proxy.pk == self.user.pk):
            return []
        return [proxy]

    def job_seeker_name_for(self, recipient):
        # applications.md §16 "outside a request": full name for members of authorized organizations and for
        # proxies notified as a company, masked otherwise.
        job_seeker = self.job_application.job_seeker
        if can_notify_with_personal_information(recipient, notified_company=self.job_application.sender_company):
            return job_seeker.get_full_name()
        return masked_name(job_seeker)

    def url_for(self, recipient):
        return _link("application_detail_sender", self.job_application)


class ForCompanyMembers(ApplicationNotification):
    """Every active member of `company()` (the target company unless told otherwise)."""

    audience = Audience.EMPLOYER

    def company(self):
        return self.job_application.to_company

    def recipients(self):
        company = self.company()
        if company is None:
            return []
        return [membership.user for membership in company.memberships.active().select_related("user")]

    def url_for(self, recipient):
        return _link("application_detail_company", self.job_application)


# --- Creation (applications.md §4 "creation")


class ApplicationNewForCompany(ForCompanyMembers):
    key = "application_new_for_company"
    label = "Nouvelle candidature reçue"
    description = "Chaque candidature envoyée à votre structure, à tous ses membres."

    def recipients(self):
        # The member who sent it himself (self-prescription) gets his own confirmation instead.
        sender_id = self.job_application.sender_id
        return [user for user in super().recipients() if user.pk != sender_id]


class ApplicationNewForJobSeeker(ForJobSeeker):
    key = "application_new_for_job_seeker"
    label = "Confirmation d'envoi de candidature"
    description = "Quand une candidature est envoyée à un employeur, par vous ou pour vous."


class ApplicationNewForProxy(ForProxy):
    key = "application_new_for_proxy"
    label = "Confirmation d'envoi d'une candidature pour un candidat"
    description = "Quand vous envoyez une candidature pour une personne que vous accompagnez."


# --- Answers (applications.md §4 "postpone, add_to_pool", "refuse", "accept")


class ApplicationPostponedForJobSeeker(ForJobSeeker):
    key = "application_postponed_for_job_seeker"
    label = "Candidature mise en attente"
    description = "Quand un employeur met votre candidature en attente, avec son message."


class ApplicationPostponedForProxy(ForProxy):
    key = "application_postponed_for_proxy"
    label = "Mise en attente d'une candidature envoyée"
    description = "Quand un employeur met en attente une candidature que vous avez envoyée."


class ApplicationAddedToPoolForJobSeeker(ForJobSeeker):
    key = "application_added_to_pool_for_job_seeker"
    label = "Candidature ajoutée au vivier"
    description = "Quand un employeur garde votre candidature dans son vivier."


class ApplicationAddedToPoolForProxy(ForProxy):
    key = "application_added_to_pool_for_proxy"
    label = "Ajout au vivier d'une candidature envoyée"
    description = "Quand un employeur ajoute à son vivier une candidature que vous avez envoyée."


class ApplicationRefusedForJobSeeker(ForJobSeeker):
    key = "application_refused_for_job_seeker"
    label = "Candidature déclinée"
    description = "Quand un employeur décline votre candidature, avec son message."

    def extra_context(self):
        job_application = self.job_application
        shared = job_seeker_sees_refusal_reason(job_application)
        return {"reason": job_application.get_refusal_reason_display() if shared else ""}


class ApplicationRefusedForProxy(ForProxy):
    key = "application_refused_for_proxy"
    label = "Refus d'une candidature envoyée"
    description = "Quand un employeur décline une candidature que vous avez envoyée, avec le motif."

    def recipients(self):
        # applications.md §4: no proxy e-mail for the system's automatic refusals.
        if self.user is None or self.job_application.refusal_reason == RefusalReason.AUTO:
            return []
        return super().recipients()

    def extra_context(self):
        return {"reason": self.job_application.get_refusal_reason_display()}


class ApplicationAcceptedForJobSeeker(ForJobSeeker):
    key = "application_accepted_for_job_seeker"
    label = "Candidature acceptée"
    description = "Quand un employeur accepte votre candidature, avec les dates du contrat."


class ApplicationAcceptedForProxy(ForProxy):
    key = "application_accepted_for_proxy"
    label = "Acceptation d'une candidature envoyée"
    description = "Quand un employeur embauche une personne pour qui vous avez envoyé une candidature."


class ApprovalDeliveredForEmployer(ApplicationNotification):
    """pass_iae.md §16 "PASS IAE accepté": the number and the contract, to the user who accepted (SIAE only).

    Sent by `inclusion.approvals.rules` when a PASS is attached at acceptance or delivered manually, with the
    template of the approvals app; always on: the employer needs the number.
    """

    key = "approval_delivered_for_employer"
    label = "PASS IAE accepté"
    description = "Le numéro du PASS IAE de la personne que vous embauchez en SIAE, à la personne qui a accepté."
    audience = Audience.EMPLOYER
    can_be_disabled = False
    template_prefix = "approvals/emails/approval_delivered"

    def recipients(self):
        # The accepting user (set at acceptance), else the user of the acceptance's log row; for an application
        # accepted before either was recorded (imports), the administrators of the hiring company, else its members.
        accepted_by = self.job_application.accepted_by
        if accepted_by is not None:
            return [accepted_by]
        log = (
            self.job_application.logs.filter(transition=JobApplicationTransition.ACCEPT).select_related("user").last()
        )
        if log is not None and log.user is not None:
            return [log.user]
        memberships = self.job_application.to_company.memberships.active().select_related("user")
        return [m.user for m in memberships if m.is_admin] or [m.user for m in memberships]

    def extra_context(self):
        from inclusion.approvals.rules import approval_remainder, remainder_display

        approval = self.job_application.approval
        profile = getattr(self.job_application.job_seeker, "jobseeker_profile", None)
        return {
            "approval": approval,
            "job_seeker": self.job_application.job_seeker,
            "birthdate": profile.birthdate if profile else None,
            "remainder": remainder_display(approval_remainder(approval)) if approval else "",
        }

    def send(self):
        # Only once a PASS is attached (SIAE hirings).
        if self.job_application.approval is None:
            return []
        return super().send()


# --- Cancellation and transfer (applications.md §4 "cancel", "transfer")


class HiringCancelledForEmployer(ApplicationNotification):
    key = "hiring_cancelled_for_employer"
    label = "Confirmation d'annulation d'embauche"
    description = "Quand vous annulez une embauche."
    audience = Audience.EMPLOYER

    def recipients(self):
        return [self.user]

    def url_for(self, recipient):
        return _link("application_detail_company", self.job_application)


class HiringCancelledForProxy(ForProxy):
    key = "hiring_cancelled_for_proxy"
    label = "Annulation de l'embauche d'une candidature envoyée"
    description = "Quand un employeur annule l'embauche d'une personne pour qui vous avez envoyé une candidature."


class TransferNotification(ApplicationNotification):
    def extra_context(self):
        return {"origin": self.job_application.transferred_from}


class ApplicationTransferredForOriginCompany(TransferNotification, ForCompanyMembers):
    key = "application_transferred_for_origin_company"
    label = "Transfert d'une candidature reçue"
    description = "Quand une candidature reçue par votre structure est transférée à une autre structure."

    def company(self):
        return self.job_application.transferred_from

    def url_for(self, recipient):
        return ""  # The origin company no longer sees the application.


class ApplicationTransferredForJobSeeker(TransferNotification, ForJobSeeker):
    key = "application_transferred_for_job_seeker"
    label = "Transfert de candidature"
    description = "Quand un employeur transfère votre candidature à une autre de ses structures."


class ApplicationTransferredForProxy(TransferNotification, ForProxy):
    key = "application_transferred_for_proxy"
    label = "Transfert d'une candidature envoyée"
    description = "Quand un employeur transfère à une autre structure une candidature que vous avez envoyée."

    def recipients(self):
        # applications.md §4: not when the sender is the origin company (its members are told already).
        sender_company_id = self.job_application.sender_company_id
        if sender_company_id and sender_company_id == self.job_application.transferred_from_id:
            return []
        return super().recipients()


# --- The hooks called by the rules


def application_created(job_application, *, direct_hire=False):
    """applications.md §4 "creation": members of the target company, the job seeker, the proxy.

    A direct hire ("Déclarer une embauche") is no application anybody has to process: it is accepted at once, and
    the acceptance e-mails tell the job seeker.
    """
    if direct_hire:
        return
    ApplicationNewForCompany(job_application).send()
    ApplicationNewForJobSeeker(job_application).send()
    ApplicationNewForProxy(job_application).send()


def application_postponed(job_application, *, user=None):
    ApplicationPostponedForJobSeeker(job_application, user=user).send()
    ApplicationPostponedForProxy(job_application, user=user).send()


def application_added_to_pool(job_application, *, user=None):
    ApplicationAddedToPoolForJobSeeker(job_application, user=user).send()
    ApplicationAddedToPoolForProxy(job_application, user=user).send()


def application_refused(job_application, *, user=None):
    """`user=None`: the system's auto-refusal, told to the job seeker only."""
    ApplicationRefusedForJobSeeker(job_application, user=user).send()
    ApplicationRefusedForProxy(job_application, user=user).send()


def application_accepted(job_application, *, user=None):
    """The job seeker and the proxy; "PASS IAE accepté" is the PASS rules' (see the module docstring)."""
    ApplicationAcceptedForJobSeeker(job_application, user=user).send()
    ApplicationAcceptedForProxy(job_application, user=user).send()


def hiring_cancelled(job_application, *, user=None):
    """The canceller and the proxy (once, when they are the same person)."""
    HiringCancelledForEmployer(job_application, user=user).send()
    HiringCancelledForProxy(job_application, user=user).send()


def application_transferred(job_application, *, user=None):
    """applications.md §4 "transfer": origin company members, the job seeker, the proxy."""
    ApplicationTransferredForOriginCompany(job_application, user=user).send()
    ApplicationTransferredForJobSeeker(job_application, user=user).send()
    ApplicationTransferredForProxy(job_application, user=user).send()
