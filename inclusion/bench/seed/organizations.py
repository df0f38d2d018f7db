"""Companies (with conventions and financial annexes for the SIAE), job descriptions, prescriber organizations, and
the professionals who are their members (organizations.md §6, §8, §9; conventionnement.md §1.1)."""

import datetime
from dataclasses import dataclass, field

from inclusion.bench.seed import text
from inclusion.bench.seed.world import DAY, Place, uuid_text
from inclusion.companies.enums import SIAE_KINDS, CompanyKind, ContractType, contract_types_for

# Shares of the company kinds (SIAE, then GEIQ and EA), and of the prescriber organization kinds.
COMPANY_KINDS = (("ACI", 38), ("EI", 20), ("AI", 13), ("ETTI", 10), ("EITI", 3), ("GEIQ", 8), ("EA", 8))
PRESCRIBER_KINDS = (
    ("FT", 8),
    ("ML", 10),
    ("CAP_EMPLOI", 3),
    ("DEPT", 6),
    ("SPIP", 4),
    ("PJJ", 2),
    ("CHRS", 12),
    ("CCAS", 14),
    ("CADA", 5),
    ("PLIE", 6),
    ("ODC", 4),
    ("E2C", 3),
    ("Autre", 23),
)
# organizations.md §9: authorized by law; the other kinds ask for their authorization (some are pending or refused);
# "Autre" needs none and can never have one.
ALWAYS_AUTHORIZED = frozenset({"FT", "ML", "CAP_EMPLOI", "DEPT", "ODC"})
MEMBERS_PER_ORGANIZATION = ((1, 50), (2, 35), (3, 15))
INACTIVE_CONVENTION_SHARE = 0.02
SPONTANEOUS_OPEN_SHARE = 0.75
ACTIVE_JOB_DESCRIPTION_SHARE = 0.8
# search_and_jobs.md §3.4: open job descriptions not updated for 90 days are closed every night: the open ones were
# updated less than this many days ago. organizations.md §8.7: the same for spontaneous applications.
FRESH_DAYS = 85
PROFESSIONALS_DOMAIN = "pro.bench.inclusion.test"


@dataclass(slots=True)
class Company:
    id: int
    kind: str
    place: Place
    siret: str
    member_ids: list = field(default_factory=list)
    job_ids: list = field(default_factory=list)
    active_job_ids: list = field(default_factory=list)

    @property
    def is_siae(self):
        return self.kind in SIAE_KINDS


@dataclass(slots=True)
class Prescriber:
    id: int
    kind: str
    authorized: bool
    place: Place
    member_ids: list = field(default_factory=list)


def weighted(rng, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights)[0]


def annex_year_bounds(clock, year):
    """Day numbers of 1 January and 31 December of `year`."""
    start = datetime.date(year, 1, 1) - datetime.date(1970, 1, 1)
    end = datetime.date(year, 12, 31) - datetime.date(1970, 1, 1)
    return start.days, end.days


def annex_number(kind, place, year, index):
    """conventionnement.md §1.1: <measure><department on 3 characters><year><order>A<amendment>M<modification>."""
    department = place.department if len(place.department) == 3 else f"0{place.department}"
    return f"{kind}{department}{year % 100:02d}{index % 10000:04d}A{index // 10000}M0"


class Organizations:
    """Writes the organizations and keeps, in memory, what the stories need to draw targets and senders."""

    def __init__(self, seed):
        self.seed = seed
        self.companies: list[Company] = []  # the random pool (fixed companies are kept apart)
        self.prescribers: list[Prescriber] = []
        self.companies_by_department: dict[str, list[Company]] = {}
        self.siae_by_department: dict[str, list[Company]] = {}
        self.siae: list[Company] = []
        self.prescribers_by_department: dict[str, list[Prescriber]] = {}
        self.authorized_by_department: dict[str, list[Prescriber]] = {}
        self.authorized: list[Prescriber] = []

    # --- Professionals

    def professional(self, rng, *, joined_at, email=None, password=None):
        seed = self.seed
        user_id = seed.ids.next("user")
        title = "M" if rng.random() < 0.45 else "MME"
        first_name = rng.choice(text.MALE_FIRST_NAMES if title == "M" else text.FEMALE_FIRST_NAMES)
        last_name = rng.choice(text.LAST_NAMES)
        if email is None:
            email = f"{text.ascii_slug(first_name)}.{text.ascii_slug(last_name)}.{user_id}@{PROFESSIONALS_DOMAIN}"
        seed.rows.user(
            id=user_id,
            kind="professional",
            password=password or seed.unusable_password(rng),
            public_id=uuid_text(rng),
            email=email,
            title=title,
            first_name=first_name,
            last_name=last_name,
            phone=f"01{rng.randrange(10**8):08d}",
            date_joined=joined_at,
            email_verified_at=joined_at,
            last_checked_at=joined_at,
            terms_accepted_at=joined_at,
        )
        return user_id

    def _members(self, rng, table, organization, created_at, count=None):
        count = count or weighted(rng, MEMBERS_PER_ORGANIZATION)
        for rank in range(count):
            joined_at = self.seed.clock.at(created_at // DAY + rng.randrange(0, 400), rng)
            user_id = self.professional(rng, joined_at=joined_at)
            self.seed.rows.membership(
                table,
                id=self.seed.ids.next(table.name),
                user_id=user_id,
                organization_id=organization.id,
                joined_at=joined_at,
                is_admin=rank == 0,
            )
            organization.member_ids.append(user_id)

    # --- Companies

    def company(
        self, rng, *, kind, place, siret=None, name=None, convention_active=True, members=None, members_count=None
    ):
        """A company with its convention and annexes (SIAE), written; `members`: [(user id, is admin)] instead of
        drawn members."""
        seed, clock = self.seed, self.seed.clock
        company_id = seed.ids.next("company")
        siret = siret or f"{200000000 + company_id:09d}{rng.randrange(10**5):05d}"
        created_at = clock.at(clock.today - rng.randrange(400, 3000), rng)
        convention_id = None
        if kind in SIAE_KINDS:
            convention_id = self._convention(
                rng, kind=kind, place=place, siret=siret, created_at=created_at, active=convention_active
            )
            source = "ASP"
        else:
            source = {"GEIQ": "GEIQ", "EA": "EA_EATT"}[kind]
        open_since = None
        if rng.random() < SPONTANEOUS_OPEN_SHARE:
            open_since = clock.now - rng.randrange(3600, FRESH_DAYS * DAY)
        if name is None:
            pattern = rng.choice(text.COMPANY_NAME_PATTERNS[kind])
            name = pattern.format(city=place.name, department=place.department)
        seed.rows.company(
            id=company_id,
            uid=uuid_text(rng),
            name=name,
            address_line_1=f"{rng.randrange(1, 150)} {rng.choice(text.STREET_NAMES)}",
            place=place,
            created_at=created_at,
            siret=siret,
            naf=rng.choice(text.NAF_BY_KIND[kind]),
            kind=kind,
            phone=f"0{rng.randrange(1, 6)}{rng.randrange(10**8):08d}",
            email=f"contact-{company_id}@structures.bench.inclusion.test",
            source=source,
            spontaneous_since=open_since,
            convention_id=convention_id,
        )
        company = Company(id=company_id, kind=kind, place=place, siret=siret)
        if members is None:
            self._members(rng, seed.rows.company_memberships, company, created_at, members_count)
        else:
            for user_id, is_admin in members:
                seed.rows.membership(
                    seed.rows.company_memberships,
                    id=seed.ids.next(seed.rows.company_memberships.name),
                    user_id=user_id,
                    organization_id=company_id,
                    joined_at=created_at + DAY,
                    is_admin=is_admin,
                )
                company.member_ids.append(user_id)
        return company

    def _convention(self, rng, *, kind, place, siret, created_at, active):
        seed, clock = self.seed, self.seed.clock
        convention_id = seed.ids.next("convention")
        year = clock.to_date(clock.today).year
        deactivated_at = None if active else clock.at(clock.today - rng.randrange(60, 400), rng)
        seed.rows.convention(
            id=convention_id,
            asp_id=100000 + convention_id,
            kind=kind,
            siret=siret,
            is_active=active,
            deactivated_at=deactivated_at,
            created_at=created_at,
        )
        # Last year's annex is closed; this year's is valid (conventionnement.md §1.1: active ⇔ VALIDE or PROVISOIRE
        # and ending after today), and none for an inactive convention.
        annexes = [(year - 1, "CLOTURE")]
        if active:
            annexes.append((year, "VALIDE"))
            if annex_year_bounds(clock, year)[1] <= clock.today:  # 31 December: the next year's is already valid
                annexes.append((year + 1, "PROVISOIRE"))
        for annex_year, state in annexes:
            start_at, end_at = annex_year_bounds(clock, annex_year)
            seed.rows.annex(
                id=seed.ids.next("annex"),
                number=annex_number(kind, place, annex_year, convention_id),
                convention_id=convention_id,
                state=state,
                start_at=start_at,
                end_at=end_at,
                created_at=clock.at(min(start_at - 30, clock.today), rng),
            )
        return convention_id

    def job_description(self, rng, company):
        seed, clock = self.seed, self.seed.clock
        job_id = seed.ids.next("job_description")
        is_active = rng.random() < ACTIVE_JOB_DESCRIPTION_SHARE
        if is_active:
            last_update = clock.now - rng.randrange(3600, FRESH_DAYS * DAY)
        else:
            last_update = clock.at(clock.today - rng.randrange(30, 900), rng)
        created_at = min(last_update, clock.at(clock.today - rng.randrange(90, 1400), rng))
        contract_types = [c for c in contract_types_for(company.kind) if c != ContractType.OTHER]
        seed.rows.job_description(
            id=job_id,
            uid=uuid_text(rng),
            company_id=company.id,
            appellation_id=rng.choice(seed.reference.appellation_ids),
            contract_type=rng.choice(contract_types),
            other_contract_type="",
            location_id=company.place.id,
            hours_per_week=rng.choice((20, 24, 26, 30, 35)),
            is_active=is_active,
            last_update=last_update,
            created_at=created_at,
        )
        company.job_ids.append(job_id)
        if is_active:
            company.active_job_ids.append(job_id)

    def random_companies(self, count, job_descriptions):
        rng = self.seed.stream("companies")
        for index in range(count):
            # The first ones make sure that a tiny scale still has SIAE to hire with.
            kind = ("ACI", "EI", "AI")[index] if index < 3 else weighted(rng, COMPANY_KINDS)
            place = self.seed.reference.place(rng)
            active = index < 3 or kind not in SIAE_KINDS or rng.random() >= INACTIVE_CONVENTION_SHARE
            company = self.company(rng, kind=kind, place=place, convention_active=active)
            self.companies.append(company)
            if active:
                self.companies_by_department.setdefault(place.department, []).append(company)
                if company.is_siae:
                    self.siae_by_department.setdefault(place.department, []).append(company)
                    self.siae.append(company)
        active_companies = [c for c in self.companies if not c.is_siae or c in self.siae]
        for _ in range(job_descriptions):
            self.job_description(rng, rng.choice(active_companies))

    # --- Prescriber organizations

    def prescriber(self, rng, *, kind, place, authorization_status, name=None, safir="", members=None):
        seed, clock = self.seed, self.seed.clock
        prescriber_id = seed.ids.next("prescriber")
        created_at = clock.at(clock.today - rng.randrange(300, 3000), rng)
        siret = "" if kind == "FT" else f"{300000000 + prescriber_id:09d}{rng.randrange(10**5):05d}"
        if name is None:
            name = text.PRESCRIBER_NAME_PATTERNS[kind].format(city=place.name, department=place.department)
        seed.rows.prescriber(
            id=prescriber_id,
            uid=uuid_text(rng),
            name=name,
            address_line_1=f"{rng.randrange(1, 150)} {rng.choice(text.STREET_NAMES)}",
            place=place,
            created_at=created_at,
            kind=kind,
            siret=siret,
            # organizations.md §9.2: an authorized ODC follows RSA beneficiaries.
            is_brsa=kind == "ODC" and authorization_status == "VALIDATED",
            phone=f"0{rng.randrange(1, 6)}{rng.randrange(10**8):08d}",
            email=f"contact-{prescriber_id}@prescripteurs.bench.inclusion.test",
            safir=safir,
            authorization_status=authorization_status,
        )
        prescriber = Prescriber(
            id=prescriber_id, kind=kind, authorized=authorization_status == "VALIDATED", place=place
        )
        table = seed.rows.prescriber_memberships
        if members is None:
            self._members(rng, table, prescriber, created_at)
        else:
            for user_id, is_admin in members:
                seed.rows.membership(
                    table,
                    id=seed.ids.next(table.name),
                    user_id=user_id,
                    organization_id=prescriber_id,
                    joined_at=created_at + DAY,
                    is_admin=is_admin,
                )
                prescriber.member_ids.append(user_id)
        return prescriber

    def random_prescribers(self, count):
        rng = self.seed.stream("prescribers")
        for index in range(count):
            kind = "FT" if index == 0 else weighted(rng, PRESCRIBER_KINDS)
            if kind == "Autre":
                status = "NOT_REQUIRED"
            elif kind in ALWAYS_AUTHORIZED:
                status = "VALIDATED"
            else:
                status = weighted(rng, (("VALIDATED", 75), ("NOT_SET", 20), ("REFUSED", 5)))
            place = self.seed.reference.place(rng)
            # SAFIR codes of the random agencies stay below 90000 (the benchmark's agency has 99999).
            safir = f"{10000 + index % 80000:05d}" if kind == "FT" else ""
            prescriber = self.prescriber(rng, kind=kind, place=place, authorization_status=status, safir=safir)
            self.prescribers.append(prescriber)
            self.prescribers_by_department.setdefault(place.department, []).append(prescriber)
            if prescriber.authorized:
                self.authorized.append(prescriber)
                self.authorized_by_department.setdefault(place.department, []).append(prescriber)

    # --- Draws used by the stories

    def local(self, rng, by_department, everywhere, department, local_share=0.85):
        nearby = by_department.get(department)
        if nearby and rng.random() < local_share:
            return rng.choice(nearby)
        return rng.choice(everywhere)

    def any_company(self, rng, department):
        active = self.active_companies
        return self.local(rng, self.companies_by_department, active, department)

    def any_siae(self, rng, department):
        return self.local(rng, self.siae_by_department, self.siae, department)

    def any_prescriber(self, rng, department):
        if rng.random() < 0.75:
            return self.local(rng, self.authorized_by_department, self.authorized, department)
        return self.local(rng, self.prescribers_by_department, self.prescribers, department)

    def any_authorized(self, rng, department):
        return self.local(rng, self.authorized_by_department, self.authorized, department)

    @property
    def active_companies(self):
        if not hasattr(self, "_active_companies"):
            self._active_companies = [c for companies in self.companies_by_department.values() for c in companies]
            self._active_companies.sort(key=lambda company: company.id)
        return self._active_companies


def is_geiq(company):
    return company.kind == CompanyKind.GEIQ
