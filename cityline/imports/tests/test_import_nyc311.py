"""`cityline import nyc311` on real NYC Open Data files."""

import csv
import gzip
import io
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import OperationalError

from cityline.catalog.models import Agency, ServiceType
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.imports.tests.conftest import (
    BOROUGHS,
    COMMUNITY_DISTRICTS,
    EXCERPT_2013,
    EXCERPT_2022,
    EXCERPT_ELEVATOR,
    NYC_2013,
    NYC_2022,
    counts,
    csv_file,
    run_import,
    whole_files,
)
from cityline.knowledge.ranking import knowledge_search
from cityline.servicerequests.models import (
    Channel,
    RequestArea,
    RequestUpdate,
    Resolution,
    ServiceRequest,
    Status,
    UpdateKind,
)

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
WHOLE_2022 = whole_files(NYC_2022)
WHOLE_2013 = whole_files(NYC_2013)


def real_rows(path, count: int) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [next(reader) for _ in range(count)]


@pytest.mark.parametrize(
    ("path", "rows", "agencies", "service_types"),
    [(EXCERPT_2022, 300, 7, 20), pytest.param(NYC_2022, 924, 8, 37, marks=WHOLE_2022)],
)
def test_it_imports_every_row_of_a_2022_file(path, rows, agencies, service_types):
    # when
    printed = run_import("nyc311", path)
    # then
    assert counts(printed) == {"created": rows, "updated": 0, "rejected": 0}
    assert ServiceRequest.objects.filter(source="nyc311").count() == rows
    assert Agency.objects.count() == agencies
    assert ServiceType.objects.count() == service_types


@pytest.mark.parametrize(
    ("path", "in_the_board_of_the_file"),
    [(EXCERPT_2022, 19), pytest.param(NYC_2022, 23, marks=WHOLE_2022)],
)
def test_a_closed_2022_request_is_mapped_field_by_field(path, in_the_board_of_the_file):
    # given the city's zone is not New York's, so NYC times must not be read in it
    assert settings.TIME_ZONE != "America/New_York"
    # when
    run_import("nyc311", path)
    # then
    request = ServiceRequest.objects.select_related("agency", "service_type").get(
        source="nyc311", source_id="54046813"
    )
    assert request.tracking_number == "NYC-54046813"
    assert request.status == Status.CLOSED
    assert request.resolution == Resolution.COMPLETED
    assert request.status_notes == (
        "The Police Department responded to the complaint and took action to fix the condition."
    )
    # 05/01/2022 12:00:09 AM in New York is 04:00:09 UTC (daylight saving time)
    assert request.requested_at == datetime(2022, 5, 1, 4, 0, 9, tzinfo=UTC)
    assert request.requested_at.astimezone(NEW_YORK).strftime("%m/%d/%Y %I:%M:%S %p") == (
        "05/01/2022 12:00:09 AM"
    )
    assert request.closed_at == datetime(2022, 5, 1, 4, 7, 46, tzinfo=UTC)
    assert request.updated_at == datetime(2022, 5, 1, 4, 7, 53, tzinfo=UTC)
    assert request.expected_at is None
    assert (request.agency.code, request.agency.name) == ("NYPD", "New York City Police Department")
    assert request.service_type.code == "noise-street-sidewalk"
    assert request.service_type.name == "Noise - Street/Sidewalk"
    assert request.service_type.agency == request.agency
    assert request.service_type.is_public
    assert request.description == "Loud Music/Party"
    assert request.latitude == pytest.approx(40.81237834836466)
    assert request.longitude == pytest.approx(-73.95240115039357)
    assert request.h3_cell
    assert request.address == "364 WEST  127 STREET"
    assert request.zipcode == "10027"
    assert request.channel == Channel.MOBILE
    assert request.source_fields == {"community_board": "09 MANHATTAN", "borough": "MANHATTAN"}
    assert not request.answers.exists()  # NYC's fields are not answers to intake questions
    in_the_board = ServiceRequest.objects.filter(source_fields__community_board="09 MANHATTAN")
    assert request in in_the_board
    assert in_the_board.count() == in_the_board_of_the_file  # every row naming that board
    history = list(request.updates.values_list("kind", "status", "resolution", "occurred_at"))
    assert history == [
        (UpdateKind.CLOSED, Status.CLOSED, Resolution.COMPLETED, request.closed_at),
    ]


@pytest.mark.parametrize(
    ("path", "rows"), [(EXCERPT_2013, 300), pytest.param(NYC_2013, 2386, marks=WHOLE_2013)]
)
def test_a_2013_request_keeps_its_due_date_and_intersection(path, rows):
    # when
    printed = run_import("nyc311", path)
    # then
    assert counts(printed) == {"created": rows, "updated": 0, "rejected": 0}
    request = ServiceRequest.objects.get(source="nyc311", source_id="26986409")
    assert request.status == Status.ACKNOWLEDGED  # "Assigned"
    assert request.resolution == ""
    assert request.closed_at is None
    # 12/25/2013 11:52:24 PM in New York (standard time) is the 26th at 04:52:24 UTC
    assert request.requested_at == datetime(2013, 12, 26, 4, 52, 24, tzinfo=UTC)
    assert request.expected_at == datetime(2014, 1, 25, 4, 52, 24, tzinfo=UTC)
    assert request.updated_at == request.requested_at  # no Resolution Action Updated Date
    assert request.address == "NORTHERN BOULEVARD & ZION STREET"
    assert request.channel == Channel.UNKNOWN  # the 2013 layout has no channel column
    assert request.agency.code == "DOT"


@pytest.mark.parametrize(
    ("path", "closed", "new", "acknowledged", "in_progress"),
    [
        (EXCERPT_2013, 280, 8, 12, 0),
        # Closed 2302, Open 46, Pending 18 + Assigned 17, Started 3
        pytest.param(NYC_2013, 2302, 46, 35, 3, marks=WHOLE_2013),
    ],
)
def test_the_2013_statuses_map_to_ours(path, closed, new, acknowledged, in_progress):
    # when
    run_import("nyc311", path)
    # then
    statuses = dict(
        ServiceRequest.objects.filter(source_id__in=["26986409"]).values_list("source_id", "status")
    )
    assert statuses == {"26986409": Status.ACKNOWLEDGED}
    by_status = {
        status: ServiceRequest.objects.filter(status=status).count()
        for status in (Status.CLOSED, Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS)
    }
    assert by_status == {
        Status.CLOSED: closed,
        Status.NEW: new,
        Status.ACKNOWLEDGED: acknowledged,
        Status.IN_PROGRESS: in_progress,
    }
    assert not ServiceRequest.objects.filter(status=Status.CLOSED, resolution="").exists()


def test_a_gzipped_snake_case_file_is_read_by_its_magic_bytes(tmp_path):
    # given the elevator file, gzipped, under a name that does not say so
    disguised = tmp_path / "elevator.csv"
    disguised.write_bytes(EXCERPT_ELEVATOR.read_bytes())
    # when
    printed = run_import("nyc311", disguised, "--limit", "200")
    # then
    assert counts(printed) == {"created": 200, "updated": 0, "rejected": 0}
    request = ServiceRequest.objects.select_related("service_type").get(source_id="63582397")
    assert request.requested_at == datetime(2024, 12, 31, 14, 24, 11, tzinfo=UTC)
    # 2025-05-29 00:00:00 in New York is 04:00 UTC; the date-only update date is that midnight
    assert request.closed_at == datetime(2025, 5, 29, 4, 0, tzinfo=UTC)
    assert request.updated_at == datetime(2025, 5, 29, 4, 0, tzinfo=UTC)
    assert request.zipcode == "10032"  # written 10032.0 by pandas
    assert request.resolution == Resolution.NO_ACTION_NEEDED
    assert request.channel == Channel.UNKNOWN
    assert (request.service_type.code, request.service_type.name) == ("elevator", "Elevator")


def test_a_plain_file_named_gz_is_read_as_plain(tmp_path):
    # given
    misnamed = tmp_path / "requests.csv.gz"
    misnamed.write_bytes(EXCERPT_2022.read_bytes())
    # when
    printed = run_import("nyc311", misnamed, "--limit", "10")
    # then
    assert counts(printed)["created"] == 10


TWO_2022_FILES = pytest.mark.parametrize(
    ("path", "rows"), [(EXCERPT_2022, 300), pytest.param(NYC_2022, 924, marks=WHOLE_2022)]
)


@TWO_2022_FILES
def test_gzip_and_plain_give_the_same_requests(tmp_path, path, rows):
    # given
    zipped = tmp_path / "2022.csv.gz"
    zipped.write_bytes(gzip.compress(path.read_bytes()))
    run_import("nyc311", path)
    before = set(ServiceRequest.objects.values_list("source_id", "status", "updated_at"))
    # when
    printed = run_import("nyc311", zipped)
    # then
    assert counts(printed) == {"created": 0, "updated": rows, "rejected": 0}
    assert set(ServiceRequest.objects.values_list("source_id", "status", "updated_at")) == before


@TWO_2022_FILES
def test_importing_again_updates_and_never_duplicates(path, rows):
    # given
    run_import("nyc311", path)
    stored = (
        ServiceRequest.objects.count(),
        RequestUpdate.objects.count(),
        list(
            ServiceRequest.objects.order_by("id").values_list(
                "id", "tracking_number", "token", "source_fields"
            )
        ),
    )
    # when
    printed = run_import("nyc311", path)
    # then
    assert counts(printed) == {"created": 0, "updated": rows, "rejected": 0}
    assert (
        ServiceRequest.objects.count(),
        RequestUpdate.objects.count(),
        list(
            ServiceRequest.objects.order_by("id").values_list(
                "id", "tracking_number", "token", "source_fields"
            )
        ),
    ) == stored
    assert "Catalog: 0 agencies and 0 service types added." in printed


def test_a_request_closed_since_the_last_import_is_updated_with_a_closed_entry(tmp_path):
    # given a request imported while still in progress
    header, rows = real_rows(EXCERPT_2022, 1)
    key, status = header.index("Unique Key"), header.index("Status")
    closed, notes = header.index("Closed Date"), header.index("Resolution Description")
    assert rows[0][status] == "In Progress"
    run_import("nyc311", csv_file(tmp_path, header, rows, "before.csv"))
    # when it comes again, closed
    rows[0][status], rows[0][closed] = "Closed", "05/01/2022 01:15:00 AM"
    rows[0][notes] = "The Police Department responded and upon arrival those responsible were gone."
    printed = run_import("nyc311", csv_file(tmp_path, header, rows, "after.csv"))
    # then
    assert counts(printed) == {"created": 0, "updated": 1, "rejected": 0}
    request = ServiceRequest.objects.get(source_id=rows[0][key])
    assert (request.status, request.resolution) == (Status.CLOSED, Resolution.NO_ACTION_NEEDED)
    assert request.closed_at == datetime(2022, 5, 1, 5, 15, tzinfo=UTC)
    assert list(request.updates.values_list("kind", flat=True)) == [
        UpdateKind.CREATED,
        UpdateKind.CLOSED,
    ]


def test_limit_reads_only_the_first_rows():
    # given
    _, first = real_rows(EXCERPT_2022, 25)
    # when
    printed = run_import("nyc311", EXCERPT_2022, "--limit", "25", "--batch-size", "10")
    # then
    assert counts(printed) == {"created": 25, "updated": 0, "rejected": 0}
    assert set(ServiceRequest.objects.values_list("source_id", flat=True)) == {
        row[0] for row in first
    }


def test_bad_rows_are_rejected_with_reasons_and_the_rest_imported(tmp_path):
    # given six real rows spoilt in six ways, between three good ones
    header, rows = real_rows(EXCERPT_2022, 9)
    col = {name: i for i, name in enumerate(header)}
    rows[1][col["Latitude"]] = "200.5"
    rows[2][col["Unique Key"]] = ""
    rows[3][col["Created Date"]] = "yesterday"
    rows[5][col["Status"]] = "Frobbed"
    rows[6] = rows[6][:10]
    rows[7][col["Longitude"]] = "west"
    path = csv_file(tmp_path, header, rows)
    # when
    printed = run_import("nyc311", path)
    # then the file's lines are the header (1) and rows 2-10
    assert counts(printed) == {"created": 3, "updated": 0, "rejected": 6}
    assert "Latitude/Longitude out of range (line 3)" in printed
    assert "no Unique Key (line 4)" in printed
    assert "unreadable Created Date (line 5)" in printed
    assert "unknown Status 'Frobbed' (line 7)" in printed
    assert "wrong number of fields (10, header has 41) (line 8)" in printed
    assert "unreadable Latitude/Longitude (line 9)" in printed
    good = {rows[i][col["Unique Key"]] for i in (0, 4, 8)}
    assert set(ServiceRequest.objects.values_list("source_id", flat=True)) == good


def test_rejections_count_each_reason_with_a_few_example_lines(tmp_path):
    # given eight rows out of range
    header, rows = real_rows(EXCERPT_2022, 8)
    for row in rows:
        row[header.index("Longitude")] = "-273.9"
    # when
    printed = run_import("nyc311", csv_file(tmp_path, header, rows))
    # then
    assert counts(printed)["rejected"] == 8
    assert "        8  Latitude/Longitude out of range (lines 2, 3, 4, 5, 6, …)" in printed
    assert not ServiceRequest.objects.exists()


def test_a_row_without_a_place_keeps_no_location(tmp_path):
    # given
    header, rows = real_rows(EXCERPT_2022, 1)
    rows[0][header.index("Latitude")] = rows[0][header.index("Longitude")] = ""
    # when
    run_import("nyc311", csv_file(tmp_path, header, rows))
    # then
    request = ServiceRequest.objects.get()
    assert (request.latitude, request.longitude, request.h3_cell) == (None, None, "")


def test_the_printed_summary():
    # when
    printed = run_import("nyc311", EXCERPT_2022, "--limit", "30")
    # then
    lines = printed.splitlines()
    assert re.fullmatch(
        rf"Read 30 rows of {re.escape(str(EXCERPT_2022))} in [\d.]+ s \([\d,]+ rows/s\)\.", lines[0]
    )
    assert lines[1:] == [
        "  imported (created): 30",
        "  updated:            0",
        "  rejected:           0",
        "Catalog: 2 agencies and 8 service types added.",
    ]


@pytest.mark.parametrize(
    ("path", "at_least"), [(EXCERPT_2022, 50), pytest.param(NYC_2022, 100, marks=WHOLE_2022)]
)
def test_agencies_and_types_already_in_the_catalog_are_reused_as_they_are(path, at_least):
    # given
    nypd = AgencyFactory(code="NYPD", name="Police")
    noise = ServiceTypeFactory(code="noise-residential", name="Loud neighbours", agency=nypd)
    # when
    run_import("nyc311", path)
    # then
    nypd.refresh_from_db()
    noise.refresh_from_db()
    assert nypd.name == "Police"
    assert noise.name == "Loud neighbours"
    assert ServiceRequest.objects.filter(service_type=noise).count() > at_least


def test_a_type_seen_only_from_city_staff_is_not_offered_to_residents(tmp_path):
    # given a type that only agencies entered, and one entered by staff then by a resident
    header, rows = real_rows(EXCERPT_2022, 3)
    col = {name: i for i, name in enumerate(header)}
    for row, type_name, channel in zip(
        rows,
        ["Sidewalk Inspection", "Derelict Vehicles", "Derelict Vehicles"],
        ["OTHER", "OTHER", "PHONE"],
        strict=True,
    ):
        row[col["Complaint Type"]], row[col["Open Data Channel Type"]] = type_name, channel
    # when
    run_import("nyc311", csv_file(tmp_path, header, rows))
    # then
    assert dict(ServiceType.objects.values_list("code", "is_public")) == {
        "sidewalk-inspection": False,
        "derelict-vehicles": True,
    }
    assert ServiceRequest.objects.filter(channel=Channel.STAFF).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_type_a_resident_files_after_staff_becomes_searchable(tmp_path):
    # given a type first entered by staff, so created staff-only, then filed by a resident
    header, rows = real_rows(EXCERPT_2022, 2)
    col = {name: i for i, name in enumerate(header)}
    for row, channel in zip(rows, ["OTHER", "PHONE"], strict=True):
        row[col["Complaint Type"]], row[col["Open Data Channel Type"]] = (
            "Derelict Vehicles",
            channel,
        )
    # when
    run_import("nyc311", csv_file(tmp_path, header, rows))
    # then
    results = knowledge_search(query="derelict vehicles", language="en")
    assert [result.key for result in results] == ["derelict-vehicles"]


@whole_files(NYC_2022, COMMUNITY_DISTRICTS)
def test_areas_are_assigned_when_the_community_districts_are_imported_first(
    community_districts,
):
    # when
    run_import("nyc311", NYC_2022)

    # then
    def districts(source_id: str) -> list[str]:
        return list(
            RequestArea.objects.filter(
                request__source_id=source_id, area__layer__slug="community-districts"
            ).values_list("area__code", flat=True)
        )

    assert districts("54046813") == ["109"]  # at its point, and its board is 09 MANHATTAN
    assert districts("54053391") == ["503"]  # no point: the board it names, 03 STATEN ISLAND
    # every request but the ten with neither a point nor a board ("Unspecified QUEENS")
    linked = RequestArea.objects.filter(area__layer__slug="community-districts")
    assert linked.values("request").distinct().count() == 924 - 10


@whole_files(BOROUGHS)
def test_the_borough_named_is_linked_when_the_boroughs_layer_exists(tmp_path):
    # given the boroughs, and a request with neither point nor board
    run_import("boundaries", "boroughs", BOROUGHS, "--code-property", "BoroCode")
    header, rows = real_rows(EXCERPT_2022, 1)
    col = {name: i for i, name in enumerate(header)}
    rows[0][col["Latitude"]] = rows[0][col["Longitude"]] = ""
    rows[0][col["Community Board"]], rows[0][col["Borough"]] = "Unspecified QUEENS", "QUEENS"
    # when
    run_import("nyc311", csv_file(tmp_path, header, rows))
    # then
    request = ServiceRequest.objects.get()
    assert list(request.areas.values_list("layer__slug", "code")) == [("boroughs", "4")]
    assert request.source_fields == {"borough": "QUEENS"}


@whole_files(BOROUGHS)
def test_a_file_that_is_not_nyc_311_is_refused():
    # when / then
    with pytest.raises(
        CommandError, match="not a NYC 311 file, no column Unique Key, Created Date"
    ):
        run_import("nyc311", BOROUGHS)
    assert not ServiceRequest.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    # when / then
    with pytest.raises(CommandError, match="No such file"):
        run_import("nyc311", tmp_path / "nowhere.csv")


def test_an_empty_file_is_a_clear_error(tmp_path):
    # given
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    # when / then
    with pytest.raises(CommandError, match="no CSV header"):
        run_import("nyc311", empty)


@TWO_2022_FILES
def test_a_truncated_gzip_keeps_what_was_read_and_says_so(tmp_path, path, rows):
    # given
    whole = gzip.compress(path.read_bytes())
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    # when
    printed = run_import("nyc311", cut)
    # then
    assert "the file ends early or is damaged" in printed
    assert 100 < ServiceRequest.objects.count() < rows


def test_no_progress_bar_is_drawn_when_stderr_is_not_a_terminal():
    # given
    err = io.StringIO()
    # when
    call_command(
        "import", "nyc311", str(EXCERPT_2022), "--limit", "5", stdout=io.StringIO(), stderr=err
    )
    # then
    assert err.getvalue() == ""


def test_a_database_failure_stops_the_import_and_keeps_the_batches_before(monkeypatch):
    # given a database that fails on the second batch
    from cityline.imports import pipeline

    calls = []
    real_store = pipeline.service_request_bulk_store

    def failing_store(*, prepared):
        calls.append(len(prepared.rows))
        if len(calls) == 2:
            raise OperationalError("disk I/O error")
        return real_store(prepared=prepared)

    monkeypatch.setattr(pipeline, "service_request_bulk_store", failing_store)
    out = io.StringIO()
    # when
    with pytest.raises(CommandError, match=r"the database stopped the import \(disk I/O error\)"):
        call_command(
            "import",
            "nyc311",
            str(EXCERPT_2022),
            "--limit",
            "30",
            "--batch-size",
            "10",
            stdout=out,
            stderr=io.StringIO(),
        )
    # then
    assert calls == [10, 10]
    assert ServiceRequest.objects.count() == 10
    assert counts(out.getvalue())["created"] == 10


@pytest.mark.parametrize(
    "created", ["12/31/9999 11:59:59 PM", "9999-12-31T23:59:59", "01/01/0001 12:00:00 AM"]
)
def test_a_date_at_the_ends_of_the_calendar_rejects_its_row(tmp_path, created):
    # given
    header, rows = real_rows(EXCERPT_2022, 2)
    col = {name: i for i, name in enumerate(header)}
    rows[0][col["Created Date"]] = created
    path = csv_file(tmp_path, header, rows)
    # when
    printed = run_import("nyc311", path)
    # then
    assert counts(printed) == {"created": 1, "updated": 0, "rejected": 1}
    assert "unreadable Created Date (line 2)" in printed
    assert list(ServiceRequest.objects.values_list("source_id", flat=True)) == [
        rows[1][col["Unique Key"]]
    ]
