"""make bench: the national data set served by gunicorn (DEBUG off), measured with wrk and pgbench in one run.

1. The data set: database BENCH_DATABASE (default inclusion_bench) is created, migrated and seeded by
   `seed_national` unless it is already there (BENCH_RESEED=1 starts it again).
2. `bench_prepare` logs the bench accounts in, counts each key page's SQL queries in-process and writes the hiring
   clients' contracts.
3. gunicorn serves config.settings.bench; wrk loads each key page right after its visitor's floor (same threads,
   connections and duration), in BENCH_ROUNDS rounds: the ratio of a round compares two neighbouring measures, which
   a shared virtual machine slows down alike; the median round is reported. Then the hiring clients go through the
   accept wizard; pgbench's simple-update runs on the same database.
4. The table is printed and written to bench/results/latest.json.

Variables: BENCH_DATABASE, BENCH_SCALE (1.0), BENCH_DURATION (seconds per measure, 10), BENCH_ROUNDS (3),
BENCH_CONNECTIONS (8), BENCH_WORKERS (gunicorn, 4), BENCH_HIRING_CLIENTS (8), BENCH_PORT (8077), BENCH_RESEED.
"""

import datetime
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
RESULTS = ROOT / "bench" / "results"
WRK_SCRIPTS = ROOT / "bench" / "wrk"

DATABASE = os.environ.get("BENCH_DATABASE", "inclusion_bench")
SCALE = os.environ.get("BENCH_SCALE", "1.0")
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WARM_UP = 3
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
HIRING_CLIENTS = int(os.environ.get("BENCH_HIRING_CLIENTS", "8"))
PORT = int(os.environ.get("BENCH_PORT", "8077"))
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}
DATABASE_URL = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{DATABASE}"
# Key pages must answer within this multiple of their floor's p95 (issue 7).
MAX_FLOOR_RATIO = 3.0

ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_SETTINGS_MODULE": "config.settings.bench",
    "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
}
# Scripts may take longer than a web request: no statement timeout for seeding and preparing.
SCRIPT_ENV = {**ENV, "DATABASE_STATEMENT_TIMEOUT": "0", "DATABASE_LOCK_TIMEOUT": "0"}


def main():
    for tool in ("wrk", "pgbench", "psql", "createdb"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} est introuvable : apt-get install -y wrk postgresql-client")
    started = time.monotonic()
    dataset = ensure_dataset()
    run(PYTHON, "manage.py", "collectstatic", "--noinput", "-v0", env=SCRIPT_ENV)
    with tempfile.TemporaryDirectory(prefix="bench-") as work:
        work = Path(work)
        step("Préparation : sessions, requêtes SQL par page, contrats d'embauche")
        prepared = prepare(work)
        with server(work):
            pages = measure_pages(prepared["pages"], work)
            hiring = measure_hiring(work, prepared["hiring"])
        simple_update = measure_pgbench()
    results = report(dataset, pages, hiring, simple_update, time.monotonic() - started)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    print_table(results)
    if not results["all_within_floor_ratio"]:
        sys.exit(1)


# --- The data set


def ensure_dataset():
    exists = psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'") == "1"
    if exists and os.environ.get("BENCH_RESEED"):
        run("dropdb", *pg_args(), "--force", DATABASE)
        exists = False
    seeded = exists and psql(DATABASE, "SELECT to_regclass('companies_company') IS NOT NULL") == "t"
    seeded = seeded and psql(DATABASE, "SELECT count(*) FROM companies_company WHERE siret = '00000000000001'") == "1"
    seconds = None
    if not seeded:
        if exists:
            run("dropdb", *pg_args(), "--force", DATABASE)
        step(f"Jeu de données national (échelle {SCALE}) dans la base {DATABASE}")
        begin = time.monotonic()
        run("createdb", *pg_args(), DATABASE)
        run(PYTHON, "manage.py", "migrate", "--noinput", "-v0", env=SCRIPT_ENV)
        run(PYTHON, "manage.py", "import_reference_data", env=SCRIPT_ENV)
        run(PYTHON, "manage.py", "seed_national", "--scale", SCALE, env=SCRIPT_ENV)
        seconds = round(time.monotonic() - begin)
    counts = {
        table: int(psql(DATABASE, f"SELECT count(*) FROM {table}"))
        for table in (
            "companies_company",
            "companies_jobdescription",
            "prescribers_prescriberorganization",
            "users_user",
            "applications_jobapplication",
            "approvals_approval",
        )
    }
    size = int(psql(DATABASE, f"SELECT pg_database_size('{DATABASE}')"))
    return {"database": DATABASE, "rows": counts, "size_mb": size // 2**20, "seeded_now_in_s": seconds}


def pg_args():
    return ["-h", PG["host"], "-p", PG["port"], "-U", PG["user"]]


def psql(database, sql):
    output = subprocess.run(
        ["psql", *pg_args(), "-d", database, "-tAc", sql], check=True, capture_output=True, text=True
    ).stdout
    return output.strip()


# --- Preparation and server


def prepare(work):
    out = work / "prepared.json"
    hires_per_client = max(60, DURATION * 8)
    run(
        PYTHON,
        "manage.py",
        "bench_prepare",
        f"--out={out}",
        f"--hiring-clients={HIRING_CLIENTS}",
        f"--hires-per-client={hires_per_client}",
        env=SCRIPT_ENV,
    )
    prepared = json.loads(out.read_text())
    for number, client in enumerate(prepared["hiring"], start=1):
        lines = [client["cookie"], client["csrf_token"], *(f"{path}\t{body}" for path, body in client["contracts"])]
        (work / f"client-{number}.txt").write_text("\n".join(lines) + "\n")
    return prepared


class server:
    """gunicorn with WORKERS sync workers, as in production, its logs in the work folder."""

    def __init__(self, work):
        self.log = work / "server.log"

    def __enter__(self):
        step(f"gunicorn, {WORKERS} processus, DEBUG=False, http://127.0.0.1:{PORT}")
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            f"--workers={WORKERS}",
            f"--bind=127.0.0.1:{PORT}",
            "--access-logfile=-",
        ]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=ENV, stdout=self.log.open("w"), stderr=subprocess.STDOUT
        )
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/sante/", timeout=2)
                return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        sys.exit(f"gunicorn ne répond pas :\n{self.log.read_text()[-3000:]}")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


# --- Measures


def wrk(script, url, *, threads, connections, duration, headers=(), args=()):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout=10s", "-s", str(script)]
    for header in headers:
        command += ["-H", header]
    command += [url, *args]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    return json.loads(line.removeprefix("BENCH "))


def measure_pages(pages, work):
    """Each key page after its floor, ROUNDS times; a page's figures are those of its median round (by its ratio to
    the floor measured just before it), a floor's the median of its measures."""
    by_name = {page["name"]: page for page in pages}
    measures = {page["name"]: [] for page in pages}
    for number in range(1, ROUNDS + 1):
        step(f"Tour {number}/{ROUNDS}")
        for page in pages:
            if not page["floor"]:
                continue
            floor = measure_page(by_name[page["floor"]], work)
            figures = measure_page(page, work)
            figures["floor_p95_ratio"] = round(figures["p95_ms"] / floor["p95_ms"], 2)
            measures[page["floor"]].append(floor)
            measures[page["name"]].append(figures)
    results = []
    for page in pages:
        if page["floor"]:
            chosen = median_by(measures[page["name"]], "floor_p95_ratio")
            chosen["rounds_floor_p95_ratio"] = [figures["floor_p95_ratio"] for figures in measures[page["name"]]]
            chosen["within_floor_ratio"] = chosen["floor_p95_ratio"] <= MAX_FLOOR_RATIO
        else:
            chosen = median_by(measures[page["name"]], "p95_ms")
        results.append(chosen)
    return results


def median_by(measures, key):
    ordered = sorted(measures, key=lambda figures: figures[key])
    return dict(ordered[(len(ordered) - 1) // 2])


def measure_page(page, work):
    step(f"  {page['label']} : {page['path']}")
    args = ()
    if page["paths"]:
        paths = work / f"paths-{page['name']}.txt"
        paths.write_text("\n".join(page["paths"]) + "\n")
        args = (str(paths),)
    headers = [f"Cookie: {page['cookie']}"] if page["cookie"] else []
    url = f"http://127.0.0.1:{PORT}{page['path']}"
    options = {"threads": 2, "connections": CONNECTIONS, "headers": headers, "args": args}
    wrk(WRK_SCRIPTS / "page.lua", url, duration=WARM_UP, **options)
    figures = wrk(WRK_SCRIPTS / "page.lua", url, duration=DURATION, **options)
    if figures["unexpected_status"] or figures["socket_errors"]:
        sys.exit(
            f"{page['path']} : {figures['unexpected_status']} réponses autres que 200, "
            f"{figures['socket_errors']} erreurs réseau"
        )
    return {
        "name": page["name"],
        "label": page["label"],
        "path": page["path"],
        "visitor": page["visitor"],
        "floor": page["floor"],
        "queries": page["queries"],
        "p50_ms": figures["p50_us"] / 1000,
        "p95_ms": figures["p95_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "requests_per_s": round(figures["requests"] / (figures["duration_us"] / 1e6), 1),
        "requests": figures["requests"],
    }


def measure_hiring(work, clients):
    count = len(clients)
    step(f"Embauches avec délivrance du PASS IAE : {count} employeurs en même temps")
    url = f"http://127.0.0.1:{PORT}/"
    figures = wrk(
        WRK_SCRIPTS / "hire.lua", url, threads=count, connections=count, duration=DURATION, args=(str(work),)
    )
    if figures["http_errors"]:
        sys.exit(f"Embauches : {figures['http_errors']} réponses en erreur (voir {work / 'server.log'})")
    seconds = figures["duration_us"] / 1e6
    return {
        "clients": count,
        "hires": figures["hires"],
        "refusals": figures["refusals"],
        "hires_per_s": round(figures["hires"] / seconds, 1),
        "requests_per_s": round(figures["requests"] / seconds, 1),
        "p50_ms": figures["p50_us"] / 1000,
        "p95_ms": figures["p95_us"] / 1000,
        "requests_per_hire": 3,
    }


def measure_pgbench():
    """pgbench's built-in simple-update script on the same server and database, then its tables are dropped."""
    step("pgbench simple-update sur la même base")
    run("pgbench", *pg_args(), "-i", "-q", "-s", "10", DATABASE)
    try:
        output = subprocess.run(
            [
                "pgbench",
                *pg_args(),
                "-b",
                "simple-update",
                "-n",
                "-c",
                str(HIRING_CLIENTS),
                "-j",
                "2",
                "-T",
                str(DURATION),
                DATABASE,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        run("pgbench", *pg_args(), "-i", "-I", "d", DATABASE)
    tps = next(line for line in output.splitlines() if line.startswith("tps = "))
    latency = next(line for line in output.splitlines() if line.startswith("latency average"))
    return {
        "clients": HIRING_CLIENTS,
        "transactions_per_s": round(float(tps.split()[2]), 1),
        "latency_average_ms": float(latency.split()[3]),
    }


# --- Report


def report(dataset, pages, hiring, simple_update, seconds):
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "postgresql": psql("postgres", "SHOW server_version"),
        },
        "settings": {
            "gunicorn_workers": WORKERS,
            "wrk_connections": CONNECTIONS,
            "duration_s": DURATION,
            "rounds": ROUNDS,
            "max_floor_ratio": MAX_FLOOR_RATIO,
        },
        "dataset": dataset,
        "pages": pages,
        "hiring": hiring,
        "pgbench_simple_update": simple_update,
        "hires_per_pgbench_transaction": round(hiring["hires_per_s"] / simple_update["transactions_per_s"], 4),
        "all_within_floor_ratio": all(page.get("within_floor_ratio", True) for page in pages),
        "run_seconds": round(seconds),
    }


def print_table(results):
    header = f"{'Page':<44} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'SQL':>4} {'×plancher':>10}  (tours)"
    print()
    print(header)
    print("-" * len(header))
    for page in results["pages"]:
        ratio = page.get("floor_p95_ratio")
        verdict = ""
        if ratio is not None:
            rounds = " ".join(f"{value:.2f}" for value in page["rounds_floor_p95_ratio"])
            verdict = f"{ratio:>8.2f} {'✔' if page['within_floor_ratio'] else '✘'}  ({rounds})"
        print(
            f"{page['label']:<44} {page['p50_ms']:>8.1f} {page['p95_ms']:>8.1f} {page['requests_per_s']:>8.1f} "
            f"{page['queries']:>4} {verdict}"
        )
    hiring, pgbench = results["hiring"], results["pgbench_simple_update"]
    print()
    print(
        f"Embauches avec PASS IAE : {hiring['hires_per_s']} /s ({hiring['clients']} employeurs, {hiring['hires']} "
        f"embauches, {hiring['refusals']} refus ; requêtes HTTP p50 {hiring['p50_ms']:.1f} ms, "
        f"p95 {hiring['p95_ms']:.1f} ms)"
    )
    print(f"pgbench simple-update : {pgbench['transactions_per_s']} transactions/s ({pgbench['clients']} clients)")
    dataset = results["dataset"]
    print(
        f"Base {dataset['database']} : {dataset['size_mb']} Mo, "
        + ", ".join(f"{table} {count}" for table, count in dataset["rows"].items())
    )
    print(f"Durée totale : {results['run_seconds']} s — bench/results/latest.json")


# --- Helpers


def step(message):
    print(f"== {message}", flush=True)


def run(*command, env=None):
    subprocess.run(command, check=True, cwd=ROOT, env=env)


if __name__ == "__main__":
    main()
