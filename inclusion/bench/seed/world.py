"""What every part of the generator shares: the reference data, the random streams, identifiers and time.

Reproducibility: every random stream is seeded by (seed, stream name), identifiers and NIRs never depend on the day
of the run; dates are placed relative to the day of the run (the PASS IAE must be running "now", the conventions
valid "today"), so two runs the same day give the same rows.

Time is handled as integer seconds since the Unix epoch (UTC) and days since the epoch: cheap to draw and to compare.
Every generated moment falls between 07:00 and 18:00 UTC, so its UTC date is also its Europe/Paris date (the
platform computes dates such as `expires_at` on the Paris date).
"""

import bisect
import datetime
import random
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Max

EPOCH = datetime.date(1970, 1, 1)
DAY = 86_400
WORK_START, WORK_END = 7 * 3600, 18 * 3600


@dataclass(frozen=True, slots=True)
class Place:
    id: int
    code: str
    name: str
    department: str
    post_code: str
    latitude: float
    longitude: float


class Reference:
    """The reference data the generator draws from, read once."""

    def __init__(self):
        from inclusion.eligibility.models import AdministrativeCriteria
        from inclusion.geo.enums import CommuneKind
        from inclusion.geo.models import Commune, Country
        from inclusion.jobs.models import Appellation

        rows = (
            Commune.objects.exclude(kind=CommuneKind.ARRONDISSEMENT)
            .exclude(postal_codes="")
            .order_by("code_insee")
            .values_list("id", "code_insee", "name", "postal_codes", "latitude", "longitude", "population")
        )
        self.places = []
        weights = []
        for pk, code, name, postal_codes, latitude, longitude, population in rows:
            department = code[:3] if code[:2] in ("97", "98") else code[:2]
            post_code = postal_codes.split("|")[0]
            self.places.append(Place(pk, code, name, department, post_code, latitude, longitude))
            # Big cities hold more people and more employers (population when the data has it).
            weights.append(max(population or 0, 50))
        self.cumulative_weights = []
        total = 0
        for weight in weights:
            total += weight
            self.cumulative_weights.append(total)
        self.places_by_code = {place.code: place for place in self.places}
        self.departments = sorted({place.department for place in self.places})
        self.appellation_ids = list(Appellation.objects.order_by("code").values_list("id", flat=True))
        levels = dict(AdministrativeCriteria.objects.values_list("code", "level"))
        self.level_1_criteria = sorted(code for code, level in levels.items() if level == "1")
        self.level_2_criteria = sorted(code for code, level in levels.items() if level == "2")
        self.certifiable_criteria = set(
            AdministrativeCriteria.objects.exclude(certifiable_by="").values_list("code", flat=True)
        )
        self.france_id = Country.objects.get(insee_code=Country.FRANCE_INSEE_CODE).pk
        # Born abroad: a few frequent countries of birth (INSEE codes 99xxx), by id.
        foreign = ("99350", "99351", "99352", "99139", "99134", "99127", "99109", "99336", "99341", "99425")
        self.foreign_countries = list(
            Country.objects.filter(insee_code__in=foreign).order_by("insee_code").values_list("id", "insee_code")
        )

    def place(self, rng) -> Place:
        """A commune drawn by population."""
        point = rng.random() * self.cumulative_weights[-1]
        return self.places[bisect.bisect_right(self.cumulative_weights, point)]


class Clock:
    """Now, today and the COPY text of moments and days (cached: the same days come back millions of times)."""

    def __init__(self, now: datetime.datetime, today: datetime.date):
        self.now = int(now.timestamp())
        self.today = (today - EPOCH).days
        self._days = {}
        self._times = [f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+00" for s in range(DAY)]
        self._plus_6_months = {}

    def date(self, day: int) -> str:
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = (EPOCH + datetime.timedelta(days=day)).isoformat()
        return text

    def ts(self, moment: int) -> str:
        return self.date(moment // DAY) + self._times[moment % DAY]

    def ts_or_null(self, moment):
        return "\\N" if moment is None else self.ts(moment)

    def at(self, day: int, rng) -> int:
        """A moment of working hours on `day`, never after now."""
        return min(day * DAY + rng.randrange(WORK_START, WORK_END), self.now - rng.randrange(60, 3600))

    def plus_6_months(self, day: int) -> int:
        """eligibility.md §2.3: + 6 calendar months (prescriber diagnoses)."""
        result = self._plus_6_months.get(day)
        if result is None:
            date = EPOCH + datetime.timedelta(days=day) + relativedelta(months=6)
            result = self._plus_6_months[day] = (date - EPOCH).days
        return result

    def to_date(self, day: int) -> datetime.date:
        return EPOCH + datetime.timedelta(days=day)


class Stream(random.Random):
    """A seeded stream whose draws cost one `random()` call: `choice`, `randrange` and `randint` of the standard
    library are unbiased but several times slower, which tens of millions of draws feel (the bias of scaling a
    53-bit float is negligible here)."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randrange(self, start, stop=None):
        if stop is None:
            start, stop = 0, start
        if stop <= start:
            raise ValueError(f"empty range for randrange({start}, {stop})")
        return start + int(self.random() * (stop - start))

    def randint(self, a, b):
        return self.randrange(a, b + 1)


def streams(seed: int):
    """`stream("users")`: an independent random stream per part, so that changing one part moves no other."""

    def stream(name: str) -> Stream:
        return Stream(f"seed_national:{seed}:{name}")

    return stream


def uuid_text(rng) -> str:
    """A version-4 UUID drawn from `rng` (reproducible, unlike uuid.uuid4)."""
    value = rng.getrandbits(128)
    value = (value & ~(0xF << 76)) | (0x4 << 76)
    value = (value & ~(0x3 << 62)) | (0x2 << 62)
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


class Ids:
    """Primary keys given by the generator (so that rows can reference each other before the load), after whatever
    the tables already hold; the sequences are reset once the load is done."""

    def __init__(self):
        self._next = {}

    def start_at(self, name, first):
        self._next[name] = first

    def start(self, name, model):
        self._next[name] = (model.objects.aggregate(highest=Max("pk"))["highest"] or 0) + 1

    def reserve(self, name, count) -> int:
        """`count` ids for another process: returns the first one."""
        first = self._next[name]
        self._next[name] = first + count
        return first

    def next(self, name) -> int:
        value = self._next[name]
        self._next[name] = value + 1
        return value
