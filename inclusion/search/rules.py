"""The public searches around a commune: employers, job descriptions, prescribers (search_and_jobs.md §4–§6).

Each search reads its candidates in one query (bounding box on indexed coordinates, see geo/distance.py for why the
exact distance is computed in Python), keeps those within the radius, filters and orders them in Python. The views
paginate the returned lists and fetch the details of the shown page only (`with_card_details`,
`load_job_descriptions`: job descriptions are read as plain rows until then).
"""

import datetime
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from inclusion.applications.models import JobApplication
from inclusion.companies.enums import ContractType
from inclusion.companies.models import Company, CompanyMembership, JobDescription
from inclusion.companies.scores import RECENT_APPLICATIONS_WINDOW
from inclusion.geo.distance import bounding_box, within_radius
from inclusion.prescribers.models import PrescriberOrganization
from inclusion.search import page_cache

# search_and_jobs.md §4.1, §6, §9 invariant 1.
DISTANCE_CHOICES_KM = (2, 5, 10, 15, 25, 50, 100)
DEFAULT_DISTANCE_KM = 25
DEFAULT_PRESCRIBER_DISTANCE_KM = 5
# search_and_jobs.md §4.2, §5.
PAGE_SIZE = 10
# search_and_jobs.md §4.2: a card shows the first 3 active job descriptions, then "N autres".
JOB_DESCRIPTIONS_PER_CARD = 3
# search_and_jobs.md §3.4: the "unpopular" badge ("soyez parmi les premiers à postuler") up to this many applications
# (received in the last 3 weeks for a company, pending for a job description).
UNPOPULAR_MAX_APPLICATIONS = 1
# search_and_jobs.md §5: the "non précisé" contract type filter (a job description without contract type).
UNSPECIFIED_CONTRACT_TYPE = "NON_PRECISE"


def _box_q(commune, radius_km, latitude_field="latitude", longitude_field="longitude"):
    return bounding_box(commune.latitude, commune.longitude, radius_km).q(latitude_field, longitude_field)


def _keep_around(rows, commune, radius_km, coordinates):
    """The rows within the radius, in input order, each with a `distance` attribute (km)."""
    kept = within_radius(
        rows, latitude=commune.latitude, longitude=commune.longitude, radius_km=radius_km, coordinates=coordinates
    )
    for row, distance in kept:
        row.distance = distance
    return [row for row, _ in kept]


# Employers (search_and_jobs.md §4).


def searchable_companies():
    """Company.objects.searchable() with what the search order and the cards need (§4.2)."""
    active_memberships = CompanyMembership.objects.active().filter(organization=OuterRef("pk"))
    active_job_descriptions = (
        JobDescription.objects.filter(company=OuterRef("pk"), is_active=True)
        .order_by()
        .values("company")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Company.objects.searchable().annotate(
        has_active_member=Exists(active_memberships),
        active_job_description_count=Coalesce(
            Subquery(active_job_descriptions, output_field=IntegerField()), Value(0)
        ),
    )


def company_is_hiring(company):
    """search_and_jobs.md §4.2: not blocked and (≥ 1 active job description or open to spontaneous applications).

    `company` comes from a search (annotated with `active_job_description_count`).
    """
    return not company.block_job_applications and (
        company.active_job_description_count > 0 or company.is_open_to_spontaneous_applications
    )


def company_takes_applications(company):
    """search_and_jobs.md §4.2: the apply button is shown ⇔ hiring and the company has active members."""
    return company.has_active_member and company_is_hiring(company)


def recent_application_counts(company_ids, now=None):
    """{company pk: applications received in the last 3 weeks} (search_and_jobs.md §3.4), in one query."""
    since = (now or timezone.now()) - RECENT_APPLICATIONS_WINDOW
    rows = (
        JobApplication.objects.filter(to_company__in=company_ids, created_at__gt=since)
        .order_by()
        .values("to_company")
        .annotate(count=Count("pk"))
        .values_list("to_company", "count")
    )
    return defaultdict(int, rows)


def with_unpopular_flags(companies, now=None):
    """Sets `is_unpopular` on each company (search_and_jobs.md §3.4: ≤ 1 application received in the last 3 weeks).

    Only a company that takes applications (§4.2) gets the badge: it invites to apply.
    """
    counts = recent_application_counts([company.pk for company in companies], now)
    for company in companies:
        company.is_unpopular = company_takes_applications(company) and counts[company.pk] <= UNPOPULAR_MAX_APPLICATIONS
    return companies


def company_search_order(company):
    """search_and_jobs.md §4.2 (§9 invariant 4): active members, hiring, ascending score (NULL = never computed =
    last), then pk."""
    return (
        not company.has_active_member,
        not company_is_hiring(company),
        company.job_app_score is None,
        company.job_app_score or 0.0,
        company.pk,
    )


def companies_around(*, commune, radius_km, kinds=()):
    """Active, searchable companies within the radius of the commune centre, in the order of §4.2."""
    queryset = searchable_companies().filter(_box_q(commune, radius_km)).select_related("commune__department")
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    companies = _keep_around(queryset, commune, radius_km, lambda company: (company.latitude, company.longitude))
    return sorted(companies, key=company_search_order)


@dataclass(slots=True)
class CompanyHit:
    """A company found around a commune: what the order (already applied), the department filter and the counts
    need. The shown page's companies are loaded in full by `load_companies`."""

    pk: int
    distance: float
    department: str
    department_name: str


def company_hits_around(*, commune, radius_km, kinds=()):
    """`companies_around` as `CompanyHit`s, kept in the cache for SEARCH_CACHE_SECONDS (see `_cached`)."""

    def compute():
        return [
            CompanyHit(company.pk, company.distance, company.department, _company_department_name(company))
            for company in companies_around(commune=commune, radius_km=radius_km, kinds=kinds)
        ]

    return _cached("companies", compute, commune=commune.pk, radius=radius_km, kinds=sorted(kinds))


def load_companies(hits):
    """The companies of `hits` (a page of results), in the same order, each with its `distance`, as the cards and
    the search order read them (`searchable_companies`)."""
    loaded = searchable_companies().select_related("commune__department").in_bulk([hit.pk for hit in hits])
    companies = []
    for hit in hits:
        if company := loaded.get(hit.pk):  # closed or hidden since the results were cached
            company.distance = hit.distance
            companies.append(company)
    return companies


def _company_department_name(company):
    return company.commune.department.name if company.commune_id else ""


def hit_department(hit):
    """search_and_jobs.md §4.1, §5: the department a result is filtered on (for a job description: its location's,
    else its company's)."""
    return hit.department


def hit_department_name(hit):
    return hit.department_name


def _cached(kind, compute, **criteria):
    """The results of a public search, the same for every visitor, kept SEARCH_CACHE_SECONDS (a minute in
    production; 0 in the test settings): a large city's search reads and measures thousands of candidates, and the
    same searches come back all day. They are kept under the version of `page_cache`, which a saved company, job
    description or membership bumps: the pages rendered from them and the results go stale together."""
    seconds = settings.SEARCH_CACHE_SECONDS
    if not seconds:
        return compute()
    digest = hashlib.sha256(json.dumps(criteria, sort_keys=True).encode()).hexdigest()
    key = f"search:{kind}:{page_cache.version()}:{digest}"
    hits = cache.get(key)
    if hits is None:
        hits = compute()
        cache.set(key, hits, seconds)
    return hits


def with_card_details(companies):
    """Attach to each company what its result card shows: `first_job_descriptions` (the first 3 active ones, most
    recently updated first), `other_job_description_count` ("N autres") and `takes_applications`.

    One query whatever the number of companies: a window function numbers the job descriptions of each company
    (portable: SQLite ≥ 3.25 and PostgreSQL), and Django filters on it.
    """
    by_company = defaultdict(list)
    if companies:
        ranked = (
            JobDescription.objects.filter(company__in=[company.pk for company in companies], is_active=True)
            .select_related("appellation", "location")
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("company_id"),
                    order_by=(F("last_employer_update_at").desc(), F("pk").desc()),
                )
            )
            .filter(rank__lte=JOB_DESCRIPTIONS_PER_CARD)
            .order_by("company_id", "rank")
        )
        for job_description in ranked:
            by_company[job_description.company_id].append(job_description)
    for company in companies:
        company.first_job_descriptions = by_company[company.pk]
        company.other_job_description_count = max(
            0, company.active_job_description_count - len(company.first_job_descriptions)
        )
        company.takes_applications = company_takes_applications(company)
    return with_unpopular_flags(companies)


# Job descriptions (search_and_jobs.md §5).


@dataclass(slots=True)
class JobDescriptionHit:
    """A job description found around a commune, read as one row rather than as model instances: what the distance,
    the order, the department filter and the counts need. At national scale a large city has thousands of them; the
    shown page's job descriptions are loaded in full by `load_job_descriptions`."""

    pk: int
    last_employer_update_at: datetime.datetime
    latitude: float | None
    longitude: float | None
    department: str
    department_name: str
    distance: float | None = None


# search_and_jobs.md §5: a job description is placed at its location commune, else at its company.
_HIT_FIELDS = (
    "pk",
    "last_employer_update_at",
    "location_id",
    "location__latitude",
    "location__longitude",
    "location__department__code",
    "location__department__name",
    "company__latitude",
    "company__longitude",
    "company__department",
    "company__commune__department__name",
)


def _hit(row):
    pk, updated_at, location_id, *location, company_latitude, company_longitude, company_department, company_name = row
    if location_id:
        return JobDescriptionHit(pk, updated_at, *location)
    return JobDescriptionHit(
        pk, updated_at, company_latitude, company_longitude, company_department, company_name or ""
    )


def _contract_type_q(contract_types):
    q = Q(contract_type__in=[value for value in contract_types if value != UNSPECIFIED_CONTRACT_TYPE])
    if UNSPECIFIED_CONTRACT_TYPE in contract_types:
        q |= Q(contract_type="")
    return q


def job_descriptions_around(*, commune, radius_km, kinds=(), contract_types=(), domains=()):
    """Active job descriptions of active, searchable, non-blocked companies around the commune (§5), as
    `JobDescriptionHit`s, most recently updated first."""
    location_box = _box_q(commune, radius_km, "location__latitude", "location__longitude")
    company_box = _box_q(commune, radius_km, "company__latitude", "company__longitude")
    located_in_box = Q(location__isnull=False) & location_box
    company_in_box = Q(location__isnull=True) & company_box
    queryset = JobDescription.objects.filter(
        located_in_box | company_in_box,
        is_active=True,
        company__in=Company.objects.searchable(),
        company__block_job_applications=False,
    ).order_by()
    if kinds:
        queryset = queryset.filter(company__kind__in=kinds)
    if contract_types:
        queryset = queryset.filter(_contract_type_q(contract_types))
    if domains:
        queryset = queryset.filter(appellation__rome__grand_domain_code__in=domains)
    hits = [_hit(row) for row in queryset.values_list(*_HIT_FIELDS)]
    hits = _keep_around(hits, commune, radius_km, lambda hit: (hit.latitude, hit.longitude))
    # §5: internal offers before external ones (no external offers exist yet), then most recently updated first.
    return sorted(hits, key=lambda hit: (-hit.last_employer_update_at.timestamp(), -hit.pk))


def job_description_hits_around(*, commune, radius_km, kinds=(), contract_types=(), domains=()):
    """`job_descriptions_around`, kept in the cache for SEARCH_CACHE_SECONDS (see `_cached`)."""
    criteria = {"kinds": kinds, "contract_types": contract_types, "domains": domains}
    return _cached(
        "job_descriptions",
        lambda: job_descriptions_around(commune=commune, radius_km=radius_km, **criteria),
        commune=commune.pk,
        radius=radius_km,
        **{name: sorted(values) for name, values in criteria.items()},
    )


def load_job_descriptions(hits):
    """The job descriptions of `hits` (a page of results), in the same order, each with its `distance`."""
    loaded = JobDescription.objects.select_related(
        "company", "appellation__rome", "location__department", "company__commune__department"
    ).in_bulk([hit.pk for hit in hits])
    job_descriptions = []
    for hit in hits:
        if job_description := loaded.get(hit.pk):  # deleted since the results were cached
            job_description.distance = hit.distance
            job_descriptions.append(job_description)
    return job_descriptions


def with_job_description_badges(job_descriptions):
    """Sets `is_unpopular` on each job description (search_and_jobs.md §3.4: ≤ 1 pending application), in one
    query whatever the number of job descriptions."""
    rows = (
        JobApplication.objects.pending()
        .filter(selected_jobs__in=[job_description.pk for job_description in job_descriptions])
        .order_by()
        .values("selected_jobs")
        .annotate(count=Count("pk"))
        .values_list("selected_jobs", "count")
        if job_descriptions
        else []
    )
    pending = defaultdict(int, rows)
    for job_description in job_descriptions:
        job_description.is_unpopular = pending[job_description.pk] <= UNPOPULAR_MAX_APPLICATIONS
    return job_descriptions


def contract_type_choices():
    """search_and_jobs.md §5: every type except "other" and business creation sorted by label, then those two, then
    "non précisé". (The "PEC" tag of external offers comes with external offers.)"""
    last = (ContractType.BUSINESS_CREATION, ContractType.OTHER)
    first = sorted(
        ((value, label) for value, label in ContractType.choices if value not in last), key=lambda choice: choice[1]
    )
    return [*first, *((value.value, value.label) for value in last), (UNSPECIFIED_CONTRACT_TYPE, "Non précisé")]


# Prescribers (search_and_jobs.md §6).


def prescribers_around(*, commune, radius_km):
    """§6, §9 invariant 8: authorized (VALIDATED) organizations within the radius, nearest first."""
    queryset = PrescriberOrganization.objects.authorized().filter(_box_q(commune, radius_km))
    prescribers = _keep_around(queryset, commune, radius_km, lambda org: (org.latitude, org.longitude))
    return sorted(prescribers, key=lambda org: (org.distance, org.name, org.pk))


def in_departments(rows, departments, department_of):
    """search_and_jobs.md §4.1, §5: keep the rows of the chosen departments (all of them when none is chosen)."""
    if not departments:
        return rows
    return [row for row in rows if department_of(row) in departments]


def department_choices(commune, rows, department_of, department_name_of, selected=()):
    """The departments a search may filter on: the commune's own, then those present in the results (and the
    chosen ones, so that a chosen department stays visible and can be unticked).

    search_and_jobs.md §4.1 asks for the commune's department and its neighbours; the adjacency table is not in the
    shared data, so the departments actually present in the results stand in for the neighbours.
    """
    names = {commune.department.code: commune.department.name}
    for row in rows:
        code = department_of(row)
        if code and code not in names:
            names[code] = department_name_of(row) or code
    for code in selected:
        names.setdefault(code, code)
    own = commune.department.code
    ordered = [own, *sorted(code for code in names if code != own)]
    return [(code, f"{names[code]} ({code})" if names[code] != code else code) for code in ordered]
