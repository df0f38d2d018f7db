"""The mutation plugin replaces a predicate for every holder, records refusals per test and merges xdist parts."""

import json
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef

from inclusion.applications import perms as application_perms
from inclusion.approvals.perms import followed_by
from inclusion.prescribers import perms as prescriber_perms
from inclusion.prescribers.followup import can_view_followed_job_seekers as held_by_the_view
from inclusion.users.models import User
from inclusion.users.perms import has_second_factor
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.perms_mutants import plugin
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory

SECOND_FACTOR = "inclusion.users.perms.has_second_factor"


@pytest.fixture
def swap():
    swap = plugin.CodeSwap()
    yield swap
    swap.restore()


def test_a_mutant_reaches_the_names_copied_by_from_import(swap):
    anonymous = AnonymousUser()
    swap.replace(prescriber_perms.can_view_followed_job_seekers, plugin.mutant)
    assert held_by_the_view(anonymous, None) is True
    swap.restore()
    assert held_by_the_view(anonymous, None) is False


def test_a_mutant_reaches_a_predicate_captured_by_a_decorator(client, db, swap):
    # companies.views: `@employer_view(perms.can_edit_company)` keeps the function in a closure.
    company = CompanyFactory(with_member=True)
    client.force_login(CompanyMembershipFactory(organization=company, is_admin=False).user)
    assert client.get("/mon-entreprise/modifier/").status_code == 403
    swap.replace(plugin.resolve("inclusion.companies.perms.can_edit_company"), plugin.mutant)
    assert client.get("/mon-entreprise/modifier/").status_code == 200
    swap.restore()
    assert client.get("/mon-entreprise/modifier/").status_code == 403


def test_a_mutant_reaches_the_predicates_of_its_module_that_call_it(db, swap):
    job_application = JobApplicationFactory()
    outsider = CompanyFactory(with_member=True)
    user = outsider.memberships.get().user
    assert application_perms.can_view_as_company(user, job_application, organization=outsider) is False
    swap.replace(application_perms.can_process, plugin.mutant)
    assert application_perms.can_view_as_company(user, job_application, organization=outsider) is True


def test_swaps_stack_and_restore_in_reverse_order(swap):
    anonymous = AnonymousUser()
    predicate = prescriber_perms.can_view_followed_job_seekers
    swap.replace(predicate, lambda original, user, organization: f"a({original(user, organization)})")
    swap.replace(predicate, lambda original, user, organization: f"b({original(user, organization)})")
    assert held_by_the_view(anonymous, None) == "b(a(False))"
    swap.restore()
    assert held_by_the_view(anonymous, None) is False
    assert not [name for name in vars(prescriber_perms) if name.startswith("__perms_mutant")]


def test_the_mutant_of_a_filter_condition_keeps_every_row(db):
    organization = PrescriberOrganizationFactory(authorized=True)
    JobSeekerFactory.create_batch(2)
    condition = followed_by(organization, OuterRef("pk"))
    assert plugin.refuses(condition)
    assert not User.objects.filter(condition).exists()
    assert User.objects.filter(plugin.allowing(condition)).count() == User.objects.count() == 2


def test_yes_no_answers_reasons_and_scopes(db):
    assert plugin.refuses(False) and plugin.allowing(False) is True
    assert not plugin.refuses(True) and plugin.allowing(True) is True
    assert plugin.refuses("Cette structure n'est plus active.") and plugin.allowing("raison") is None
    assert not plugin.refuses(None)
    job_application = JobApplicationFactory()
    scope = application_perms.received_by(CompanyFactory())
    assert plugin.refuses(scope)
    assert list(plugin.allowing(scope)) == [job_application]


def test_an_unknown_predicate_is_a_usage_error():
    with pytest.raises(pytest.UsageError, match="unknown predicate 'inclusion.nope.perms.can_fly'"):
        plugin.resolve("inclusion.nope.perms.can_fly")


def run_a_test(recorder, nodeid, body):
    """What pytest does around one test: the recorder's hook wraps the test protocol."""
    protocol = recorder.pytest_runtest_protocol(item=SimpleNamespace(nodeid=nodeid), nextitem=None)
    next(protocol)
    body()
    with pytest.raises(StopIteration):
        next(protocol)


def test_refusals_are_recorded_per_test_and_parts_merged(tmp_path):
    path = tmp_path / "refusals.json"
    anonymous, staff = AnonymousUser(), SimpleNamespace(is_authenticated=True, is_staff=True)
    worker = plugin.RefusalRecorder(path, worker_id="gw1")
    worker.start()
    try:
        run_a_test(worker, "tests/a.py::test_refused[x-y]", lambda: has_second_factor(anonymous))
        run_a_test(worker, "tests/a.py::test_allowed", lambda: has_second_factor(staff))
        has_second_factor(anonymous)  # outside any test: not recorded
        worker.pytest_runtest_logreport(SimpleNamespace(failed=True, nodeid="tests/b.py::test_broken"))
    finally:
        worker.pytest_sessionfinish(session=None)
    assert has_second_factor(anonymous) is False  # unwrapped
    part = json.loads((tmp_path / "refusals.json.gw1").read_text())
    assert part["refusals"] == {SECOND_FACTOR: ["tests/a.py::test_refused[x-y]"]}
    assert SECOND_FACTOR in part["predicates"]

    controller = plugin.RefusalRecorder(path)
    controller.names = ["inclusion.x.perms.y"]  # what start() would list, without wrapping again
    controller.refusals[SECOND_FACTOR].add("tests/c.py::test_other")
    controller.pytest_sessionfinish(session=None)
    merged = json.loads(path.read_text())
    assert merged["refusals"][SECOND_FACTOR] == ["tests/a.py::test_refused[x-y]", "tests/c.py::test_other"]
    assert merged["failed"] == ["tests/b.py::test_broken"]
    assert "inclusion.x.perms.y" in merged["predicates"] and SECOND_FACTOR in merged["predicates"]
    assert list(tmp_path.iterdir()) == [path]  # the parts are gone
