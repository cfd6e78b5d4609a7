"""The web server the run command starts (script/serve), started as it starts it: on 127.0.0.1, a
free port, a temporary var directory."""

import os
import socket
import stat
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from cityline.testing.slowclients import Tricklers

REPO = Path(__file__).resolve().parents[3]
SLOW_CLIENTS = 40


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise RuntimeError(f"the server stopped: {output}")
        try:
            _get(url, timeout=5)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout:.0f} s")


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory) -> Path:
    """A var directory an earlier run left readable by everyone."""
    folder = tmp_path_factory.mktemp("var")
    folder.chmod(0o755)
    for name in ("worker.log", "secret_key"):
        (folder / name).write_text("left by an earlier run\n")
        (folder / name).chmod(0o644)
    return folder


@pytest.fixture(scope="module")
def server(var_dir) -> Iterator[str]:
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {"CITYLINE_VAR_DIR": str(var_dir), "CITYLINE_PORT": str(port), "CITYLINE_HTTPS": "false"}
    process = subprocess.Popen(
        [str(REPO / "script" / "serve")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/healthz", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=60)


def test_a_request_is_answered_while_forty_clients_trickle_their_headers(server):
    # given
    port = int(server.rsplit(":", 1)[1])
    with Tricklers(port, SLOW_CLIENTS) as slow:
        # when: a bounded wait, since this checks that the server answers at all
        statuses = [_get(f"{server}/healthz", timeout=10) for _ in range(3)]
        still_trickling = slow.still_trickling()
    # then
    assert statuses == [200, 200, 200]
    assert still_trickling


def test_the_server_keeps_the_var_directory_private(server, var_dir):
    # given: a request that wrote to the database
    _get(f"{server}/healthz", timeout=10)
    # when
    modes = {
        path.relative_to(var_dir).as_posix(): stat.S_IMODE(path.stat().st_mode)
        for path in [var_dir, *var_dir.rglob("*")]
    }
    # then: what it found and what it made, the database and its WAL among them
    assert {"worker.log", "secret_key", "cityline.sqlite3"} <= set(modes)
    assert {name: mode & 0o077 for name, mode in modes.items()} == dict.fromkeys(modes, 0)
