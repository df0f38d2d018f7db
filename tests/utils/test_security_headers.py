"""Security headers (platform_rules.md §4): the Content-Security-Policy with its per-response nonce, what our pages
must do to live under it (no inline code without the nonce), the other headers and the cache of authenticated pages."""

import datetime
import json
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse

from inclusion.applications.enums import JobApplicationState
from inclusion.companies.enums import CompanyKind
from tests.access.personas import (
    ANONYMOUS,
    AUTHORIZED_PRESCRIBER,
    EMPLOYER,
    JOB_SEEKER,
    ORIENTEUR,
    PERSONAS,
    STAFF,
    build_world,
)
from tests.access.policies import POLICIES
from tests.applications.factories import JobApplicationFactory
from tests.applications.test_apply_tunnels import hiring_company, start
from tests.approvals.factories import ApprovalFactory
from tests.approvals.factories_approval_screens import hire
from tests.approvals.screens import employer_of
from tests.companies.factories import CompanyFactory
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory

ROOT = Path(__file__).resolve().parents[2]
INCLUSION = ROOT / "inclusion"

pytestmark = pytest.mark.django_db


def directives(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    return {name: sources for name, *sources in (part.split() for part in header.split(";"))}


def nonce_of(response):
    [nonce] = re.findall(r"'nonce-([^']+)'", " ".join(directives(response)["script-src"]))
    return nonce


PRODUCTION = {"SECRET_KEY": secrets.token_urlsafe(48), "ALLOWED_HOSTS": "emplois.example.org"}


def run_in_production(*args, **environ):
    """Runs Python with the production settings and only the documented required variables (plus `environ`)."""
    env = {name: value for name, value in os.environ.items() if name not in ("DATABASE_URL", "LOG_FORMAT")}
    env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="config.settings.prod", **environ)
    return subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True)


def production(expression, **environ):
    """A setting as production computes it, given back as JSON."""
    code = f"import django, json; django.setup(); from django.conf import settings; print(json.dumps({expression}))"
    result = run_in_production("-c", code, **environ)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


class InlineCodeFinder(HTMLParser):
    """What a policy without 'unsafe-inline' blocks: a <script> or <style> without the response's nonce, a style=
    attribute, an on...= event handler, a javascript: URL. Each offence with its line in the page.

    Our pages give the nonce to every <script>, inline or not (one rule, easy to follow); the admin's own templates
    load their scripts from files only, which 'self' allows: `files_need_nonce=False` checks them as the browser does.
    """

    def __init__(self, nonce, *, files_need_nonce=True):
        super().__init__()
        self.nonce = nonce
        self.files_need_nonce = files_need_nonce
        self.offences = []

    def handle_starttag(self, tag, attrs):
        line, _ = self.getpos()
        attributes = dict(attrs)
        needs_nonce = tag == "style" or (tag == "script" and (self.files_need_nonce or not attributes.get("src")))
        if needs_nonce and (self.nonce is None or attributes.get("nonce") != self.nonce):
            self.offences.append(f"line {line}: <{tag}> without the nonce of the response")
        for name, value in attrs:
            if name == "style":
                self.offences.append(f"line {line}: style attribute on <{tag}>")
            elif name.startswith("on"):
                self.offences.append(f"line {line}: {name} handler on <{tag}>")
            # Browsers ignore spaces and control characters before the scheme.
            elif value and re.sub(r"[\x00-\x20]", "", value).lower().startswith("javascript:"):
                self.offences.append(f"line {line}: javascript: URL in {name} of <{tag}>")

    handle_startendtag = handle_starttag


def csp_offences(response, *, files_need_nonce=True):
    nonce = nonce_of(response) if "'nonce-" in response["Content-Security-Policy"] else None
    finder = InlineCodeFinder(nonce, files_need_nonce=files_need_nonce)
    finder.feed(response.content.decode())
    finder.close()
    return finder.offences


def assert_complies(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert csp_offences(response) == []


# The checker ---------------------------------------------------------------------------------------------------------


def offences_in(html, nonce="abc"):
    finder = InlineCodeFinder(nonce)
    finder.feed(html)
    return finder.offences


def test_the_checker_wants_a_nonce_in_the_header_for_any_script():
    assert len(offences_in('<script src="/a.js"></script>', nonce=None)) == 1


def test_the_admin_checker_lets_files_load_without_a_nonce():
    finder = InlineCodeFinder(None, files_need_nonce=False)
    finder.feed('<script src="/admin.js"></script><script>inline()</script>')
    assert len(finder.offences) == 1


def test_the_checker_accepts_what_the_policy_allows():
    html = '<script src="/a.js" nonce="abc"></script><style nonce="abc">p{}</style><a href="/x">x</a>'
    assert offences_in(html) == []


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<script nonce="other">alert(1)</script>',
        "<style>p { color: red }</style>",
        '<p style="color: red">',
        '<button onclick="go()">',
        '<img src="x" onerror="go()"/>',
        '<a href="javascript:go()">',
        '<a href=" JavaScript:go()">',
        '<form action="javascript:go()">',
    ],
)
def test_the_checker_finds_inline_code(html):
    assert len(offences_in(html)) == 1


# The header ----------------------------------------------------------------------------------------------------------


def test_the_policy_of_every_page(client):
    response = client.get(reverse("home"))
    nonce = f"'nonce-{nonce_of(response)}'"
    assert directives(response) == {
        "default-src": ["'self'"],
        "script-src": ["'self'", nonce],
        "style-src": ["'self'", nonce],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }


def test_each_response_has_a_fresh_nonce_given_to_its_scripts(client):
    first, second = client.get(reverse("home")), client.get(reverse("home"))
    assert nonce_of(first) != nonce_of(second)
    for response in (first, second):
        nonce = nonce_of(response)
        assert len(nonce) >= 22  # 16 random bytes, base64
        assert directives(response)["style-src"] == ["'self'", f"'nonce-{nonce}'"]
        scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
        assert len(scripts) >= 2  # the DSFR (module and nomodule) and the autocomplete of the search form
        assert all(f'nonce="{nonce}"' in script for script in scripts)


def test_the_report_uri_comes_from_the_environment():
    expression = 'settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"]'
    assert production(expression, CSP_REPORT_URI="https://csp.example.org/r") == "https://csp.example.org/r"
    assert production(expression, CSP_REPORT_URI="") is None


def test_the_report_uri_is_sent_when_set(client, settings):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "report-uri": "https://csp.example.org/r"}
    }
    assert directives(client.get(reverse("home")))["report-uri"] == ["https://csp.example.org/r"]


def test_the_other_security_headers(client):
    response = client.get(reverse("home"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_htmx_does_not_inject_its_styles(client):
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>""" in (
        client.get(reverse("home")).content.decode()
    )


# Cache of authenticated pages ----------------------------------------------------------------------------------------


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def vary(response):
    return {part.strip() for part in response.get("Vary", "").split(",")}


def test_anonymous_pages_carry_no_private_cache_header(client):
    response = client.get(reverse("home"))
    assert "private" not in cache_control(response)


def test_pages_of_a_logged_in_user_are_private_and_revalidated(client):
    client.force_login(JobSeekerFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert {"no-cache", "private"} <= cache_control(response)
    assert "Cookie" in vary(response)


def test_after_a_logout_pages_are_no_longer_private(client):
    client.force_login(JobSeekerFactory())
    assert "private" in cache_control(client.get(reverse("accessibility")))
    client.post(reverse("logout"))
    assert "private" not in cache_control(client.get(reverse("accessibility")))


def test_a_view_that_forbids_storing_keeps_its_cache_control(client):
    client.force_login(JobSeekerFactory())
    response = client.get(reverse("health_check"))
    assert response["Cache-Control"] == "no-store, private"
    assert "Cookie" in vary(response)


# Our pages under the policy ------------------------------------------------------------------------------------------


def test_public_pages_comply(client):
    company = hiring_company(name="Jardins de Cocagne")
    for url in [
        reverse("home"),
        reverse("login"),
        reverse("job_seeker_signup"),
        reverse("password_reset"),
        reverse("search_companies") + "?city_name=Lyon",
        reverse("search_prescribers"),
        reverse("company_card", kwargs={"company_uid": company.uid}),
        reverse("accessibility"),
    ]:
        assert_complies(client.get(url))


def test_the_error_pages_comply(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert csp_offences(response) == []


def professional_of(organization_factory, **kwargs):
    user = ProfessionalFactory()
    organization_factory(with_member=user, **kwargs)
    return user


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda: JobSeekerFactory(address_line_1="1 rue de la Paix", post_code="69001"), id="job_seeker"),
        pytest.param(lambda: professional_of(PrescriberOrganizationFactory), id="orienteur"),
        pytest.param(lambda: professional_of(PrescriberOrganizationFactory, authorized=True), id="prescriber"),
        pytest.param(lambda: professional_of(CompanyFactory), id="employer"),
        pytest.param(lambda: professional_of(InstitutionFactory), id="institution_member"),
        pytest.param(StaffFactory, id="staff"),
    ],
)
def test_the_dashboard_of_each_role_complies(client, make_user):
    login(client, make_user())
    response = client.get(reverse("dashboard"), follow=True)
    assert_complies(response)


def test_the_first_step_of_the_application_wizard_complies(client):
    prescriber = professional_of(PrescriberOrganizationFactory, authorized=True)
    client.force_login(prescriber)
    _, response = start(client, hiring_company())
    assert_complies(response)


@pytest.fixture
def company():
    return CompanyFactory(kind=CompanyKind.ACI, name="Jardins de Cocagne")


def test_the_employer_inbox_and_an_application_comply(client, company):
    applications = [
        JobApplicationFactory(to_company=company),
        JobApplicationFactory(to_company=company, sent_by_authorized_prescriber=True, with_resume=True),
        JobApplicationFactory(to_company=company, state=JobApplicationState.PROCESSING),
    ]
    client.force_login(employer_of(company))
    assert_complies(client.get(reverse("applications_received")))
    for application in applications:
        assert_complies(client.get(reverse("application_detail_company", args=[application.pk])))


def test_the_pass_iae_pages_comply(client, company):
    approval = ApprovalFactory(start_at=datetime.date.today() - datetime.timedelta(days=30))
    hire(approval, company)
    client.force_login(employer_of(company))
    assert_complies(client.get(reverse("approval_list")))
    assert_complies(client.get(reverse("approval_detail", args=[approval.public_id])))
    client.force_login(approval.user)
    assert_complies(client.get(reverse("job_seeker_approval"), follow=True))


# Every page of the access policy, as someone allowed to see it -------------------------------------------------------


def first_persona_allowed(policy):
    """The persona to request a page as: anyone but the staff first (their second factor is another story)."""
    allowed = [persona for persona in PERSONAS if policy.expected[persona].status == 200]
    return next((persona for persona in allowed if persona != STAFF), allowed[0] if allowed else None)


HTML_PAGES = [
    (name, persona)
    for name, policy in POLICIES.items()
    if policy.method == "get" and (persona := first_persona_allowed(policy)) is not None
]


@pytest.mark.parametrize("url_name,persona", HTML_PAGES)
def test_every_page_of_the_access_policy_complies(client, url_name, persona):
    world, policy = build_world(), POLICIES[url_name]
    if (user := world.user(persona)) is not None:
        login(client, user)
    url = policy.url_for(url_name, world)
    response = client.get(url, policy.data(world) if policy.data else {})
    assert response.status_code == 200, url
    if not response["Content-Type"].startswith("text/html"):
        return  # JSON (autocompletes, health check), PDF, spreadsheets
    assert csp_offences(response) == [], url


def test_the_crawl_sees_the_pages_of_every_persona():
    assert len(HTML_PAGES) >= 60
    personas = {persona for _, persona in HTML_PAGES}
    assert personas >= {ANONYMOUS, JOB_SEEKER, ORIENTEUR, AUTHORIZED_PRESCRIBER, EMPLOYER}


# The Django admin (staff only) under the same policy -----------------------------------------------------------------


def test_the_admin_complies(client, company):
    hire(ApprovalFactory(), company)
    login(client, StaffFactory())
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if model.__module__.startswith("inclusion."):  # the add form of django-dsfr's own model warns (URLField)
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        if obj := model.objects.first():
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    for url in urls:
        response = client.get(url)
        if response.status_code == 403:  # a model the support may not add by hand
            continue
        assert response.status_code == 200, url
        assert csp_offences(response, files_need_nonce=False) == [], url


# Production settings -------------------------------------------------------------------------------------------------


def test_check_deploy_prints_no_warning():
    result = run_in_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_is_https_only_with_secure_cookies():
    assert production(
        "(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD,"
        " settings.SECURE_SSL_REDIRECT, settings.SECURE_PROXY_SSL_HEADER, settings.SESSION_COOKIE_SECURE,"
        " settings.SESSION_COOKIE_HTTPONLY, settings.SESSION_COOKIE_SAMESITE, settings.CSRF_COOKIE_SECURE,"
        " settings.CSRF_USE_SESSIONS, settings.SECURE_REDIRECT_EXEMPT)"
    ) == [
        365 * 24 * 60 * 60,
        True,
        True,
        True,
        ["HTTP_X_FORWARDED_PROTO", "https"],
        True,
        True,
        "Lax",
        True,
        True,
        [r"^sante/$"],
    ]


def test_production_limits_web_requests_in_the_database_and_scripts_may_wait_longer():
    expression = 'settings.DATABASES["default"]["OPTIONS"]'
    web = production(expression, DATABASE_URL="postgres://inclusion@db.interne:5432/inclusion")
    assert web["options"] == "-c statement_timeout=10000 -c lock_timeout=5000"
    assert web["connect_timeout"] == 5
    script = production(
        expression,
        DATABASE_URL="postgres://inclusion@db.interne:5432/inclusion",
        DATABASE_STATEMENT_TIMEOUT="300",
        DATABASE_LOCK_TIMEOUT="150",
    )
    assert script["options"] == "-c statement_timeout=300000 -c lock_timeout=150000"


def test_whitenoise_comes_right_after_the_security_middleware():
    middleware = production("settings.MIDDLEWARE")
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert middleware[0] == "inclusion.utils.logging.RequestLogMiddleware"


def test_env_example_documents_every_variable():
    used = {
        name
        for path in (ROOT / "config" / "settings").glob("*.py")
        for name in re.findall(r'env(?:\.\w+)?\(\s*"([A-Z0-9_]+)"', path.read_text())
    }
    lines = (ROOT / ".env.example").read_text().splitlines()
    documented = {}
    for number, line in enumerate(lines):
        if match := re.fullmatch(r"# ([A-Z0-9_]+)=.*", line):
            documented.setdefault(match[1], number)
    assert len(used) >= 25
    assert sorted(used - set(documented)) == []
    for name, number in documented.items():
        # Each variable follows its explanation: a comment line that is not itself a variable.
        above = next(line for line in reversed(lines[:number]) if not re.fullmatch(r"# [A-Z0-9_]+=.*", line))
        assert above.startswith("# ") and len(above) > 12, name


# Templates -----------------------------------------------------------------------------------------------------------

# Rendered to PDF by WeasyPrint, never sent to a browser: its <style> is fine.
NOT_FOR_BROWSERS = {"approvals/templates/approvals/attestation.html"}
INLINE_ATTRIBUTE = re.compile(r"""\sstyle\s*=|\son[a-z]+\s*=|javascript:""", re.IGNORECASE)
TAG_WITHOUT_NONCE = re.compile(r"<(script|style)\b(?![^>]*\snonce=)[^>]*>", re.IGNORECASE)


def template_offences(path, text):
    offences = []
    for number, line in enumerate(text.splitlines(), start=1):
        if INLINE_ATTRIBUTE.search(line):
            offences.append(f"{path}:{number}: {line.strip()}")
    for match in TAG_WITHOUT_NONCE.finditer(text):
        number = text.count("\n", 0, match.start()) + 1
        offences.append(f"{path}:{number}: {match.group(0)}")
    return offences


def test_the_template_check_finds_inline_code():
    text = '<p style="color: red">\n<a onclick="x()">\n<script src="/a.js"></script>\n<style>\n<a href="javascript:x">'
    assert len(template_offences("t.html", text)) == 5
    assert template_offences("t.html", '<script src="/a.js" nonce="{{ request.csp_nonce }}" defer></script>') == []


def test_no_template_has_inline_code():
    offences = [
        offence
        for path in sorted(INCLUSION.rglob("templates/**/*.html"))
        if str(path.relative_to(INCLUSION)) not in NOT_FOR_BROWSERS
        for offence in template_offences(path.relative_to(INCLUSION), path.read_text())
    ]
    assert offences == []
