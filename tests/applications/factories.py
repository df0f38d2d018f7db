import factory

from inclusion.applications.enums import JobApplicationState, SenderKind
from inclusion.applications.models import JobApplication
from tests.companies.factories import CompanyFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory


class JobApplicationFactory(factory.django.DjangoModelFactory):
    """Sent by the job seeker by default; `sent_by_authorized_prescriber=True`, `sent_by_prescriber=True` (orienteur)
    or `sent_by_employer=True` for the other senders."""

    class Meta:
        model = JobApplication
        skip_postgeneration_save = True

    class Params:
        sent_by_authorized_prescriber = factory.Trait(
            sender_kind=SenderKind.PRESCRIBER,
            sender=factory.SubFactory(ProfessionalFactory),
            sender_prescriber_organization=factory.SubFactory(PrescriberOrganizationFactory, authorized=True),
        )
        sent_by_prescriber = factory.Trait(
            sender_kind=SenderKind.PRESCRIBER,
            sender=factory.SubFactory(ProfessionalFactory),
            sender_prescriber_organization=factory.SubFactory(PrescriberOrganizationFactory),
        )
        sent_by_employer = factory.Trait(
            sender_kind=SenderKind.EMPLOYER,
            sender=factory.SubFactory(ProfessionalFactory),
            sender_company=factory.SubFactory(CompanyFactory),
        )

    job_seeker = factory.SubFactory(JobSeekerFactory)
    sender = factory.SelfAttribute("job_seeker")
    sender_kind = SenderKind.JOB_SEEKER
    to_company = factory.SubFactory(CompanyFactory)
    state = JobApplicationState.NEW
