"""Refreshing the store's contacts: only what changed since the last refresh, or all.

The same way as requests (`services.py`): under the store's lease, the contacts changed since the
watermark are read in chunks (with the ids of the requests linked to them) and parked on disk by
month of `queued_at`, then every month they sit in now or sat in before is rewritten; the
watermark moves last. A contact's `updated_at` moves with every change the contacts app makes
(answered, wrapped up, a request linked, the phone system's times imported).
"""

import uuid
from collections.abc import Callable

from django.conf import settings

from cityline.analytics import schema
from cityline.analytics.models import StoreState
from cityline.analytics.refresh import changed_since, changes_write
from cityline.analytics.store import CONTACTS, Staging, store_root
from cityline.contacts.selectors import contact_request_pairs, contacts_changed
from cityline.core import clock


def contacts_refresh(
    *, state: StoreState, token: uuid.UUID, full: bool, renew: Callable[[uuid.UUID], None]
) -> int:
    """Write the contacts changed since `state`'s contact watermark (all with `full`) into the
    store; how many were written. `renew` keeps the lease."""
    root = store_root()
    staging = Staging(root, f"{token.hex}-contacts")
    began = clock.now()

    def stage(rows: list[tuple], ids: list[int]) -> None:
        staging.add(
            CONTACTS, schema.contacts_by_month(rows, contact_request_pairs(contact_ids=ids))
        )

    written = changes_write(
        root=root,
        staging=staging,
        tables=(CONTACTS,),
        chunks=contacts_changed(
            after_id=0 if full else state.contacts_last_id,
            updated_since=changed_since(state.contacts_changed_through, full=full),
            chunk_size=settings.CITYLINE_ANALYTICS_CHUNK_SIZE,
        ),
        stage=stage,
        full=full,
        stored_last_id=state.contacts_last_id,
        renew=lambda: renew(token),
    )
    StoreState.objects.filter(pk=state.pk, lease_token=token).update(
        contacts_last_id=written.last_id, contacts_changed_through=began
    )
    return written.rows
