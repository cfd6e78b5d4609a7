"""`cityline import boston311` on Boston's real 2015 cases."""

from datetime import UTC, datetime

import pytest
from django.core.management import CommandError

from cityline.catalog.models import Agency, ServiceType
from cityline.imports.cityrows import zipcode
from cityline.imports.formats.boston311 import closure_resolution, council_district, ward
from cityline.imports.tests.cities import (
    BOSTON,
    BOSTON_EXCERPT,
    by_column,
    import_rows,
    records,
    stored_requests,
)
from cityline.imports.tests.conftest import EXCERPT_2022, counts, run_import, whole_files
from cityline.servicerequests.models import (
    Channel,
    Resolution,
    ServiceRequest,
    Status,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "rows", "agencies"),
    [(BOSTON_EXCERPT, 275, 12), pytest.param(BOSTON, 121_145, 17, marks=whole_files(BOSTON))],
)
def test_it_imports_every_row_of_a_2015_file(path, rows, agencies):
    # when
    printed = run_import("boston311", path, "--no-progress")
    # then
    assert counts(printed) == {"created": rows, "updated": 0, "rejected": 0}
    assert ServiceRequest.objects.filter(source="boston311").count() == rows
    assert Agency.objects.count() == agencies


def test_a_closed_case_is_mapped_field_by_field():
    # when
    run_import("boston311", BOSTON_EXCERPT)
    # then
    request = ServiceRequest.objects.get(source="boston311", source_id="101001240734")
    assert request.tracking_number == "BOS-101001240734"
    assert request.requested_at == datetime(2015, 1, 1, 5, 20, 9, tzinfo=UTC)
    assert request.closed_at == datetime(2015, 1, 2, 14, 8, 42, tzinfo=UTC)
    assert request.updated_at == request.closed_at
    assert request.expected_at is None
    assert (request.status, request.resolution) == (Status.CLOSED, Resolution.NO_ACTION_NEEDED)
    assert request.status_notes == "Case Noted"
    assert request.description == "Other"
    assert request.channel == Channel.PHONE
    assert (request.agency.code, request.agency.name) == ("INFO", "Mayor's 24 Hour Hotline")
    assert (request.service_type.code, request.service_type.name) == (
        "notification",
        "Notification",
    )
    assert request.address == "33 Beacon St Boston MA 02108"
    assert request.zipcode == "02108"
    assert (request.latitude, request.longitude) == (42.3574, -71.0648)
    assert request.source_fields == {
        "queue": "INFO09_Current Events",
        "subject": "Mayor's 24 Hour Hotline",
        "reason": "Notification",
        "on_time_status": "ONTIME",
        "neighborhood": "Downtown / Financial District",
        "city_council_district": "8",
        "ward": "5",
        "precinct": "503",
        "police_district": "A1",
        "fire_district": "3",
        "pwd_district": "1B",
        "neighborhood_services_district": "14",
    }
    assert list(request.updates.values_list("kind", "status", "note")) == [
        ("closed", Status.CLOSED, "Case Noted")
    ]


def test_the_target_date_is_the_due_date():
    # when
    run_import("boston311", BOSTON_EXCERPT)
    # then
    request = ServiceRequest.objects.get(source_id="101001240735")
    assert request.expected_at == datetime(2015, 1, 16, 13, 30, tzinfo=UTC)
    assert request.resolution == Resolution.DUPLICATE
    header, rows = records(BOSTON_EXCERPT)
    with_target = sum(1 for row in rows if by_column(header, row)["TARGET_DT"])
    assert ServiceRequest.objects.filter(expected_at__isnull=False).count() == with_target


def test_the_default_city_hall_point_means_no_location():
    # given
    header, rows = records(BOSTON_EXCERPT)
    unplaced = {
        row[header.index("CASE_ENQUIRY_ID")]
        for row in rows
        if by_column(header, row)["Geocoded_Location"] == "(0, 0)"
    }
    assert unplaced
    # when
    run_import("boston311", BOSTON_EXCERPT)
    # then
    assert (
        set(
            ServiceRequest.objects.filter(latitude__isnull=True).values_list("source_id", flat=True)
        )
        == unplaced
    )
    assert not ServiceRequest.objects.filter(latitude=42.3594, longitude=-71.0587).exists()


def test_a_case_closed_before_it_was_opened_keeps_its_times():
    # given
    header, rows = records(BOSTON_EXCERPT)
    row = next(
        by_column(header, row)
        for row in rows
        if by_column(header, row)["CASE_ENQUIRY_ID"] == "101001371095"
    )
    assert (row["OPEN_DT"], row["CLOSED_DT"]) == (
        "05/06/2015 07:34:47 AM",
        "05/06/2015 07:34:36 AM",
    )
    # when
    run_import("boston311", BOSTON_EXCERPT)
    # then
    request = ServiceRequest.objects.get(source_id="101001371095")
    assert request.requested_at == datetime(2015, 5, 6, 11, 34, 47, tzinfo=UTC)
    assert request.closed_at == datetime(2015, 5, 6, 11, 34, 36, tzinfo=UTC)
    assert request.updated_at == request.requested_at


def test_open_cases_are_new_and_closed_ones_resolved():
    # given
    header, rows = records(BOSTON_EXCERPT)
    statuses = [by_column(header, row)["CASE_STATUS"] for row in rows]
    # when
    run_import("boston311", BOSTON_EXCERPT)
    # then
    assert ServiceRequest.objects.filter(status=Status.NEW).count() == statuses.count("Open")
    assert ServiceRequest.objects.filter(status=Status.CLOSED, closed_at__isnull=False).exclude(
        resolution=""
    ).count() == statuses.count("Closed")


def test_each_source_maps_to_a_channel():
    # given
    header, rows = records(BOSTON_EXCERPT)
    sources = {by_column(header, row)["Source"] for row in rows}
    assert {"Twitter", "Maximo Integration", "Constituent Call"} <= sources
    # when
    run_import("boston311", BOSTON_EXCERPT)
    # then
    for source, channel in (
        ("Constituent Call", Channel.PHONE),
        ("Citizens Connect App", Channel.MOBILE),
        ("Self Service", Channel.WEB),
        ("Employee Generated", Channel.STAFF),
        ("City Worker App", Channel.STAFF),
        ("Maximo Integration", Channel.STAFF),
        ("Twitter", Channel.SOCIAL),
    ):
        keys = {
            by_column(header, row)["CASE_ENQUIRY_ID"]
            for row in rows
            if by_column(header, row)["Source"] == source
        }
        assert set(
            ServiceRequest.objects.filter(source_id__in=keys).values_list("channel", flat=True)
        ) == {channel}, source


@pytest.mark.parametrize(
    ("written", "read"),
    [("2108.0", "02108"), ("2215.0", "02215"), ("02108", "02108"), ("", ""), ("n/a", "")],
)
def test_a_zip_code_written_as_a_float_gets_its_leading_zero_back(written, read):
    # when / then
    assert zipcode(written) == read


@pytest.mark.parametrize(
    ("written", "read"), [("Ward 5", "5"), ("05", "5"), ("Ward 18", "18"), ("", ""), ("x", "")]
)
def test_both_ways_of_writing_a_ward_are_one_ward(written, read):
    # when / then
    assert ward(written) == read


def test_council_district_zero_names_none():
    # when / then
    assert (council_district("8.0"), council_district("0.0"), council_district("")) == ("8", "", "")


@pytest.mark.parametrize(
    ("reason", "resolution"),
    [
        ("Case Resolved Work completed", Resolution.COMPLETED),
        ("Case Noted", Resolution.NO_ACTION_NEEDED),
        ("Case Invalid", Resolution.NO_ACTION_NEEDED),
        ("NOVIO: No Violation Found/No Cause", Resolution.NO_ACTION_NEEDED),
        ("Duplicate of Existing Case duplicate of existing w/o", Resolution.DUPLICATE),
        ("ADCLSD: Administratively Closed", Resolution.COMPLETED),
    ],
)
def test_the_closure_reason_tells_the_resolution(reason, resolution):
    # when / then
    assert closure_resolution(reason) == resolution


def test_bad_rows_are_rejected_with_reasons_and_the_rest_imported(tmp_path):
    # given real rows, some spoiled
    header, rows = records(BOSTON_EXCERPT)
    rows = rows[:10]
    column = header.index
    rows[1][column("CASE_STATUS")] = "Frobbed"
    rows[2][column("OPEN_DT")] = "yesterday"
    rows[3][column("OPEN_DT")] = ""
    rows[4][column("CLOSED_DT")] = ""
    rows[5][column("LATITUDE")] = "142.3"
    rows[6][column("TYPE")] = ""
    rows[7][column("CASE_ENQUIRY_ID")] = ""
    rows[8][column("TARGET_DT")] = "13/45/2015 10:00:00 AM"
    rows[9] = rows[9][:5]
    # when
    printed = import_rows("boston311", tmp_path, header, rows)
    # then
    assert counts(printed) == {"created": 1, "updated": 0, "rejected": 9}
    for reason in (
        "unknown CASE_STATUS 'Frobbed' (line 3)",
        "unreadable OPEN_DT (line 4)",
        "no OPEN_DT (line 5)",
        "Closed without a CLOSED_DT (line 6)",
        "LATITUDE/LONGITUDE out of range (line 7)",
        "no TYPE (line 8)",
        "no CASE_ENQUIRY_ID (line 9)",
        "unreadable TARGET_DT (line 10)",
        "wrong number of fields (5, header has 34) (line 11)",
    ):
        assert reason in printed


def test_importing_again_changes_nothing():
    # given
    run_import("boston311", BOSTON_EXCERPT)
    stored = stored_requests()
    # when
    printed = run_import("boston311", BOSTON_EXCERPT)
    # then
    assert counts(printed) == {"created": 0, "updated": 275, "rejected": 0}
    assert stored_requests() == stored
    assert "Catalog: 0 agencies and 0 service types added." in printed


def test_limit_reads_only_the_first_rows():
    # when
    printed = run_import("boston311", BOSTON_EXCERPT, "--limit", "20", "--batch-size", "7")
    # then
    assert counts(printed) == {"created": 20, "updated": 0, "rejected": 0}


def test_a_type_filed_only_by_city_workers_is_not_offered_to_residents():
    # when
    run_import("boston311", BOSTON_EXCERPT)
    # then
    staff_only = ServiceType.objects.filter(is_public=False)
    assert staff_only.exists()
    for service_type in staff_only:
        assert set(
            ServiceRequest.objects.filter(service_type=service_type).values_list(
                "channel", flat=True
            )
        ) == {Channel.STAFF}


def test_a_file_that_is_not_boston_311_is_refused():
    # when / then
    with pytest.raises(CommandError, match="not a Boston 311 file, no column case_enquiry_id"):
        run_import("boston311", EXCERPT_2022)
    assert not ServiceRequest.objects.exists()
