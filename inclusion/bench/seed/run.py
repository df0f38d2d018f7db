"""`seed_national`: the checks, the order of the work, the load and the report."""

import multiprocessing
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.utils import timezone

from inclusion.applications.models import JobApplication, PriorAction
from inclusion.approvals.models import Approval, ApprovalEvent, CancelledApproval
from inclusion.bench.seed.fixed import BENCH_PASSWORD, EMPLOYER_EMAIL, fixed_accounts
from inclusion.bench.seed.loading import Tables, load
from inclusion.bench.seed.organizations import Organizations
from inclusion.bench.seed.rows import Rows
from inclusion.bench.seed.stories import Stories
from inclusion.bench.seed.world import Clock, Ids, Reference, streams
from inclusion.companies.models import Company, CompanyMembership, Convention, FinancialAnnex, JobDescription
from inclusion.companies.scores import update_job_app_scores
from inclusion.eligibility.models import AdministrativeCriteria, EligibilityDiagnosis, SelectedAdministrativeCriteria
from inclusion.geo.models import Commune
from inclusion.jobs.models import Appellation
from inclusion.prescribers.models import PrescriberMembership, PrescriberOrganization
from inclusion.users.models import JobSeekerAssignment, JobSeekerProfile, User

# Issue 7 §1: the national data set at scale 1.0 (every count multiplied by --scale; the fixed accounts apart).
COMPANIES = 6_000
JOB_DESCRIPTIONS = 25_000
PRESCRIBER_ORGANIZATIONS = 12_000
JOB_SEEKERS = 1_500_000
APPLICATIONS = 3_000_000
APPROVALS = 600_000

# The generator's id counters: name → model whose table it fills.
ID_COUNTERS = {
    "user": User,
    "profile": JobSeekerProfile,
    "convention": Convention,
    "annex": FinancialAnnex,
    "company": Company,
    "companies_companymembership": CompanyMembership,
    "prescriber": PrescriberOrganization,
    "prescribers_prescribermembership": PrescriberMembership,
    "job_description": JobDescription,
    "diagnosis": EligibilityDiagnosis,
    "criterion": SelectedAdministrativeCriteria,
    "approval": Approval,
    "cancelled_approval": CancelledApproval,
    "approval_event": ApprovalEvent,
    "selected_job": JobApplication.selected_jobs.through,
    "prior_action": PriorAction,
    "assignment": JobSeekerAssignment,
}


class SeedError(Exception):
    """The database cannot receive the data set; the message says why, in French."""


def check_database():
    if connection.vendor != "postgresql":
        raise SeedError(
            "seed_national ne fonctionne qu'avec PostgreSQL (chargement par COPY) : définissez DATABASE_URL="
            "postgres://… vers une base vide et migrée."
        )
    if not (Commune.objects.exists() and Appellation.objects.exists() and AdministrativeCriteria.objects.exists()):
        raise SeedError(
            "Les données de référence manquent (communes, appellations ROME, critères d'éligibilité) : lancez "
            "d'abord « python manage.py migrate » puis « python manage.py import_reference_data »."
        )
    if User.objects.job_seekers().exists() or User.objects.filter(email=EMPLOYER_EMAIL).exists():
        raise SeedError(
            "Cette base contient déjà des candidats : seed_national ne remplit qu'une base vide. Créez une nouvelle "
            "base (createdb), migrez-la et importez les données de référence avant de relancer."
        )
    for model, label in ((Company, "entreprises"), (PrescriberOrganization, "organisations prescriptrices")):
        if model.objects.exists():
            raise SeedError(f"Cette base contient déjà des {label} : seed_national ne remplit qu'une base vide.")


class Seed:
    """What the generator's parts share (see world.py)."""

    def __init__(self, *, seed, directory):
        self.stream = streams(seed)
        self.reference = Reference()
        self.clock = Clock(timezone.now(), timezone.localdate())
        self.ids = Ids()
        for name, model in ID_COUNTERS.items():
            self.ids.start(name, model)
        self.tables = Tables(Path(directory))
        self.rows = Rows(self.tables, self.clock)
        # One hash for every benchmark account: hashing is slow on purpose.
        self.bench_password = make_password(BENCH_PASSWORD)

    @staticmethod
    def unusable_password(rng):
        # What make_password(None) stores ("!" + random characters: never matches), from the seeded stream.
        return f"!{rng.getrandbits(160):040x}"


@dataclass
class Report:
    tables: list = field(default_factory=list)  # (table, rows, seconds of load)
    generation_seconds: float = 0.0
    load_seconds: float = 0.0
    total_seconds: float = 0.0
    database_mb: float = 0.0


def scaled(count, scale):
    return max(1, round(count * scale))


# The random job seekers are generated in this many parts, each with its own random stream, id ranges and NIR order
# numbers, by as many processes as the machine has cores (up to this number): the rows do not depend on the number of
# processes. Part 0 is the fixed accounts' (generated first, in this process).
RANDOM_PARTS = 3
# Upper bounds of the ids a part may use, from its job seekers (p) and applications (a) (see stories.py: at most one
# diagnosis made when applying and one at hiring per application, up to 3 criteria each, 2 selected jobs, 4 follow-ups
# per application plus the account creation).
PART_ID_BOUNDS = {
    "user": lambda p, a: p,
    "profile": lambda p, a: p,
    "approval": lambda p, a: p,
    "cancelled_approval": lambda p, a: p,
    "diagnosis": lambda p, a: 2 * a,
    "criterion": lambda p, a: 6 * a,
    "selected_job": lambda p, a: 2 * a,
    "prior_action": lambda p, a: a,
    "assignment": lambda p, a: 4 * a + p,
}

# The generator's state the parts inherit (fork): set just before the processes start.
_shared = {}


def _generate_part(spec):
    """One part of the random job seekers, in a child process: its own tables (files), ids and streams."""
    part, counts, hired, id_bases, directory = spec
    data, organizations = _shared["data"], _shared["organizations"]
    data.tables = Tables(Path(directory))
    data.rows = Rows(data.tables, data.clock)
    data.ids = Ids()
    for name, first in id_bases.items():
        data.ids.start_at(name, first)
    stories = Stories(data, organizations, part=part)
    rng = data.stream(f"job_seekers:{part}")
    for applications_count, is_hired in zip(counts, hired, strict=True):
        stories.random_story(rng, applications_count=applications_count, hired=is_hired)
    data.tables.close()
    files = {table.name: (str(table.path), table.count) for table in data.tables}
    return files, stories.approvals, stories.cancelled


def _random_job_seekers(data, organizations, stories, *, scale, directory, log):
    rng = data.stream("job_seekers")
    job_seekers = scaled(JOB_SEEKERS, scale)
    applications = max(scaled(APPLICATIONS, scale), scaled(APPROVALS, scale))
    approvals = min(scaled(APPROVALS, scale), job_seekers)
    hired = [False] * job_seekers
    for index in rng.sample(range(job_seekers), approvals):
        hired[index] = True
    counts = [1 if is_hired else 0 for is_hired in hired]
    for _ in range(applications - approvals):
        counts[int(rng.random() * job_seekers)] += 1

    specs, size = [], -(-job_seekers // RANDOM_PARTS)
    for part in range(1, RANDOM_PARTS + 1):
        part_counts, part_hired = counts[(part - 1) * size : part * size], hired[(part - 1) * size : part * size]
        bases = {
            name: data.ids.reserve(name, bound(len(part_counts), sum(part_counts)))
            for name, bound in PART_ID_BOUNDS.items()
        }
        part_directory = Path(directory) / f"part-{part}"
        part_directory.mkdir()
        specs.append((part, part_counts, part_hired, bases, str(part_directory)))
    if log:
        log(f"Candidats : {job_seekers} en {RANDOM_PARTS} parties…")
    # The children never use the database; closing the connection first keeps them from holding its socket (not
    # possible inside a transaction, in the tests: the children then leave it untouched, pool workers exit without
    # any cleanup).
    if not connection.in_atomic_block:
        connections.close_all()
    data.tables.flush()
    _shared.update(data=data, organizations=organizations)
    processes = max(1, min(RANDOM_PARTS, os.cpu_count() or 1))
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            results = pool.map(_generate_part, specs)
    finally:
        _shared.clear()
    for files, part_approvals, part_cancelled in results:
        for name, (path, count) in files.items():
            if count:
                data.tables.by_name[name].adopt(path, count)
        stories.approvals.extend(part_approvals)
        stories.cancelled.extend(part_cancelled)


def seed_national(*, scale=1.0, seed=2026, log=None):
    """Fills the empty, migrated database (reference data imported). Returns a `Report`. Raises `SeedError`."""
    check_database()
    started = time.monotonic()
    report = Report()
    with tempfile.TemporaryDirectory(prefix="seed_national_") as directory:
        data = Seed(seed=seed, directory=directory)
        organizations = Organizations(data)
        organizations.random_companies(scaled(COMPANIES, scale), scaled(JOB_DESCRIPTIONS, scale))
        organizations.random_prescribers(scaled(PRESCRIBER_ORGANIZATIONS, scale))
        stories = Stories(data, organizations)
        fixed_accounts(data, organizations, stories)
        _random_job_seekers(data, organizations, stories, scale=scale, directory=directory, log=log)
        stories.number_approvals(settings.PASS_IAE_NUMBER_PREFIX)
        report.generation_seconds = time.monotonic() - started
        if log:
            log(f"Génération terminée ({report.generation_seconds:.0f} s), chargement…")

        loading_started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            # Nothing else writes to this database: a crash loses the load, which is all or nothing anyway.
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            load(cursor, data.tables, log=log)
            for statement in connection.ops.sequence_reset_sql(no_style(), list(ID_COUNTERS.values())):
                cursor.execute(statement)
            # search_and_jobs.md §4.2: the score the hourly job keeps, computed by the job itself.
            update_job_app_scores()
        report.load_seconds = time.monotonic() - loading_started
    with connection.cursor() as cursor:
        # As autovacuum leaves a production database (it may be off, as on this project's servers): statistics, and
        # the visibility map without which no index-only scan skips the table (the inbox counters read 10 000 rows).
        # VACUUM cannot run in a transaction (the tests seed in one): statistics only there.
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        cursor.execute("SELECT pg_database_size(current_database())")
        report.database_mb = cursor.fetchone()[0] / 1024 / 1024
    report.tables = [(table.name, table.count, table.seconds) for table in data.tables]
    report.total_seconds = time.monotonic() - started
    return report
