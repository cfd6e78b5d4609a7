"""`cityline import open311json` on Chicago's real Open311 requests (GeoReport v2, extensions)."""

import gzip
import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError

from cityline.imports.formats import open311json
from cityline.imports.formats.open311json import JsonArrayItems
from cityline.imports.tests.cities import CHICAGO, CHICAGO_EXCERPT
from cityline.imports.tests.conftest import EXCERPT_2022, counts, run_import, whole_files
from cityline.servicerequests.models import (
    Channel,
    RequestAnswer,
    RequestUpdate,
    Resolution,
    ServiceRequest,
    Status,
    UpdateKind,
)

pytestmark = pytest.mark.django_db

CHICAGO_OPTIONS = ("--source", "chicago311", "--no-progress")


def requests_of(path) -> list[dict]:
    return json.loads(path.read_text())


def json_file(tmp_path, items, name="requests.json"):
    path = tmp_path / name
    path.write_text(json.dumps(items, indent=1))
    return path


def history_notes(items: list[dict]) -> int:
    """The notes of these requests that are not their opening or closing."""
    return sum(
        1 for item in items for note in item["notes"] if note["type"] not in ("opened", "closed")
    )


@pytest.mark.parametrize(
    ("path", "rows"), [(CHICAGO_EXCERPT, 30), pytest.param(CHICAGO, 50, marks=whole_files(CHICAGO))]
)
def test_it_imports_every_request_with_its_notes(path, rows):
    # when
    printed = run_import("open311json", path, *CHICAGO_OPTIONS)
    # then
    assert counts(printed) == {"created": rows, "updated": 0, "rejected": 0}
    notes = history_notes(requests_of(path))
    assert f"History: {notes} notes added; 0 duplicates linked" in printed
    assert RequestUpdate.objects.filter(kind=UpdateKind.NOTE).count() == notes


def test_a_closed_request_is_mapped_field_by_field():
    # when
    run_import("open311json", CHICAGO_EXCERPT, *CHICAGO_OPTIONS)
    # then
    request = ServiceRequest.objects.get(source="chicago311", source_id="14-00684314")
    assert request.tracking_number == "CHICAGO311-14-00684314"
    assert request.requested_at == datetime(2014, 5, 10, 0, 2, 21, tzinfo=UTC)
    assert request.closed_at == datetime(2015, 10, 10, 15, 15, 40, tzinfo=UTC)
    assert request.updated_at == request.closed_at
    assert (request.status, request.resolution) == (Status.CLOSED, Resolution.COMPLETED)
    assert request.status_notes == "CDOT Inspect Public Way Survey Transfer Outcome"
    assert request.channel == Channel.PHONE
    assert request.agency.name == "Division of In-House Construction CDOT"
    assert request.service_type.name == "Pothole in Street"
    assert request.address == "1200 W 81ST ST, CHICAGO, IL, 60620"
    assert request.zipcode == "60620"
    assert (request.latitude, request.longitude) == (41.74685764200721, -87.6536401592609)
    assert request.source_fields == {
        "service_code": "4fd3b656e750846c53000004",
        "police": "6",
        "zip": "60620",
        "ward": "21",
    }
    assert list(
        RequestAnswer.objects.filter(request=request).values_list("attribute_code", "value")
    ) == [("WHEREIST", "TRAFFIC")]


def test_notes_become_the_request_s_history():
    # when
    run_import("open311json", CHICAGO_EXCERPT, *CHICAGO_OPTIONS)
    # then
    request = ServiceRequest.objects.get(source_id="14-00684314")
    assert list(request.updates.values_list("kind", "status", "note", "occurred_at")) == [
        (
            UpdateKind.NOTE,
            Status.IN_PROGRESS,
            "Final Outcome: CDOT Inspect Public Way Survey Transfer Outcome",
            datetime(2014, 7, 29, 19, 11, tzinfo=UTC),
        ),
        (
            UpdateKind.NOTE,
            Status.IN_PROGRESS,
            "Follow-on Inspect Public Way Construction Created: "
            "Inspect Public Way Survey #14-01225670 created for Transportation",
            datetime(2014, 7, 29, 19, 11, 58, tzinfo=UTC),
        ),
        (
            UpdateKind.NOTE,
            Status.IN_PROGRESS,
            "Follow-on CDOT Recommended Restoration Created: "
            "CDOT Recommended Restoration #14-01235584 created for Water Management",
            datetime(2014, 7, 30, 20, 18, 47, tzinfo=UTC),
        ),
        (
            UpdateKind.NOTE,
            Status.IN_PROGRESS,
            "Follow-on Inspect Public Way Construction Closed: "
            "Inspect Public Way Survey #14-01225670 closed by Transportation",
            datetime(2014, 7, 30, 20, 18, 48, tzinfo=UTC),
        ),
        (
            UpdateKind.NOTE,
            Status.IN_PROGRESS,
            "Follow-on CDOT Recommended Restoration Closed: "
            "CDOT Recommended Restoration #14-01235584 closed by Water Management",
            datetime(2015, 10, 10, 15, 15, 39, tzinfo=UTC),
        ),
        (
            UpdateKind.CLOSED,
            Status.CLOSED,
            "CDOT Inspect Public Way Survey Transfer Outcome",
            datetime(2015, 10, 10, 15, 15, 40, tzinfo=UTC),
        ),
    ]


def test_channels_come_from_the_extended_attributes():
    # given
    items = requests_of(CHICAGO_EXCERPT)
    # when
    run_import("open311json", CHICAGO_EXCERPT, *CHICAGO_OPTIONS)
    # then
    expected = {"phone": Channel.PHONE, "web": Channel.WEB, "open311": Channel.OPEN311}
    assert {item["extended_attributes"]["channel"] for item in items} == set(expected)
    for item in items:
        assert (
            ServiceRequest.objects.get(source_id=item["service_request_id"]).channel
            == expected[item["extended_attributes"]["channel"]]
        )


def test_a_duplicate_is_resolved_so_and_keeps_its_parent_s_id_until_the_parent_comes():
    # when
    printed = run_import("open311json", CHICAGO_EXCERPT, *CHICAGO_OPTIONS)
    # then the parent, a 2015 request, is not in the file
    duplicate = ServiceRequest.objects.get(source_id="14-02155558")
    assert duplicate.resolution == Resolution.DUPLICATE
    assert duplicate.parent is None
    assert duplicate.source_fields["parent_service_request_id"] == "15-05164921"
    assert "0 duplicates linked" in printed
    # a follow-on's parent is kept, but it is no duplicate
    follow_on = ServiceRequest.objects.get(source_id="14-02126535")
    assert follow_on.source_fields["parent_service_request_id"] == "14-01212552"
    assert follow_on.resolution != Resolution.DUPLICATE


def test_a_duplicate_is_linked_to_its_parent_once_both_are_stored(tmp_path):
    # given the duplicate, and its parent made of another real request
    items = requests_of(CHICAGO_EXCERPT)
    duplicate = next(item for item in items if item["service_request_id"] == "14-02155558")
    parent = dict(items[0], service_request_id="15-05164921")
    run_import("open311json", json_file(tmp_path, [duplicate], "first.json"), *CHICAGO_OPTIONS)
    # when the parent comes, with the duplicate again
    printed = run_import(
        "open311json", json_file(tmp_path, [parent, duplicate], "second.json"), *CHICAGO_OPTIONS
    )
    # then
    assert "1 duplicate linked to the request they repeat" in printed
    linked = ServiceRequest.objects.get(source_id="14-02155558")
    assert linked.parent == ServiceRequest.objects.get(source_id="15-05164921")
    # and again: nothing changes
    printed = run_import(
        "open311json", json_file(tmp_path, [parent, duplicate], "second.json"), *CHICAGO_OPTIONS
    )
    assert "History: 0 notes added; 0 duplicates linked" in printed


def test_importing_again_changes_nothing():
    # given
    run_import("open311json", CHICAGO_EXCERPT, *CHICAGO_OPTIONS)
    stored = (
        list(RequestUpdate.objects.order_by("id").values()),
        list(ServiceRequest.objects.order_by("id").values()),
        RequestAnswer.objects.count(),
    )
    # when
    printed = run_import("open311json", CHICAGO_EXCERPT, *CHICAGO_OPTIONS)
    # then
    assert counts(printed) == {"created": 0, "updated": 30, "rejected": 0}
    assert "History: 0 notes added; 0 duplicates linked" in printed
    assert (
        list(RequestUpdate.objects.order_by("id").values()),
        list(ServiceRequest.objects.order_by("id").values()),
        RequestAnswer.objects.count(),
    ) == stored


def test_a_gzipped_file_and_a_limit(tmp_path):
    # given
    packed = tmp_path / "requests.json.gz"
    packed.write_bytes(gzip.compress(CHICAGO_EXCERPT.read_bytes()))
    # when
    printed = run_import("open311json", packed, *CHICAGO_OPTIONS, "--limit", "5")
    # then
    assert counts(printed) == {"created": 5, "updated": 0, "rejected": 0}
    assert set(ServiceRequest.objects.values_list("source_id", flat=True)) == {
        item["service_request_id"] for item in requests_of(CHICAGO_EXCERPT)[:5]
    }


def test_bad_requests_are_rejected_with_reasons_and_their_lines(tmp_path):
    # given real requests, some spoiled
    items = requests_of(CHICAGO_EXCERPT)[:8]
    items[1]["status"] = "frobbed"
    items[2]["requested_datetime"] = "someday"
    del items[3]["service_request_id"]
    items[4]["lat"] = 141.9
    items[5]["notes"][1]["datetime"] = "later"
    items[6] = ["not", "a", "request"]
    del items[7]["service_name"], items[7]["service_code"]
    path = tmp_path / "requests.json"
    path.write_text("[\n" + ",\n".join(json.dumps(item) for item in items) + "\n]\n")
    # when
    printed = run_import("open311json", path, *CHICAGO_OPTIONS)
    # then
    assert counts(printed) == {"created": 1, "updated": 0, "rejected": 7}
    for reason in (
        "unknown status 'frobbed' (line 3)",
        "unreadable requested_datetime (line 4)",
        "no service_request_id (line 5)",
        "lat/long out of range (line 6)",
        "unreadable note datetime (line 7)",
        "not a JSON object (line 8)",
        "no service_name or service_code (line 9)",
    ):
        assert reason in printed


def test_a_file_broken_midway_keeps_the_requests_before(tmp_path):
    # given
    items = requests_of(CHICAGO_EXCERPT)[:3]
    text = json.dumps(items, indent=1)
    broken = tmp_path / "broken.json"
    broken.write_text(text[: text.rindex("service_request_id")] + "oops")
    # when
    printed = run_import("open311json", broken, *CHICAGO_OPTIONS)
    # then
    assert counts(printed) == {"created": 2, "updated": 0, "rejected": 1}
    assert "unreadable JSON" in printed


@pytest.mark.parametrize("block", [1, 7, 64, 1 << 16])
def test_the_array_is_read_block_by_block_as_a_whole_read_would(monkeypatch, block):
    # given
    monkeypatch.setattr(open311json, "_READ_SIZE", block)
    text = CHICAGO_EXCERPT.read_text()
    # when
    items = list(JsonArrayItems(io.StringIO(text), name="requests.json"))
    # then
    assert [item for _, item in items] == json.loads(text)
    lines = text.splitlines()
    assert all(lines[line - 1].strip() == "{" for line, _ in items)
    assert items[0][0] == 2


def test_numbers_cut_by_a_block_are_read_whole(monkeypatch):
    # given
    monkeypatch.setattr(open311json, "_READ_SIZE", 2)
    # when
    items = list(JsonArrayItems(io.StringIO("[12345, 6.5e3,\n true]"), name="x"))
    # then
    assert items == [(1, 12345), (1, 6500.0), (2, True)]


def test_an_open311_error_document_is_told_as_such(tmp_path):
    # given what a server answers to a bad api_key
    error = tmp_path / "error.json"
    error.write_text('[{"code": 403, "description": "Invalid api_key"}]')
    # when
    printed = run_import("open311json", error, *CHICAGO_OPTIONS)
    # then
    assert counts(printed) == {"created": 0, "updated": 0, "rejected": 1}
    assert "an Open311 error, not a request (line 1)" in printed


def test_a_string_in_the_array_is_no_request(tmp_path):
    # given
    strange = tmp_path / "strange.json"
    strange.write_text('["no request here"]')
    # when
    printed = run_import("open311json", strange, *CHICAGO_OPTIONS)
    # then
    assert "not a JSON object (line 1)" in printed


def test_a_file_that_is_not_an_array_of_requests_is_refused(tmp_path):
    # given
    error = tmp_path / "error.json"
    error.write_text('{"code": 403, "description": "Invalid api_key"}')
    # when / then
    with pytest.raises(CommandError, match="not Open311 requests JSON"):
        run_import("open311json", error, *CHICAGO_OPTIONS)
    with pytest.raises(CommandError, match="not Open311 requests JSON"):
        run_import("open311json", EXCERPT_2022, *CHICAGO_OPTIONS)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((), "the following arguments are required: --source"),
        (("--source", "Chicago 311"), "lower-case letters"),
        (("--source", "chicago311", "--time-zone", "Mars/Olympus"), "is not a time zone"),
    ],
)
def test_bad_options_are_clear_errors(arguments, message):
    # when / then
    with pytest.raises(CommandError, match=message):
        run_import("open311json", CHICAGO_EXCERPT, *arguments)


def test_times_without_an_offset_are_in_the_zone_given(tmp_path):
    # given
    item = dict(requests_of(CHICAGO_EXCERPT)[0], requested_datetime="2014-05-09T19:02:21")
    # when
    run_import(
        "open311json",
        json_file(tmp_path, [item]),
        *CHICAGO_OPTIONS,
        "--time-zone",
        "America/Chicago",
    )
    # then
    assert ServiceRequest.objects.get().requested_at == datetime(2014, 5, 10, 0, 2, 21, tzinfo=UTC)
