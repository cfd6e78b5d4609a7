"""What every benchmark shares: its options, the machine it ran on, databases with the demo city,
the server, timed runs and their percentiles."""

import argparse
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
VENV_BIN = REPO / ".venv" / "bin"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = found.group(1) if found else cpu
    except OSError:
        pass
    memory = ""
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, AttributeError):
        pass
    return (
        f"{platform.node()}: {cpu}, {os.cpu_count()} cores{memory}; "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}"
    )


def host_steal_seconds() -> float:
    """CPU time the hypervisor has withheld from this machine's cores since boot (the steal
    column of /proc/stat, in USER_HZ ticks). A host that throttles a virtual machine running flat
    out shows here: every request in flight waits until the host runs the machine again."""
    cpu = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    return int(cpu[8]) / os.sysconf("SC_CLK_TCK")


def median(values: list[float]) -> float:
    return statistics.median(values)


def options(
    doc: str, *, requests: int = 1_000_000, runs: int = 3, samples: int | None = None
) -> argparse.ArgumentParser:
    """The options of a benchmark run on each database (--db, --requests, --runs, and --samples
    when it takes samples), described by the first line of its docstring; it adds its own."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=requests)
    parser.add_argument("--runs", type=int, default=runs)
    if samples is not None:
        parser.add_argument("--samples", type=int, default=samples)
    return parser


def on_each_database(parser: argparse.ArgumentParser, bench: Callable[..., None]) -> None:
    """Print the machine, then run `bench(kind, **options)` on each database asked for."""
    chosen = vars(parser.parse_args())
    db = chosen.pop("db")
    print(f"machine: {machine()}")
    for kind in ["sqlite", "postgres"] if db == "both" else [db]:
        bench(kind, **chosen)


class ServedCity(NamedTuple):
    """A demo city served by the run command, and how long to time its pages."""

    kind: str
    env: dict[str, str]
    base: str
    version: str
    requests: int
    runs: int
    samples: int


def served_city_bench(
    *measures: Callable[[ServedCity], None], server_env: dict[str, str] | None = None
) -> Callable[..., None]:
    """A benchmark for `on_each_database`: it builds the demo city with the requests asked for,
    starts the run command on it (with `server_env` added to its environment) and calls each of
    `measures`, in order, on the one server."""

    def bench(kind: str, *, requests: int, runs: int, samples: int) -> None:
        with (
            demo_city(kind, requests=requests) as (env, version),
            demo_server({**env, **(server_env or {})}) as (base, _key),
        ):
            city = ServedCity(kind, env, base, version, requests, runs, samples)
            for measure in measures:
                measure(city)

    return bench


def timed_runs(
    call: Callable[[int], object], *, runs: int, samples: int, warm_up: int
) -> list[list[float]]:
    """Milliseconds each of `samples` calls took in each of `runs` runs, after `warm_up` calls
    that warm caches and connections. Each call is given its number, counted from 0 over the
    warm-up and the runs, so a benchmark can draw a different page each time."""
    for number in range(warm_up):
        call(number)
    timings: list[list[float]] = []
    for run in range(runs):
        first = warm_up + run * samples
        taken = []
        for number in range(first, first + samples):
            started = time.perf_counter()
            call(number)
            taken.append((time.perf_counter() - started) * 1000)
        timings.append(taken)
    return timings


def http_get(url: str) -> bytes:
    """The body of a GET answered 200."""
    with urllib.request.urlopen(url, timeout=60) as response:
        assert response.status == 200, url
        return response.read()


def report(label: str, timings: Sequence[Sequence[float]], *, of: str) -> None:
    """Print each run's p50 and p95 (ms), then under `label` the medians of the runs' p50s and
    p95s; `of` says what the runs' samples were and where."""
    p50s, p95s = [], []
    for number, run in enumerate(timings, 1):
        p50, p95 = statistics.median(run), statistics.quantiles(run, n=20)[-1]
        p50s.append(p50)
        p95s.append(p95)
        print(f"  {label} run {number}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print(
        f"{label}: median p50 {median(p50s):.1f} ms, median p95 {median(p95s):.1f} ms over "
        f"{len(timings)} runs of {len(timings[0])} {of}"
    )


# The start of a benchmark's preparation, run by `cityline_shell` and formatted with `open`: every
# request of the demo city is closed, and `chosen` holds the ids of `open` of them drawn at random,
# for the benchmark to reopen as it needs, with `rng` for its own draws and `now`.
LEAVE_OPEN = """
import random
from django.db.models import F
from cityline.core import clock
from cityline.servicerequests.models import ServiceRequest, Status

rng = random.Random(311)
now = clock.now()
ServiceRequest.objects.exclude(status=Status.CLOSED).update(
    status=Status.CLOSED, resolution="completed", closed_at=F("updated_at"), waiting_since=None
)
ids = list(ServiceRequest.objects.order_by("pk").values_list("pk", flat=True))
chosen = set(rng.sample(ids, {open}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def database(kind: str) -> Iterator[dict[str, str]]:
    """Environment for a fresh, empty database of the given kind, removed afterwards. PostgreSQL
    runs with its data flushed to disk as in production (see `Cluster`)."""
    var_dir = tempfile.mkdtemp(prefix="cityline-bench-")
    env = {**os.environ, "CITYLINE_VAR_DIR": var_dir}
    env.pop("DATABASE_URL", None)
    if kind == "sqlite":
        yield env
        return
    from cityline.testing.pgcluster import Cluster

    cluster = Cluster(durable=True)
    env["DATABASE_URL"] = cluster.start()
    try:
        yield env
    finally:
        cluster.stop()


def cityline(env: dict[str, str], *args: str) -> None:
    """Run a `cityline` command against the database of `env`, its output discarded."""
    subprocess.run(
        [str(VENV_BIN / "cityline"), *args], env=env, check=True, stdout=subprocess.DEVNULL
    )


@contextmanager
def demo_city(kind: str, *, requests: int) -> Iterator[tuple[dict[str, str], str]]:
    """A fresh database of the given kind (see `database`) holding the demo city with `requests`
    requests, migrated with its cache table and static files as the run command makes them:
    yields its environment and the database's name and version; prints how long it took."""
    with database(kind) as env:
        started = time.perf_counter()
        cityline(env, "migrate", "-v0")
        cityline(env, "createcachetable", "-v0")
        cityline(env, "collectstatic", "--no-input", "-v0")
        cityline(env, "demo", "--requests", str(requests))
        print(
            f"  {kind}: demo city with {requests:,} requests built in "
            f"{time.perf_counter() - started:.0f} s"
        )
        yield env, database_version(env)


def cityline_shell(env: dict[str, str], code: str) -> str:
    """What `code` prints, run by `cityline shell` against the database of `env`."""
    out = subprocess.run(
        [str(VENV_BIN / "cityline"), "shell", "-v", "0", "-c", code],
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(f"cityline shell failed:\n{out.stderr[-3000:]}")
    return out.stdout.strip()


def database_version(env: dict[str, str]) -> str:
    return cityline_shell(
        env,
        "from django.db import connection;"
        "print(connection.vendor, '.'.join(map(str, connection.Database.sqlite_version_info))"
        " if connection.vendor == 'sqlite'"
        " else connection.cursor().connection.info.server_version)",
    )


@contextmanager
def demo_server(env: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Start the README's run command on a free port, with its own choice of web workers (or
    CITYLINE_WEB_WORKERS and CITYLINE_WEB_THREADS from the environment); yield (base URL, Open311
    API key)."""
    port = free_port()
    env = {**env, "CITYLINE_PORT": str(port)}
    log = open(Path(env["CITYLINE_VAR_DIR"]) / "demo.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [str(REPO / "script" / "demo")],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        key = _wait_for_key(log, process)
        _wait_until_up(f"{base}/healthz", process)
        yield base, key
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
        log.close()


def _wait_for_key(log, process, timeout: float = 1800) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log.seek(0)
        found = re.search(r"^Open311 API key: (\S+)$", log.read(), re.MULTILINE)
        if found:
            return found.group(1)
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the run command stopped:\n{log.read()[-3000:]}")
        time.sleep(1)
    raise RuntimeError("the run command printed no API key in time")


def _wait_until_up(url: str, process, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("the server stopped") from None
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer in time")
