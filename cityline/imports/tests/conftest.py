"""Real 311 files: excerpts kept with the tests, and the whole files of the shared data folder
beside the repository when it is there; running the command."""

import csv
import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

REPO_ROOT = Path(__file__).resolve().parents[3]

# The first 300 records of each NYC layout (data/SOURCE.md): always there.
EXCERPTS = Path(__file__).resolve().parent / "data"
EXCERPT_2022 = EXCERPTS / "nyc311-2022-excerpt.csv"
EXCERPT_2013 = EXCERPTS / "nyc311-2013-excerpt.csv"
EXCERPT_ELEVATOR = EXCERPTS / "nyc311-elevator-2024-excerpt.csv.gz"

# The whole files and NYC's boundaries, too large for the repository: `../shared/data`, or the
# folder CITYLINE_SHARED_DATA names (point it at an empty folder to run as a bare clone would).
DATA = Path(os.environ.get("CITYLINE_SHARED_DATA") or REPO_ROOT.parent / "shared" / "data")
NYC_2022 = DATA / "nyc311-2022-sample" / "311_Service_Requests_from_2010_to_Present.csv"
NYC_2013 = DATA / "nyc311-2013-sample" / "311_Service_Requests_from_2010_to_Present.csv"
NYC_ELEVATOR = DATA / "nyc311-elevator-2024" / "clean_requests.csv.gz"
NYC_BOUNDARIES = DATA / "nyc-boundaries"
COMMUNITY_DISTRICTS = NYC_BOUNDARIES / "community_districts.geojson"
BOROUGHS = NYC_BOUNDARIES / "boroughs.geojson"


def whole_files(*paths: Path) -> pytest.MarkDecorator:
    """Skip a test of whole shared files, saying which, when they are not beside the repository."""
    missing = [path for path in paths if not path.exists()]
    return pytest.mark.skipif(
        bool(missing),
        reason=f"{missing[0] if missing else ''} is not there: the whole shared files are read "
        "from ../shared/data beside the repository, or from CITYLINE_SHARED_DATA",
    )


def run_import(*args: str) -> str:
    """`cityline import …` as the command line would run it; returns what it printed."""
    out = io.StringIO()
    call_command("import", *[str(a) for a in args], stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts(printed: str) -> dict[str, int]:
    """The created / updated / rejected counts of the command's summary."""
    found = {}
    for label, key in (
        ("imported (created)", "created"),
        ("updated", "updated"),
        ("rejected", "rejected"),
    ):
        count = re.search(rf"{re.escape(label)}:\s+([\d,]+)", printed)
        assert count is not None, f"no {label!r} count in:\n{printed}"
        found[key] = int(count[1].replace(",", ""))
    return found


def csv_file(tmp_path, header: list[str], rows: list[list[str]], name: str = "rows.csv"):
    path = tmp_path / name
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def community_districts(db):
    """NYC's community districts (2013 lines) as the `community-districts` layer."""
    run_import(
        "boundaries", "community-districts", COMMUNITY_DISTRICTS, "--code-property", "BoroCD"
    )
