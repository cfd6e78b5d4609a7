"""Rows of a table changed since a point, read in chunks by id, for incremental copies."""

from collections.abc import Iterator, Sequence
from datetime import datetime

from django.db import models


def rows_changed_in_chunks(
    *,
    model: type[models.Model],
    fields: Sequence[str],
    after_id: int,
    updated_since: datetime | None,
    chunk_size: int,
) -> Iterator[list[tuple]]:
    """Chunks of `fields` tuples (the first field the id), by id: the rows up to `after_id`
    changed at or after `updated_since` (by their `updated_at`), then every row with an id above
    `after_id`, read in key order. With `after_id` 0 and no `updated_since`, every row."""
    rows = model._default_manager
    if updated_since is not None:
        changed = list(
            rows.filter(id__lte=after_id, updated_at__gte=updated_since)
            .order_by("id")
            .values_list("id", flat=True)
        )
        for start in range(0, len(changed), chunk_size):
            yield list(
                rows.filter(id__in=changed[start : start + chunk_size])
                .order_by("id")
                .values_list(*fields)
            )
    last = after_id
    while True:
        chunk = list(rows.filter(id__gt=last).order_by("id").values_list(*fields)[:chunk_size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1][0]
