"""Reading Open311 parameters: W3C datetimes, comma lists, numbers, time windows.

Every reader raises `Open311Error` (400) naming the parameter, so a bad value is never a 500.
"""

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, tzinfo

from cityline.open311.errors import bad_request

MAX_LIST_ITEMS = 1000
_DATETIME_MAX_LENGTH = 64
# Degrees as plain ASCII decimals: digits, at most one point, an optional sign.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_COORDINATE_MAX_LENGTH = 32
# A '+' left unencoded in a query string arrives as a space: "…T10:00:00 05:00".
_SPACE_FOR_PLUS = re.compile(r"^(.+T\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d(?::?\d\d)?)$")


def text(params: Mapping[str, str], name: str, *, max_length: int | None = None) -> str:
    """A trimmed string parameter, '' when absent."""
    value = (params.get(name) or "").strip()
    if max_length is not None and len(value) > max_length:
        raise bad_request(f"{name} is longer than {max_length} characters")
    return value


def comma_list(params: Mapping[str, str], name: str) -> list[str] | None:
    """`a,b,c` as ['a', 'b', 'c']; None when absent or empty."""
    raw = params.get(name) or ""
    items = list(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
    if not items:
        return None
    if len(items) > MAX_LIST_ITEMS:
        raise bad_request(f"{name} lists more than {MAX_LIST_ITEMS} values")
    return items


def w3c_datetime(value: str, name: str, *, zone: tzinfo) -> datetime:
    """A W3C (ISO 8601) date or date and time. A time without an offset is read in the city's
    zone and a bare date as its midnight, as clients that omit them mean."""
    value = value.strip()
    if len(value) > _DATETIME_MAX_LENGTH:
        raise bad_request(f"{name} is not a W3C date and time")
    value = _SPACE_FOR_PLUS.sub(r"\1+\2", value)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise bad_request(
            f"{name} {value!r} is not a W3C date and time (e.g. 2026-03-02T10:00:00-06:00)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    # In UTC, as it is stored and compared: a time at the edge of the calendar whose offset
    # takes it past year 1 or 9999 is refused here, not when a query converts it.
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise bad_request(f"{name} {value!r} is out of range") from None


def optional_datetime(params: Mapping[str, str], name: str, *, zone: tzinfo) -> datetime | None:
    value = (params.get(name) or "").strip()
    return w3c_datetime(value, name, zone=zone) if value else None


def requested_window(
    params: Mapping[str, str], *, now: datetime, zone: tzinfo, span: timedelta
) -> tuple[datetime, datetime]:
    """GET requests' [start_date, end_date]: the last `span` by default, never longer."""
    start = optional_datetime(params, "start_date", zone=zone)
    end = optional_datetime(params, "end_date", zone=zone)
    try:
        if end is None:
            end = now if start is None else start + span
        if start is None:
            start = end - span
    except OverflowError:
        raise bad_request("start_date or end_date is out of range") from None
    if start > end:
        raise bad_request("start_date is after end_date")
    if end - start > span:
        raise bad_request(f"start_date to end_date spans more than {span.days} days")
    return start, end


def updates_window(
    params: Mapping[str, str], *, now: datetime, zone: tzinfo, default_span: timedelta
) -> tuple[datetime, datetime]:
    """servicerequestupdates' [start_date, end_date]: the last `default_span` by default, and
    everything since start_date when only it is given."""
    start = optional_datetime(params, "start_date", zone=zone)
    end = optional_datetime(params, "end_date", zone=zone)
    try:
        if end is None:
            end = max(now, start) if start is not None else now
        if start is None:
            start = end - default_span
    except OverflowError:
        raise bad_request("start_date or end_date is out of range") from None
    if start > end:
        raise bad_request("start_date is after end_date")
    return start, end


def positive_int(
    params: Mapping[str, str], name: str, *, default: int, maximum: int, clamp: bool = False
) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise bad_request(f"{name} must be a whole number from 1 to {maximum}")
    number = int(raw)
    if number > maximum:
        if clamp:
            return maximum
        raise bad_request(f"{name} must be a whole number from 1 to {maximum}")
    return number


def coordinate(params: Mapping[str, str], name: str, *, low: float, high: float) -> float | None:
    """A plain decimal number of degrees (`41.85`, `-87.65`) in [low, high]. What else `float`
    takes (exponents, `_` separators, other scripts' digits, `nan`) is refused."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    if len(raw) > _COORDINATE_MAX_LENGTH or _DECIMAL.fullmatch(raw) is None:
        raise bad_request(f"{name} {raw[:40]!r} is not a decimal number of degrees")
    number = float(raw)
    if not low <= number <= high:
        raise bad_request(f"{name} must be between {low:g} and {high:g}")
    return number
