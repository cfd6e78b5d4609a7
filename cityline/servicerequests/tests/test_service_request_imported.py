"""What an import adds to the requests it stored: history notes and duplicates' links."""

from datetime import UTC, datetime

import pytest

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.models import RequestUpdate, ServiceRequest, Status, UpdateKind
from cityline.servicerequests.services.bulk import HistoricRequest, service_request_bulk_upsert
from cityline.servicerequests.services.imported import (
    ImportedNote,
    service_request_imported_duplicates_link,
    service_request_imported_notes_add,
)

pytestmark = pytest.mark.django_db

OPENED = datetime(2014, 5, 1, 12, tzinfo=UTC)
CLOSED = datetime(2014, 5, 9, 12, tzinfo=UTC)


def imported(*keys: str, source: str = "chicago311", closed: bool = False) -> None:
    service_type = ServiceTypeFactory.create()
    service_request_bulk_upsert(
        rows=[
            HistoricRequest(
                source=source,
                source_id=key,
                tracking_number=f"{source}-{key}",
                service_type_id=service_type.pk,
                agency_id=service_type.agency_id,
                requested_at=OPENED,
                updated_at=CLOSED if closed else OPENED,
                status=Status.CLOSED if closed else Status.NEW,
                resolution="completed" if closed else "",
                closed_at=CLOSED if closed else None,
            )
            for key in keys
        ]
    )


def test_notes_are_added_once_with_the_status_they_were_written_in():
    # given
    imported("14-1", closed=True)
    notes = [
        ImportedNote("14-1", datetime(2014, 5, 3, tzinfo=UTC), "Final Outcome: inspected"),
        ImportedNote("14-1", CLOSED, "Follow-on closed"),
        ImportedNote("14-404", CLOSED, "of a request not stored"),
    ]
    # when
    first = service_request_imported_notes_add(source="chicago311", notes=notes)
    again = service_request_imported_notes_add(source="chicago311", notes=notes)
    # then
    assert (first, again) == (2, 0)
    entries = RequestUpdate.objects.filter(kind=UpdateKind.NOTE).order_by("occurred_at")
    assert [(entry.status, entry.resolution, entry.note) for entry in entries] == [
        (Status.IN_PROGRESS, "", "Final Outcome: inspected"),
        (Status.CLOSED, "completed", "Follow-on closed"),
    ]


def test_notes_go_to_the_request_of_their_own_source():
    # given
    imported("7", source="chicago311")
    imported("7", source="sf311")
    # when
    service_request_imported_notes_add(
        source="sf311", notes=[ImportedNote("7", OPENED, "Case accepted")]
    )
    # then
    entry = RequestUpdate.objects.get(kind=UpdateKind.NOTE)
    assert entry.request.source == "sf311"


def test_a_duplicate_is_linked_to_the_root_of_its_parent_once():
    # given a chain: 3 repeats 2, which repeats 1
    imported("1", "2", "3")
    service_request_imported_duplicates_link(source="chicago311", parents={"2": "1"})
    # when
    first = service_request_imported_duplicates_link(source="chicago311", parents={"3": "2"})
    again = service_request_imported_duplicates_link(source="chicago311", parents={"3": "2"})
    # then
    root = ServiceRequest.objects.get(source_id="1")
    assert ServiceRequest.objects.get(source_id="3").parent == root
    assert (first, again) == (1, 0)


def test_a_request_s_duplicates_follow_it_to_its_root():
    # given 2 repeats 1, and 3 repeats 2 before 2 was linked
    imported("1", "2", "3")
    service_request_imported_duplicates_link(source="chicago311", parents={"3": "2"})
    # when
    service_request_imported_duplicates_link(source="chicago311", parents={"2": "1"})
    # then
    root = ServiceRequest.objects.get(source_id="1")
    assert {r.source_id: r.parent for r in ServiceRequest.objects.exclude(pk=root.pk)} == {
        "2": root,
        "3": root,
    }


def test_a_parent_not_stored_and_a_request_repeating_itself_link_nothing():
    # given
    imported("1", "2")
    service_request_imported_duplicates_link(source="chicago311", parents={"2": "1"})
    # when
    linked = service_request_imported_duplicates_link(
        source="chicago311", parents={"1": "2", "2": "404"}
    )
    # then
    assert linked == 0
    assert ServiceRequest.objects.get(source_id="1").parent is None
