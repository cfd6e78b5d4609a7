"""Refreshing the store from the database: only what changed since the last refresh, or all.

A refresh takes the store's lease, reads the requests changed since the watermark in chunks (each
chunk's rows, areas and history parked on disk by month), rewrites every month partition those
requests sit in now or sat in before (the old rows of a changed request dropped, its new rows
added), then moves the watermark and gives the lease back. A refresh that dies leaves the
watermark where it was: the next one reads the same requests again and writes the same rows.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from cityline.analytics import schema
from cityline.analytics.contacts_refresh import contacts_refresh
from cityline.analytics.models import StoreState
from cityline.analytics.refresh import changed_since, changes_write
from cityline.analytics.store import EVENTS, REQUESTS, Staging, store_root
from cityline.core import clock
from cityline.servicerequests.changes import (
    request_area_codes,
    request_history_rows,
    service_requests_changed,
)

STATE_ID = 1


class StoreBusy(Exception):
    """Another refresh holds the store's lease."""


class LeaseLost(Exception):
    """This refresh's lease ran out and another refresh took the store."""


@dataclass(frozen=True)
class RefreshResult:
    requests: int
    months: tuple[str, ...]
    full: bool


def _state() -> StoreState:
    try:
        with transaction.atomic():
            state, _ = StoreState.objects.get_or_create(pk=STATE_ID)
    except IntegrityError:
        # Another process made the row between our read and our insert.
        state = StoreState.objects.get(pk=STATE_ID)
    return state


def _lease_until() -> datetime:
    return clock.now() + timedelta(seconds=settings.CITYLINE_ANALYTICS_LEASE_SECONDS)


def store_lease_take(*, token: uuid.UUID) -> StoreState:
    """Take the store for one refresh; `StoreBusy` while another refresh's lease runs."""
    _state()
    free = Q(leased_until__isnull=True) | Q(leased_until__lt=clock.now())
    taken = StoreState.objects.filter(free, pk=STATE_ID).update(
        lease_token=token, leased_until=_lease_until()
    )
    if taken != 1:
        raise StoreBusy("another refresh of the analytics store is under way")
    return StoreState.objects.get(pk=STATE_ID)


def store_lease_release(*, token: uuid.UUID) -> None:
    StoreState.objects.filter(pk=STATE_ID, lease_token=token).update(
        lease_token=None, leased_until=None
    )


def _lease_renew(token: uuid.UUID) -> None:
    if not StoreState.objects.filter(pk=STATE_ID, lease_token=token).update(
        leased_until=_lease_until()
    ):
        raise LeaseLost("the analytics store's lease ran out during the refresh")


def analytics_refresh(*, full: bool = False) -> RefreshResult:
    """Bring the store up to date with the database; `full` rewrites it from every request.
    Raises `StoreBusy` when another refresh is under way."""
    token = uuid.uuid4()
    state = store_lease_take(token=token)
    try:
        result = _refresh(state=state, token=token, full=full)
        contacts_refresh(state=state, token=token, full=full, renew=_lease_renew)
        return result
    finally:
        store_lease_release(token=token)


def _refresh(*, state: StoreState, token: uuid.UUID, full: bool) -> RefreshResult:
    root = store_root()
    Staging.clear_all(root)
    staging = Staging(root, token.hex)
    # Every change before this instant is read now, but for transactions still open (the overlap).
    began = clock.now()

    def stage(rows: list[tuple], ids: list[int]) -> None:
        by_month = schema.requests_by_month(rows, request_area_codes(request_ids=ids))
        month_of_request = {
            request_id: month
            for month, table in by_month.items()
            for request_id in table["id"].to_pylist()
        }
        staging.add(REQUESTS, by_month)
        staging.add(
            EVENTS, schema.events_by_month(request_history_rows(request_ids=ids), month_of_request)
        )

    written = changes_write(
        root=root,
        staging=staging,
        tables=(REQUESTS, EVENTS),
        chunks=service_requests_changed(
            after_id=0 if full else state.last_id,
            updated_since=changed_since(state.changed_through, full=full),
            chunk_size=settings.CITYLINE_ANALYTICS_CHUNK_SIZE,
        ),
        stage=stage,
        full=full,
        stored_last_id=state.last_id,
        renew=lambda: _lease_renew(token),
    )
    StoreState.objects.filter(pk=STATE_ID, lease_token=token).update(
        last_id=written.last_id, changed_through=began, refreshed_at=clock.now()
    )
    return RefreshResult(requests=written.rows, months=written.months, full=full)
