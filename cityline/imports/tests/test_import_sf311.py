"""`cityline import sf311` on San Francisco's real SF311 case samples."""

from datetime import UTC, datetime

import pytest
from django.core.management import CommandError

from cityline.imports.cityrows import agency_code_for
from cityline.imports.formats.sf311 import closing_resolution
from cityline.imports.tests.cities import (
    SF,
    SF_EXCERPT,
    SF_JOINED,
    SF_JOINED_EXCERPT,
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
    ("path", "rows"),
    [
        (SF_EXCERPT, 220),
        (SF_JOINED_EXCERPT, 153),
        pytest.param(SF, 10_000, marks=whole_files(SF)),
        pytest.param(SF_JOINED, 4_984, marks=whole_files(SF_JOINED)),
    ],
)
def test_it_imports_every_row_of_a_sample(path, rows):
    # when
    printed = run_import("sf311", path, "--no-progress")
    # then
    assert counts(printed) == {"created": rows, "updated": 0, "rejected": 0}


@whole_files(SF, SF_JOINED)
def test_the_cases_both_samples_hold_are_updated_not_duplicated():
    # given
    run_import("sf311", SF)
    # when
    printed = run_import("sf311", SF_JOINED)
    # then the 672 CaseIDs of both files
    assert counts(printed) == {"created": 4_984 - 672, "updated": 672, "rejected": 0}
    assert ServiceRequest.objects.count() == 10_000 + 4_984 - 672


def test_an_open_case_is_mapped_field_by_field():
    # when
    run_import("sf311", SF_EXCERPT)
    # then
    request = ServiceRequest.objects.get(source="sf311", source_id="3600298")
    assert request.tracking_number == "SF-3600298"
    assert request.requested_at == datetime(2014, 4, 30, 21, 51, 52, tzinfo=UTC)
    assert request.updated_at == datetime(2014, 4, 30, 22, 37, 59, tzinfo=UTC)
    assert (request.status, request.resolution, request.closed_at) == (Status.NEW, "", None)
    assert request.status_notes == "Open"
    assert request.description == "From_other_location"
    assert request.channel == Channel.PHONE
    assert (request.agency.code, request.agency.name) == ("puc-sewer-g", "PUC - Sewer - G")
    assert request.service_type.name == "Sewer Issues"
    assert request.address == "420 BERRY ST, SAN FRANCISCO, CA, 94107"
    assert request.zipcode == "94107"
    assert (request.latitude, request.longitude) == (37.774007256355, -122.395680023339)
    assert request.source_fields == {
        "request_type": "Odor",
        "supervisor_district": "6",
        "neighborhood": "Mission Bay",
    }


def test_na_is_no_value_and_iso_times_are_read():
    # when
    run_import("sf311", SF_JOINED_EXCERPT)
    # then
    request = ServiceRequest.objects.get(source_id="1757188")
    assert request.requested_at == datetime(2012, 12, 4, 23, 21, tzinfo=UTC)
    assert request.closed_at == datetime(2012, 12, 6, 12, 39, tzinfo=UTC)
    assert request.status_notes == ""
    assert "media_url" not in request.source_fields
    assert (request.latitude, request.longitude) == (37.797838468, -122.446243791)
    assert request.zipcode == "94123"


def test_a_case_without_a_point_has_no_location():
    # given
    header, rows = records(SF_EXCERPT)
    unplaced = {
        by_column(header, row)["CaseID"] for row in rows if not by_column(header, row)["Point"]
    }
    assert unplaced
    # when
    run_import("sf311", SF_EXCERPT)
    # then
    assert (
        set(
            ServiceRequest.objects.filter(latitude__isnull=True).values_list("source_id", flat=True)
        )
        == unplaced
    )


def test_a_case_closed_before_it_was_opened_keeps_its_times():
    # when
    run_import("sf311", SF_EXCERPT)
    # then
    closed = ServiceRequest.objects.filter(status=Status.CLOSED)
    early = [request for request in closed if request.closed_at < request.requested_at]
    assert early
    for request in early:
        assert request.updated_at >= request.requested_at


def test_each_source_maps_to_a_channel():
    # when
    run_import("sf311", SF_EXCERPT)
    # then
    expected = {
        "Voice In": Channel.PHONE,
        "Web Self Service": Channel.WEB,
        "Open311": Channel.OPEN311,
        "Twitter": Channel.SOCIAL,
        "e-mail In": Channel.EMAIL,
        "Integrated Agency": Channel.STAFF,
        "Other Department": Channel.STAFF,
        "Mail In": Channel.UNKNOWN,
    }
    header, rows = records(SF_EXCERPT)
    seen = set()
    for row in rows:
        fields = by_column(header, row)
        assert (
            ServiceRequest.objects.get(source_id=fields["CaseID"]).channel
            == expected[fields["Source"]]
        )
        seen.add(fields["Source"])
    assert {"Open311", "Twitter", "Integrated Agency"} <= seen


@pytest.mark.parametrize(
    ("notes", "resolution"),
    [
        ("Case Completed - resolved: Picked up", Resolution.COMPLETED),
        ("Case is a Duplicate - DUPLICATE", Resolution.DUPLICATE),
        ("Case Transferred - Per process", Resolution.REFERRED),
        ("Case is Invalid -", Resolution.NO_ACTION_NEEDED),
        ("DPT Abandoned Vehicles- Gone on arrival", Resolution.NO_ACTION_NEEDED),
        ("Case Completed - cancelled:", Resolution.CANCELLED),
        ("", Resolution.COMPLETED),
    ],
)
def test_the_status_notes_tell_a_closed_case_s_resolution(notes, resolution):
    # when / then
    assert closing_resolution(notes) == resolution


def test_a_long_queue_name_gets_a_code_of_its_own():
    # when
    one = agency_code_for("SFMTA - Temporary Sign Request Queue")
    two = agency_code_for("SFMTA - Temporary Sign Request Approved Queue")
    # then
    assert one != two
    assert len(one) <= 20 and len(two) <= 20
    assert one.startswith("sfmta-tempora")
    assert agency_code_for("DPW Ops Queue") == "dpw-ops-queue"


def test_bad_rows_are_rejected_with_reasons_and_the_rest_imported(tmp_path):
    # given real rows, some spoiled
    header, rows = records(SF_EXCERPT)
    rows = rows[:7]
    column = header.index
    rows[1][column("Status")] = "Frobbed"
    rows[2][column("Opened")] = "NA"
    rows[3][column("Point")] = "(137.7, -122.4)"
    rows[4][column("Category")] = "NA"
    rows[5][column("Status")], rows[5][column("Closed")] = "Closed", ""
    rows[5][column("Updated")] = ""
    rows[6][column("Responsible.Agency")] = ""
    # when
    printed = import_rows("sf311", tmp_path, header, rows)
    # then
    assert counts(printed) == {"created": 1, "updated": 0, "rejected": 6}
    for reason in (
        "unknown Status 'Frobbed' (line 3)",
        "no Opened (line 4)",
        "Point out of range (line 5)",
        "no Category (line 6)",
        "Closed without a Closed or Updated time (line 7)",
        "no Responsible Agency (line 8)",
    ):
        assert reason in printed


def test_importing_again_changes_nothing():
    # given
    run_import("sf311", SF_EXCERPT)
    stored = stored_requests()
    # when
    printed = run_import("sf311", SF_EXCERPT)
    # then
    assert counts(printed) == {"created": 0, "updated": 220, "rejected": 0}
    assert stored_requests() == stored


def test_a_file_that_is_not_sf311_is_refused():
    # when / then
    with pytest.raises(CommandError, match="not an SF311 file, no column caseid"):
        run_import("sf311", EXCERPT_2022)
