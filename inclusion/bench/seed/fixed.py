"""The accounts the benchmark (make bench) logs in with, the same whatever the scale.

- `employeur@bench.inclusion.test`: administrator of THE big company (an ACI in Lyon, SIRET 00000000000001) that
  received 10 000 applications in every state an ACI knows, 1 500 of them hired with a PASS IAE;
- `prescripteur@bench.inclusion.test`: member of an authorized France Travail agency in Lyon, the sender of its
  2 000 applications, to many companies;
- `embauche-01@…` to `embauche-50@…`: each the only member (administrator) of an SIAE (EI or ACI, convention valid
  today) holding 400 applications that can be accepted right now through the accept wizard and issue a PASS IAE:
  « À l'étude », sent by an authorized prescriber who made a diagnosis a few days ago (valid 6 months), the person's
  data complete (NIR, France Travail situation, birth data, address), no PASS ever (no waiting period, no suspension).

They all have the password BENCH_PASSWORD.
"""

from inclusion.bench.seed.stories import Application
from inclusion.bench.seed.world import DAY

BENCH_PASSWORD = "Bench-Inclusion-2026!"
EMPLOYER_EMAIL = "employeur@bench.inclusion.test"
PRESCRIBER_EMAIL = "prescripteur@bench.inclusion.test"
BIG_COMPANY_SIRET = "00000000000001"
BIG_COMPANY_APPLICATIONS = 10_000
BIG_COMPANY_HIRED_WITH_PASS = 1_500
BIG_COMPANY_HIRED_ELSEWHERE_SHARE = 0.05
PRESCRIBER_APPLICATIONS = 2_000
PRESCRIBER_HIRED_SHARE = 0.15
HIRING_COMPANIES = 50
HIREABLE_APPLICATIONS = 400
LYON = "69123"
PRESCRIBER_SAFIR = "99999"
# Paris, Marseille, Lyon, Toulouse, Nice, Nantes, Strasbourg, Montpellier, Bordeaux, Lille.
HIRING_CITIES = ("75056", "13055", "69123", "31555", "06088", "44109", "67482", "34172", "33063", "59350")


def hiring_email(number):
    return f"embauche-{number:02d}@bench.inclusion.test"


def _place(reference, code, rng):
    return reference.places_by_code.get(code) or reference.place(rng)


def fixed_accounts(seed, organizations, stories):
    """Writes the fixed accounts, their organizations and their applications; returns what was made."""
    rng = seed.stream("fixed")
    clock, reference = seed.clock, seed.reference
    password = seed.bench_password
    joined_at = clock.at(clock.today - 900, rng)
    lyon = _place(reference, LYON, rng)

    employer_id = organizations.professional(rng, joined_at=joined_at, email=EMPLOYER_EMAIL, password=password)
    colleagues = [organizations.professional(rng, joined_at=joined_at) for _ in range(2)]
    big = organizations.company(
        rng,
        kind="ACI",
        place=lyon,
        siret=BIG_COMPANY_SIRET,
        name="Chantier d'insertion Lyon Confluence (banc de mesure)",
        members=[(employer_id, True), *((user_id, False) for user_id in colleagues)],
    )
    for _ in range(12):
        organizations.job_description(rng, big)

    prescriber_id = organizations.professional(rng, joined_at=joined_at, email=PRESCRIBER_EMAIL, password=password)
    agency = organizations.prescriber(
        rng,
        kind="FT",
        place=lyon,
        authorization_status="VALIDATED",
        name="France Travail Lyon Part-Dieu (banc de mesure)",
        safir=PRESCRIBER_SAFIR,
        members=[(prescriber_id, True)],
    )

    hiring_companies = []
    for number in range(1, HIRING_COMPANIES + 1):
        user_id = organizations.professional(rng, joined_at=joined_at, email=hiring_email(number), password=password)
        company = organizations.company(
            rng,
            kind="EI" if number % 2 else "ACI",
            place=_place(reference, HIRING_CITIES[(number - 1) % len(HIRING_CITIES)], rng),
            siret=f"{100 + number:014d}",
            name=f"Structure d'embauche {number:02d} (banc de mesure)",
            members=[(user_id, True)],
        )
        for _ in range(3):
            organizations.job_description(rng, company)
        hiring_companies.append(company)

    _big_company_applications(seed, organizations, stories, rng, big, lyon)
    _prescriber_applications(seed, organizations, stories, rng, agency, prescriber_id, lyon)
    _hireable_applications(seed, organizations, stories, rng, hiring_companies)
    return {"big_company": big, "agency": agency, "hiring_companies": hiring_companies}


def _big_company_applications(seed, organizations, stories, rng, big, lyon):
    clock = seed.clock
    for index in range(BIG_COMPANY_APPLICATIONS):
        place = lyon if rng.random() < 0.5 else seed.reference.place(rng)
        person = stories.person(rng, place=place)
        application = Application(company=big, created_at=0, job_ids=stories.pick_jobs(rng, big))
        applications, hired = [application], None
        if index < BIG_COMPANY_HIRED_WITH_PASS:
            stories.hiring(rng, application, stories.pass_start_day(rng))
            hired = application
        else:
            application.created_at = clock.now - rng.randrange(3600, 700 * DAY)
            if rng.random() < BIG_COMPANY_HIRED_ELSEWHERE_SHARE:
                # Hired with a PASS by another SIAE afterwards: a pending application here became obsolete.
                hired = Application(company=organizations.any_siae(rng, place.department), created_at=0)
                start_day = min(application.created_at // DAY + rng.randint(15, 80), clock.today + 5)
                stories.hiring(rng, hired, start_day)
                applications.append(hired)
        for item in applications:
            stories.set_sender(rng, person, item)
        stories.story(rng, person, applications, hired=hired)


def _prescriber_applications(seed, organizations, stories, rng, agency, prescriber_id, lyon):
    clock = seed.clock
    for _ in range(PRESCRIBER_APPLICATIONS):
        place = lyon if rng.random() < 0.5 else seed.reference.place(rng)
        person = stories.person(rng, place=place, created_by=(prescriber_id, agency.id), with_email=rng.random() < 0.5)
        company = organizations.any_company(rng, place.department)
        application = Application(company=company, created_at=0, job_ids=stories.pick_jobs(rng, company))
        hired = None
        if company.is_siae and rng.random() < PRESCRIBER_HIRED_SHARE:
            stories.hiring(rng, application, stories.pass_start_day(rng))
            hired = application
        else:
            application.created_at = clock.now - rng.randrange(3600, 900 * DAY)
        stories.set_sender(rng, person, application, prescriber=agency)
        stories.story(rng, person, [application], hired=hired)


def _hireable_applications(seed, organizations, stories, rng, companies):
    clock = seed.clock
    for company in companies:
        for _ in range(HIREABLE_APPLICATIONS):
            person = stories.person(rng, place=company.place)
            created_at = clock.now - rng.randrange(DAY, 10 * DAY)
            application = Application(company=company, created_at=created_at, job_ids=stories.pick_jobs(rng, company))
            application.state = "processing"
            application.updated_at = stories.later(rng, created_at, 2)
            prescriber = organizations.any_authorized(rng, company.place.department)
            stories.set_sender(rng, person, application, prescriber=prescriber)
            stories.story(rng, person, [application], fixed_states=True)
