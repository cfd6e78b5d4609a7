"""The agency status API: an agency's system reports on its own requests with its own key."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer
from pydantic import field_validator

from cityline.api.errors import ErrorOut
from cityline.catalog.models import Agency
from cityline.integrations.selectors import agency_key_get_active
from cityline.integrations.services import StatusReport, agency_status_report

NO_NUL = r"^[^\x00]*$"


class AgencyKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Agency | None:
        key = agency_key_get_active(raw_key=token)
        return key.agency if key else None


router = Router(auth=AgencyKeyAuth(), tags=["agency status"])


class StatusEventIn(Schema):
    event_id: str = Field(
        min_length=1, max_length=100, pattern=NO_NUL, description="The agency's own event id."
    )
    occurred_at: datetime = Field(description="When it happened, with its UTC offset.")
    status: Literal["acknowledged", "in_progress", "closed"]
    resolution: str = Field(
        "", max_length=30, description="With status closed: completed, referred, …"
    )
    public_note: str = Field("", max_length=4000, pattern=NO_NUL)
    internal_note: str = Field("", max_length=4000, pattern=NO_NUL)

    @field_validator("occurred_at")
    @classmethod
    def _with_offset(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("give the time with its UTC offset, e.g. 2026-12-05T10:00:00Z")
        return value


class StatusEventOut(Schema):
    event_id: str
    tracking_number: str
    applied: bool = Field(description="False for a report older than one already applied.")
    status: str
    resolution: str


@router.post(
    "/requests/{tracking_number}/events",
    response={
        200: StatusEventOut,
        201: StatusEventOut,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
    },
    summary="Report a status of one of the agency's requests",
    description=(
        "Idempotent by event_id: a repeat gets the first answer (200) and changes nothing. "
        "A report dated before one already applied is kept but does not move the status back."
    ),
)
def status_event_post(request: HttpRequest, tracking_number: str, payload: StatusEventIn):
    agency: Agency = request.auth  # type: ignore[attr-defined]
    answer, new = agency_status_report(
        agency=agency,
        tracking_number=tracking_number,
        report=StatusReport(
            event_id=payload.event_id,
            occurred_at=payload.occurred_at,
            status=payload.status,
            resolution=payload.resolution,
            public_note=payload.public_note,
            internal_note=payload.internal_note,
        ),
    )
    return Status(201 if new else 200, answer)
