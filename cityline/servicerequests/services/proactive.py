"""Proactive requests: the city's own, filed by an inspector in the field or in a batch from a
sweep or a model's output. Each is a request like any other, marked `proactive`.

A batch files each row on its own: a row is stored whole (the request, its answers, its filing
key) or not at all, and the report says for every row what became of it and why. A row with an
external id is filed once per source: re-running a sweep's file files nothing twice.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import IntegrityError, transaction

from cityline.accounts.audit import AuditTarget, audit_record
from cityline.accounts.models import User
from cityline.catalog.intake import Answer
from cityline.catalog.models import ServiceType
from cityline.catalog.selectors import service_type_get_with_questions
from cityline.core.errors import DomainError, InvalidInput
from cityline.core.models import max_length_check
from cityline.geo.selectors import location_resolve
from cityline.servicerequests.access import can_file_proactive
from cityline.servicerequests.models import Channel, ProactiveFiling, ServiceRequest
from cityline.servicerequests.services.intake import Location, service_request_create

# A batch is read whole into memory and filed row by row: a sweep's day, not a city's history
# (that is `cityline import`'s work).
BATCH_MAX_ROWS = 5000


@dataclass(frozen=True)
class ProactiveRow:
    """One request of a batch, as read from a file or an API body."""

    service_code: str
    description: str = ""
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    external_id: str = ""
    answers: Mapping[str, Answer] = field(default_factory=dict)


class Outcome(StrEnum):
    CREATED = "created"
    WOULD_CREATE = "would be created"
    ALREADY_FILED = "already filed"
    REFUSED = "refused"


@dataclass(frozen=True)
class RowResult:
    number: int  # the row's place in the batch, from 1
    outcome: Outcome
    external_id: str = ""
    tracking_number: str = ""
    field: str = ""
    reason: str = ""


@dataclass(frozen=True)
class BatchReport:
    source: str
    dry_run: bool
    rows: list[RowResult]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    def counts(self) -> dict[str, int]:
        return {outcome.value: self.count(outcome) for outcome in Outcome}


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput("must be text", field=name)
    return value.strip()


def _coordinate(data: Mapping[str, Any], name: str) -> float | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"{value!r} is not a number", field=name)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{str(value)[:40]!r} is not a number", field=name) from None
    if not math.isfinite(number):
        raise InvalidInput(f"{value!r} is not a number", field=name)
    return number


def _answers(data: Mapping[str, Any]) -> dict[str, Answer]:
    raw = data.get("answers") or {}
    if not isinstance(raw, Mapping):
        raise InvalidInput("must map question codes to answers", field="answers")
    answers: dict[str, Answer] = {}
    for code, value in raw.items():
        if isinstance(value, str):
            answers[str(code)] = value
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            answers[str(code)] = list(value)
        else:
            raise InvalidInput("must be text or a list of texts", field=f"attribute[{code}]")
    return answers


def proactive_row_from_mapping(data: Mapping[str, Any]) -> ProactiveRow:
    """A batch row from its fields (`service_code`, `lat`, `long`, `address`, `description`,
    `external_id`, `answers`), or `InvalidInput` naming the field at fault."""
    service_code = _text(data, "service_code")
    if not service_code:
        raise InvalidInput("is required", field="service_code")
    external_id = _text(data, "external_id")
    max_length_check(ProactiveFiling, "external_id", external_id)
    return ProactiveRow(
        service_code=service_code,
        description=_text(data, "description"),
        latitude=_coordinate(data, "lat"),
        longitude=_coordinate(data, "long"),
        address=_text(data, "address"),
        external_id=external_id,
        answers=_answers(data),
    )


def proactive_location(
    *, latitude: float | None, longitude: float | None, address: str
) -> Location:
    """Where a proactive request is: the device's coordinates, or an address the geocoder finds.
    The city files nothing it cannot put on the map."""
    if latitude is not None or longitude is not None:
        return Location(latitude=latitude, longitude=longitude, address=address)
    if not address:
        raise InvalidInput("give the location's coordinates or its address", field="address")
    place = location_resolve(latitude=None, longitude=None, address=address)
    if place.latitude is None:
        raise InvalidInput(f"{address[:100]!r} is not an address we know", field="address")
    return Location(latitude=place.latitude, longitude=place.longitude, address=place.address)


def proactive_service_type(*, code: str, by: User | None) -> ServiceType:
    """The active type of this code that `by` may file proactively (anyone at the command line,
    `by` None), or `InvalidInput` naming `service_code`."""
    service_type = service_type_get_with_questions(code=code, public_only=False)
    if service_type is None:
        raise InvalidInput(f"{code[:64]!r} is not an active service type", field="service_code")
    if by is not None and not can_file_proactive(user=by, agency_id=service_type.agency_id):
        raise InvalidInput(f"{code[:64]!r} is another agency's service type", field="service_code")
    return service_type


def proactive_request_create(
    *,
    service_type: ServiceType,
    description: str,
    location: Location,
    answers: Mapping[str, Answer],
    by: User | None,
) -> ServiceRequest:
    return service_request_create(
        service_type=service_type,
        description=description,
        location=location,
        channel=Channel.STAFF,
        answers=answers,
        created_by=by,
        proactive=True,
    )


class _DryRun(Exception):
    """Undoes a row filed only to see whether it would be."""


def _file_row(
    *, row: ProactiveRow, source: str, by: User | None, dry_run: bool, number: int
) -> RowResult:
    service_type = proactive_service_type(code=row.service_code, by=by)
    location = proactive_location(
        latitude=row.latitude, longitude=row.longitude, address=row.address
    )
    try:
        # The row is filed for real even in a dry run, then undone: what a dry run reports is
        # what a real run would do, every check of intake included.
        with transaction.atomic():
            request = proactive_request_create(
                service_type=service_type,
                description=row.description,
                location=location,
                answers=row.answers,
                by=by,
            )
            if row.external_id:
                ProactiveFiling.objects.create(
                    source=source, external_id=row.external_id, request=request
                )
            if dry_run:
                raise _DryRun
    except _DryRun:
        return RowResult(number, Outcome.WOULD_CREATE, row.external_id)
    return RowResult(number, Outcome.CREATED, row.external_id, request.tracking_number)


def _already_filed(*, source: str, external_ids: list[str]) -> dict[str, str]:
    return dict(
        ProactiveFiling.objects.filter(source=source, external_id__in=external_ids).values_list(
            "external_id", "request__tracking_number"
        )
    )


def proactive_batch_file(
    *,
    source: str,
    rows: Sequence[ProactiveRow | InvalidInput],
    by: User | None,
    dry_run: bool = False,
    ip: str | None = None,
) -> BatchReport:
    """File a batch of proactive requests, as `by` (None: an operator at the command line).
    `rows` holds each row read, or the error that refused it while reading."""
    if not source.strip():
        raise InvalidInput("is required", field="source")
    max_length_check(ProactiveFiling, "source", source)
    if len(rows) > BATCH_MAX_ROWS:
        raise InvalidInput(f"a batch has at most {BATCH_MAX_ROWS} rows", field="rows")
    filed = _already_filed(
        source=source,
        external_ids=[r.external_id for r in rows if isinstance(r, ProactiveRow) and r.external_id],
    )
    seen: dict[str, int] = {}
    results: list[RowResult] = []
    for number, row in enumerate(rows, start=1):
        if isinstance(row, InvalidInput):
            results.append(RowResult(number, Outcome.REFUSED, "", "", row.field or "", row.message))
            continue
        if row.external_id in filed:
            results.append(
                RowResult(number, Outcome.ALREADY_FILED, row.external_id, filed[row.external_id])
            )
            continue
        if row.external_id in seen:
            results.append(
                RowResult(
                    number,
                    Outcome.REFUSED,
                    row.external_id,
                    field="external_id",
                    reason=f"repeats row {seen[row.external_id]}'s external id",
                )
            )
            continue
        if row.external_id:
            seen[row.external_id] = number
        try:
            results.append(_file_row(row=row, source=source, by=by, dry_run=dry_run, number=number))
        except DomainError as refused:
            results.append(
                RowResult(
                    number,
                    Outcome.REFUSED,
                    row.external_id,
                    "",
                    refused.field or "",
                    refused.message,
                )
            )
        except IntegrityError:
            # Another run filed the same id a moment ago.
            tracking = _already_filed(source=source, external_ids=[row.external_id])
            results.append(
                RowResult(
                    number,
                    Outcome.ALREADY_FILED,
                    row.external_id,
                    tracking.get(row.external_id, ""),
                )
            )
    report = BatchReport(source=source, dry_run=dry_run, rows=results)
    if not dry_run:
        audit_record(
            actor=by,
            action="proactive.batch_filed",
            target=AuditTarget("proactive_batch", source),
            details={
                **report.counts(),
                "tracking_numbers": [
                    r.tracking_number for r in results if r.outcome == Outcome.CREATED
                ],
            },
            ip=ip,
        )
    return report
