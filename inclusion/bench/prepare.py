"""What the benchmark's load tools need, read from the seeded national data set (make bench).

`prepare(...)` logs the bench accounts in (real sessions, in the server's session store), lists the key pages with
the visitor each one is measured for, counts the SQL queries of each page in-process, and writes one file per
hiring client for bench/wrk/hire.lua: its session cookie and CSRF token, then one accept-wizard contract per line.
"""

import datetime
import re
import urllib.parse
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inclusion.applications.enums import PENDING_STATES
from inclusion.applications.forms_hiring import HiringContractForm
from inclusion.applications.models import JobApplication
from inclusion.approvals.models import Approval
from inclusion.companies.models import Company
from inclusion.users.models import User

BENCH_DOMAIN = "bench.inclusion.test"
BIG_COMPANY_SIRET = "00000000000001"
EMPLOYER = f"employeur@{BENCH_DOMAIN}"
PRESCRIBER = f"prescripteur@{BENCH_DOMAIN}"
HIRING_EMPLOYERS = [f"embauche-{number:02d}@{BENCH_DOMAIN}" for number in range(1, 51)]
SEARCH = {"city": "lyon-69", "distance": "25"}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class PreparationError(Exception):
    """The data set lacks what the benchmark measures: the message says what to do, in French."""


@dataclass
class Page:
    name: str
    label: str
    path: str
    visitor: str  # "anonyme", or the e-mail of the account
    floor: str = ""  # name of the floor page of the same visitor ("" for a floor)
    queries: int = 0
    cookie: str = ""
    paths: list[str] = field(default_factory=list)  # several URLs of the same page, visited in turn


@dataclass
class HiringClient:
    employer: str
    cookie: str
    csrf_token: str
    contracts: list[tuple[str, str]]  # (accept wizard path, contract form body)


def prepare(*, hiring_clients, hires_per_client):
    sessions = {"anonyme": Client()}
    for email in (EMPLOYER, PRESCRIBER):
        sessions[email] = logged_in(email)
    pages = key_pages()
    for page in pages:
        client = sessions[page.visitor]
        page.cookie = cookie_of(client)
        page.queries = count_queries(client, page.path)
    hiring = [
        hiring_client(email, hires_per_client) for email in busiest_hiring_employers(hiring_clients, hires_per_client)
    ]
    return pages, hiring


def key_pages():
    big_company = Company.objects.filter(siret=BIG_COMPANY_SIRET).first()
    if big_company is None:
        raise PreparationError("Le jeu de données national n'est pas chargé : lancez `manage.py seed_national`.")
    approvals = list(
        Approval.objects.filter(job_applications__to_company=big_company)
        .order_by("number")
        .values_list("public_id", flat=True)
        .distinct()[:500]
    )
    if not approvals:
        raise PreparationError("L'entreprise aux 10 000 candidatures n'a aucun PASS IAE : rechargez les données.")
    floor = reverse("bench_floor")
    approval_paths = [reverse("approval_detail", args=[public_id]) for public_id in approvals]
    search = "?" + urllib.parse.urlencode(SEARCH)
    return [
        Page("floor_anonymous", "Plancher (anonyme)", floor, "anonyme"),
        Page("floor_employer", "Plancher (employeur)", floor, EMPLOYER),
        Page("floor_prescriber", "Plancher (prescripteur)", floor, PRESCRIBER),
        Page(
            "search_companies",
            "Recherche d'employeurs, Lyon 25 km",
            reverse("search_companies") + search,
            "anonyme",
            "floor_anonymous",
        ),
        Page(
            "search_job_descriptions",
            "Recherche de fiches de poste, Lyon 25 km",
            reverse("search_job_descriptions") + search,
            "anonyme",
            "floor_anonymous",
        ),
        Page("inbox", "Candidatures reçues (10 000)", reverse("applications_received"), EMPLOYER, "floor_employer"),
        Page(
            "sent_list",
            "Candidatures envoyées (prescripteur)",
            reverse("applications_sent"),
            PRESCRIBER,
            "floor_prescriber",
        ),
        Page("approval_detail", "Fiche PASS IAE", approval_paths[0], EMPLOYER, "floor_employer", paths=approval_paths),
    ]


def logged_in(email):
    user = User.objects.filter(email=email).first()
    if user is None:
        raise PreparationError(f"Compte {email} introuvable : rechargez le jeu de données (`seed_national`).")
    client = Client()
    client.force_login(user)
    # The first page stores the CSRF token of the logout form in the session: the measured requests write nothing.
    response = client.get(reverse("dashboard"), follow=True)
    if response.status_code != 200:
        raise PreparationError(f"Le tableau de bord de {email} répond {response.status_code}.")
    return client


def cookie_of(client):
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())


def count_queries(client, path):
    client.get(path)  # warm-up: caches and session as the load tool will find them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise PreparationError(f"{path} répond {response.status_code} au lieu de 200.")
    return len(queries)


def hireable(company):
    """Pending applications of people without a PASS: accepting them issues one."""
    return (
        JobApplication.objects.filter(to_company=company, state__in=PENDING_STATES)
        .exclude(job_seeker__approvals__isnull=False)
        .select_related("job_seeker", "to_company")
        .order_by("created_at")
    )


def busiest_hiring_employers(count, hires_per_client):
    """The hiring employers whose SIAE still have the most applications to accept (each run uses some up)."""
    remaining = []
    for email in HIRING_EMPLOYERS:
        company = Company.objects.filter(memberships__user__email=email).first()
        if company is not None:
            remaining.append((hireable(company).count(), email))
    remaining.sort(reverse=True)
    chosen = [email for left, email in remaining[:count] if left >= hires_per_client]
    if len(chosen) < count:
        raise PreparationError(
            "Plus assez de candidatures à accepter pour mesurer les embauches : rechargez le jeu de données "
            "(`BENCH_RESEED=1 make bench`)."
        )
    return chosen


def hiring_client(email, hires):
    client = logged_in(email)
    employer = User.objects.get(email=email)
    company = Company.objects.get(memberships__user=employer)
    page = client.get(reverse("applications_received")).content.decode()
    csrf_token = CSRF_INPUT.search(page).group(1)
    contracts = [contract_for(job_application, employer) for job_application in hireable(company)[:hires]]
    return HiringClient(email, cookie_of(client), csrf_token, contracts)


def contract_for(job_application, employer):
    """The accept wizard's contract step as the employer fills it: starts today for six months, on the first open
    job the person applied for (else the first open job of the company), the employer as advisor."""
    today = timezone.localdate()
    form = HiringContractForm(job_application=job_application, user=employer)
    open_jobs = [uid for uid, job in form.jobs_by_uid.items() if job.is_active]
    applied_for = [str(uid) for uid in job_application.selected_jobs.values_list("uid", flat=True)]
    data = {
        "action": "contract",
        "hiring_start_at": today.isoformat(),
        "hiring_end_at": (today + datetime.timedelta(days=182)).isoformat(),
        "hired_job": next((uid for uid in applied_for if uid in open_jobs), open_jobs[0] if open_jobs else ""),
        "advisor": str(employer.pk),
    }
    form = HiringContractForm(data, job_application=job_application, user=employer)
    if not form.is_valid():
        raise PreparationError(f"Contrat refusé pour {job_application.pk} : {form.errors.as_text()}")
    wizard_path = reverse("application_accept", args=[job_application.pk]) + f"?w={job_application.pk.hex}"
    return wizard_path, urllib.parse.urlencode(data)


def as_json(pages, hiring):
    return {
        "settings": settings.SETTINGS_MODULE,
        "pages": [asdict(page) for page in pages],
        "hiring": [asdict(client) for client in hiring],
    }
