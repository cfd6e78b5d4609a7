"""`migrate` alone readies a database for every command, the shared cache's table included."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(
    os.environ.get("CITYLINE_TEST_DB") == "postgres",
    reason="runs the real commands on a fresh SQLite file; the migration is the same on PostgreSQL",
)
def test_a_freshly_migrated_database_takes_catalog_saves_without_createcachetable(tmp_path):
    # given a new database that only `migrate` has touched
    env = {**os.environ, "CITYLINE_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    cityline = [sys.executable, "-m", "django"]
    env["DJANGO_SETTINGS_MODULE"] = "cityline.settings"
    subprocess.run([*cityline, "migrate", "-v", "0"], env=env, cwd=REPO, check=True)
    # when a service saves a catalog row, which tells every worker through the shared cache
    saved = subprocess.run(
        [
            *cityline,
            "shell",
            "-c",
            "from cityline.sla.services import business_calendar_upsert; "
            "business_calendar_upsert(name='City', holiday_country='US', holiday_subdivision='')",
        ],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    # then
    assert saved.returncode == 0, saved.stderr
