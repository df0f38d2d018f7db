"""What a job seeker's data lacks, and when it must be checked again (applications.md §8.4, §13.3, §17).

Plain rules, without request nor form: the application wizard, the accept wizard, the direct hire and the dashboards
all ask them, and the "completer" page (`job_seeker_complete`) fills what `missing_job_seeker_data` lists.
"""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from inclusion.geo.enums import CommuneKind
from inclusion.geo.models import Commune, CommuneFormerCode, Country
from inclusion.geo.text import normalize_name
from inclusion.users import validators
from inclusion.users.enums import AssignmentAction, IdentityCertifier, UserKind
from inclusion.users.models import IdentityCertification, JobSeekerProfile, User, upsert_assignment
from inclusion.utils.emails import absolute_url, send_templated_email

# applications.md §13.3: proxies are warned when the data was last checked more than 6 months ago.
CHECK_VALIDITY_MONTHS = 6

# The French labels of what may be missing, in the order of the "completer" form.
MISSING_NIR = "Numéro de sécurité sociale (ou la raison de son absence)"
MISSING_FT_ID = "Identifiant France Travail (ou la raison de son absence)"
MISSING_BIRTHDATE = "Date de naissance"
MISSING_BIRTH_COUNTRY = "Pays de naissance"
MISSING_BIRTH_PLACE = "Commune de naissance"
MISSING_ADDRESS = "Adresse (voie, code postal et ville)"
ADDRESS_FIELDS = ("address_line_1", "post_code", "city")
# The fields that fill each missing item: the address needs all of its fields, the other items one of theirs.
MISSING_DATA_FIELDS = {
    MISSING_NIR: ("nir", "lack_of_nir_reason"),
    MISSING_FT_ID: ("pole_emploi_id", "lack_of_pole_emploi_id_reason"),
    MISSING_BIRTHDATE: ("birthdate",),
    MISSING_BIRTH_COUNTRY: ("birth_country",),
    MISSING_BIRTH_PLACE: ("birth_place",),
    MISSING_ADDRESS: ADDRESS_FIELDS,
}


def job_seeker_profile_of(user):
    """The profile of a job seeker, or None (staff-made accounts may lack one)."""
    try:
        return user.jobseeker_profile
    except ObjectDoesNotExist:
        return None


def is_born_in_france(profile) -> bool:
    country = profile.birth_country if profile and profile.birth_country_id else None
    return country is not None and country.insee_code == Country.FRANCE_INSEE_CODE


def missing_job_seeker_data(job_seeker) -> list[str]:
    """French labels of the data the accept wizard and the application wizard need (applications.md §8.4, §13.3).

    Empty list: nothing is missing.
    """
    profile = job_seeker_profile_of(job_seeker)
    missing = []
    if profile is None or not (profile.nir or profile.lack_of_nir_reason):
        missing.append(MISSING_NIR)
    if profile is None or not (profile.pole_emploi_id or profile.lack_of_pole_emploi_id_reason):
        missing.append(MISSING_FT_ID)
    if profile is None or profile.birthdate is None:
        missing.append(MISSING_BIRTHDATE)
    if profile is None or profile.birth_country_id is None:
        missing.append(MISSING_BIRTH_COUNTRY)
    # organizations.md §3: the birth place is required iff the birth country is France.
    elif is_born_in_france(profile) and profile.birth_place_id is None:
        missing.append(MISSING_BIRTH_PLACE)
    if not has_address(job_seeker):
        missing.append(MISSING_ADDRESS)
    return missing


def has_address(job_seeker) -> bool:
    return all(getattr(job_seeker, name) for name in ADDRESS_FIELDS)


def lacks_contact_data(job_seeker) -> bool:
    """applications.md §13.8: the end of the wizard offers the proxies allowed to edit to complete the address and
    the phone."""
    return not (has_address(job_seeker) and job_seeker.phone)


def needs_check(job_seeker, now=None) -> bool:
    """True when the data was last confirmed more than 6 months ago (applications.md §13.3).

    Exactly 6 months ago is still fresh; one second more is not.
    """
    now = now or timezone.now()
    return job_seeker.last_checked_at < now - relativedelta(months=CHECK_VALIDITY_MONTHS)


def profile_is_incomplete(user) -> bool:
    """A job seeker is sent to their profile first when this holds (applications.md §17)."""
    if not user.is_job_seeker:
        return False
    required = (user.title, user.first_name, user.last_name, user.address_line_1, user.post_code, user.city)
    return not all(required)


# Birth data read from a NIR (organizations.md §5.2: "birth place/country pre-filled from the NIR") -----------------

# organizations.md §4.1: department "99" means born abroad, the 3 next digits being the INSEE country code.
NIR_BORN_ABROAD_DEPARTMENT = "99"


def birth_data_from_nir(nir: str):
    """(birth country, birth place) that a valid NIR designates, each None when unknown.

    Characters 6 to 10 of a NIR are the INSEE code of the birth commune (metropolitan, Corsican and overseas
    departments alike), or "99" followed by the INSEE country code for people born abroad. Only real persons' NIRs
    (sex digit 1 or 2) carry a birth place; temporary ones (7, 8) and 3/4 do not reliably.
    """
    if len(nir) != 15 or nir[0] not in "12":
        return None, None
    code = nir[5:10]
    if code.startswith(NIR_BORN_ABROAD_DEPARTMENT):
        return Country.objects.filter(insee_code=code).first(), None
    commune = _commune_of_insee_code(code)
    if commune is None:
        return None, None
    return Country.objects.filter(insee_code=Country.FRANCE_INSEE_CODE).first(), commune


def _commune_of_insee_code(code):
    commune = Commune.objects.select_related("parent").filter(code_insee=code).first()
    if commune is None:
        # A commune merged since the birth: its current successor.
        former = CommuneFormerCode.objects.select_related("commune").filter(former_code=code).first()
        commune = former.commune if former else None
    # Birth places are chosen among whole communes (the autocomplete has no arrondissements).
    if commune is not None and commune.kind == CommuneKind.ARRONDISSEMENT and commune.parent_id:
        commune = commune.parent
    return commune


# Address (organizations.md §2: "address geocoded") -----------------------------------------------------------------


def commune_for_address(post_code: str, city: str):
    """The commune a post code and a city name designate, or None when they do not designate exactly one."""
    if not post_code:
        return None
    communes = list(Commune.objects.whole().served_by(post_code).order_by("code_insee"))
    if len(communes) == 1:
        return communes[0]
    wanted = normalize_name(city or "")
    named = [commune for commune in communes if commune.normalized_name == wanted]
    return named[0] if len(named) == 1 else None


# Duplicates (organizations.md §5.2) ---------------------------------------------------------------------------------


def homonyms_of(*, first_name: str, last_name: str, birthdate, exclude_pk=None) -> list:
    """Job seekers born the same day with the same first and last names, accents and case ignored."""
    if not (first_name and last_name and birthdate):
        return []
    candidates = User.objects.job_seekers().filter(jobseeker_profile__birthdate=birthdate)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    wanted = (normalize_name(first_name), normalize_name(last_name))
    return [
        candidate
        for candidate in candidates.order_by("pk")
        if (normalize_name(candidate.first_name), normalize_name(candidate.last_name)) == wanted
    ]


def nir_holder(nir: str, *, exclude_pk=None):
    """The account holding this NIR (normalised), if any."""
    if not nir:
        return None
    profiles = JobSeekerProfile.objects.select_related("user").filter(nir=validators.normalize_nir(nir))
    if exclude_pk is not None:
        profiles = profiles.exclude(user_id=exclude_pk)
    profile = profiles.first()
    return profile.user if profile else None


# Writes -----------------------------------------------------------------------------------------------------------

# organizations.md §2: changing one of these wipes the identity certifications.
CERTIFIED_IDENTITY_USER_FIELDS = ("first_name", "last_name")
CERTIFIED_IDENTITY_PROFILE_FIELDS = ("birthdate", "nir")
# organizations.md §3: what API Particulier certifies, read-only once certified (the FT id once set, too).
API_PARTICULIER_USER_FIELDS = ("title", "first_name", "last_name")
API_PARTICULIER_PROFILE_FIELDS = ("birthdate", "birth_country", "birth_place")


class NIRAlreadyUsed(Exception):
    """Someone else holds the NIR (the database constraint spoke, or the re-check before writing)."""

    message = (
        "Ce numéro de sécurité sociale est déjà associé à un autre candidat. Vérifiez-le, ou choisissez « Le numéro "
        "de sécurité sociale est associé à une autre personne »."
    )


class EmailAlreadyUsed(Exception):
    """Another account took the e-mail since it was searched."""

    message = "Un compte existe déjà avec cette adresse e-mail : recherchez la personne par son adresse e-mail."


def is_certified_by_api_particulier(job_seeker) -> bool:
    return IdentityCertification.objects.filter(
        job_seeker=job_seeker, certifier=IdentityCertifier.API_PARTICULIER
    ).exists()


def read_only_fields(job_seeker) -> set[str]:
    """The fields nobody may change from the UI (organizations.md §3): API Particulier's, and the FT id once set
    when the identity is certified."""
    if job_seeker.pk is None or not is_certified_by_api_particulier(job_seeker):
        return set()
    fields = {*API_PARTICULIER_USER_FIELDS, *API_PARTICULIER_PROFILE_FIELDS}
    profile = job_seeker_profile_of(job_seeker)
    if profile is not None and profile.pole_emploi_id:
        fields |= {"pole_emploi_id", "lack_of_pole_emploi_id_reason"}
    return fields


def identity_changed(user_before: dict, profile_before: dict, job_seeker, profile) -> bool:
    return any(user_before.get(name) != getattr(job_seeker, name) for name in CERTIFIED_IDENTITY_USER_FIELDS) or any(
        profile_before.get(name) != getattr(profile, name) for name in CERTIFIED_IDENTITY_PROFILE_FIELDS
    )


def identity_snapshot(job_seeker, profile):
    """What `identity_changed` compares, taken before a form touches the instances."""
    return (
        {name: getattr(job_seeker, name) for name in CERTIFIED_IDENTITY_USER_FIELDS},
        {name: getattr(profile, name) for name in CERTIFIED_IDENTITY_PROFILE_FIELDS} if profile else {},
    )


def wipe_identity_certifications(job_seeker):
    """organizations.md §2: a changed identity is no longer the certified one."""
    IdentityCertification.objects.filter(job_seeker=job_seeker).delete()


def save_job_seeker(job_seeker, profile, *, snapshot, checked=False, now=None):
    """Saves a job seeker edited by a form: commune from the address, identity certifications wiped when the
    identity changed (organizations.md §2), `last_checked_at` when the data was confirmed (applications.md §8.4).

    Raises NIRAlreadyUsed instead of a database error when another account took the NIR meanwhile.
    """
    now = now or timezone.now()
    job_seeker.commune = commune_for_address(job_seeker.post_code, job_seeker.city)
    if checked:
        job_seeker.last_checked_at = now
    try:
        with transaction.atomic():
            if profile.nir and nir_holder(profile.nir, exclude_pk=job_seeker.pk) is not None:
                raise NIRAlreadyUsed
            job_seeker.save()
            profile.user = job_seeker
            profile.save()
            if identity_changed(*snapshot, job_seeker, profile):
                wipe_identity_certifications(job_seeker)
    except IntegrityError as error:
        if profile.nir and nir_holder(profile.nir, exclude_pk=job_seeker.pk) is not None:
            raise NIRAlreadyUsed from error
        raise


def attach_nir(job_seeker, nir: str):
    """organizations.md §5.2: a NIR typed by an authorized prescriber or an employer joins an account without one."""
    profile = job_seeker_profile_of(job_seeker) or JobSeekerProfile(user=job_seeker)
    if profile.nir:
        raise NIRAlreadyUsed
    snapshot = identity_snapshot(job_seeker, profile)
    profile.nir = validators.normalize_nir(nir)
    profile.lack_of_nir_reason = ""
    save_job_seeker(job_seeker, profile, snapshot=snapshot)


# Creation by a proxy (organizations.md §5.2) ------------------------------------------------------------------------

ACTIVATION_EMAIL_TEMPLATE = "job_seekers/emails/activation"


def create_job_seeker_by_proxy(*, proxy, organization, email, user_fields: dict, profile_fields: dict):
    """Creates the account of a job seeker on behalf of `proxy`, acting for `organization`.

    `created_by` is the proxy, `created_by_prescriber_organization` the prescriber organization he acts for, the
    commune follows the address, the proxy gets an assignment with action CREATE, and the person an e-mail to choose
    a password (none without an address). Constraints are checked again here: NIRAlreadyUsed when the NIR was taken
    since the form was filled, EmailAlreadyUsed for the e-mail.
    """
    if email and User.objects.filter(email=User.objects.normalize_email(email)).exists():
        raise EmailAlreadyUsed
    job_seeker = User(kind=UserKind.JOB_SEEKER, email=email or None, created_by=proxy, **user_fields)
    job_seeker.set_unusable_password()
    profile = JobSeekerProfile(**profile_fields)
    if getattr(organization, "organization_type", None) == "prescriber":
        profile.created_by_prescriber_organization = organization
    try:
        with transaction.atomic():
            save_job_seeker(job_seeker, profile, snapshot=({}, {}), checked=True)
            _assign_creator(job_seeker, proxy, organization)
    except IntegrityError as error:
        if email and User.objects.filter(email=User.objects.normalize_email(email)).exists():
            raise EmailAlreadyUsed from error
        raise
    if job_seeker.email:
        send_activation_email(job_seeker, proxy=proxy, organization=organization)
    return job_seeker


def _assign_creator(job_seeker, proxy, organization):
    organization_type = getattr(organization, "organization_type", None)
    upsert_assignment(
        job_seeker=job_seeker,
        professional=proxy,
        action=AssignmentAction.CREATE,
        prescriber_organization=organization if organization_type == "prescriber" else None,
        company=organization if organization_type == "company" else None,
    )


def activation_url(job_seeker):
    """A password-setting link: the password-reset machinery, whose confirmation also verifies the e-mail."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(job_seeker.pk)),
            "token": default_token_generator.make_token(job_seeker),
        },
    )
    return absolute_url(path)


def send_activation_email(job_seeker, *, proxy, organization):
    context = {
        "job_seeker": job_seeker,
        "proxy": proxy,
        "organization": organization,
        "url": activation_url(job_seeker),
        "password_reset_url": absolute_url(reverse("password_reset")),
        "link_validity_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    send_templated_email([job_seeker.email], ACTIVATION_EMAIL_TEMPLATE, context)
