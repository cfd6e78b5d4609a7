"""`cityline import la311` on Los Angeles' real MyLA311 files, in their three layouts."""

from datetime import UTC, datetime

import pytest
from django.core.management import CommandError

from cityline.imports.tests.cities import (
    LA_2017,
    LA_2017_EXCERPT,
    LA_2018,
    LA_2018_EXCERPT,
    LA_2020,
    LA_2020_EXCERPT,
    LA_COUNCIL_DISTRICTS,
    by_column,
    import_rows,
    records,
    stored_requests,
)
from cityline.imports.tests.conftest import EXCERPT_2022, counts, run_import, whole_files
from cityline.servicerequests.models import (
    Channel,
    RequestArea,
    Resolution,
    ServiceRequest,
    Status,
)

pytestmark = pytest.mark.django_db

EXCERPTS = [(LA_2017_EXCERPT, 161), (LA_2018_EXCERPT, 157), (LA_2020_EXCERPT, 158)]


@pytest.mark.parametrize(
    ("path", "rows"),
    [
        *EXCERPTS,
        pytest.param(LA_2017, 9_999, marks=whole_files(LA_2017)),
        pytest.param(LA_2018, 10_000, marks=whole_files(LA_2018)),
        pytest.param(LA_2020, 10_000, marks=whole_files(LA_2020)),
    ],
)
def test_it_imports_every_row_of_each_layout(path, rows):
    # when
    printed = run_import("la311", path, "--no-progress")
    # then
    assert counts(printed) == {"created": rows, "updated": 0, "rejected": 0}
    assert ServiceRequest.objects.filter(source="la311").count() == rows


def test_a_2017_request_is_mapped_field_by_field():
    # when
    run_import("la311", LA_2017_EXCERPT)
    # then
    request = ServiceRequest.objects.get(source="la311", source_id="1-870704831")
    assert request.tracking_number == "LA-1-870704831"
    assert request.requested_at == datetime(2018, 1, 1, 7, 59, 58, tzinfo=UTC)
    assert request.closed_at == datetime(2018, 4, 9, 16, 18, 35, tzinfo=UTC)
    assert request.updated_at == datetime(2018, 4, 9, 16, 25, 28, tzinfo=UTC)
    assert (request.status, request.resolution) == (Status.CLOSED, Resolution.COMPLETED)
    assert request.channel == Channel.PHONE
    assert (request.agency.code, request.agency.name) == ("BOS", "Bureau of Sanitation")
    assert request.service_type.name == "Homeless Encampment"
    assert request.address == "2111 W BELLEVUE AVE, 90026"
    assert request.zipcode == "90026"
    assert (request.latitude, request.longitude) == (34.073216645, -118.266861909)
    assert request.source_fields == {
        "council_district": "13",
        "neighborhood_council": "44",
        "neighborhood_council_name": "GREATER ECHO PARK ELYSIAN NC",
        "area_planning_commission": "East Los Angeles APC",
        "police_precinct": "RAMPART",
        "assigned_to": "NC",
        "service_date": "01/05/2018 12:00:00 AM",
        "request_source": "Call",
    }


def test_a_2020_request_in_the_lower_case_layout_is_mapped_alike():
    # when
    run_import("la311", LA_2020_EXCERPT)
    # then
    request = ServiceRequest.objects.get(source_id="1-1523590121")
    assert request.requested_at == datetime(2020, 1, 1, 8, 5, tzinfo=UTC)
    assert request.closed_at == datetime(2020, 1, 2, 16, 43, tzinfo=UTC)
    assert request.service_type.name == "Illegal Dumping Pickup"
    assert request.agency.code == "BOS"
    assert request.source_fields["council_district"] == "6"
    assert request.source_fields["neighborhood_council"] == "19"


def test_statuses_map_to_ours_with_their_resolution():
    # given
    statuses = []
    for path, _ in EXCERPTS:
        header, rows = records(path)
        statuses += [
            (by_column(header, row).get("Status") or by_column(header, row)["status"])
            for row in rows
        ]
    assert {"Closed", "Cancelled", "Referred Out", "Open", "Pending"} <= set(statuses)
    # when
    for path, _ in EXCERPTS:
        run_import("la311", path)
    # then
    requests = ServiceRequest.objects
    assert requests.filter(status=Status.NEW).count() == statuses.count("Open")
    assert requests.filter(status=Status.ACKNOWLEDGED).count() == statuses.count("Pending")
    assert requests.filter(resolution=Resolution.CANCELLED).count() == statuses.count("Cancelled")
    assert requests.filter(resolution=Resolution.REFERRED).count() == statuses.count("Referred Out")
    assert requests.filter(resolution=Resolution.COMPLETED).count() == statuses.count("Closed")


def test_a_closed_request_without_a_closed_date_was_closed_by_its_last_update():
    # given
    header, rows = records(LA_2020_EXCERPT)
    row = next(
        by_column(header, row)
        for row in rows
        if by_column(header, row)["status"] == "Closed" and not by_column(header, row)["closeddate"]
    )
    # when
    run_import("la311", LA_2020_EXCERPT)
    # then
    request = ServiceRequest.objects.get(source_id=row["srnumber"])
    assert request.status == Status.CLOSED
    assert request.closed_at == request.updated_at
    assert request.closed_at is not None


def test_a_request_closed_before_it_was_created_keeps_its_times():
    # when
    run_import("la311", LA_2017_EXCERPT)
    # then
    early = ServiceRequest.objects.filter(closed_at__lt=datetime(2018, 1, 1, 8, tzinfo=UTC))
    assert early.exists()
    for request in ServiceRequest.objects.all():
        assert request.updated_at >= request.requested_at


def test_each_request_source_maps_to_a_channel():
    # when
    run_import("la311", LA_2017_EXCERPT)
    run_import("la311", LA_2018_EXCERPT)
    # then
    expected = {
        "Call": Channel.PHONE,
        "Mobile App": Channel.MOBILE,
        "Self Service": Channel.WEB,
        "Driver Self Report": Channel.STAFF,
        "Email": Channel.EMAIL,
        "Council's Office": Channel.STAFF,
        "Voicemail": Channel.PHONE,
        "Walk-in": Channel.WALK_IN,
        "Fax": Channel.UNKNOWN,
    }
    seen = set()
    for path in (LA_2017_EXCERPT, LA_2018_EXCERPT):
        header, rows = records(path)
        for row in rows:
            fields = by_column(header, row)
            request = ServiceRequest.objects.get(source_id=fields["SRNumber"])
            assert request.channel == expected[fields["RequestSource"]]
            seen.add(fields["RequestSource"])
    assert {"Fax", "Driver Self Report", "Email", "Mobile App"} <= seen


@whole_files(LA_COUNCIL_DISTRICTS)
def test_a_request_without_a_point_is_placed_in_the_council_district_it_names():
    # given
    run_import("boundaries", "council-districts", LA_COUNCIL_DISTRICTS, "--code-property", "name")
    header, rows = records(LA_2017_EXCERPT)
    unplaced = {
        by_column(header, row)["SRNumber"]: by_column(header, row)["CD"]
        for row in rows
        if not by_column(header, row)["Latitude"]
    }
    assert unplaced
    # when
    run_import("la311", LA_2017_EXCERPT)
    # then
    for key, district in unplaced.items():
        assert list(
            RequestArea.objects.filter(request__source_id=key).values_list("area__code", flat=True)
        ) == [district]
    linked = RequestArea.objects.filter(area__layer__slug="council-districts")
    assert linked.values("request").distinct().count() == len(rows)


def test_bad_rows_are_rejected_with_reasons_and_the_rest_imported(tmp_path):
    # given real rows, some spoiled
    header, rows = records(LA_2020_EXCERPT)
    rows = rows[:8]
    column = header.index
    rows[1][column("status")] = "Frobbed"
    rows[2][column("createddate")] = "2020-13-45 00:00:00"
    rows[3][column("owner")] = ""
    rows[4][column("latitude")] = "north"
    rows[5][column("requesttype")] = ""
    rows[6][column("status")], rows[6][column("closeddate")] = "Closed", ""
    rows[6][column("updateddate")] = ""
    rows[7][column("srnumber")] = ""
    # when
    printed = import_rows("la311", tmp_path, header, rows)
    # then
    assert counts(printed) == {"created": 1, "updated": 0, "rejected": 7}
    for reason in (
        "unknown Status 'Frobbed' (line 3)",
        "unreadable CreatedDate (line 4)",
        "no Owner (line 5)",
        "unreadable Latitude/Longitude (line 6)",
        "no RequestType (line 7)",
        "Closed without a ClosedDate or UpdatedDate (line 8)",
        "no SRNumber (line 9)",
    ):
        assert reason in printed


def test_importing_again_changes_nothing():
    # given
    for path, _ in EXCERPTS:
        run_import("la311", path)
    stored = stored_requests()
    # when
    printed = [run_import("la311", path) for path, _ in EXCERPTS]
    # then
    assert [counts(text)["created"] for text in printed] == [0, 0, 0]
    assert [counts(text)["updated"] for text in printed] == [rows for _, rows in EXCERPTS]
    assert stored_requests() == stored


def test_a_file_that_is_not_la_311_is_refused():
    # when / then
    with pytest.raises(CommandError, match="not a MyLA311 file, no column srnumber"):
        run_import("la311", EXCERPT_2022)
