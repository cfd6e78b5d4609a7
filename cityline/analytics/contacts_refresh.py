"""Refreshing the store's contacts: only what changed since the last refresh, or all.

The same way as requests (`services.py`): under the store's lease, the contacts changed since the
watermark are read in chunks (with the ids of the requests linked to them) and parked on disk by
month of `queued_at`, then every month they sit in now or sat in before is rewritten; the
watermark moves last. A contact's `updated_at` moves with every change the contacts app makes
(answered, wrapped up, a request linked, the phone system's times imported).
"""

import uuid
from collections.abc import Callable
from datetime import timedelta

import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings

from cityline.analytics import schema
from cityline.analytics.models import StoreState
from cityline.analytics.store import (
    CONTACTS,
    SCHEMAS,
    Staging,
    months_holding,
    months_stored,
    partition_read_without,
    partition_replace,
    store_root,
)
from cityline.contacts.selectors import contact_request_pairs, contacts_changed
from cityline.core import clock


def contacts_refresh(
    *, state: StoreState, token: uuid.UUID, full: bool, renew: Callable[[uuid.UUID], None]
) -> int:
    """Write the contacts changed since `state`'s contact watermark (all with `full`) into the
    store; how many were written. `renew` keeps the lease."""
    root = store_root()
    staging = Staging(root, f"{token.hex}-contacts")
    after_id = 0 if full else state.contacts_last_id
    since = None
    if not full and state.contacts_changed_through is not None:
        since = state.contacts_changed_through - timedelta(
            seconds=settings.CITYLINE_ANALYTICS_OVERLAP_SECONDS
        )
    began = clock.now()
    last_id = after_id
    changed: list[pa.Array] = []
    try:
        for rows in contacts_changed(
            after_id=after_id,
            updated_since=since,
            chunk_size=settings.CITYLINE_ANALYTICS_CHUNK_SIZE,
        ):
            ids = [row[0] for row in rows]
            staging.add(
                CONTACTS, schema.contacts_by_month(rows, contact_request_pairs(contact_ids=ids))
            )
            changed.append(pa.array(ids, type=pa.int64()))
            last_id = max(last_id, ids[-1])
            renew(token)
        contact_ids = pa.concat_arrays(changed) if changed else pa.array([], type=pa.int64())
        if full:
            months = months_stored(CONTACTS, root) | staging.months(CONTACTS)
        else:
            # A contact's queued time may move (the phone system's time replaces the desk's).
            already_stored = contact_ids.filter(
                pc.less_equal(contact_ids, pa.scalar(state.contacts_last_id, pa.int64()))
            )
            months = staging.months(CONTACTS) | months_holding(already_stored, root, table=CONTACTS)
        for month in sorted(months):
            kept = (
                SCHEMAS[CONTACTS].empty_table()
                if full
                else partition_read_without(CONTACTS, month, contact_ids, root)
            )
            partition_replace(
                CONTACTS, month, pa.concat_tables([kept, staging.read(CONTACTS, month)]), root
            )
            renew(token)
    finally:
        staging.clear()
    StoreState.objects.filter(pk=state.pk, lease_token=token).update(
        contacts_last_id=last_id, contacts_changed_through=began
    )
    return len(contact_ids)
