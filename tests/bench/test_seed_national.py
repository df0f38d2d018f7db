"""`manage.py seed_national` (issue 7 §1): the national data set, at a tiny scale.

PostgreSQL only: the data set is loaded with COPY. Run with
`DATABASE_URL=postgres://... TEST_DATABASE_NAME=... pytest tests/bench/test_seed_national.py --create-db`.
"""

import datetime
import hashlib
import io
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from inclusion.applications.models import JobApplication
from inclusion.approvals.models import Approval
from inclusion.bench.seed import fixed
from inclusion.companies.models import Company, JobDescription
from inclusion.jobs.models import Appellation
from inclusion.prescribers.models import PrescriberOrganization
from inclusion.users.models import JobSeekerProfile, User, asp_uid_for
from inclusion.users.validators import validate_nir

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="seed_national loads with PostgreSQL COPY"),
]

SCALE = 0.001
FIXED_JOB_SEEKERS = (
    fixed.BIG_COMPANY_APPLICATIONS
    + fixed.PRESCRIBER_APPLICATIONS
    + fixed.HIRING_COMPANIES * fixed.HIREABLE_APPLICATIONS
)


def seed(**options):
    out = io.StringIO()
    call_command("seed_national", scale=SCALE, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def digest():
    """What must not change from one run to the next with the same seed: identifiers, NIRs, PASS numbers."""
    hashed = hashlib.sha256()
    for rows in (
        User.objects.order_by("pk").values_list("pk", "public_id", "email"),
        JobSeekerProfile.objects.order_by("pk").values_list("user_id", "nir"),
        JobApplication.objects.order_by("pk").values_list("pk", "job_seeker_id", "to_company_id", "state"),
        Approval.objects.order_by("pk").values_list("public_id", "number", "user_id"),
        Company.objects.order_by("pk").values_list("uid", "siret"),
    ):
        for row in rows:
            hashed.update(repr(row).encode())
    return hashed.hexdigest()


class Rollback(Exception):
    pass


def test_counts_consistency_and_the_benchmark_accounts(client):
    report = seed()

    assert "applications_jobapplication" in report and "Mo." in report
    big = Company.objects.get(siret=fixed.BIG_COMPANY_SIRET)
    agency = PrescriberOrganization.objects.get(code_safir_pole_emploi=fixed.PRESCRIBER_SAFIR)
    # Counts: scale × the national volumes, plus the fixed accounts' own.
    assert Company.objects.count() == 6 + 1 + fixed.HIRING_COMPANIES
    assert PrescriberOrganization.objects.count() == 12 + 1
    assert JobDescription.objects.count() == 25 + 12 + 3 * fixed.HIRING_COMPANIES
    assert User.objects.job_seekers().count() == 1_500 + FIXED_JOB_SEEKERS
    assert JobApplication.objects.filter(to_company=big).count() == fixed.BIG_COMPANY_APPLICATIONS
    assert JobApplication.objects.filter(sender_prescriber_organization=agency).count() == 2_000
    random_applications = JobApplication.objects.exclude(to_company=big).exclude(sender_prescriber_organization=agency)
    hireable = random_applications.filter(to_company__name__startswith="Structure d'embauche")
    assert hireable.count() == fixed.HIRING_COMPANIES * fixed.HIREABLE_APPLICATIONS
    # 3 000 random applications, and the big company's people hired elsewhere (5 % of 8 500).
    assert 3_000 <= random_applications.count() - hireable.count() <= 3_000 + 600
    assert Approval.objects.count() >= 600 + fixed.BIG_COMPANY_HIRED_WITH_PASS
    big_accepted = JobApplication.objects.filter(to_company=big, state="accepted", approval__isnull=False)
    assert big_accepted.count() == fixed.BIG_COMPANY_HIRED_WITH_PASS
    assert set(JobApplication.objects.filter(to_company=big).values_list("state", flat=True)) == {
        "new", "processing", "postponed", "pool", "accepted", "refused", "cancelled", "obsolete",
    }  # fmt: skip

    # Consistency with the platform's rules.
    today = timezone.localdate()
    number = re.compile(rf"^{settings.PASS_IAE_NUMBER_PREFIX}[0-9]{{7}}$")
    for approval in Approval.objects.all():
        assert number.match(approval.number)
        assert approval.end_at == approval.start_at + datetime.timedelta(days=729)
        assert approval.job_applications.filter(
            state="accepted", eligibility_diagnosis=approval.eligibility_diagnosis_id
        ).exists()
    applications = JobApplication.objects.all()
    two_months_ago = timezone.now() - datetime.timedelta(days=60)
    assert not applications.filter(state__in=["new", "processing"], updated_at__lt=two_months_ago).exists()
    assert not applications.filter(state__in=["accepted", "prior_to_hire"], archived_at__isnull=False).exists()
    processed = ["accepted", "refused", "cancelled", "obsolete"]
    assert not applications.filter(state__in=processed, processed_at__isnull=True).exists()
    assert not applications.exclude(state__in=processed).filter(processed_at__isnull=False).exists()
    valid_holders = Approval.objects.valid(today).values_list("user_id", flat=True)
    assert len(valid_holders) == len(set(valid_holders))
    for profile in JobSeekerProfile.objects.order_by("?")[:300]:
        validate_nir(profile.nir)
        assert profile.asp_uid == asp_uid_for(profile.user_id)
    assert not Company.objects.filter(job_app_score__isnull=True).exists()
    with connection.cursor() as cursor:  # the sequences follow the loaded ids
        cursor.execute("SELECT last_value FROM users_user_id_seq")
        assert cursor.fetchone()[0] == User.objects.order_by("-pk").values_list("pk", flat=True)[0]

    # The employer of the big company: inbox and PASS IAE.
    assert client.login(username=fixed.EMPLOYER_EMAIL, password=fixed.BENCH_PASSWORD)
    response = client.get(reverse("applications_received"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows and {row["job_application"].to_company_id for row in rows} == {big.pk}
    approval = big_accepted.select_related("approval").first().approval
    response = client.get(reverse("approval_detail", args=[approval.public_id]))
    assert response.status_code == 200
    assert approval.number_with_spaces in response.content.decode()

    # The prescriber: sent applications.
    client.logout()
    assert client.login(username=fixed.PRESCRIBER_EMAIL, password=fixed.BENCH_PASSWORD)
    response = client.get(reverse("applications_sent"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows and {row["job_application"].sender_prescriber_organization_id for row in rows} == {agency.pk}
    assert (
        response.context["page_obj"].paginator.count
        >= agency.sent_job_applications.filter(archived_at__isnull=True).count()
    )

    # A hiring company: one of its 400 applications is hired through the real accept wizard, with a new PASS IAE.
    client.logout()
    email = fixed.hiring_email(1)
    employer = User.objects.get(email=email)
    assert client.login(username=email, password=fixed.BENCH_PASSWORD)
    application = JobApplication.objects.filter(to_company__members=employer, state="processing").first()
    highest = Approval.objects.order_by("-number").values_list("number", flat=True)[0]
    url = reverse("application_accept", args=[application.pk])
    response = client.get(url)
    assert response.status_code == 200
    wizard_url = response.context["wizard_url"]
    contract = {"action": "contract", "hiring_start_at": today.isoformat(), "advisor": str(employer.pk)}
    assert client.post(wizard_url, contract).status_code == 302
    response = client.get(wizard_url)
    assert response.status_code == 200
    assert "applications/hiring/accept_confirmation.html" in [template.name for template in response.templates]
    response = client.post(wizard_url, {"action": "confirm"})
    assert response.status_code == 302

    application.refresh_from_db()
    assert application.state == "accepted"
    assert application.approval is not None
    assert application.approval.number == f"{highest[:5]}{int(highest[5:]) + 1:07d}"
    assert application.eligibility_diagnosis.author_kind == "prescriber"


def test_the_same_seed_gives_the_same_rows_and_a_second_run_is_refused(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC), tick=False)
    with pytest.raises(Rollback), transaction.atomic():
        seed(seed=7)
        first = digest()
        raise Rollback

    seed(seed=7)

    assert digest() == first
    with pytest.raises(CommandError, match="contient déjà des candidats"):
        seed(seed=7)


def test_a_database_without_reference_data_is_refused():
    Appellation.objects.all().delete()

    with pytest.raises(CommandError, match="données de référence manquent"):
        seed()
