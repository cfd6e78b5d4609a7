"""Real files of Boston, San Francisco, Los Angeles and Chicago: excerpts kept with the tests
(data/SOURCE.md) and the whole files of the shared data folder, when it is there."""

import csv
import gzip
import io
from pathlib import Path
from typing import Any

from cityline.imports.tests.conftest import DATA, EXCERPTS, csv_file, run_import
from cityline.servicerequests.models import RequestUpdate, ServiceRequest

BOSTON_EXCERPT = EXCERPTS / "boston311-2015-excerpt.csv.gz"
SF_EXCERPT = EXCERPTS / "sf311-cases-sample-10000-excerpt.csv"
SF_JOINED_EXCERPT = EXCERPTS / "sf311-cases-sample-excerpt.csv"
LA_2017_EXCERPT = EXCERPTS / "la311-2017-excerpt.csv"
LA_2018_EXCERPT = EXCERPTS / "la311-2018-excerpt.csv"
LA_2020_EXCERPT = EXCERPTS / "la311-2020-excerpt.csv"
CHICAGO_EXCERPT = EXCERPTS / "chicago-open311-2014-excerpt.json"

BOSTON = DATA / "boston311-2015" / "boston311_2015_combined.csv.gz"
SF = DATA / "sf311-sample" / "cases_sample_10000(no-geo).csv"
SF_JOINED = DATA / "sf311-sample" / "cases_sample.csv"
LA_2017 = DATA / "la311-sample" / "MyLA311_Service_Request_Data_2017_Subset.csv"
LA_2018 = DATA / "la311-sample" / "2018_mini.csv"
LA_2020 = DATA / "la311-sample" / "requests.csv"
LA_COUNCIL_DISTRICTS = DATA / "la311-sample" / "la-city-council-districts-2012.json"
CHICAGO = DATA / "chicago-open311-2014" / "requests.json"


def records(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and records of a CSV file, plain or gzipped."""
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    header = next(reader)
    return header, [record for record in reader if record]


def by_column(header: list[str], record: list[str]) -> dict[str, str]:
    return dict(zip(header, record, strict=True))


def import_rows(format_name: str, tmp_path: Path, header: list[str], rows: list[list[str]]) -> str:
    """Imports records (real ones, some spoiled by the test) written to a CSV file of their own."""
    return run_import(format_name, csv_file(tmp_path, header, rows))


def stored_requests() -> tuple[int, list[Any]]:
    """All that an import stores of the requests: to compare before and after importing again."""
    return RequestUpdate.objects.count(), list(ServiceRequest.objects.order_by("id").values())
