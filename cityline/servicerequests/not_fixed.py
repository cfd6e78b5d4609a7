"""Whether anyone may say a request is not fixed: a rule read by its tracking page (to offer the
form or say why not) and enforced by `services.not_fixed`."""

import enum
from datetime import datetime, timedelta

from cityline.servicerequests.models import Resolution, Status


class NotFixedVerdict(enum.Enum):
    ALLOWED = "allowed"
    OPEN = "open"  # nothing to say yet: the request is still being worked on
    DUPLICATE = "duplicate"  # the work went on under the request it repeats
    NOT_OFFERED = "not_offered"  # its service type takes no such reports
    WINDOW_PASSED = "window_passed"


def not_fixed_verdict(
    *,
    status: str,
    resolution: str,
    closed_at: datetime | None,
    window_days: int,
    now: datetime,
) -> NotFixedVerdict:
    if status != Status.CLOSED or closed_at is None:
        return NotFixedVerdict.OPEN
    if resolution == Resolution.DUPLICATE:
        return NotFixedVerdict.DUPLICATE
    if window_days == 0:
        return NotFixedVerdict.NOT_OFFERED
    if now > not_fixed_window_end(closed_at=closed_at, window_days=window_days):
        return NotFixedVerdict.WINDOW_PASSED
    return NotFixedVerdict.ALLOWED


def not_fixed_window_end(*, closed_at: datetime, window_days: int) -> datetime:
    return closed_at + timedelta(days=window_days)
