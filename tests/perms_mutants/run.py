"""Mutation run of the perms.py predicates over the whole test suite (`make test-mutations`).

    .venv/bin/python -m tests.perms_mutants.run [--jobs 2] [--only NAME] [--reuse-record] [PYTEST_ARGS...]

1. The whole suite runs once (SQLite, xdist) with every public predicate of the `inclusion.<app>.perms` modules
   watched: for each predicate, the tests during which it refused something (tests/perms_mutants/plugin.py).
2. For each predicate, only those tests run again with the predicate allowing everything (its mutant). The mutant is
   killed by the first test that fails with it and passes without it; it survives when they all pass; a predicate
   that refused nothing in the whole suite cannot be mutated usefully ("never refused").
3. A table predicate → verdict → killing test is printed and written to bench/results/perms_mutants.json; the exit
   status is 1 when a mutant survives, a predicate never refuses or a run breaks.

Tests failing in the recording run are left out of the mutant runs: they would "kill" every mutant.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "bench" / "results" / "perms_mutants.json"
RECORD = ROOT / "bench" / "results" / "perms_refusals.json"
PYTEST = [sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "tests.perms_mutants.plugin"]
# Not behaviour tests of the application: the harness's own mutation test fails as soon as a predicate stops
# refusing in the harness, whatever the pages answer; the plugin's tests swap predicates themselves.
EXCLUDED = ["tests/access/test_perms_mutations.py", "tests/perms_mutants/test_plugin.py"]

DATABASE = "template.sqlite3"

KILLED, SURVIVED, NEVER_REFUSED, ERROR = "killed", "survived", "never refused", "error"
LABELS = {KILLED: "tué", SURVIVED: "SURVIVANT", NEVER_REFUSED: "JAMAIS REFUSÉ", ERROR: "ERREUR"}


@dataclass
class Verdict:
    name: str
    status: str
    refusing_tests: int = 0
    killed_by: str | None = None
    failing_without_mutant: list[str] = field(default_factory=list)
    seconds: float = 0.0
    detail: str = ""
    log_tail: list[str] = field(default_factory=list)  # the end of pytest's output, when the run broke


def pytest_env():
    """The suite on SQLite (the in-memory test database of each process), whatever the shell says."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    return env


def excluded_args():
    return [f"--ignore={path}" for path in EXCLUDED if (ROOT / path).exists()]


def record(path, *, jobs, pytest_args):
    """Runs the whole suite once, watching the predicates; returns the recording."""
    command = [*PYTEST, "-q", f"--record-perms-refusals={path}", *excluded_args(), *pytest_args]
    if jobs > 1:
        command += ["-n", str(jobs)]
    print("Enregistrement :", " ".join(command), flush=True)
    status = subprocess.run(command, cwd=ROOT, env=pytest_env(), check=False).returncode
    if status not in (0, 1) or not path.exists():  # 1: some tests failed, they are left out below
        sys.exit(f"L'enregistrement s'est interrompu (pytest a rendu {status}).")
    return json.loads(path.read_text(encoding="utf-8"))


def create_database(path):
    """The migrated test database every mutant run starts from a copy of: migrating takes most of a short run."""
    command = [sys.executable, "-m", "tests.perms_mutants.database", str(path)]
    subprocess.run(command, cwd=ROOT, env=pytest_env(), check=True)


def run_mutant(name, nodeids, *, workdir, timeout):
    """Runs `nodeids` with the mutant of `name`; the plugin stops at the first test it kills."""
    slug = name.removeprefix("inclusion.").replace(".", "_")
    args_file, result_file, log_file = (workdir / f"{slug}.{suffix}" for suffix in ("args", "json", "log"))
    # One node id per line, read by pytest itself (`@file`): no shell, no length limit, brackets kept intact.
    args_file.write_text("\n".join(nodeids) + "\n", encoding="utf-8")
    command = [
        *PYTEST,
        "-q",
        f"--perms-mutant={name}",
        f"--perms-mutant-result={result_file}",
        f"--perms-mutant-db={workdir / DATABASE}",
        f"@{args_file}",
    ]
    started = time.monotonic()
    verdict = Verdict(name, ERROR, refusing_tests=len(nodeids))
    try:
        with log_file.open("w", encoding="utf-8") as log:
            status = subprocess.run(
                command, cwd=ROOT, env=pytest_env(), stdout=log, stderr=subprocess.STDOUT, timeout=timeout, check=False
            ).returncode
    except subprocess.TimeoutExpired:
        verdict.detail = f"plus de {timeout} s"
    else:
        if status in (0, 1) and result_file.exists():
            result = json.loads(result_file.read_text(encoding="utf-8"))
            verdict.killed_by = result["killed_by"]
            verdict.failing_without_mutant = result["failing_without_mutant"]
            verdict.status = KILLED if verdict.killed_by else SURVIVED
        else:
            verdict.detail = f"pytest a rendu {status}"
            verdict.log_tail = log_file.read_text(encoding="utf-8").strip().splitlines()[-20:]
    verdict.seconds = round(time.monotonic() - started, 1)
    return verdict


def short(name):
    return name.removeprefix("inclusion.")


def table(verdicts):
    width = max(len(short(verdict.name)) for verdict in verdicts)
    lines = [f"{'prédicat':<{width}}  {'verdict':<13}  {'tests':>5}  test qui le tue, ou détail"]
    for verdict in sorted(verdicts, key=lambda verdict: verdict.name):
        detail = verdict.killed_by or verdict.detail
        if verdict.failing_without_mutant:
            detail += f" ({len(verdict.failing_without_mutant)} test(s) en échec même sans mutant)"
        status = LABELS[verdict.status]
        lines.append(f"{short(verdict.name):<{width}}  {status:<13}  {verdict.refusing_tests:>5}  {detail}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="xdist workers, and mutants run at once (2)")
    parser.add_argument("--only", action="append", default=[], help="only the predicates whose name contains this")
    parser.add_argument("--record", type=Path, default=RECORD, help=f"the recording ({RECORD.relative_to(ROOT)})")
    parser.add_argument("--reuse-record", action="store_true", help="use the recording of a former run")
    parser.add_argument(
        "--leave-out",
        action="append",
        default=[],
        metavar="NODEID_PREFIX",
        help="leave these tests out of the mutant runs (e.g. the unit tests of the predicates, to see what the pages "
        "alone catch)",
    )
    parser.add_argument("--timeout", type=int, default=900, help="seconds allowed to one mutant (900)")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"the results ({OUTPUT.relative_to(ROOT)})")
    options, pytest_args = parser.parse_known_args(argv)

    started = time.monotonic()
    if options.reuse_record:
        recording = json.loads(options.record.read_text(encoding="utf-8"))
    else:
        options.record.parent.mkdir(parents=True, exist_ok=True)
        recording = record(options.record, jobs=options.jobs, pytest_args=pytest_args)
    recorded_in = round(time.monotonic() - started, 1)

    failed = set(recording["failed"])
    if failed:
        print(f"{len(failed)} test(s) en échec sans mutant, écartés des essais :", *sorted(failed)[:10], sep="\n  ")
    names = [name for name in recording["predicates"] if not options.only or any(o in name for o in options.only)]
    verdicts, todo = [], []
    for name in names:
        nodeids = [
            nodeid
            for nodeid in recording["refusals"].get(name, [])
            if nodeid not in failed and not nodeid.startswith(tuple(options.leave_out))
        ]
        if nodeids:
            todo.append((name, nodeids))
        else:
            verdicts.append(Verdict(name, NEVER_REFUSED, detail="aucun test ne l'a vu refuser quoi que ce soit"))
    todo.sort(key=lambda task: -len(task[1]))  # the longest first, so that the jobs end together

    mutants_started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="perms_mutants_") as workdir, ThreadPoolExecutor(options.jobs) as pool:
        create_database(Path(workdir) / DATABASE)
        futures = [
            pool.submit(run_mutant, name, nodeids, workdir=Path(workdir), timeout=options.timeout)
            for name, nodeids in todo
        ]
        for done, future in enumerate(as_completed(futures), start=1):
            verdict = future.result()
            verdicts.append(verdict)
            print(
                f"[{done}/{len(todo)}] {LABELS[verdict.status]:<9} {short(verdict.name)} "
                f"({verdict.refusing_tests} tests, {verdict.seconds} s) {verdict.killed_by or verdict.detail}",
                flush=True,
            )
    mutants_in = round(time.monotonic() - mutants_started, 1)

    print()
    print(table(verdicts))
    for verdict in verdicts:
        if verdict.log_tail:
            print(f"\n{short(verdict.name)} : fin de la sortie de pytest", *verdict.log_tail, sep="\n  ")
    counts = {status: sum(v.status == status for v in verdicts) for status in (KILLED, SURVIVED, NEVER_REFUSED, ERROR)}
    total = round(time.monotonic() - started, 1)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = round(children.ru_utime + children.ru_stime, 1)  # says more than the wall time on a shared machine
    print()
    print(", ".join(f"{count} {LABELS[status].lower()}" for status, count in counts.items()), f"— {total} s", end="")
    print(f" (enregistrement {recorded_in} s, mutants {mutants_in} s ; {cpu} s de processeur)")
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(
        json.dumps(
            {
                "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "jobs": options.jobs,
                "seconds": {"total": total, "recording": recorded_in, "mutants": mutants_in, "cpu": cpu},
                "failing_without_mutant": sorted(failed),
                "counts": counts,
                "predicates": [asdict(verdict) for verdict in sorted(verdicts, key=lambda v: v.name)],
            },
            indent=1,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    print(f"Résultats : {options.output}")
    return 0 if counts[KILLED] == len(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
