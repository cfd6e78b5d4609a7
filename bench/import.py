"""How fast `cityline import nyc311` loads a real NYC 311 file, on SQLite and on PostgreSQL.

    .venv/bin/python bench/import.py [--runs 3] [--file PATH] [--databases sqlite,postgres]
                                     [--districts]

Each run migrates a fresh database and imports the file into it with the real command, in its
own process; a last run imports the same file again into the last database (every row an
update). A run's rows/s is the rows read over the import's own time (the command measures from
opening the file to its last commit); the process's wall time, which adds Python's and Django's
start-up, is printed beside it, and so is the CPU time the process used (user + system, its own
threads; a PostgreSQL server's work is not in it), which varies less than wall time on a machine
shared with other work. The median is over the fresh-database runs. PostgreSQL is a
throw-away cluster (cityline.testing.pgcluster), one new database per run.
"""

import argparse
import os
import platform
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cityline.testing.pgcluster import Cluster  # noqa: E402

DATA = REPO.parent / "shared" / "data"
# The largest real NYC file beside the repository: every Elevator complaint of 2024.
DEFAULT_FILE = DATA / "nyc311-elevator-2024" / "clean_requests.csv.gz"
CITYLINE = REPO / ".venv" / "bin" / "cityline"
DISTRICTS = DATA / "nyc-boundaries" / "community_districts.geojson"
SUMMARY = re.compile(r"Read ([\d,]+) rows of .* in ([\d.]+) s")
COUNTS = re.compile(
    r"imported \(created\):\s+([\d,]+)\s+updated:\s+([\d,]+)\s+rejected:\s+([\d,]+)"
)


@dataclass
class Run:
    label: str
    rows: int
    created: int
    updated: int
    rejected: int
    seconds: float
    wall: float
    cpu: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds

    @property
    def wall_rate(self) -> float:
        return self.rows / self.wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh-database runs per database")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="a NYC 311 CSV file")
    parser.add_argument("--databases", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument(
        "--districts",
        action="store_true",
        help="import NYC's community districts first, so every request is matched to its area",
    )
    args = parser.parse_args()
    if not args.file.is_file():
        sys.exit(f"{args.file}: no such file")
    print(f"file: {args.file} ({args.file.stat().st_size:,} bytes)")
    if args.districts:
        print("with NYC's 71 community districts imported before each run")
    print_machine()
    medians = {}
    for database in args.databases.split(","):
        runner = {"sqlite": sqlite_runs, "postgres": postgres_runs}[database.strip()]
        print(f"\n== {database.strip()}")
        runs = runner(args.file, args.runs, args.districts)
        fresh = [run for run in runs if run.label.startswith("fresh")]
        medians[database.strip()] = (
            statistics.median(run.rate for run in fresh),
            statistics.median(run.wall_rate for run in fresh),
        )
        print(
            f"median of {len(fresh)} fresh runs: {medians[database.strip()][0]:,.0f} rows/s "
            f"(import), {medians[database.strip()][1]:,.0f} rows/s (whole process)"
        )
    print(f"\nload average at the end: {load_average()}")
    for database, (rate, wall_rate) in medians.items():
        print(f"{database}: median {rate:,.0f} rows/s (import), {wall_rate:,.0f} rows/s (process)")


def print_header() -> None:
    print(
        f"{'run':<12} {'rows':>8} {'created':>8} {'updated':>8} {'rejected':>8} "
        f"{'import s':>9} {'rows/s':>8} {'process s':>10} {'rows/s':>8} {'cpu s':>6}"
    )


def sqlite_runs(path: Path, count: int, districts: bool) -> list[Run]:
    runs = []
    print_header()
    with tempfile.TemporaryDirectory(prefix="cityline-bench-") as folder:
        for n in range(1, count + 1):
            env = environment(CITYLINE_VAR_DIR=f"{folder}/run{n}")
            set_up(env, districts)
            runs.append(show(import_file(path, env, f"fresh {n}")))
        runs.append(show(import_file(path, env, "re-import")))
    return runs


def postgres_runs(path: Path, count: int, districts: bool) -> list[Run]:
    import psycopg

    cluster = Cluster(durable=True)
    url = cluster.start()
    runs = []
    try:
        with psycopg.connect(url, autocommit=True) as admin:
            version = admin.execute("SHOW server_version").fetchone()[0]
            print(f"(PostgreSQL {version}, throw-away cluster in {cluster.folder})")
            print_header()
            with tempfile.TemporaryDirectory(prefix="cityline-bench-") as folder:
                for n in range(1, count + 1):
                    admin.execute(f"CREATE DATABASE bench_{n}")
                    env = environment(
                        DATABASE_URL=url.rsplit("/", 1)[0] + f"/bench_{n}",
                        CITYLINE_VAR_DIR=folder,
                    )
                    set_up(env, districts)
                    runs.append(show(import_file(path, env, f"fresh {n}")))
                runs.append(show(import_file(path, env, "re-import")))
    finally:
        cluster.stop()
    return runs


def environment(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CITYLINE_VAR_DIR")}
    env.update(values, DJANGO_SETTINGS_MODULE="cityline.settings")
    return env


def set_up(env: dict[str, str], districts: bool) -> None:
    # Setting up is not measured, nor held up by a system check of unrelated code.
    subprocess.run(
        [str(CITYLINE), "migrate", "-v", "0", "--skip-checks"], env=env, check=True, cwd=REPO
    )
    if districts:
        subprocess.run(
            [
                *(str(CITYLINE), "import", "--skip-checks", "boundaries", "community-districts"),
                *(str(DISTRICTS), "--code-property", "BoroCD"),
            ],
            env=env,
            check=True,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
        )


def import_file(path: Path, env: dict[str, str], label: str) -> Run:
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [str(CITYLINE), "import", "nyc311", str(path), "--no-progress"],
        env=env,
        check=True,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = SUMMARY.search(done.stdout)
    counts = COUNTS.search(done.stdout)
    if summary is None or counts is None:
        sys.exit(f"unexpected output from the import:\n{done.stdout}\n{done.stderr}")
    created, updated, rejected = (int(g.replace(",", "")) for g in counts.groups())
    return Run(
        label=label,
        rows=int(summary[1].replace(",", "")),
        created=created,
        updated=updated,
        rejected=rejected,
        seconds=float(summary[2]),
        wall=wall,
        cpu=cpu,
    )


def show(run: Run) -> Run:
    print(
        f"{run.label:<12} {run.rows:>8,} {run.created:>8,} {run.updated:>8,} {run.rejected:>8,} "
        f"{run.seconds:>9.2f} {run.rate:>8,.0f} {run.wall:>10.2f} {run.wall_rate:>8,.0f} "
        f"{run.cpu:>6.2f}",
        flush=True,
    )
    return run


def print_machine() -> None:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    print(f"machine: {platform.platform()}; CPU {cpu}; {os.cpu_count()} cores")
    print(f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}")
    print(f"load average at the start: {load_average()}")


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
