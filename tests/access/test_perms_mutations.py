"""Removing any access check of a perms.py module makes the access harness fail.

For each public predicate of every `inclusion.<app>.perms` module, the harness's requests are replayed with the
predicate "removed": it allows everything (True for a yes/no predicate, no reason for a "why not" predicate, the whole
table for a scope). The mutant must be caught: some request of the harness gets another outcome than its declared
policy, or shows personal data its persona may not see (tests/access/harness.py).

Replaying every URL × persona for each of the ~70 predicates would take an hour; a first pass records which
predicates refused something in which requests, and only those requests are replayed for each mutant (a mutant can
change nothing in a request where the original predicate did not refuse). Predicates that refuse nothing in the
harness's world (a state it does not have: a suspension no longer editable, another author's comment…) are judged by
`make test-mutations`, which replays the whole suite with each mutant (tests/perms_mutants/).
"""

import functools
import importlib
import inspect
import pkgutil
import sys
from collections import defaultdict

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import QuerySet
from django.urls import URLResolver, get_resolver

from tests.access import harness
from tests.access.personas import PERSONAS, build_world
from tests.access.policies import POLICIES

# What a page shows rather than whether it opens: the harness's outcome and personal-data checks cannot see these
# mutants; the tests of the lists and pages can, and `make test-mutations` (tests/perms_mutants/) proves it by
# replaying the whole suite with each mutant.
SHOWN_NOT_OPENED = {
    "inclusion.applications.perms.sent_by": "the rows of the sent list (tests/applications/test_lists_sent.py)",
    "inclusion.applications.perms.export_scope": "the rows of the export (tests/applications/test_export.py)",
    "inclusion.applications.perms.of_job_seeker": "the rows of the job seeker's list",
    "inclusion.applications.perms.job_seeker_sees_refusal_reason": "a sentence of the job seeker's detail page",
    "inclusion.applications.perms.sender_sees_company_contact": "the company's contact on the sender's page",
    "inclusion.approvals.perms.approvals_visible_to": "the rows of the PASS IAE list",
    "inclusion.approvals.perms.can_suspend": "the « Suspendre » button of the PASS page",
    "inclusion.approvals.perms.can_prolong": "the « Prolonger » button of the PASS page",
}


def perms_modules():
    for app_config in apps.get_app_configs():
        if app_config.name.startswith("inclusion."):
            try:
                yield importlib.import_module(f"{app_config.name}.perms")
            except ModuleNotFoundError:
                continue


def predicates():
    """Public functions defined (not imported) in a perms.py module, by qualified name."""
    found = {}
    for module in perms_modules():
        for name, function in vars(module).items():
            if inspect.isfunction(function) and function.__module__ == module.__name__ and not name.startswith("_"):
                found[f"{module.__name__}.{name}"] = function
    return found


def allowing(result):
    """What the predicate would answer if its check were removed."""
    if isinstance(result, bool):
        return True
    if isinstance(result, QuerySet):
        return result.model._default_manager.all()
    if isinstance(result, str):  # a refusal reason: no reason
        return None
    return result


def refuses(result):
    return result is False or isinstance(result, (QuerySet, str))


def import_project_modules():
    """Every module of the project, so that none imports a patched function after the patch (and keeps it)."""
    import inclusion

    for module in pkgutil.walk_packages(inclusion.__path__, "inclusion."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)


class Patcher:
    """Replaces a function everywhere a module of the project holds it (`from ... import x` copies the reference)."""

    def __init__(self):
        self.undo = []
        import_project_modules()

    def replace(self, function, replacement):
        for module in list(sys.modules.values()):
            if not getattr(module, "__name__", "").startswith(("inclusion.", "tests.")):
                continue
            for attribute, value in list(vars(module).items()):
                if value is function:
                    setattr(module, attribute, replacement)
                    self.undo.append((module, attribute, function))
        # A decorator given the predicate (`@employer_view(perms.can_edit_company)`) keeps it in a closure cell.
        for cell in view_closure_cells():
            if cell.cell_contents is function:
                cell.cell_contents = replacement
                self.undo.append((cell, "cell_contents", function))

    def restore(self):
        for holder, attribute, function in reversed(self.undo):
            setattr(holder, attribute, function)
        self.undo.clear()


def view_closure_cells(resolver=None):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from view_closure_cells(pattern)
            continue
        view = pattern.callback
        while view is not None:
            yield from view.__closure__ or ()
            view = getattr(view, "__wrapped__", None)


def replay(client, world, url_name, persona):
    """One harness request, its effects rolled back so that each request starts from the same world."""
    with transaction.atomic():
        client.logout()
        problems = harness.failures(client, world, url_name, persona)
        transaction.set_rollback(True)
    return problems


def _fails(client, world, request):
    try:
        return bool(replay(client, world, *request))
    except Exception:  # a mutant that crashes a page fails the harness too (the test client re-raises)
        return True


@pytest.fixture
def recorded(client, db):
    """The world, and for each predicate the requests in which it refused something."""
    world = build_world()
    refusals = defaultdict(set)
    current = {}
    patcher = Patcher()

    def recording(name, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            result = function(*args, **kwargs)
            if refuses(result):
                refusals[name].add(current["request"])
            return result

        return wrapper

    for name, function in predicates().items():
        patcher.replace(function, recording(name, function))
    try:
        baseline = []
        for url_name in POLICIES:
            for persona in PERSONAS:
                current["request"] = (url_name, persona)
                baseline.extend(replay(client, world, url_name, persona))
    finally:
        patcher.restore()
    assert baseline == [], "the harness must pass before its mutants are judged"
    return world, refusals


def test_removing_any_perms_check_fails_the_harness(client, recorded):
    """Each predicate that refuses something in the harness is caught there when it allows everything instead."""
    world, refusals = recorded
    survivors = []
    for name, function in predicates().items():
        if name in SHOWN_NOT_OPENED or not refusals[name]:
            continue  # not exercised here: `make test-mutations` replays the whole suite for those

        def mutant(*args, _function=function, **kwargs):
            return allowing(_function(*args, **kwargs))

        patcher = Patcher()
        patcher.replace(function, mutant)
        try:
            caught = any(_fails(client, world, request) for request in sorted(refusals[name]))
        finally:
            patcher.restore()
        if not caught:
            survivors.append(f"{name} allowing everything changes nothing in {sorted(refusals[name])}")
    assert survivors == [], "\n".join(survivors)
    assert set(SHOWN_NOT_OPENED) <= set(predicates()), "a predicate listed above no longer exists"
