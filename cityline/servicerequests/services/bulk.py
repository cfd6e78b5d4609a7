"""Loading historic requests in bulk: importers and the demo city both come through here.

Rows are upserted by (source, source_id), so loading the same data twice updates, never
duplicates. Areas, H3 cells and history entries are computed per batch, not per row.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from cityline.geo.areas import areas_for_points
from cityline.geo.cells import h3_cell
from cityline.servicerequests.models import (
    Channel,
    RequestArea,
    RequestUpdate,
    ServiceRequest,
    Status,
    UpdateKind,
    Visibility,
)


@dataclass
class HistoricRequest:
    source: str
    source_id: str
    tracking_number: str
    service_type_id: int
    agency_id: int
    requested_at: datetime
    updated_at: datetime
    status: str = Status.NEW
    resolution: str = ""
    status_notes: str = ""
    description: str = ""
    channel: str = "unknown"
    priority: str = "normal"
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    zipcode: str = ""
    expected_at: datetime | None = None
    closed_at: datetime | None = None


@dataclass(frozen=True)
class BulkResult:
    created: int
    updated: int


_UPDATABLE = [
    "service_type",
    "agency",
    "description",
    "status",
    "resolution",
    "status_notes",
    "channel",
    "priority",
    "latitude",
    "longitude",
    "address",
    "zipcode",
    "h3_cell",
    "requested_at",
    "updated_at",
    "expected_at",
    "closed_at",
]


def service_request_bulk_upsert(*, rows: Sequence[HistoricRequest]) -> BulkResult:
    if not rows:
        return BulkResult(0, 0)
    source = rows[0].source
    if any(row.source != source for row in rows):
        raise ValueError("one batch holds rows of one source")
    # A source that repeats a key within one batch: its last row wins, as it would across batches.
    rows = list({row.source_id: row for row in rows}.values())
    located = [i for i, r in enumerate(rows) if r.latitude is not None and r.longitude is not None]
    matches = areas_for_points([(rows[i].latitude, rows[i].longitude) for i in located])  # type: ignore[misc]
    areas_by_row = dict(zip(located, matches, strict=True))

    with transaction.atomic():
        existing = dict(
            ServiceRequest.objects.filter(
                source=source, source_id__in=[r.source_id for r in rows]
            ).values_list("source_id", "status")
        )
        objects = []
        for i, row in enumerate(rows):
            areas = areas_by_row.get(i, [])
            zipcode = next((a.code for a in areas if a.is_zipcode), row.zipcode)
            cell = (
                h3_cell(latitude=row.latitude, longitude=row.longitude) if i in areas_by_row else ""
            )
            objects.append(
                ServiceRequest(
                    tracking_number=row.tracking_number,
                    source=row.source,
                    source_id=row.source_id,
                    service_type_id=row.service_type_id,
                    agency_id=row.agency_id,
                    description=row.description,
                    status=row.status,
                    resolution=row.resolution,
                    status_notes=row.status_notes,
                    channel=row.channel,
                    priority=row.priority,
                    latitude=row.latitude,
                    longitude=row.longitude,
                    address=row.address,
                    zipcode=zipcode,
                    h3_cell=cell,
                    requested_at=row.requested_at,
                    updated_at=row.updated_at,
                    expected_at=row.expected_at,
                    closed_at=row.closed_at,
                )
            )
        saved = ServiceRequest.objects.bulk_create(
            objects,
            update_conflicts=True,
            unique_fields=["source", "source_id"],
            update_fields=_UPDATABLE,
        )
        ids = [obj.pk for obj in saved]
        if any(pk is None for pk in ids):  # a backend that cannot return ids on upsert
            by_key = dict(
                ServiceRequest.objects.filter(
                    source=source, source_id__in=[r.source_id for r in rows]
                ).values_list("source_id", "id")
            )
            ids = [by_key[r.source_id] for r in rows]

        updated_ids = [pk for pk, row in zip(ids, rows, strict=True) if row.source_id in existing]
        RequestArea.objects.filter(request_id__in=updated_ids).delete()
        RequestArea.objects.bulk_create(
            RequestArea(request_id=pk, area_id=area.id)
            for i, pk in enumerate(ids)
            for area in areas_by_row.get(i, [])
        )
        history = []
        for pk, row in zip(ids, rows, strict=True):
            was = existing.get(row.source_id)
            if was is None:
                history.append(_history(pk, UpdateKind.CREATED, Status.NEW, "", row.requested_at))
            if row.status == Status.CLOSED and was != Status.CLOSED and row.closed_at:
                history.append(
                    _history(
                        pk,
                        UpdateKind.CLOSED,
                        Status.CLOSED,
                        row.resolution,
                        row.closed_at,
                        note=row.status_notes,
                    )
                )
        RequestUpdate.objects.bulk_create(history)
    return BulkResult(created=len(rows) - len(updated_ids), updated=len(updated_ids))


def _history(
    request_id: int, kind: str, status: str, resolution: str, at: datetime, note: str = ""
) -> RequestUpdate:
    return RequestUpdate(
        request_id=request_id,
        kind=kind,
        status=status,
        resolution=resolution,
        note=note,
        visibility=Visibility.PUBLIC,
        via=Channel.IMPORT,
        occurred_at=at,
    )
