"""Values adapted for the database once per distinct value, for `RowWriter`'s bulk loads.

A bulk load binds the same few values row after row (a batch's times, a source's JSON fields), so
each adapter remembers what it made; both databases take the results as they are (PostgreSQL
through the dumpers of `dumpers.py`).
"""

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

import numpy
from django.db import models
from django.utils import timezone

from cityline.core.inserts.rows import concrete_field


def uuids_hex(count: int) -> list[str]:
    """`count` random (version 4) UUIDs as 32 hex digits, which every backend accepts, in
    ascending order.

    Each is as random as any other. Given out in order to a batch's rows, they go into the
    unique index over them in the index's order, each leaf page visited once, rather than in
    random order, where a large index's pages fall out of the database's cache between one row
    and the next. (The order tells of two UUIDs of one batch only which is the lower.) The
    version and variant bits are set, and the UUIDs sorted, on all of them at once: a load makes
    two for each request.
    """
    made = numpy.frombuffer(os.urandom(16 * count), dtype=numpy.uint8).reshape(count, 16).copy()
    made[:, 6] = (made[:, 6] & 0x0F) | 0x40  # version 4
    made[:, 8] = (made[:, 8] & 0x3F) | 0x80  # variant 10xx
    # Sixteen-byte strings sort as their bytes do, which is the order of their hex digits.
    digits = numpy.sort(made.view("S16").ravel()).tobytes().hex()
    return [digits[i : i + 32] for i in range(0, 32 * count, 32)]


def json_text_adapter(
    model: type[models.Model], name: str
) -> Callable[[str | dict[str, str]], str]:
    """The JSON text of values of a JSON column, each written once: texts by value, dicts by
    identity (a batch's rows share one dict when they hold the same, and keep it alive while
    adapted). Both backends take the text as it is: SQLite stores it, and PostgreSQL's COPY
    reads it into `jsonb`, where a driver's JSON wrapper would be serialised again per row."""
    encoder = cast(models.JSONField, concrete_field(model, name)).encoder
    cache: dict[str | int, str] = {}

    def adapt(value: str | dict[str, str]) -> str:
        key = value if isinstance(value, str) else id(value)
        adapted = cache.get(key)
        if adapted is None:
            adapted = json.dumps(value, cls=encoder)
            if len(cache) < 10_000:
                cache[key] = adapted
        return adapted

    return adapt


def datetime_adapter(db: Any) -> Callable[[datetime], object]:
    """How the backend takes a datetime: Django's adapter, with a fast path for UTC.

    Django stores UTC; on SQLite as text `YYYY-MM-DD HH:MM:SS[.ffffff]`. For a value already in
    UTC that text is its `isoformat(" ")` less the offset, at a fraction of the generic cost. A
    naive value is taken to be in the city's time zone, as a model field would take it. Values
    repeat within a batch (a request's times are also its history's), so each is adapted once.
    """
    adapt = db.ops.adapt_datetimefield_value
    sample = datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC)
    text_in_utc = adapt(sample) == "2001-02-03 04:05:06"
    isoformat = datetime.isoformat
    adapted: dict[datetime, object] = {}

    def when(value: datetime) -> object:
        found = adapted.get(value)
        if found is None:
            if value.tzinfo is UTC and text_in_utc:
                found = isoformat(value, " ")[:-6]
            else:
                found = adapt(timezone.make_aware(value) if value.tzinfo is None else value)
            adapted[value] = found
        return found

    return when
