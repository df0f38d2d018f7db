"""A pytest plugin that removes one perms.py check for a whole run, or records in which tests each check refused.

Loaded on demand only (`-p tests.perms_mutants.plugin`), driven by `python -m tests.perms_mutants.run`:

- `--record-perms-refusals=PATH` wraps every public predicate of the `inclusion.<app>.perms` modules and writes to
  PATH, as JSON, for each predicate the node ids of the tests during which it refused something, and the tests that
  failed anyway (they cannot tell a mutant apart). Under xdist each worker writes PATH.<worker id> and the controller
  merges the parts into PATH.
- `--perms-mutant=inclusion.<app>.perms.<name>` makes that predicate allow everything for the whole run (`allowing`
  of tests/access/test_perms_mutations.py). A test that fails is run again at once without the mutant: the first one
  that fails with the mutant and passes without it kills the mutant and ends the run; a test failing either way is
  noted and the run goes on. `--perms-mutant-result=PATH` receives the verdict as JSON.
- `--perms-mutant-db=TEMPLATE` starts the run from a copy of a migrated SQLite test database
  (`python -m tests.perms_mutants.database TEMPLATE`) instead of migrating a new one: the driver starts one run per
  predicate, and the migrations would take most of their time.

A predicate is replaced by swapping the code object of the function, not the names that hold it: views that captured
it in a closure (`@employer_view(perms.can_edit_company)`), `from ... import` copies and the calls between the
predicates of one module all run the replacement.
"""

import functools
import itertools
import json
import os
import shutil
import tempfile
import types
from collections import defaultdict
from pathlib import Path

import pytest
from _pytest.runner import runtestprotocol

PART_SUFFIX = ".gw"  # xdist worker ids are gw0, gw1...
DATABASE_COPY = pytest.StashKey[str]()

_slots = itertools.count()


class CodeSwap:
    """Makes module-level functions run a replacement instead of their own code, wherever they are referenced."""

    def __init__(self):
        self._undo = []

    def replace(self, function, replacement):
        """From now on `function(*args, **kwargs)` returns `replacement(original, *args, **kwargs)`, `original` being
        a copy of the function as it was."""
        if function.__closure__:
            raise TypeError(f"{function.__qualname__} is a closure: its code cannot be swapped")
        original = types.FunctionType(
            function.__code__, function.__globals__, function.__name__, function.__defaults__, function.__closure__
        )
        original.__kwdefaults__ = function.__kwdefaults__
        # The new code looks the replacement up in the function's own module globals, under a name of its own.
        slot = f"__perms_mutant_{next(_slots)}"
        function.__globals__[slot] = functools.partial(replacement, original)
        namespace = {}
        exec(  # a fixed two-line trampoline
            f"def {function.__name__}(*args, **kwargs):\n    return {slot}(*args, **kwargs)\n",
            function.__globals__,
            namespace,
        )
        saved = function.__code__
        function.__code__ = namespace[function.__name__].__code__.replace(co_filename="<perms mutant>")
        self._undo.append((function, saved, slot))

    def restore(self):
        for function, code, slot in reversed(self._undo):
            function.__code__ = code
            del function.__globals__[slot]
        self._undo.clear()


def predicates():
    # Imported late: the access harness needs Django set up, which happens after this plugin is loaded.
    from tests.access.test_perms_mutations import predicates as public_predicates

    return public_predicates()


def _is_condition(result):
    """A filter condition such as `approvals.perms.followed_by` (`Exists(...) | Exists(...)`)."""
    from django.db.models import Q
    from django.db.models.expressions import BaseExpression

    return isinstance(result, (Q, BaseExpression)) and getattr(result, "conditional", False)


def allowing(result):
    """What the predicate answers once its check is removed: tests/access/test_perms_mutations.py's `allowing`, and
    the empty condition (every row) for a filter condition."""
    from django.db.models import Q

    from tests.access.test_perms_mutations import allowing as harness_allowing

    return Q() if _is_condition(result) else harness_allowing(result)


def refuses(result):
    """Whether the answer refused something: False, a reason, or a scope (a queryset or a condition always may)."""
    from tests.access.test_perms_mutations import refuses as harness_refuses

    return harness_refuses(result) or _is_condition(result)


def mutant(original, *args, **kwargs):
    return allowing(original(*args, **kwargs))


def resolve(name):
    """The predicate called `name` (inclusion.<app>.perms.<function>), or a usage error listing the known ones."""
    known = predicates()
    if name not in known:
        raise pytest.UsageError(f"--perms-mutant: unknown predicate {name!r}; known: {', '.join(sorted(known))}")
    return known[name]


def _write_json(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")


class RefusalRecorder:
    """Notes, for each predicate, the tests during which it refused something, and the tests that failed."""

    def __init__(self, path, worker_id=None):
        self.path = Path(path)
        self.worker_id = worker_id
        self.current = None  # node id of the running test (setup, call and teardown)
        self.refusals = defaultdict(set)
        self.failed = set()
        self.swap = CodeSwap()
        self.names = []

    def start(self):
        if self.worker_id is None:  # the controller or a run without xdist: forget the parts of a former run
            for part in self.path.parent.glob(f"{self.path.name}{PART_SUFFIX}*"):
                part.unlink()
        for name, function in predicates().items():
            self.names.append(name)
            self.swap.replace(function, functools.partial(self._recording, name))

    def _recording(self, name, original, *args, **kwargs):
        result = original(*args, **kwargs)
        if self.current is not None and refuses(result):
            self.refusals[name].add(self.current)
        return result

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self.current = item.nodeid
        try:
            yield
        finally:
            self.current = None

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.failed.add(report.nodeid)

    def data(self):
        return {
            "predicates": sorted(self.names),
            "refusals": {name: sorted(nodeids) for name, nodeids in self.refusals.items()},
            "failed": sorted(self.failed),
        }

    def pytest_sessionfinish(self, session):
        self.swap.restore()
        if self.worker_id is not None:
            _write_json(self.path.with_name(f"{self.path.name}.{self.worker_id}"), self.data())
            return
        parts = sorted(self.path.parent.glob(f"{self.path.name}{PART_SUFFIX}*"))
        _write_json(self.path, merge([self.data(), *(json.loads(part.read_text(encoding="utf-8")) for part in parts)]))
        for part in parts:
            part.unlink()


def merge(records):
    """One record from the records of several processes (xdist workers and their controller)."""
    names, refusals, failed = set(), defaultdict(set), set()
    for record in records:
        names.update(record["predicates"])
        failed.update(record["failed"])
        for name, nodeids in record["refusals"].items():
            refusals[name].update(nodeids)
    return {
        "predicates": sorted(names),
        "refusals": {name: sorted(nodeids) for name, nodeids in sorted(refusals.items())},
        "failed": sorted(failed),
    }


class MutantRun:
    """One predicate allows everything for the whole run; the first test it makes fail (and only it) kills it."""

    def __init__(self, name, result_path=None):
        self.name = name
        self.result_path = Path(result_path) if result_path else None
        self.swap = CodeSwap()
        self.function = None
        self.killed_by = None
        self.failing_without_mutant = []
        self.ran = 0
        self._failed = False

    def start(self):
        self.function = resolve(self.name)
        self.swap.replace(self.function, mutant)

    def pytest_report_header(self, config):
        return f"perms mutant: {self.name} allows everything"

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self._failed = True

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self._failed = False
        yield
        self.ran += 1
        if not self._failed or self.killed_by is not None:
            return
        # Did the mutant make it fail? The same test, in the same process and state, without the mutant.
        self.swap.restore()
        try:
            reports = runtestprotocol(item, log=False, nextitem=nextitem)
        finally:
            self.swap.replace(self.function, mutant)
        if any(report.failed for report in reports):
            self.failing_without_mutant.append(item.nodeid)
            return
        self.killed_by = item.nodeid
        item.session.shouldfail = f"perms mutant {self.name} killed by {item.nodeid}"

    def pytest_sessionfinish(self, session):
        self.swap.restore()
        if self.result_path is not None:
            _write_json(
                self.result_path,
                {
                    "mutant": self.name,
                    "killed_by": self.killed_by,
                    "failing_without_mutant": self.failing_without_mutant,
                    "ran": self.ran,
                },
            )


def pytest_addoption(parser):
    group = parser.getgroup("perms mutants", "perms.py mutation testing (tests/perms_mutants)")
    group.addoption(
        "--record-perms-refusals",
        metavar="PATH",
        help="write, as JSON, the tests during which each perms.py predicate refused something",
    )
    group.addoption(
        "--perms-mutant",
        metavar="QUALIFIED_NAME",
        help="make this perms.py predicate (inclusion.<app>.perms.<name>) allow everything for the whole run",
    )
    group.addoption(
        "--perms-mutant-result", metavar="PATH", help="with --perms-mutant: write the verdict to PATH as JSON"
    )
    group.addoption(
        "--perms-mutant-db",
        metavar="TEMPLATE",
        help="start from a copy of this migrated SQLite test database (python -m tests.perms_mutants.database)",
    )


def use_copy_of(template, config):
    """The test database of this run is a fresh copy of `template`, kept as is by pytest-django (`--reuse-db`)."""
    from django.db import connections

    settings_dict = connections["default"].settings_dict
    if settings_dict["ENGINE"] != "django.db.backends.sqlite3":
        raise pytest.UsageError("--perms-mutant-db: SQLite only")
    if not os.path.exists(template):
        raise pytest.UsageError(f"--perms-mutant-db: {template} does not exist")
    handle, copy = tempfile.mkstemp(prefix="perms_mutant_", suffix=".sqlite3", dir=os.path.dirname(template))
    os.close(handle)
    shutil.copyfile(template, copy)
    settings_dict["TEST"]["NAME"] = copy
    config.option.reuse_db = True
    config.option.create_db = False
    return copy


@pytest.hookimpl(trylast=True)  # after pytest-django has set Django up
def pytest_configure(config):
    template = config.getoption("perms_mutant_db")
    if template:
        config.stash[DATABASE_COPY] = use_copy_of(template, config)
    record_path = config.getoption("record_perms_refusals")
    mutant_name = config.getoption("perms_mutant")
    if record_path and mutant_name:
        raise pytest.UsageError("--record-perms-refusals and --perms-mutant do not go together")
    if record_path:
        worker_id = getattr(config, "workerinput", {}).get("workerid")
        plugin = RefusalRecorder(record_path, worker_id)
    elif mutant_name:
        plugin = MutantRun(mutant_name, config.getoption("perms_mutant_result"))
    else:
        return
    plugin.start()
    config.pluginmanager.register(plugin, "perms-mutants")


def pytest_unconfigure(config):
    copy = config.stash.get(DATABASE_COPY, None)
    if copy:
        for path in (copy, f"{copy}-wal", f"{copy}-shm"):
            if os.path.exists(path):
                os.remove(path)
