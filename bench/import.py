"""How fast `cityline import nyc311` loads a large NYC 311 file, as a user runs it.

    .venv/bin/python bench/import.py [--runs 3] [--repeat 20] [--file PATH]
                                     [--databases sqlite,postgres] [--districts] [--reimport]

The file is the largest real NYC file beside the repository (every Elevator complaint of 2024,
22,504 rows) written `--repeat` times into one plain CSV, each copy's Unique Keys shifted so that
every row is a new request: 450,080 rows by default. Each run migrates a fresh database (not
timed), then runs the whole command `cityline import nyc311 FILE` in its own process; a run's
rows/s is the rows read over that process's wall time, Python's and Django's start-up included.
The import's own time (from opening the file to its last commit, as the command prints it), the
CPU time of the command's process (user + system, all its threads), on PostgreSQL the CPU time of
the server's processes over the run, and the load average after the run are printed beside it.
The figures are the medians of the fresh-database runs; `--reimport` adds a run that imports
the file again into the last database (every row an update). PostgreSQL is a throw-away cluster
that flushes to disk as in production (cityline.testing.pgcluster), one new database per run.
"""

import argparse
import csv
import gzip
import io
import os
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

from common import REPO, VENV_BIN, machine

from cityline.testing.pgcluster import Cluster

DATA = REPO.parent / "shared" / "data"
# The largest real NYC file beside the repository: every Elevator complaint of 2024.
DEFAULT_FILE = DATA / "nyc311-elevator-2024" / "clean_requests.csv.gz"
CITYLINE = VENV_BIN / "cityline"
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
    server_cpu: float | None = None
    load: float = 0.0

    @property
    def rate(self) -> float:
        return self.rows / self.wall

    @property
    def import_rate(self) -> float:
        return self.rows / self.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh-database runs per database")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="a NYC 311 CSV file")
    parser.add_argument(
        "--repeat", type=int, default=20, help="copies of the file, keys shifted (default 20)"
    )
    parser.add_argument("--databases", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument(
        "--districts",
        action="store_true",
        help="import NYC's community districts first, so every request is matched to its area",
    )
    parser.add_argument(
        "--reimport", action="store_true", help="import the file again into the last database"
    )
    args = parser.parse_args()
    if not args.file.is_file():
        sys.exit(f"{args.file}: no such file")
    print(f"machine: {machine()}")
    print(f"code: {commit()}")
    print(f"SQLite {sqlite3.sqlite_version}; load average at the start: {load_average()}")
    with tempfile.TemporaryDirectory(prefix="cityline-bench-") as folder:
        path = Path(folder) / "nyc311.csv"
        rows = write_repeated(args.file, args.repeat, path)
        print(
            f"file: {args.file} written {args.repeat} times with shifted keys: "
            f"{rows:,} rows, {path.stat().st_size:,} bytes"
        )
        if args.districts:
            print("with NYC's 71 community districts imported before each run")
        medians = {}
        for database in (name.strip() for name in args.databases.split(",")):
            runner = {"sqlite": sqlite_runs, "postgres": postgres_runs}[database]
            print(f"\n== {database}")
            runs = runner(path, Path(folder), args)
            fresh = [run for run in runs if run.label.startswith("fresh")]
            medians[database] = fresh
    print(f"\nload average at the end: {load_average()}")
    for database, fresh in medians.items():
        server = [run.server_cpu for run in fresh if run.server_cpu is not None]
        print(
            f"{database}: median {statistics.median(run.rate for run in fresh):,.0f} rows/s "
            f"(whole command; runs {', '.join(f'{run.rate:,.0f}' for run in fresh)}), "
            f"{statistics.median(run.import_rate for run in fresh):,.0f} rows/s (the import's "
            f"own time); CPU {statistics.median(run.cpu for run in fresh):.1f} s"
            + (f", server CPU {statistics.median(server):.1f} s" if server else "")
        )


def write_repeated(source: Path, repeat: int, path: Path) -> int:
    """Write `source` `repeat` times into `path` (plain CSV), the n-th copy's keys shifted by
    n * 10^9 so every row is a request of its own; return the rows written."""
    raw = source.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    header = next(reader)
    records = list(reader)
    key = [re.sub(r"[^a-z0-9]+", "_", name.lower()) for name in header].index("unique_key")
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for copy in range(repeat):
            shift = copy * 1_000_000_000
            for record in records:
                record = list(record)
                record[key] = str(int(record[key]) + shift)
                writer.writerow(record)
    return len(records) * repeat


def print_header() -> None:
    print(
        f"{'run':<12} {'rows':>8} {'created':>8} {'updated':>8} {'rejected':>8} "
        f"{'command s':>10} {'rows/s':>8} {'import s':>9} {'rows/s':>8} {'cpu s':>6} "
        f"{'server cpu s':>12} {'load':>5}"
    )


def sqlite_runs(path: Path, folder: Path, args: argparse.Namespace) -> list[Run]:
    runs = []
    print_header()
    for n in range(1, args.runs + 1):
        env = environment(CITYLINE_VAR_DIR=str(folder / f"sqlite{n}"))
        set_up(env, args.districts)
        runs.append(show(import_file(path, env, f"fresh {n}")))
    if args.reimport:
        runs.append(show(import_file(path, env, "re-import")))
    return runs


def postgres_runs(path: Path, folder: Path, args: argparse.Namespace) -> list[Run]:
    import psycopg

    cluster = Cluster(durable=True)
    url = cluster.start()
    runs = []
    try:
        with psycopg.connect(url, autocommit=True) as admin:
            version = admin.execute("SHOW server_version").fetchone()[0]
            print(f"(PostgreSQL {version}, throw-away cluster in {cluster.folder})")
            print_header()
            for n in range(1, args.runs + 1):
                admin.execute(f"CREATE DATABASE bench_{n}")
                env = environment(
                    DATABASE_URL=url.rsplit("/", 1)[0] + f"/bench_{n}",
                    CITYLINE_VAR_DIR=str(folder / "postgres"),
                )
                set_up(env, args.districts)
                runs.append(show(import_file(path, env, f"fresh {n}", cluster)))
                if n < args.runs or not args.reimport:
                    admin.execute(f"DROP DATABASE bench_{n}")
            if args.reimport:
                runs.append(show(import_file(path, env, "re-import", cluster)))
    finally:
        cluster.stop()
    return runs


def environment(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CITYLINE_VAR_DIR")}
    env.update(values, DJANGO_SETTINGS_MODULE="cityline.settings")
    return env


def set_up(env: dict[str, str], districts: bool) -> None:
    # Setting up is not measured.
    subprocess.run([str(CITYLINE), "migrate", "-v", "0"], env=env, check=True, cwd=REPO)
    if districts:
        subprocess.run(
            [
                *(str(CITYLINE), "import", "boundaries", "community-districts"),
                *(str(DISTRICTS), "--code-property", "BoroCD"),
            ],
            env=env,
            check=True,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
        )


def import_file(path: Path, env: dict[str, str], label: str, cluster: Cluster | None = None) -> Run:
    """The whole command, as a user types it, timed from starting its process to its exit."""
    server_before = server_cpu(cluster) if cluster else None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
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
    server = None
    if cluster is not None and server_before is not None:
        server = server_cpu(cluster) - server_before
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
        server_cpu=server,
        load=os.getloadavg()[0],
    )


def server_cpu(cluster: Cluster) -> float:
    """CPU seconds (user + system) the cluster's server has used so far: the postmaster's, its
    running processes' and those of the processes it has reaped (each connection's backend)."""
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        # After the command name: state, ppid, …; utime, stime, cutime, cstime are the 12th to 15th.
        fields = stat.rsplit(")", 1)[1].split()
        if int(entry.name) == postmaster or int(fields[1]) == postmaster:
            ticks += sum(int(value) for value in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def show(run: Run) -> Run:
    print(
        f"{run.label:<12} {run.rows:>8,} {run.created:>8,} {run.updated:>8,} {run.rejected:>8,} "
        f"{run.wall:>10.2f} {run.rate:>8,.0f} {run.seconds:>9.2f} {run.import_rate:>8,.0f} "
        f"{run.cpu:>6.2f} "
        + (f"{run.server_cpu:>12.2f}" if run.server_cpu is not None else f"{'':>12}")
        + f" {run.load:>5.1f}",
        flush=True,
    )
    return run


def commit() -> str:
    """The commit the code is at, and whether the tree differs from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True)
    except OSError:
        return "unknown"
    return f"{head or 'unknown'}{' with uncommitted changes' if dirty.stdout.strip() else ''}"


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
