"""Job seekers and what happened to them: applications, eligibility diagnoses, PASS IAE, follow-ups.

Each person is generated as one story, so that their rows agree with each other and with what the platform's rules
and nightly jobs would have left (applications.md §2–§11, eligibility.md §2, pass_iae.md §2–§8):

- applications still new or processing were updated less than 60 days ago (older ones are auto-refused), pending ones
  left for 180 days are archived by the nightly job, and only refused, cancelled or obsolete ones are archived by hand;
- an acceptance makes the person's other pending applications obsolete at that moment; `processed_at` is set exactly
  in accepted, refused, cancelled and obsolete;
- an authorized prescriber applying to an SIAE made a diagnosis (6 months) unless a valid one existed; an SIAE hiring
  attaches the last valid diagnosis (prescriber first), else one is made at hiring (by an authorized prescriber, or by
  the SIAE itself with the criteria the law asks);
- an SIAE hiring issues a PASS IAE of 730 days starting with the hiring; a cancelled hiring deleted its PASS and left a
  cancelled-PASS snapshot; numbers are issued in the order of the hirings (`Seed.number_approvals`);
- every professional who applied, diagnosed or hired for the person follows them (assignment, last action wins).
"""

import datetime
from dataclasses import dataclass, field

from inclusion.bench.seed import text
from inclusion.bench.seed.loading import FALSE, NULL, flag
from inclusion.bench.seed.organizations import is_geiq
from inclusion.bench.seed.world import DAY, Place, uuid_text
from inclusion.users.validators import nir_key

# applications.md §11.
AUTO_REFUSAL_DAYS = 60
AUTO_ARCHIVE_DAYS = 180
MANUAL_ARCHIVE_SHARE = 0.08
# pass_iae.md §4: 730 days, the end inclusive.
APPROVAL_LAST_DAY = 729
EMPLOYER_DIAGNOSIS_DAYS = 92
FOREIGN_BIRTH_SHARE = 0.12
PROXY_CREATED_SHARE = 0.4
JOB_SEEKERS_DOMAIN = "candidats.bench.inclusion.test"
SELECTABLE_REFUSAL_REASONS = (
    "did_not_come",
    "did_not_come_to_interview",
    "hired_elsewhere",
    "training",
    "not_mobile",
    "not_interested",
    "lacking_skills",
    "incompatible",
    "no_position",
    "duplicate",
    "other",
    "non_eligible",
    "prevent_objectives",
)
GEIQ_REFUSAL_REASONS = SELECTABLE_REFUSAL_REASONS[:-2]  # applications.md §7: two reasons are not for a GEIQ
EDUCATION_LEVELS = ("00", "01", "10", "20", "30", "40", "41", "50", "51", "60", "70")
DURATIONS = ("", "01", "02", "03", "04")
PENDING = frozenset({"new", "processing", "postponed"})
AUTO_ARCHIVED_STATES = frozenset({"new", "processing", "postponed", "refused", "cancelled", "obsolete"})
MANUALLY_ARCHIVED_STATES = frozenset({"refused", "cancelled", "obsolete"})


@dataclass(slots=True)
class Person:
    id: int
    title: str
    first_name: str
    last_name: str
    nir: str
    birthdate: int
    place: Place
    email: str | None
    created_at: int = 0
    created_by: tuple | None = None  # (professional id, prescriber organization id)
    diagnoses: list = field(default_factory=list)  # prescriber diagnoses: (created moment, expiry day, id)
    follow_ups: dict = field(default_factory=dict)  # (professional, org kind, org id) → [created, updated, action]


@dataclass(slots=True)
class Application:
    company: object
    created_at: int
    sender_id: int | None = None
    sender_kind: str = "job_seeker"
    sender_company_id: int | None = None
    sender_prescriber: object = None
    id: str = ""
    state: str = "new"
    updated_at: int = 0
    processed_at: int | None = None
    accepted_at: int | None = None  # also the acceptance of a hiring cancelled since
    accepted_by: int | None = None
    hiring_start_at: int | None = None
    hiring_end_at: int | None = None
    refusal_reason: str = ""
    refusal_shared: bool = False
    answer: str = ""
    answer_to_prescriber: str = ""
    archived_at: int | None = None
    archived_by: int | None = None
    diagnosis_id: int | None = None
    approval_id: int | None = None
    job_ids: tuple = ()
    hired_job_id: int | None = None
    with_pass: bool = False


class Nirs:
    """organizations.md §4.1: sex, year and month of birth, place of birth (INSEE commune code, or 99 + country),
    order number, key. The order number is counted per (sex, year, month, place): every NIR is unique. Each process
    of the generator (`part`) owns its own range of order numbers, so that they never meet."""

    PER_PART = 249

    def __init__(self, denylist, *, part=0):
        self.orders = {}
        self.denylist = set(denylist)
        self.first_order = part * (self.PER_PART + 1)

    def make(self, *, sex, birthdate: datetime.date, place_code: str):
        prefix = f"{sex}{birthdate.year % 100:02d}{birthdate.month:02d}{place_code}"
        order = self.orders.get(prefix, 0) + 1
        if order > self.PER_PART:
            return None
        self.orders[prefix] = order
        first_13 = f"{prefix}{self.first_order + order:03d}"
        nir = f"{first_13}{nir_key(first_13):02d}"
        return None if nir in self.denylist else nir


def _situations(rng, count=512):
    """Administrative situations (the 24 profile columns from `resourceless` on), drawn once and reused."""
    situations = []
    for _ in range(count):
        rsa = rng.choices(("NON", "OUI-NM", "OUI-M"), (75, 20, 5))[0]
        situations.append(
            (
                flag(rng.random() < 0.1),
                flag(rng.random() < 0.08),
                FALSE,
                rng.choice(DURATIONS),
                rng.choice(DURATIONS),
                rsa,
                "" if rsa == "NON" else rng.choice(DURATIONS[1:]),
                "" if rng.random() < 0.9 else rng.choice(DURATIONS[1:]),
                "" if rng.random() < 0.93 else rng.choice(DURATIONS[1:]),
                "" if rng.random() < 0.8 else rng.choice(DURATIONS[1:]),
                "",
                FALSE,
                FALSE,
                "",
                NULL,
                flag(rng.random() < 0.03),
                flag(rng.random() < 0.08),
                flag(rng.random() < 0.06),
                flag(rng.random() < 0.04),
                flag(rng.random() < 0.03),
                flag(rng.random() < 0.05),
                flag(rng.random() < 0.1),
                FALSE,
                FALSE,
            )
        )
    return situations


def _criteria_sets(reference, rng):
    """eligibility.md §4: prescriber diagnoses (0 to 3 criteria) and employer ones (≥ 1 level-1 criterion or ≥ 3
    level-2); never SENIOR with JEUNE nor DETLD with DELD. Age criteria are left out (they depend on the person)."""
    level_1 = [code for code in reference.level_1_criteria]
    level_2 = [code for code in reference.level_2_criteria if code not in ("SENIOR", "JEUNE")]

    def compatible(codes):
        return not {"DETLD", "DELD"} <= set(codes)

    prescriber, employer = [()], []
    while len(prescriber) < 64:
        codes = tuple(sorted({rng.choice(level_1 + level_2) for _ in range(rng.randint(1, 3))}))
        if compatible(codes):
            prescriber.append(codes)
    while len(employer) < 32:
        if rng.random() < 0.7:
            codes = (rng.choice(level_1), *rng.sample(level_2, rng.randint(0, 2)))
        else:
            codes = tuple(rng.sample(level_2, 3))
        if compatible(codes):
            employer.append(tuple(sorted(set(codes))))
    return prescriber, employer


class Stories:
    def __init__(self, seed, organizations, *, part=0):
        from django.conf import settings

        self.seed = seed
        self.organizations = organizations
        self.nirs = Nirs(settings.NIR_DENYLIST, part=part)
        setup = seed.stream("stories-setup")
        self.situations = _situations(setup)
        self.prescriber_criteria, self.employer_criteria = _criteria_sets(seed.reference, setup)
        # Hirings with a PASS IAE, live or cancelled, numbered at the end in the order of the hirings.
        self.approvals = []
        self.cancelled = []

    # --- The person

    def person(self, rng, *, place=None, created_by=None, with_email=True, birth_in_france=None):
        seed = self.seed
        user_id = seed.ids.next("user")
        title = "M" if rng.random() < 0.52 else "MME"
        first_name = rng.choice(text.MALE_FIRST_NAMES if title == "M" else text.FEMALE_FIRST_NAMES)
        last_name = rng.choice(text.LAST_NAMES)
        birthdate = datetime.date(rng.randint(1960, 2006), rng.randint(1, 12), rng.randint(1, 28))
        nir = None
        while nir is None:
            if birth_in_france is False or (birth_in_france is None and rng.random() < FOREIGN_BIRTH_SHARE):
                country_id, country_code = rng.choice(seed.reference.foreign_countries)
                birth_place_id, place_code = None, country_code
            else:
                birth_place = seed.reference.place(rng)
                country_id, birth_place_id, place_code = seed.reference.france_id, birth_place.id, birth_place.code
            nir = self.nirs.make(sex="1" if title == "M" else "2", birthdate=birthdate, place_code=place_code)
        place = place or seed.reference.place(rng)
        email = None
        if with_email:
            email = f"{text.ascii_slug(first_name)}.{text.ascii_slug(last_name)}.{user_id}@{JOB_SEEKERS_DOMAIN}"
        person = Person(
            id=user_id,
            title=title,
            first_name=first_name,
            last_name=last_name,
            nir=nir,
            birthdate=(birthdate - datetime.date(1970, 1, 1)).days,
            place=place,
            email=email,
            created_by=created_by,
        )
        has_ft_id = rng.random() < 0.65
        seed.rows.profile(
            id=seed.ids.next("profile"),
            user_id=user_id,
            birthdate=person.birthdate,
            birth_country_id=country_id,
            birth_place_id=birth_place_id,
            nir=nir,
            lack_of_nir_reason="",
            pole_emploi_id=f"{rng.randrange(10**7):07d}{rng.choice('0123456789ABCDEFGHJKLMNPRSTUVWXYZ')}"
            if has_ft_id
            else "",
            lack_of_pole_emploi_id_reason="" if has_ft_id else rng.choice(("NOT_REGISTERED",) * 4 + ("FORGOTTEN",)),
            education_level=rng.choice(EDUCATION_LEVELS),
            situation=rng.choice(self.situations),
            created_by_organization_id=created_by[1] if created_by else None,
        )
        return person

    def write_person(self, rng, person, *, last_checked_at):
        """The user row, once the story dated the account (created before the first application)."""
        seed = self.seed
        self_signed = person.created_by is None
        seed.rows.user(
            id=person.id,
            kind="job_seeker",
            password=seed.unusable_password(rng),
            public_id=uuid_text(rng),
            email=person.email,
            title=person.title,
            first_name=person.first_name,
            last_name=person.last_name,
            phone=f"0{rng.choice('67')}{rng.randrange(10**8):08d}",
            place=person.place,
            address_line_1=f"{rng.randrange(1, 150)} {rng.choice(text.STREET_NAMES)}",
            date_joined=person.created_at,
            email_verified_at=person.created_at if self_signed else None,
            last_checked_at=max(last_checked_at, person.created_at),
            terms_accepted_at=person.created_at if self_signed else None,
            created_by_id=person.created_by[0] if person.created_by else None,
            identity_provider="FC" if self_signed and rng.random() < 0.25 else "DJANGO",
        )
        for (professional_id, kind, organization_id), (created, updated, action) in person.follow_ups.items():
            seed.rows.assignment(
                id=seed.ids.next("assignment"),
                job_seeker_id=person.id,
                professional_id=professional_id,
                prescriber_id=organization_id if kind == "prescriber" else None,
                company_id=organization_id if kind == "company" else None,
                action=action,
                created_at=created,
                updated_at=updated,
            )

    @staticmethod
    def follow(person, professional_id, kind, organization_id, moment, action):
        """organizations.md §5.5, `upsert_assignment`: created once, then the last action and its moment."""
        key = (professional_id, kind, organization_id)
        current = person.follow_ups.get(key)
        if current is None:
            person.follow_ups[key] = [moment, moment, action]
        elif moment >= current[1]:
            current[1], current[2] = moment, action
        else:
            current[0] = min(current[0], moment)

    # --- Senders (applications.md §1, §13)

    def set_sender(self, rng, person, application, *, prescriber=None, force_prescriber=False):
        organizations = self.organizations
        department = person.place.department
        draw = rng.random()
        if prescriber is not None or force_prescriber or (draw < 0.55 if person.email else draw < 0.8):
            organization = prescriber or organizations.any_prescriber(rng, department)
            application.sender_kind = "prescriber"
            application.sender_prescriber = organization
            application.sender_id = (
                person.created_by[0]
                if person.created_by and person.created_by[1] == organization.id
                else rng.choice(organization.member_ids)
            )
        elif person.email and draw < 0.85:
            application.sender_kind, application.sender_id = "job_seeker", person.id
        else:
            # applications.md §13: auto-prescription (an employer for its own company), or orientation to another.
            company = application.company
            if rng.random() > 0.65:
                company = organizations.any_company(rng, department)
            application.sender_kind = "employer"
            application.sender_company_id = company.id
            application.sender_id = rng.choice(company.member_ids)

    # --- Diagnoses (eligibility.md §2)

    def _criteria(self, rng, diagnosis_id, codes, created_at):
        certifiable = self.seed.reference.certifiable_criteria
        for code in codes:
            certification = None
            if code in certifiable:  # eligibility.md §6: the provider answered an hour later
                period_start = created_at // DAY - rng.randrange(30, 900) if rng.random() < 0.7 else None
                certification = (created_at + 3600, period_start)
            self.seed.rows.criterion(
                id=self.seed.ids.next("criterion"),
                diagnosis_id=diagnosis_id,
                code=code,
                created_at=created_at,
                certification=certification,
            )

    def prescriber_diagnosis(self, rng, person, *, author_id, organization, created_at):
        seed = self.seed
        diagnosis_id = seed.ids.next("diagnosis")
        day = created_at // DAY
        expires = seed.clock.plus_6_months(day)
        seed.rows.diagnosis(
            id=diagnosis_id,
            public_id=uuid_text(rng),
            job_seeker_id=person.id,
            author_id=author_id,
            author_kind="prescriber",
            siae_id=None,
            prescriber_id=organization.id,
            created_at=created_at,
            expires_at=expires,
        )
        self._criteria(rng, diagnosis_id, rng.choice(self.prescriber_criteria), created_at)
        person.diagnoses.append((created_at, expires, diagnosis_id))
        self.follow(person, author_id, "prescriber", organization.id, created_at, "IAE_ELIGIBILITY")
        return diagnosis_id

    def employer_diagnosis(self, rng, person, *, author_id, company, created_at):
        seed = self.seed
        diagnosis_id = seed.ids.next("diagnosis")
        seed.rows.diagnosis(
            id=diagnosis_id,
            public_id=uuid_text(rng),
            job_seeker_id=person.id,
            author_id=author_id,
            author_kind="employer",
            siae_id=company.id,
            prescriber_id=None,
            created_at=created_at,
            expires_at=created_at // DAY + EMPLOYER_DIAGNOSIS_DAYS,
        )
        self._criteria(rng, diagnosis_id, rng.choice(self.employer_criteria), created_at)
        self.follow(person, author_id, "company", company.id, created_at, "IAE_ELIGIBILITY")
        return diagnosis_id

    @staticmethod
    def valid_prescriber_diagnosis(person, moment):
        """eligibility.md §2.3, §2.5: the newest prescriber diagnosis made before `moment` and still valid that day
        (expires_at > day), or None."""
        day = moment // DAY
        valid = [d for d in person.diagnoses if d[0] <= moment and day < d[1]]
        return max(valid)[2] if valid else None

    def diagnosis_at_hiring(self, rng, person, application):
        """pass_iae.md §6 step 2: the last valid diagnosis (prescriber first), else one made for the hiring."""
        accepted_at = application.accepted_at
        diagnosis_id = self.valid_prescriber_diagnosis(person, accepted_at)
        if diagnosis_id is not None:
            return diagnosis_id
        if rng.random() < 0.75:
            sender = application.sender_prescriber
            organization = (
                sender
                if sender is not None and sender.authorized
                else self.organizations.any_authorized(rng, person.place.department)
            )
            author_id = application.sender_id if organization is sender else rng.choice(organization.member_ids)
            created_at = max(accepted_at - rng.randrange(3600, 90 * DAY), application.created_at - 3600)
            return self.prescriber_diagnosis(
                rng, person, author_id=author_id, organization=organization, created_at=created_at
            )
        created_at = max(accepted_at - rng.randrange(600, 3 * DAY), application.created_at)
        return self.employer_diagnosis(
            rng, person, author_id=application.accepted_by, company=application.company, created_at=created_at
        )

    # --- States (applications.md §2, §3, §11)

    def draw_state(self, rng, application, *, may_accept, may_cancel):
        """A state for an application not hired with a PASS, likely for its age; the times that go with it.

        `may_accept`: a non-SIAE hiring is possible (the person was hired nowhere else); `may_cancel`: a cancelled
        hiring is possible (at most one per person, and none for a person hired with a PASS: the cancelled PASS
        would have been reused)."""
        clock = self.seed.clock
        created = application.created_at
        age = clock.today - created // DAY
        company = application.company
        draw = rng.random()
        if may_accept and not company.is_siae and age > 3 and draw < 0.2:
            self.accept(rng, application, at=self.later(rng, created, min(age, 30)), with_pass=False)
            return
        if may_cancel and age > 20 and draw > 0.975:
            self.cancel(rng, application)
            return
        draw = rng.random()
        if age < AUTO_REFUSAL_DAYS - 1:  # still pending: updated less than 60 days ago
            if is_geiq(company) and draw < 0.06:  # applications.md §9: a first prior action (written with it)
                application.state = "prior_to_hire"
                application.updated_at = self.later(rng, created, min(age, 10))
            elif draw < 0.35:
                application.state, application.updated_at = "new", created
            elif draw < 0.6:
                application.state, application.updated_at = "processing", self.later(rng, created, min(age, 10))
            elif draw < 0.7:
                self.postpone(rng, application, age)
            elif draw < 0.76:
                self.pool(rng, application, age)
            else:
                self.refuse(rng, application, age)
        elif draw < (0.12 if age <= AUTO_ARCHIVE_DAYS else 0.04):
            self.postpone(rng, application, age)
        elif draw < 0.2:
            self.pool(rng, application, age)
        else:
            self.refuse(rng, application, age)

    def later(self, rng, moment, max_days):
        """A moment after `moment`, at most `max_days` later, never after now."""
        return max(moment, min(moment + rng.randrange(600, max(1, max_days) * DAY + 601), self.seed.clock.now - 60))

    def postpone(self, rng, application, age):
        application.state, application.answer = "postponed", text.POSTPONE_ANSWER
        application.updated_at = self.later(rng, application.created_at, min(age, 20))

    def pool(self, rng, application, age):
        application.state, application.answer = "pool", text.POOL_ANSWER
        application.updated_at = self.later(rng, application.created_at, min(age, 20))

    def refuse(self, rng, application, age):
        application.state = "refused"
        if age > AUTO_REFUSAL_DAYS + 2 and rng.random() < 0.2:
            # applications.md §11: auto-refusal after 60 days without an update, reason shared.
            application.refusal_reason, application.refusal_shared = "auto", True
            application.answer = text.AUTO_REFUSAL_ANSWER
            moment = application.created_at + AUTO_REFUSAL_DAYS * DAY + rng.randrange(3600, 2 * DAY)
        else:
            reasons = GEIQ_REFUSAL_REASONS if is_geiq(application.company) else SELECTABLE_REFUSAL_REASONS
            application.refusal_reason = rng.choice(reasons)
            application.refusal_shared = rng.random() < 0.6
            application.answer = text.REFUSAL_ANSWER
            if application.sender_kind == "prescriber":
                application.answer_to_prescriber = text.REFUSAL_ANSWER_TO_PRESCRIBER
            moment = self.later(rng, application.created_at, min(age, 45))
        application.processed_at = application.updated_at = min(moment, self.seed.clock.now - 60)

    def accept(self, rng, application, *, at, with_pass, hiring_start_at=None):
        application.state = "accepted"
        application.accepted_at = application.processed_at = application.updated_at = at
        application.accepted_by = rng.choice(application.company.member_ids)
        application.answer = text.ACCEPT_ANSWER
        start = hiring_start_at if hiring_start_at is not None else at // DAY + rng.randrange(0, 30)
        application.hiring_start_at = start
        application.hiring_end_at = start + rng.randrange(120, 720) if rng.random() < 0.7 else None
        application.with_pass = with_pass
        if application.job_ids:
            application.hired_job_id = application.job_ids[0]

    def cancel(self, rng, application):
        """pass_iae.md §10: accepted, then cancelled a few days later; an SIAE hiring's PASS was deleted."""
        clock = self.seed.clock
        accepted_at = self.later(rng, application.created_at, 10)
        start = accepted_at // DAY + rng.randrange(1, 20)
        cancelled_at = min(accepted_at + rng.randrange(DAY, 10 * DAY), clock.now - 60)
        application.state = "cancelled"
        application.accepted_at = accepted_at  # kept in memory only: the row has no acceptance any more
        application.hiring_start_at = start
        application.processed_at = application.updated_at = cancelled_at
        if application.company.is_siae:
            application.with_pass = True  # a PASS was issued, then deleted

    # --- One story

    def story(self, rng, person, applications, *, hired=None, fixed_states=False):
        """`applications`: created moments, targets and senders already set. `hired`: the application hired with a
        PASS IAE (its `accepted_at` and `hiring_start_at` set), or None. `fixed_states`: the states are already set
        (no draw)."""
        applications.sort(key=lambda application: application.created_at)
        accepted, cancelled = hired is not None, hired is not None
        for application in applications:
            if application is hired:
                self.accept(
                    rng, application, at=hired.accepted_at, with_pass=True, hiring_start_at=hired.hiring_start_at
                )
            elif not fixed_states:
                self.draw_state(rng, application, may_accept=not accepted, may_cancel=not cancelled)
                accepted = accepted or application.state == "accepted"
                cancelled = cancelled or application.state == "cancelled"
        # applications.md §6.5: each acceptance made the pending applications created before it obsolete.
        acceptances = sorted(a.accepted_at for a in applications if a.accepted_at is not None)
        for application in applications:
            if application.state in PENDING:
                moment = next((m for m in acceptances if m > application.created_at), None)
                if moment is not None:
                    application.state, application.answer = "obsolete", ""
                    application.processed_at = application.updated_at = moment
        self.date_account(rng, person, applications[0].created_at if applications else None)
        # eligibility.md §2: an authorized prescriber applying to an SIAE made a diagnosis if none was valid; done
        # for every application first, so that a hiring sees every diagnosis made before it.
        for application in applications:
            prescriber = application.sender_prescriber
            if prescriber is not None and prescriber.authorized and application.company.is_siae:
                if self.valid_prescriber_diagnosis(person, application.created_at) is None:
                    self.prescriber_diagnosis(
                        rng,
                        person,
                        author_id=application.sender_id,
                        organization=prescriber,
                        created_at=application.created_at - rng.randrange(60, 3600),
                    )
        last_checked = person.created_at
        for application in applications:
            self.write_application(rng, person, application)
            if application.state == "accepted":
                last_checked = max(last_checked, application.accepted_at)  # applications.md §8.4
        self.write_person(rng, person, last_checked_at=last_checked)

    def date_account(self, rng, person, first_application_at):
        clock = self.seed.clock
        if first_application_at is None:
            person.created_at = clock.at(clock.today - rng.randrange(1, 1400), rng)
        elif person.created_by is not None:  # created by the prescriber just before applying
            person.created_at = first_application_at - rng.randrange(300, 3600)
        else:
            person.created_at = first_application_at - rng.randrange(3600, 120 * DAY)
        if person.created_by is not None:
            professional_id, organization_id = person.created_by
            self.follow(person, professional_id, "prescriber", organization_id, person.created_at, "CREATE")

    def write_application(self, rng, person, application):
        seed = self.seed
        application.id = uuid_text(rng)
        company = application.company
        prescriber = application.sender_prescriber
        if prescriber is not None:
            self.follow(person, application.sender_id, "prescriber", prescriber.id, application.created_at, "APPLY")
        elif application.sender_kind == "employer":
            self.follow(
                person,
                application.sender_id,
                "company",
                application.sender_company_id,
                application.created_at,
                "APPLY",
            )
        if application.with_pass:
            self.issue_approval(rng, person, application)
        if application.state == "accepted":
            self.follow(person, application.accepted_by, "company", company.id, application.accepted_at, "ACCEPT")
        self.archive(rng, application)
        if application.state == "prior_to_hire":
            seed.rows.prior_action(
                id=seed.ids.next("prior_action"),
                application_id=application.id,
                kind="PMSMP",
                start_at=application.created_at // DAY,
                end_at=application.created_at // DAY + rng.randrange(0, 10),
                created_at=application.updated_at,
            )
        accepted = application.state == "accepted"
        message_pool = text.APPLICATION_MESSAGES
        seed.rows.application(
            id=application.id,
            job_seeker_id=person.id,
            sender_id=application.sender_id,
            sender_kind=application.sender_kind,
            sender_company_id=application.sender_company_id,
            sender_prescriber_id=prescriber.id if prescriber is not None else None,
            to_company_id=company.id,
            state=application.state,
            message=message_pool[1] if application.sender_kind == "job_seeker" else rng.choice(message_pool),
            answer=application.answer,
            answer_to_prescriber=application.answer_to_prescriber,
            refusal_reason=application.refusal_reason,
            refusal_shared=application.refusal_shared,
            archived_at=application.archived_at,
            archived_by_id=application.archived_by,
            hiring_start_at=application.hiring_start_at,
            hiring_end_at=application.hiring_end_at if accepted else None,
            diagnosis_id=application.diagnosis_id if accepted else None,
            approval_id=application.approval_id if accepted else None,
            created_at=application.created_at,
            updated_at=max(application.updated_at, application.created_at),
            processed_at=application.processed_at,
            accepted_at=application.accepted_at if accepted else None,
            accepted_by_id=application.accepted_by if accepted else None,
            hired_job_id=application.hired_job_id if accepted else None,
            geiq_contract=accepted and is_geiq(company),
        )
        for job_id in application.job_ids:
            seed.rows.selected_job(
                id=seed.ids.next("selected_job"), application_id=application.id, job_description_id=job_id
            )

    def archive(self, rng, application):
        """applications.md §11: the nightly job archives what was left 180 days; employers archive some refusals."""
        clock = self.seed.clock
        if application.state in AUTO_ARCHIVED_STATES and application.updated_at <= clock.now - AUTO_ARCHIVE_DAYS * DAY:
            application.archived_at = application.updated_at + AUTO_ARCHIVE_DAYS * DAY + rng.randrange(3600, 20 * 3600)
            application.archived_at = min(application.archived_at, clock.now - 60)
        elif application.state in MANUALLY_ARCHIVED_STATES and rng.random() < MANUAL_ARCHIVE_SHARE:
            application.archived_at = self.later(rng, application.updated_at, 10)
            application.archived_by = rng.choice(application.company.member_ids)

    def issue_approval(self, rng, person, application):
        """pass_iae.md §6: the diagnosis, then the PASS (a cancelled hiring: its snapshot). Numbered later."""
        company = application.company
        if application.state == "accepted":
            application.diagnosis_id = self.diagnosis_at_hiring(rng, person, application)
        else:  # cancelled: the diagnosis stays, the PASS was deleted
            application.accepted_by = rng.choice(company.member_ids)
            self.diagnosis_at_hiring(rng, person, application)
        sender = application.sender_prescriber
        origin_facts = (
            company.siret,
            company.kind,
            application.sender_kind,
            sender.kind if sender is not None else "",
        )
        start = application.hiring_start_at
        if application.state == "accepted":
            approval_id = self.seed.ids.next("approval")
            application.approval_id = approval_id
            self.approvals.append(
                (
                    application.accepted_at,
                    approval_id,
                    uuid_text(rng),
                    person.id,
                    start,
                    start + APPROVAL_LAST_DAY,
                    application.diagnosis_id,
                    application.accepted_by,
                    origin_facts,
                )
            )
        else:
            self.cancelled.append(
                (
                    application.accepted_at,
                    self.seed.ids.next("cancelled_approval"),
                    start,
                    start + APPROVAL_LAST_DAY,
                    person.last_name,
                    person.first_name,
                    person.nir,
                    person.birthdate,
                    application.processed_at,
                    origin_facts,
                )
            )

    # --- Draws for the stories

    def pick_jobs(self, rng, company):
        """applications.md §1: a share of the applications select 1 or 2 of the company's jobs."""
        jobs = company.active_job_ids or company.job_ids
        if not jobs or rng.random() >= 0.65:
            return ()
        if len(jobs) > 1 and rng.random() < 0.2:
            return tuple(rng.sample(jobs, 2))
        return (rng.choice(jobs),)

    def hiring(self, rng, application, start_day):
        """Dates of a PASS hiring starting on `start_day`: applied 5 to 60 days before, accepted in between (never
        later than today, pass_iae.md §5: the start is not in the past at acceptance, at most 6 months ahead)."""
        clock = self.seed.clock
        created_day = min(start_day, clock.today) - rng.randrange(5, 60)
        application.created_at = clock.at(created_day, rng)
        accepted_day = rng.randint(created_day + 1, min(start_day, clock.today))
        application.accepted_at = max(clock.at(accepted_day, rng), application.created_at + 3600)
        application.hiring_start_at = start_day

    def pass_start_day(self, rng):
        """pass_iae.md §4: over the last 3 years, most running, some expired, a few starting soon."""
        today = self.seed.clock.today
        draw = rng.random()
        if draw < 0.04:
            return today + rng.randint(1, 25)
        if draw < 0.2:
            return today - rng.randint(APPROVAL_LAST_DAY + 1, 1094)
        return today - rng.randint(0, APPROVAL_LAST_DAY)

    def random_story(self, rng, *, applications_count, hired):
        organizations, clock = self.organizations, self.seed.clock
        place = self.seed.reference.place(rng)
        created_by = None
        proxy = applications_count and rng.random() < PROXY_CREATED_SHARE
        first_prescriber = None
        if proxy:
            first_prescriber = organizations.any_prescriber(rng, place.department)
            created_by = (rng.choice(first_prescriber.member_ids), first_prescriber.id)
        person = self.person(rng, place=place, created_by=created_by, with_email=not proxy or rng.random() < 0.5)
        applications = []
        hired_application = None
        if hired:
            hired_application = Application(company=organizations.any_siae(rng, place.department), created_at=0)
            self.hiring(rng, hired_application, self.pass_start_day(rng))
            applications.append(hired_application)
            earliest = hired_application.created_at - 365 * DAY
            latest = hired_application.accepted_at - 600
        else:
            latest = clock.now - 60
            earliest = latest - 1095 * DAY
            earliest = rng.randrange(earliest, latest)  # the person's first application
        while len(applications) < applications_count:
            low = min(max(earliest, clock.now - 1095 * DAY), latest - 1)
            created = rng.randrange(low, latest)
            company = organizations.any_company(rng, place.department)
            applications.append(Application(company=company, created_at=created))
        applications.sort(key=lambda application: application.created_at)
        for index, application in enumerate(applications):
            force = proxy and index == 0
            self.set_sender(rng, person, application, prescriber=first_prescriber if force else None)
            application.job_ids = self.pick_jobs(rng, application.company)
        self.story(rng, person, applications, hired=hired_application)
        return person

    # --- Numbering (pass_iae.md §2)

    def number_approvals(self, prefix):
        """Numbers in the order of the hirings, live and cancelled alike: prefix + 7-digit sequence from 1, so that
        the next hiring on the platform takes the following one."""
        seed = self.seed
        hirings = [(accepted_at, 0, item) for accepted_at, *item in self.approvals]
        hirings += [(accepted_at, 1, item) for accepted_at, *item in self.cancelled]
        hirings.sort(key=lambda hiring: (hiring[0], hiring[1], hiring[2][0]))
        for sequence, (accepted_at, cancelled, item) in enumerate(hirings, start=1):
            number = f"{prefix}{sequence:07d}"
            if cancelled:
                cancelled_id, start, end, last_name, first_name, nir, birthdate, cancelled_at, origin_facts = item
                seed.rows.cancelled_approval(
                    id=cancelled_id,
                    number=number,
                    start_at=start,
                    end_at=end,
                    last_name=last_name,
                    first_name=first_name,
                    nir=nir,
                    birthdate=birthdate,
                    created_at=cancelled_at,
                    origin_facts=origin_facts,
                )
                continue
            approval_id, public_id, user_id, start, end, diagnosis_id, accepted_by, origin_facts = item
            # pass_iae.md §19: a PASS starting in the future is not sent to France Travail yet.
            seed.rows.approval(
                id=approval_id,
                public_id=public_id,
                number=number,
                user_id=user_id,
                start_at=start,
                end_at=end,
                diagnosis_id=diagnosis_id,
                created_at=accepted_at,
                created_by_id=accepted_by,
                ft_status="pending" if start > seed.clock.today else "success",
                origin_facts=origin_facts,
            )
            seed.rows.approval_event(
                id=seed.ids.next("approval_event"),
                approval_id=approval_id,
                number=number,
                user_id=accepted_by,
                created_at=accepted_at,
                start_at=start,
                end_at=end,
            )
        return len(self.approvals)
