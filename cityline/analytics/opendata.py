"""The open-data export: every publicly listed request as CSV, Parquet and GeoJSON, one schema
version per release (docs/open-data.md is its data dictionary).

Privacy by construction: the rows are read by a selector that carries no requester, and each
row is published as its service type says (`catalog.selectors.OpenDataRule`): free text scrubbed
(`scrub.py`) or left out, a sensitive type's location replaced by the centre of its H3 cell at
`CITYLINE_OPEN_DATA_H3_RESOLUTION` with no address. Types whose requests the public never sees
are not read at all.

It streams: requests are read in chunks by id and each chunk is appended to the three files at
once, so memory holds one chunk however many millions of rows there are. The files are written
under temporary names and renamed into place, the manifest last, so a download gets either the
old file or the new one whole. It reads the database rather than the analytics store: the store
holds no text and no coordinates, by design.
"""

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import h3
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from django.conf import settings

from cityline.accounts.selectors import staff_names
from cityline.analytics.schema import (
    on_time,
    request_category_fields,
    request_category_values,
)
from cityline.analytics.scrub import Scrubber
from cityline.catalog.selectors import (
    OpenDataRule,
    service_type_ids_with_hidden_requests,
    service_type_open_data_rules,
)
from cityline.contacts.selectors import caller_names_of_requests
from cityline.core import clock
from cityline.servicerequests.changes import request_area_codes
from cityline.servicerequests.models import Status
from cityline.servicerequests.published import (
    PUBLISHED_REQUEST_FIELDS,
    requester_names,
    service_requests_for_publication,
)

# One per release: a column keeps its name, type and meaning within a version; any change to
# them is a new version, described in docs/open-data.md.
SCHEMA_VERSION = 1
MANIFEST = "manifest.json"
EXACT = "exact"
CELL = "h3_cell"
UTC_SECONDS = pa.timestamp("s", tz="UTC")

OPEN_DATA_SCHEMA = pa.schema(
    [
        ("service_request_id", pa.string()),
        *request_category_fields(),
        ("open311_status", pa.string()),
        ("resolution", pa.string()),
        ("requested_at", UTC_SECONDS),
        ("expected_at", UTC_SECONDS),
        ("closed_at", UTC_SECONDS),
        ("updated_at", UTC_SECONDS),
        ("on_time", pa.bool_()),
        ("description", pa.string()),
        ("status_notes", pa.string()),
        ("address", pa.string()),
        ("zipcode", pa.string()),
        ("areas", pa.string()),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
        ("location_precision", pa.string()),
        ("h3_cell", pa.string()),
        ("demand", pa.int32()),
    ]
)

_FIELD = {name: i for i, name in enumerate(PUBLISHED_REQUEST_FIELDS)}


class Format:
    CSV = "csv"
    PARQUET = "parquet"
    GEOJSON = "geojson"


FORMATS = (Format.CSV, Format.PARQUET, Format.GEOJSON)
CONTENT_TYPES = {
    Format.CSV: "text/csv; charset=utf-8",
    Format.PARQUET: "application/vnd.apache.parquet",
    Format.GEOJSON: "application/geo+json",
}


def file_name(fmt: str) -> str:
    return f"cityline-requests-v{SCHEMA_VERSION}.{fmt}"


@dataclass(frozen=True)
class ExportFile:
    format: str
    name: str
    size: int


@dataclass(frozen=True)
class Export:
    schema_version: int
    written_at: datetime
    rows: int
    files: tuple[ExportFile, ...]


def open_data_dir() -> Path:
    return Path(settings.CITYLINE_OPEN_DATA_DIR)


def _location(
    latitude: float | None, longitude: float | None, rule: OpenDataRule
) -> tuple[float | None, float | None, str | None, str]:
    """(latitude, longitude, cell, precision) as published."""
    if latitude is None or longitude is None:
        return None, None, None, EXACT
    cell = h3.latlng_to_cell(latitude, longitude, settings.CITYLINE_OPEN_DATA_H3_RESOLUTION)
    if rule.location_sensitive:
        latitude, longitude = h3.cell_to_latlng(cell)
        return latitude, longitude, cell, CELL
    return latitude, longitude, cell, EXACT


def _areas(codes: list[tuple[str, str]]) -> str | None:
    return ";".join(f"{layer}={code}" for layer, code in codes) or None


def _text(text: str, rule: OpenDataRule, scrubber: Scrubber, names: list[str]) -> str | None:
    return (scrubber.scrub(text, names=names) or None) if rule.text_published else None


def published_chunks(*, chunk_size: int) -> Iterator[pa.Table]:
    """The export's rows, one table per chunk of requests."""
    rules = service_type_open_data_rules()
    scrubber = Scrubber(region=settings.CITYLINE_PHONE_REGION, staff_names=staff_names())
    for rows in service_requests_for_publication(
        excluded_service_type_ids=service_type_ids_with_hidden_requests(), chunk_size=chunk_size
    ):
        ids = [row[_FIELD["id"]] for row in rows]
        names = requester_names(request_ids=ids)
        for request_id, callers in caller_names_of_requests(request_ids=ids).items():
            names[request_id].extend(callers)
        areas: dict[int, list[tuple[str, str]]] = {}
        for request_id, layer, code in request_area_codes(request_ids=ids):
            areas.setdefault(request_id, []).append((layer, code))
        columns: dict[str, list[Any]] = {field.name: [] for field in OPEN_DATA_SCHEMA}
        for row in rows:
            rule = rules.get(row[_FIELD["service_type_id"]])
            if rule is None:
                # The type was hidden after the export began.
                continue
            request_id = row[_FIELD["id"]]
            known = names.get(request_id, [])
            latitude, longitude, cell, precision = _location(
                row[_FIELD["latitude"]], row[_FIELD["longitude"]], rule
            )
            status = row[_FIELD["status"]]
            address = "" if rule.location_sensitive else row[_FIELD["address"]]
            values = {
                "service_request_id": row[_FIELD["tracking_number"]],
                **request_category_values(row, _FIELD),
                "open311_status": "closed" if status == Status.CLOSED else "open",
                "resolution": row[_FIELD["resolution"]] or None,
                "requested_at": row[_FIELD["requested_at"]],
                "expected_at": row[_FIELD["expected_at"]],
                "closed_at": row[_FIELD["closed_at"]],
                "updated_at": row[_FIELD["updated_at"]],
                "on_time": on_time(
                    expected_at=row[_FIELD["expected_at"]], closed_at=row[_FIELD["closed_at"]]
                ),
                "description": _text(row[_FIELD["description"]], rule, scrubber, known),
                "status_notes": _text(row[_FIELD["status_notes"]], rule, scrubber, known),
                "address": scrubber.scrub_contact_details(address) or None,
                "zipcode": row[_FIELD["zipcode"]] or None,
                "areas": _areas(areas.get(request_id, [])),
                "latitude": latitude,
                "longitude": longitude,
                "location_precision": precision if latitude is not None else None,
                "h3_cell": cell,
                "demand": row[_FIELD["demand"]],
            }
            for name, value in values.items():
                columns[name].append(value)
        yield pa.table(
            [pa.array(columns[f.name], type=f.type) for f in OPEN_DATA_SCHEMA],
            schema=OPEN_DATA_SCHEMA,
        )


def _iso(value: Any) -> Any:
    return value.isoformat().replace("+00:00", "Z") if isinstance(value, datetime) else value


def _geojson_features(table: pa.Table, out: IO[str], first: bool) -> bool:
    for row in table.to_pylist():
        latitude, longitude = row.pop("latitude"), row.pop("longitude")
        geometry = (
            {"type": "Point", "coordinates": [longitude, latitude]}
            if latitude is not None
            else None
        )
        feature = {
            "type": "Feature",
            "id": row["service_request_id"],
            "geometry": geometry,
            "properties": {key: _iso(value) for key, value in row.items()},
        }
        out.write(("" if first else ",\n") + json.dumps(feature, ensure_ascii=False))
        first = False
    return first


def open_data_write() -> Export:
    """Write the export afresh into `CITYLINE_OPEN_DATA_DIR` and return its manifest."""
    folder = open_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex
    temporary = {fmt: folder / f".{file_name(fmt)}.{token}.tmp" for fmt in FORMATS}
    written_at = clock.now()
    rows = 0
    try:
        with (
            pq.ParquetWriter(
                temporary[Format.PARQUET], OPEN_DATA_SCHEMA, compression="zstd"
            ) as parquet,
            pacsv.CSVWriter(temporary[Format.CSV], OPEN_DATA_SCHEMA) as csv,
            open(temporary[Format.GEOJSON], "w", encoding="utf-8") as geojson,
        ):
            geojson.write('{"type": "FeatureCollection", "features": [\n')
            first = True
            for table in published_chunks(chunk_size=settings.CITYLINE_ANALYTICS_CHUNK_SIZE):
                rows += table.num_rows
                parquet.write_table(table)
                csv.write_table(table)
                first = _geojson_features(table, geojson, first)
            geojson.write("\n]}\n")
        files = []
        for fmt in FORMATS:
            os.replace(temporary[fmt], folder / file_name(fmt))
            files.append(
                ExportFile(
                    format=fmt, name=file_name(fmt), size=(folder / file_name(fmt)).stat().st_size
                )
            )
    finally:
        for path in temporary.values():
            path.unlink(missing_ok=True)
    export = Export(
        schema_version=SCHEMA_VERSION, written_at=written_at, rows=rows, files=tuple(files)
    )
    manifest = folder / f".{MANIFEST}.{token}.tmp"
    manifest.write_text(
        json.dumps(
            {
                "schema_version": export.schema_version,
                "written_at": _iso(export.written_at),
                "rows": export.rows,
                "files": [file.__dict__ for file in export.files],
            },
            indent=2,
        )
    )
    os.replace(manifest, folder / MANIFEST)
    return export


def open_data_latest() -> Export | None:
    """The manifest of the export on disk, or None before the first one."""
    try:
        data = json.loads((open_data_dir() / MANIFEST).read_text())
    except FileNotFoundError:
        return None
    return Export(
        schema_version=data["schema_version"],
        written_at=datetime.fromisoformat(data["written_at"]),
        rows=data["rows"],
        files=tuple(ExportFile(**file) for file in data["files"]),
    )


def open_data_file(*, name: str) -> tuple[Path, str] | None:
    """The path and content type of a file of the latest export named `name`; None for any
    other name."""
    export = open_data_latest()
    for file in export.files if export else ():
        if file.name == name:
            return open_data_dir() / file.name, CONTENT_TYPES[file.format]
    return None


def open_data_due() -> bool:
    """Whether the export is older than `CITYLINE_OPEN_DATA_HOURS` (or missing)."""
    export = open_data_latest()
    if export is None:
        return True
    age = clock.now() - export.written_at
    return age.total_seconds() >= settings.CITYLINE_OPEN_DATA_HOURS * 3600
