import os
import sqlite3
import stat
import subprocess
import sys

import pytest

from cityline.core.dbbackends.sqlite3.base import DatabaseWrapper

# Each test opens a private database in a child process or its own temporary folder.
pytestmark = pytest.mark.django_db

SQLITE_PRAGMA = (
    "import django; django.setup(); from django.db import connection;"
    "print(connection.cursor().execute('PRAGMA synchronous').fetchone()[0])"
)
SYNCHRONOUS = {"1": "NORMAL", "2": "FULL", "3": "EXTRA"}


def _run_with_sqlite(tmp_path, code: str, **environment: str) -> subprocess.CompletedProcess:
    """Run `code` in a fresh process configured only by `environment`, as a deployment is."""
    unset = {
        "DATABASE_URL",
        "CITYLINE_DEBUG",
        "CITYLINE_HTTPS",
        "CITYLINE_SQLITE_SYNCHRONOUS",
        "CITYLINE_SQLITE_WAL_AUTOCHECKPOINT",
    }
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env |= {"CITYLINE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "cityline.settings"}
    env |= environment
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_deployment_check_finds_nothing_to_warn_about(tmp_path):
    # when
    out = _run_with_sqlite(
        tmp_path,
        "from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['cityline', 'check', '--deploy', '--fail-level', 'WARNING'])",
    )
    # then
    assert out.returncode == 0, out.stderr
    assert "System check identified no issues" in out.stdout


def test_plain_http_is_redirected_and_cookies_kept_to_https_when_not_debugging(tmp_path):
    # when
    out = _run_with_sqlite(
        tmp_path,
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS > 0, s.SECURE_PROXY_SSL_HEADER)",
    )
    # then
    assert out.stdout.split() == [
        "True",
        "True",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ]


def test_sqlite_syncs_every_commit_to_disk_unless_told_otherwise(tmp_path):
    # when
    default = _run_with_sqlite(tmp_path, SQLITE_PRAGMA)
    normal = _run_with_sqlite(tmp_path, SQLITE_PRAGMA, CITYLINE_SQLITE_SYNCHRONOUS="normal")
    # then
    assert SYNCHRONOUS[default.stdout.strip()] == "FULL"
    assert SYNCHRONOUS[normal.stdout.strip()] == "NORMAL"


def test_sqlite_checkpoints_its_wal_every_4000_pages_unless_told_otherwise(tmp_path):
    # given
    code = SQLITE_PRAGMA.replace("synchronous", "wal_autocheckpoint")
    # when
    default = _run_with_sqlite(tmp_path, code)
    chosen = _run_with_sqlite(tmp_path, code, CITYLINE_SQLITE_WAL_AUTOCHECKPOINT="1000")
    # then
    assert default.stdout.strip() == "4000", default.stderr
    assert chosen.stdout.strip() == "1000", chosen.stderr


def test_an_unknown_synchronous_mode_stops_start_up_naming_the_variable(tmp_path):
    # when
    out = _run_with_sqlite(tmp_path, SQLITE_PRAGMA, CITYLINE_SQLITE_SYNCHRONOUS="OFF")
    # then
    assert out.returncode != 0
    assert "CITYLINE_SQLITE_SYNCHRONOUS must be NORMAL, FULL or EXTRA" in out.stderr


def test_opening_the_database_makes_it_and_its_wal_private(tmp_path):
    # given: a database in WAL mode left readable by everyone, as a umask of 022 makes it
    path = tmp_path / "cityline.sqlite3"
    made = sqlite3.connect(path)
    made.execute("PRAGMA journal_mode=WAL")
    made.execute("CREATE TABLE t (n INTEGER)")
    made.execute("INSERT INTO t VALUES (1)")
    made.commit()
    files = [path, tmp_path / "cityline.sqlite3-wal", tmp_path / "cityline.sqlite3-shm"]
    for file in files:
        file.chmod(0o644)
    # when
    wrapper = DatabaseWrapper(
        {
            "NAME": str(path),
            "ENGINE": "cityline.core.dbbackends.sqlite3",
            "OPTIONS": {},
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        }
    )
    wrapper.cursor().execute("SELECT n FROM t")
    modes = {file.name: stat.S_IMODE(file.stat().st_mode) for file in files}
    wrapper.close()
    made.close()
    # then
    assert modes == {file.name: 0o600 for file in files}
