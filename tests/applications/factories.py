import factory

from inclusion.applications.enums import JobApplicationState, SenderKind
from inclusion.applications.models import JobApplication
from inclusion.geo.enums import CountryGroup, CountryKind
from inclusion.geo.models import Country
from tests.companies.factories import CompanyFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory


def _foreign_birth_country():
    """A birth country outside France: no birth commune is then required (organizations.md §3)."""
    return Country.objects.get_or_create(
        insee_code="99109",
        defaults={"asp_code": "109", "name": "ALLEMAGNE", "kind": CountryKind.COUNTRY, "group": CountryGroup.CEE},
    )[0]


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
        # applications.md §1: a PDF resume, stored like an uploaded one (under a random name).
        with_resume = factory.Trait(
            resume=factory.django.FileField(filename="cv.pdf", data=b"%PDF-1.4\n% CV de test\n%%EOF\n")
        )
        # applications.md §8.4: a job seeker whose data the accept wizard needs is complete (NIR, France Travail
        # situation, birth data, address), so that no step sends to the "completer" page.
        job_seeker_ready_to_hire = factory.Trait(
            job_seeker=factory.SubFactory(
                JobSeekerFactory,
                address_line_1="12 rue de la République",
                post_code="69001",
                city="Lyon",
                profile__lack_of_pole_emploi_id_reason="NOT_REGISTERED",
                profile__birth_country=factory.LazyFunction(_foreign_birth_country),
            )
        )

    job_seeker = factory.SubFactory(JobSeekerFactory)
    sender = factory.SelfAttribute("job_seeker")
    sender_kind = SenderKind.JOB_SEEKER
    to_company = factory.SubFactory(CompanyFactory)
    state = JobApplicationState.NEW


def pdf_upload(name="cv.pdf", *, padding=0):
    """A real one-page PDF as an uploaded file (applications.md §13.7); `padding` bytes of attachment make it heavier
    (the resume size limit)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if padding:
        writer.add_attachment("bourrage.bin", b"0" * padding)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")
