import datetime

import factory
from django.utils import timezone

from inclusion.users.enums import LackOfNIRReason, Title, UserKind
from inclusion.users.models import JobSeekerProfile, User
from inclusion.users.validators import nir_key

DEFAULT_PASSWORD = "Mot-de-passe-de-test-2026"


def valid_nir(*, title=Title.MME, birthdate=datetime.date(1990, 3, 15), department="69", order=1):
    first_13 = f"{1 if title == Title.M else 2}{birthdate:%y%m}{department}123{order:03d}"
    return f"{first_13}{nir_key(first_13):02d}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.com")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    title = Title.MME
    kind = UserKind.PROFESSIONAL
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProfessionalFactory(UserFactory):
    kind = UserKind.PROFESSIONAL


class StaffFactory(UserFactory):
    kind = UserKind.STAFF
    is_staff = True
    is_superuser = True


class JobSeekerFactory(UserFactory):
    kind = UserKind.JOB_SEEKER

    profile = factory.RelatedFactory("tests.users.factories.JobSeekerProfileFactory", factory_related_name="user")

    class Params:
        # applications.md §17: title, names, address line, post code and city make a complete profile.
        with_address = factory.Trait(address_line_1="12 rue de la République", post_code="69003", city="Lyon")
        # organizations.md §3: no NIR, and the reason why.
        without_nir = factory.Trait(
            profile=factory.RelatedFactory(
                "tests.users.factories.JobSeekerProfileFactory",
                factory_related_name="user",
                nir="",
                lack_of_nir_reason=LackOfNIRReason.NO_NIR,
            )
        )
        # Created by a proxy, never activated (organizations.md §5.2): the e-mail is not verified yet.
        created_by_proxy = factory.Trait(email_verified_at=None)


class JobSeekerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobSeekerProfile

    user = factory.SubFactory(JobSeekerFactory, profile=None)
    birthdate = datetime.date(1990, 3, 15)
    nir = factory.Sequence(lambda n: valid_nir(order=n % 999 + 1, department=f"{n // 999 % 90 + 10:02d}"))
