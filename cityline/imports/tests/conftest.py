"""Real 311 files from the shared data folder beside the repository; running the command."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

REPO_ROOT = Path(__file__).resolve().parents[3]
DATA = REPO_ROOT.parent / "shared" / "data"
NYC_2022 = DATA / "nyc311-2022-sample" / "311_Service_Requests_from_2010_to_Present.csv"
NYC_2013 = DATA / "nyc311-2013-sample" / "311_Service_Requests_from_2010_to_Present.csv"
NYC_ELEVATOR = DATA / "nyc311-elevator-2024" / "clean_requests.csv.gz"
NYC_BOUNDARIES = DATA / "nyc-boundaries"


def run_import(*args: str) -> str:
    """`cityline import …` as the command line would run it; returns what it printed."""
    out = io.StringIO()
    call_command("import", *[str(a) for a in args], stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def community_districts(db):
    """NYC's community districts (2013 lines) as the `community-districts` layer."""
    run_import(
        "boundaries",
        "community-districts",
        NYC_BOUNDARIES / "community_districts.geojson",
        "--code-property",
        "BoroCD",
    )
