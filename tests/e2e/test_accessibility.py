"""Accessibility audit (RGAA, issue 7 §4): axe-core checks the key pages against WCAG 2.0 and 2.1, levels A and AA.

One test per page (tests/e2e/audit_world.py says which data each one shows): a failure names the page, then every
violated rule with its impact, its help text and the CSS selectors of the faulty elements, enough to fix the template
without running anything again. `E2E_AUDIT_SCREENSHOTS=1` also saves a full-page screenshot of every audited page in
test-results/e2e/audit/ (E2E_ARTIFACTS overrides the folder), to look at what axe cannot judge.

axe is injected by Playwright's `evaluate` (the DevTools protocol), which the page's CSP does not restrict: the audit
runs against the pages exactly as served, CSP included.
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from tests.e2e import audit_world
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
SCREENSHOTS = os.environ.get("E2E_AUDIT_SCREENSHOTS", "") not in ("", "0")

axe = Axe()


def describe(name, url, violations):
    """The violations of one page as a developer reads them: rule, impact, help, then each element."""
    lines = [f"{name} ({url}) : {len(violations)} règle(s) WCAG non respectée(s)"]
    for violation in violations:
        lines.append(f"- {violation['id']} [{violation['impact']}] {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            target = " ".join(" >> ".join(part) if isinstance(part, list) else part for part in node["target"])
            lines.append(f"    {target}")
            lines.append(f"      {node['html'][:200]}")
            lines.extend(
                f"      {line.strip()}" for line in node.get("failureSummary", "").splitlines() if line.strip()
            )
    return "\n".join(lines)


@pytest.mark.parametrize("name", audit_world.PAGES)
def test_page_meets_wcag_a_and_aa(name, new_page, live_server):
    visit = audit_world.PAGES[name]()
    page = new_page()
    if visit.client is not None:
        session_key = visit.client.cookies[settings.SESSION_COOKIE_NAME].value
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": live_server.url}
        page.context.add_cookies([cookie])

    response = page.goto(visit.url)
    assert response.status == 200, f"{name} : {visit.url} répond {response.status}"
    # The page shown is the one meant: no detour (login, profile to complete, another wizard step).
    assert page.url == live_server.url + visit.url, f"{name} : {visit.url} mène à {page.url}"
    if visit.then is not None:
        visit.then(page)

    if SCREENSHOTS:
        (ARTIFACTS / "audit").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / "audit" / f"{name}.png", full_page=True)

    results = axe.run(page, options=AXE_OPTIONS).response
    assert results["passes"], f"{name} : axe n'a rien vérifié"  # it ran on the page, not on an empty document
    assert not results["violations"], describe(name, visit.url, results["violations"])
