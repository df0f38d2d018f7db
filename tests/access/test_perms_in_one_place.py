"""Access decisions live in perms.py modules, documented, and views refuse only through inclusion.utils.access."""

import ast
import importlib
import inspect
from pathlib import Path

import pytest

import inclusion
from tests.access.test_perms_mutations import predicates

SOURCE = Path(inclusion.__file__).parent
# The one module that raises PermissionDenied for views; the admin and middleware refuse in Django's own terms.
ALLOWED_TO_RAISE = {"utils/access.py"}
GUARDS = {"require", "require_visible"}
# A decorator given a perms predicate names its parameter so (companies.views.employer_view).
PREDICATE_PARAMETER = "predicate"


def project_files():
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if "/migrations/" not in relative and "/tests/" not in relative:
            yield relative, ast.parse(path.read_text(), filename=str(path))


def perms_names(tree):
    """Names bound in a module to a perms module (`from inclusion.x import perms`) or to one of its predicates."""
    modules, functions = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if node.module.endswith(".perms"):
                    functions.add(alias.asname or alias.name)
                elif alias.name == "perms":
                    modules.add(alias.asname or alias.name)
    return modules, functions


def _calls(expression):
    return [node for node in ast.walk(expression) if isinstance(node, ast.Call)]


def _is_perms_call(call, modules, functions):
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.value.id in modules
    return isinstance(func, ast.Name) and (func.id in functions or func.id == PREDICATE_PARAMETER)


def test_views_raise_no_permission_denied_of_their_own():
    offenders = []
    for relative, tree in project_files():
        if relative in ALLOWED_TO_RAISE or relative.endswith(("perms.py", "admin.py", "middleware.py")):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and node.exc is not None:
                raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                if isinstance(raised, ast.Name) and raised.id == "PermissionDenied":
                    offenders.append(f"{relative}:{node.lineno}")
    assert offenders == [], "use inclusion.utils.access.require() with a perms.py predicate"


def test_every_guard_asks_a_perms_predicate():
    """`require(...)` and `require_visible(...)` decide with predicates of perms.py modules, and nothing else."""
    offenders = []
    for relative, tree in project_files():
        modules, functions = perms_names(tree)
        for call in _calls(tree):
            if not (isinstance(call.func, ast.Name) and call.func.id in GUARDS) or not call.args:
                continue
            decision_calls = _calls(call.args[0])
            asks_perms = [c for c in decision_calls if _is_perms_call(c, modules, functions)]
            if not asks_perms or len(asks_perms) != len(decision_calls):
                offenders.append(f"{relative}:{call.lineno}")
    assert offenders == []


def test_guards_are_used():
    guarded = sum(
        1
        for _, tree in project_files()
        for call in _calls(tree)
        if isinstance(call.func, ast.Name) and call.func.id in GUARDS
    )
    assert guarded >= 40


@pytest.mark.parametrize("name", sorted(predicates()))
def test_every_predicate_is_documented(name):
    module_name, _, function_name = name.rpartition(".")
    function = getattr(importlib.import_module(module_name), function_name)
    docstring = inspect.getdoc(function) or ""
    assert len(docstring) >= 30, f"{name}: say which rule of the notes it decides"
