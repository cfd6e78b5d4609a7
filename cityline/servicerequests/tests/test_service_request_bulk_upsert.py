"""Loading historic requests in bulk: what importers and the demo city rely on."""

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core.inserts.rows import RowWriter
from cityline.geo.tests.factories import BoundaryAreaFactory, BoundaryLayerFactory, square
from cityline.servicerequests.models import (
    Channel,
    RequestAnswer,
    RequestUpdate,
    Resolution,
    ServiceRequest,
    Status,
    UpdateKind,
    Visibility,
)
from cityline.servicerequests.services.bulk import (
    HistoricRequest,
    service_request_bulk_upsert,
)

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
OPENED = datetime(2024, 6, 1, 14, 30, 5, tzinfo=UTC)
CLOSED = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)
# Inside the west square below, and outside both.
WEST_POINT = (41.85, -87.75)
NOWHERE = (10.0, 10.0)


def historic(service_type, key: str, **fields) -> HistoricRequest:
    values = {
        "source": "test",
        "source_id": key,
        "tracking_number": f"T-{key}",
        "service_type_id": service_type.pk,
        "agency_id": service_type.agency_id,
        "requested_at": OPENED,
        "updated_at": OPENED,
    }
    values.update(fields)
    return HistoricRequest(**values)


def closed(service_type, key: str, **fields) -> HistoricRequest:
    return historic(
        service_type,
        key,
        status=Status.CLOSED,
        resolution=Resolution.COMPLETED,
        closed_at=CLOSED,
        updated_at=CLOSED,
        status_notes="Fixed.",
        **fields,
    )


@pytest.fixture
def service_type():
    return ServiceTypeFactory()


@pytest.fixture
def districts():
    layer = BoundaryLayerFactory(slug="districts")
    return {
        "west": BoundaryAreaFactory(
            layer=layer, code="W", geometry=square(west=-87.8, south=41.8, size=0.1)
        ),
        "east": BoundaryAreaFactory(
            layer=layer, code="E", geometry=square(west=-87.7, south=41.8, size=0.1)
        ),
    }


@time_machine.travel(datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC), tick=False)
def test_new_requests_are_stored_with_every_field(service_type):
    # given
    row = closed(
        service_type,
        "1",
        description="Pothole",
        channel=Channel.PHONE,
        priority="high",
        latitude=WEST_POINT[0],
        longitude=WEST_POINT[1],
        address="1 Main St",
        zipcode="60601",
        expected_at=OPENED + timedelta(days=3),
    )
    # when
    result = service_request_bulk_upsert(rows=[row])
    # then
    assert (result.created, result.updated) == (1, 0)
    request = ServiceRequest.objects.get()
    assert request.tracking_number == "T-1"
    assert (request.source, request.source_id) == ("test", "1")
    assert (request.service_type_id, request.agency_id) == (service_type.pk, service_type.agency_id)
    assert (request.status, request.resolution, request.status_notes) == (
        Status.CLOSED,
        Resolution.COMPLETED,
        "Fixed.",
    )
    assert (request.description, request.channel, request.priority) == (
        "Pothole",
        Channel.PHONE,
        "high",
    )
    assert (request.latitude, request.longitude) == WEST_POINT
    assert len(request.h3_cell) == 15
    assert (request.address, request.address_id, request.zipcode) == ("1 Main St", "", "60601")
    assert (request.requested_at, request.updated_at, request.closed_at) == (
        OPENED,
        CLOSED,
        CLOSED,
    )
    assert request.expected_at == OPENED + timedelta(days=3)
    assert request.waiting_since is None
    assert request.created_at == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert isinstance(request.token, uuid.UUID) and request.token.version == 4
    assert (request.parent, request.created_by, request.api_key) == (None, None, None)


def test_a_new_request_gets_one_history_entry_for_the_state_it_arrives_in(service_type):
    # when
    service_request_bulk_upsert(rows=[closed(service_type, "1"), historic(service_type, "2")])
    # then
    entries = RequestUpdate.objects.order_by("request__source_id", "occurred_at")
    assert [
        (e.request.source_id, e.kind, e.status, e.resolution, e.note, e.occurred_at)
        for e in entries
    ] == [
        ("1", UpdateKind.CLOSED, Status.CLOSED, Resolution.COMPLETED, "Fixed.", CLOSED),
        ("2", UpdateKind.CREATED, Status.NEW, "", "", OPENED),
    ]
    assert {(e.visibility, e.via) for e in entries} == {(Visibility.PUBLIC, Channel.IMPORT)}
    assert len({e.public_id for e in entries}) == 2
    assert all(e.public_id.version == 4 for e in entries)


def test_tokens_are_unique(service_type):
    # when
    service_request_bulk_upsert(rows=[historic(service_type, str(n)) for n in range(300)])
    # then
    assert ServiceRequest.objects.values("token").distinct().count() == 300


def test_loading_again_updates_in_place_and_adds_no_history(service_type):
    # given
    service_request_bulk_upsert(rows=[closed(service_type, "1"), historic(service_type, "2")])
    first = dict(ServiceRequest.objects.values_list("source_id", "token"))
    created_at = dict(ServiceRequest.objects.values_list("source_id", "created_at"))
    # when
    result = service_request_bulk_upsert(
        rows=[
            closed(service_type, "1", description="changed"),
            historic(service_type, "2", tracking_number="T-other"),
        ]
    )
    # then
    assert (result.created, result.updated) == (0, 2)
    assert ServiceRequest.objects.count() == 2
    assert ServiceRequest.objects.get(source_id="1").description == "changed"
    assert dict(ServiceRequest.objects.values_list("source_id", "token")) == first
    assert dict(ServiceRequest.objects.values_list("source_id", "created_at")) == created_at
    # the tracking number a resident was given never changes
    assert ServiceRequest.objects.get(source_id="2").tracking_number == "T-2"
    assert RequestUpdate.objects.count() == 2


@pytest.mark.parametrize(
    ("before", "after", "kind", "at"),
    [
        (Status.NEW, Status.CLOSED, UpdateKind.CLOSED, CLOSED),
        (Status.CLOSED, Status.IN_PROGRESS, UpdateKind.REOPENED, OPENED + timedelta(days=5)),
        (Status.NEW, Status.IN_PROGRESS, UpdateKind.STATUS_CHANGED, OPENED + timedelta(days=5)),
    ],
)
def test_a_changed_status_adds_one_history_entry(service_type, before, after, kind, at):
    # given
    def row(status):
        if status == Status.CLOSED:
            return closed(service_type, "1")
        return historic(service_type, "1", status=status, updated_at=OPENED + timedelta(days=5))

    service_request_bulk_upsert(rows=[row(before)])
    entries = RequestUpdate.objects.count()
    # when
    service_request_bulk_upsert(rows=[row(after)])
    # then
    latest = RequestUpdate.objects.order_by("-id").first()
    assert RequestUpdate.objects.count() == entries + 1
    assert (latest.kind, latest.status, latest.occurred_at) == (kind, after, at)


def test_a_waiting_request_is_waiting_since_its_last_update(service_type):
    # when
    service_request_bulk_upsert(
        rows=[historic(service_type, "1", status=Status.WAITING_ON_THIRD_PARTY, updated_at=CLOSED)]
    )
    # then
    assert ServiceRequest.objects.get().waiting_since == CLOSED


def test_a_key_repeated_in_a_batch_keeps_its_last_row(service_type):
    # when
    result = service_request_bulk_upsert(
        rows=[
            historic(service_type, "1", description="first"),
            historic(service_type, "1", description="last"),
        ]
    )
    # then
    assert (result.created, result.updated) == (1, 0)
    assert ServiceRequest.objects.get().description == "last"


def test_a_key_another_load_stored_since_the_batch_looked_is_updated_not_refused(
    service_type, monkeypatch
):
    # given a request stored by another load after this batch looked for its keys
    service_request_bulk_upsert(rows=[historic(service_type, "1", description="first")])
    original = RowWriter.select_in
    looks = []

    def too_early(self, model, names, *, equal, within):
        looks.append(within)
        return [] if len(looks) == 1 else original(self, model, names, equal=equal, within=within)

    monkeypatch.setattr(RowWriter, "select_in", too_early)
    # when
    service_request_bulk_upsert(
        rows=[historic(service_type, "1", description="second"), historic(service_type, "2")]
    )
    # then
    assert dict(ServiceRequest.objects.values_list("source_id", "description")) == {
        "1": "second",
        "2": "",
    }


def test_a_batch_of_new_keys_is_inserted_without_an_upsert(service_type, monkeypatch):
    # given
    upserts = []
    original = RowWriter.insert

    def recording(self, model, names, values, *, conflict=(), update=()):
        upserts.append((model, bool(conflict)))
        return original(self, model, names, values, conflict=conflict, update=update)

    monkeypatch.setattr(RowWriter, "insert", recording)
    # when
    service_request_bulk_upsert(rows=[historic(service_type, "1"), historic(service_type, "2")])
    service_request_bulk_upsert(rows=[historic(service_type, "2"), historic(service_type, "3")])
    # then
    assert [upsert for model, upsert in upserts if model is ServiceRequest] == [False, True]
    assert ServiceRequest.objects.count() == 3


def test_a_batch_holds_one_source(service_type):
    # when / then
    with pytest.raises(ValueError, match="one source"):
        service_request_bulk_upsert(
            rows=[historic(service_type, "1"), historic(service_type, "2", source="other")]
        )


def test_times_in_any_zone_are_stored_as_the_same_instant(service_type):
    # given an aware time in Chicago, and a naive one (read in the city's zone)
    local = datetime(2024, 6, 1, 9, 30, 5, tzinfo=CHICAGO)
    naive = datetime(2024, 6, 1, 9, 30, 5)
    # when
    service_request_bulk_upsert(
        rows=[
            historic(service_type, "1", requested_at=local, updated_at=local),
            historic(service_type, "2", requested_at=naive, updated_at=naive),
        ]
    )
    # then
    assert ServiceRequest.objects.get(source_id="1").requested_at == OPENED
    assert ServiceRequest.objects.get(source_id="2").requested_at == OPENED  # tests run in Chicago
    assert ServiceRequest.objects.filter(requested_at__gte=OPENED).count() == 2


def test_microseconds_survive(service_type):
    # given
    precise = OPENED.replace(microsecond=123456)
    # when
    service_request_bulk_upsert(
        rows=[historic(service_type, "1", requested_at=precise, updated_at=precise)]
    )
    # then
    assert ServiceRequest.objects.get().requested_at == precise


def test_areas_come_from_the_point(service_type, districts):
    # when
    service_request_bulk_upsert(
        rows=[
            historic(service_type, "in", latitude=WEST_POINT[0], longitude=WEST_POINT[1]),
            historic(service_type, "out", latitude=NOWHERE[0], longitude=NOWHERE[1]),
        ]
    )
    # then
    assert list(ServiceRequest.objects.get(source_id="in").areas.all()) == [districts["west"]]
    assert not ServiceRequest.objects.get(source_id="out").areas.exists()


def test_a_zipcode_layer_gives_the_zipcode(service_type):
    # given
    layer = BoundaryLayerFactory(slug="zips", is_zipcode=True)
    BoundaryAreaFactory(
        layer=layer, code="60623", geometry=square(west=-87.8, south=41.8, size=0.1)
    )
    # when
    service_request_bulk_upsert(
        rows=[
            historic(
                service_type, "1", latitude=WEST_POINT[0], longitude=WEST_POINT[1], zipcode="99999"
            )
        ]
    )
    # then
    assert ServiceRequest.objects.get().zipcode == "60623"


def test_a_stated_area_is_linked_for_a_layer_the_point_does_not_place(service_type, districts):
    # when
    service_request_bulk_upsert(
        rows=[
            historic(service_type, "no point", stated_areas={"districts": "E"}),
            historic(
                service_type,
                "point wins",
                latitude=WEST_POINT[0],
                longitude=WEST_POINT[1],
                stated_areas={"districts": "E"},
            ),
            historic(
                service_type,
                "outside",
                latitude=NOWHERE[0],
                longitude=NOWHERE[1],
                stated_areas={"districts": "E"},
            ),
            historic(service_type, "unknown", stated_areas={"districts": "Z", "wards": "1"}),
        ]
    )

    # then
    def codes(key: str) -> list[str]:
        return list(ServiceRequest.objects.get(source_id=key).areas.values_list("code", flat=True))

    assert codes("no point") == ["E"]
    assert codes("point wins") == ["W"]
    assert codes("outside") == ["E"]
    assert codes("unknown") == []


def test_areas_are_recomputed_on_reload(service_type, districts):
    # given
    service_request_bulk_upsert(
        rows=[historic(service_type, "1", latitude=WEST_POINT[0], longitude=WEST_POINT[1])]
    )
    # when the request moved east
    service_request_bulk_upsert(
        rows=[historic(service_type, "1", latitude=41.85, longitude=-87.65)]
    )
    # then
    assert list(ServiceRequest.objects.get().areas.all()) == [districts["east"]]


def test_answers_are_stored_and_replaced_on_reload(service_type):
    # given
    service_request_bulk_upsert(
        rows=[historic(service_type, "1", answers={"board": "12 MANHATTAN", "borough": "BRONX"})]
    )
    request = ServiceRequest.objects.get()
    RequestAnswer.objects.create(request=request, attribute_code="other", value="kept")
    # when the source no longer names a borough
    service_request_bulk_upsert(
        rows=[historic(service_type, "1", answers={"board": "11 MANHATTAN", "borough": ""})]
    )
    # then
    assert dict(request.answers.values_list("attribute_code", "value")) == {
        "board": "11 MANHATTAN",
        "other": "kept",
    }
    assert request.answers.filter(value="11 MANHATTAN").count() == 1


def test_source_fields_are_stored_and_replaced_on_reload(service_type):
    # given two requests sharing one dict of source fields, as a source's parser shares them
    shared = {"board": "12 MANHATTAN", "borough": "BRONX"}
    service_request_bulk_upsert(
        rows=[
            historic(service_type, "1", source_fields=shared),
            historic(service_type, "2", source_fields=shared),
            historic(service_type, "3"),
        ]
    )
    # when the source no longer names a borough for one of them
    service_request_bulk_upsert(
        rows=[historic(service_type, "1", source_fields={"board": "11 MANHATTAN"})]
    )
    # then
    assert dict(ServiceRequest.objects.values_list("source_id", "source_fields")) == {
        "1": {"board": "11 MANHATTAN"},
        "2": {"board": "12 MANHATTAN", "borough": "BRONX"},
        "3": {},
    }
    assert not RequestAnswer.objects.exists()


def test_postgresql_takes_the_rows_by_copy_and_sqlite_by_multi_row_inserts(
    service_type, monkeypatch
):
    # given
    paths = []
    for name in ("_copy", "_insert_values"):
        original = getattr(RowWriter, name)

        def recording(self, model, *args, _name=name, _original=original):
            paths.append((_name, model))
            return _original(self, model, *args)

        monkeypatch.setattr(RowWriter, name, recording)
    # when
    service_request_bulk_upsert(rows=[closed(service_type, "1"), historic(service_type, "2")])
    service_request_bulk_upsert(rows=[historic(service_type, "1"), historic(service_type, "3")])
    # then
    path = "_copy" if connection.vendor == "postgresql" else "_insert_values"
    assert {taken for taken, _ in paths} == {path}
    assert [model for _, model in paths].count(ServiceRequest) == 2
    assert RequestUpdate in [model for _, model in paths]
    assert ServiceRequest.objects.filter(source_id__in=["1", "2", "3"]).count() == 3
    assert ServiceRequest.objects.get(source_id="1").status == Status.NEW
    if connection.vendor == "postgresql":
        # the staging table is left empty for the next batch
        with connection.cursor() as cursor:
            cursor.execute('SELECT COUNT(*) FROM "servicerequests_servicerequest_staging"')
            assert cursor.fetchone() == (0,)
