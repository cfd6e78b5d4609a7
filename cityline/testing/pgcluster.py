"""A throw-away PostgreSQL cluster for the test suite.

Loaded as a pytest plugin (`-p cityline.testing.pgcluster`, set in pyproject.toml). When
CITYLINE_TEST_DB=postgres, it runs `initdb` and `pg_ctl` in a temporary folder before Django reads
its settings, points DATABASE_URL at it (unix socket, plus 127.0.0.1 on a free port), and stops and
removes it when the run ends. As root it runs the server as the `postgres` system user, since
PostgreSQL refuses to run as root.
"""

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise RuntimeError(f"{name} not found: install Debian's postgresql package")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    def __init__(self, *, durable: bool = False) -> None:
        # Tests skip every flush to disk. Benchmarks ask for `durable`: data files and WAL are
        # flushed as in production, and only commits are acknowledged before their WAL reaches
        # the disk (synchronous_commit=off), as SQLite's WAL mode with synchronous=NORMAL does: a
        # crash of the machine may lose the last moments of commits, never corrupt the database.
        self.durable = durable
        self.folder = Path(tempfile.mkdtemp(prefix="cityline-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.as_postgres = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = list(args)
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> str:
        if self.as_postgres:
            shutil.chown(self.folder, user="postgres")
        self._run(
            _pg_bin("initdb"),
            "-D",
            str(self.data),
            "-U",
            "cityline",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.folder} "
            "-c synchronous_commit=off -c max_connections=200"
        )
        if not self.durable:
            options += " -c fsync=off -c full_page_writes=off"
        self._run(
            _pg_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-l",
            str(self.folder / "server.log"),
            "start",
        )
        return f"postgres://cityline@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        try:
            self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # A wrapper runs before pytest-django reads the settings, so DATABASE_URL is in place.
    if os.environ.get("CITYLINE_TEST_DB") == "postgres" and not os.environ.get("DATABASE_URL"):
        cluster = Cluster()
        os.environ["DATABASE_URL"] = cluster.start()
        atexit.register(cluster.stop)
    return (yield)
