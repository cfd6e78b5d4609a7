"""Sending work orders to agencies' systems, in order per request, until each is acknowledged.

A sweep reads the due events that head their request (every earlier event of the request was
acknowledged), claims one at a time with a conditional UPDATE that stamps a lease (as the outbox
does), POSTs it, and records the answer. A 2xx acknowledges it; anything else backs off with
full jitter, and after `CITYLINE_WORKORDER_MAX_ATTEMPTS` attempts or `…_MAX_AGE_HOURS` the event
is dead-lettered until someone replays it from the console. A dead event holds back the later
events of its request: they are never sent out of order.

A `kill -9` between the agency's acknowledgement and our record of it sends that event again
once the lease runs out; it carries the same `Idempotency-Key`, by which the agency drops it.
"""

import random
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q

from cityline.core import clock
from cityline.integrations.models import DeliveryStatus, WorkOrderEvent
from cityline.integrations.signing import signature, work_order_bytes

_CANDIDATES = 100
USER_AGENT = "Cityline work orders"


def work_order_backoff(*, attempts: int, rng: random.Random) -> timedelta:
    """How long to wait after the `attempts`-th failure: a random time up to the exponential
    bound ("full jitter"), so the events of an agency that was down do not all return at once."""
    base = settings.CITYLINE_WORKORDER_BACKOFF_BASE_SECONDS
    bound = min(settings.CITYLINE_WORKORDER_BACKOFF_CAP_SECONDS, base * 2 ** min(attempts - 1, 40))
    return timedelta(seconds=rng.uniform(0, bound))


def _lease() -> timedelta:
    return timedelta(seconds=settings.CITYLINE_WORKORDER_LEASE_SECONDS)


def _free(now) -> Q:
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - _lease())


def _due(limit: int, failing: set[int]) -> list[WorkOrderEvent]:
    now = clock.now()
    earlier_unacknowledged = WorkOrderEvent.objects.filter(
        request_id=OuterRef("request_id"),
        integration_id=OuterRef("integration_id"),
        sequence__lt=OuterRef("sequence"),
    ).exclude(status=DeliveryStatus.DELIVERED)
    return list(
        WorkOrderEvent.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now, integration__enabled=True
        )
        .filter(_free(now))
        .filter(~Exists(earlier_unacknowledged))
        .exclude(integration_id__in=failing)
        .select_related("integration")
        .order_by("next_attempt_at", "id")[:limit]
    )


def _claim(event: WorkOrderEvent, token: str) -> bool:
    now = clock.now()
    claimed = (
        WorkOrderEvent.objects.filter(pk=event.pk, status=DeliveryStatus.PENDING)
        .filter(_free(now))
        .update(claimed_at=now, claimed_by=token, attempts=F("attempts") + 1)
    )
    if claimed:
        event.claimed_by = token
        event.attempts += 1
    return claimed == 1


def _post(event: WorkOrderEvent) -> str:
    """Send the event; "" when the agency acknowledged it (2xx), else what went wrong."""
    integration = event.integration
    body = work_order_bytes(event.body)
    timestamp = str(int(time.time()))
    outgoing = urllib.request.Request(
        integration.endpoint_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Idempotency-Key": event.idempotency_key,
            "X-Cityline-Event": event.kind,
            "X-Cityline-Timestamp": timestamp,
            "X-Cityline-Signature": signature(
                secret=integration.signing_secret, timestamp=timestamp, body=body
            ),
        },
    )
    try:
        with urllib.request.urlopen(outgoing, timeout=integration.timeout_seconds) as answer:
            answer.read(4096)
            return "" if 200 <= answer.status < 300 else f"HTTP {answer.status}"
    except urllib.error.HTTPError as refused:
        return f"HTTP {refused.code} {refused.reason}"[:500]
    except (OSError, ValueError) as failed:  # refused, unreachable, timed out, a bad URL
        return repr(failed)[:500]


def _record(event: WorkOrderEvent, error: str, rng: random.Random) -> bool:
    now = clock.now()
    held = WorkOrderEvent.objects.filter(pk=event.pk, claimed_by=event.claimed_by)
    if not error:
        held.update(
            status=DeliveryStatus.DELIVERED,
            delivered_at=now,
            claimed_at=None,
            claimed_by="",
            last_error="",
        )
        return True
    too_old = now - event.created_at > timedelta(hours=settings.CITYLINE_WORKORDER_MAX_AGE_HOURS)
    if event.attempts >= settings.CITYLINE_WORKORDER_MAX_ATTEMPTS or too_old:
        held.update(status=DeliveryStatus.DEAD, claimed_at=None, claimed_by="", last_error=error)
    else:
        held.update(
            next_attempt_at=now + work_order_backoff(attempts=event.attempts, rng=rng),
            claimed_at=None,
            claimed_by="",
            last_error=error,
        )
    return False


def work_order_sweep(
    *, limit: int = 1000, stop: threading.Event | None = None, rng: random.Random | None = None
) -> int:
    """Send what is due, one event at a time; return how many were acknowledged.

    An agency that fails once is left alone for the rest of the sweep (its other events stay due
    for the next sweep, their attempts uncounted): a system that is down costs one request per
    sweep, not one per waiting work order."""
    rng = rng or random.Random()
    token = uuid.uuid4().hex
    attempts = acknowledged = 0
    failing: set[int] = set()
    while attempts < limit and not (stop and stop.is_set()):
        candidates = _due(_CANDIDATES, failing)
        if not candidates:
            break
        progressed = False
        for event in candidates:
            if attempts >= limit or (stop and stop.is_set()):
                break
            if event.integration_id in failing or not _claim(event, token):
                continue
            attempts += 1
            if _record(event, _post(event), rng):
                acknowledged += 1
                progressed = True
            else:
                failing.add(event.integration_id)
        if not progressed:
            break
    return acknowledged
