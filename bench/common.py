"""What every benchmark shares: the machine it ran on, medians, databases and the server."""

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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
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


def median(values: list[float]) -> float:
    return statistics.median(values)


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
