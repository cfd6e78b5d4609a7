"""The staff API: members of staff acting with their own key (`cityline staffkey`), with their
roles. It takes batches of proactive requests from a sweep or a model's output."""

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.security import HttpBearer

from cityline.accounts.models import User
from cityline.accounts.selectors import staff_key_get_active
from cityline.api.errors import ErrorOut
from cityline.core.clients import client_address
from cityline.core.errors import Forbidden
from cityline.servicerequests.access import can_file_proactive
from cityline.servicerequests.services.proactive import (
    BATCH_MAX_ROWS,
    proactive_batch_file,
    proactive_row_from_mapping,
)

NO_NUL = r"^[^\x00]*$"


class StaffKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        key = staff_key_get_active(raw_key=token)
        return key.user if key else None


router = Router(auth=StaffKeyAuth(), tags=["staff"])


class ProactiveRowIn(Schema):
    service_code: str = Field(min_length=1, max_length=100, pattern=NO_NUL)
    lat: float | None = Field(None, description="With long: where the problem is.")
    long: float | None = None
    address: str = Field("", max_length=255, pattern=NO_NUL, description="Without lat/long.")
    description: str = Field("", max_length=4000, pattern=NO_NUL)
    external_id: str = Field(
        "",
        max_length=200,
        pattern=NO_NUL,
        description="The row's id in its source: a row is filed once per source and id.",
    )
    answers: dict[str, str | list[str]] = Field(
        default_factory=dict, description="Answers to the type's questions, by question code."
    )


class ProactiveBatchIn(Schema):
    source: str = Field(
        min_length=1, max_length=100, pattern=NO_NUL, description="The sweep or model."
    )
    dry_run: bool = Field(False, description="Check every row; store nothing.")
    rows: list[ProactiveRowIn] = Field(min_length=1, max_length=BATCH_MAX_ROWS)


class RowResultOut(Schema):
    number: int = Field(description="The row's place in `rows`, from 1.")
    outcome: str = Field(description="created, would be created, already filed or refused.")
    external_id: str
    tracking_number: str
    field: str = Field(description="With refused: the field at fault.")
    reason: str


class BatchReportOut(Schema):
    source: str
    dry_run: bool
    counts: dict[str, int]
    rows: list[RowResultOut]


@router.post(
    "/proactive",
    response={200: BatchReportOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
    summary="File a batch of proactive requests",
    description=(
        "Each row is filed on its own, as the key's member of staff, or refused with the field "
        "at fault; the report says which. Rows with an external_id are filed once per source: "
        "sending the batch again files nothing twice."
    ),
)
def proactive_batch_post(request: HttpRequest, payload: ProactiveBatchIn):
    user: User = request.auth  # type: ignore[attr-defined]
    if not can_file_proactive(user=user):
        raise Forbidden("this key's member of staff files no proactive requests")
    report = proactive_batch_file(
        source=payload.source,
        rows=[proactive_row_from_mapping(row.model_dump()) for row in payload.rows],
        by=user,
        dry_run=payload.dry_run,
        ip=client_address(request),
    )
    return {
        "source": report.source,
        "dry_run": report.dry_run,
        "counts": report.counts(),
        "rows": [
            {
                "number": row.number,
                "outcome": row.outcome.value,
                "external_id": row.external_id,
                "tracking_number": row.tracking_number,
                "field": row.field,
                "reason": row.reason,
            }
            for row in report.rows
        ],
    }
