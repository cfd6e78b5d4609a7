"""The worker's spike check, and a supervisor's acknowledgement.

The window's counts are read from the database: the store is up to
`CITYLINE_ANALYTICS_REFRESH_MINUTES` behind, and the last hours are the whole point. The baseline
is read from the store: a year of requests grouped by series, day and hour is one DuckDB scan of
a few columns, where the database would read every request row of the year; it needs whole days
before today only, which the store holds once the day's first refresh ran.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import duckdb
from django.conf import settings
from django.db import IntegrityError, transaction

from cityline.accounts.audit import audit_record
from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import staff_with_role
from cityline.analytics.models import Spike
from cityline.analytics.queries import _requests_from
from cityline.analytics.schema import month_of
from cityline.analytics.spikes import (
    Baseline,
    HourCount,
    SeriesCheck,
    SeriesKey,
    Thresholds,
    baseline_build,
    spikes_detect,
)
from cityline.analytics.store import REQUESTS, months_stored
from cityline.core import clock
from cityline.core.outbox import outbox_enqueue_many
from cityline.servicerequests.changes import request_counts_by_type_and_area

SPIKE_RAISED_TOPIC = "analytics.spike_raised"


@dataclass(frozen=True)
class CheckResult:
    checked: int
    raised: int
    continued: int
    ended: int


def spike_thresholds() -> Thresholds:
    return Thresholds(
        tail_probability=settings.CITYLINE_SPIKE_TAIL_PROBABILITY,
        end_probability=settings.CITYLINE_SPIKE_END_PROBABILITY,
        min_count=settings.CITYLINE_SPIKE_MIN_COUNT,
    )


def spike_baseline_read(*, service_codes: list[str], end_day: date) -> Baseline | None:
    """The baseline of these service types' series from the store: the requests residents filed
    in the `CITYLINE_SPIKE_HISTORY_WEEKS` weeks before `end_day` (from the first day the store
    holds of them), by district of `CITYLINE_DISTRICT_LAYER`, day and hour. None when it holds
    less than a week of them."""
    first_day = end_day - timedelta(weeks=settings.CITYLINE_SPIKE_HISTORY_WEEKS)
    months = {m for m in months_stored(REQUESTS) if month_of(first_day) <= m <= month_of(end_day)}
    if not service_codes or not months:
        return None
    params: dict[str, Any] = {"layer": settings.CITYLINE_DISTRICT_LAYER, "codes": service_codes}
    sql = (
        "SELECT service_code, areas[$layer] AS area, requested_on, hour(requested_at), count(*)"
        f" FROM {_requests_from(first_day, end_day, params)}"
        " AND NOT proactive AND areas[$layer] IS NOT NULL"
        " AND list_contains($codes, service_code)"
        " GROUP BY ALL"
    )
    with duckdb.connect() as connection:
        # The hour of the city's clock, as `requested_on` is the city's day.
        connection.execute(f"SET TimeZone = '{settings.TIME_ZONE}'")
        rows = connection.execute(sql, params).fetchall()
    if not rows:
        return None
    # A store younger than the history: its level is what it holds over the days it holds.
    first_day = max(first_day, min(row[2] for row in rows))
    if (end_day - first_day).days < 7:
        return None
    return baseline_build(
        counts=(HourCount(*row) for row in rows),
        first_day=first_day,
        end_day=end_day,
        recent_days=settings.CITYLINE_SPIKE_RECENT_WEEKS * 7,
    )


def spikes_check(*, now: datetime | None = None) -> CheckResult:
    """Check the window that ends now: raise a spike (and e-mail the 311 supervisors) for each
    series newly far above its usual count, keep the open ones that still are, end those found
    quiet."""
    now = now or clock.now()
    start = now - timedelta(hours=settings.CITYLINE_SPIKE_WINDOW_HOURS)
    thresholds = spike_thresholds()
    rows = request_counts_by_type_and_area(
        start=start, end=now, layer_slug=settings.CITYLINE_DISTRICT_LAYER
    )
    ids = {SeriesKey(code, area): (type_id, area_id) for type_id, code, area_id, area, _ in rows}
    observed = {SeriesKey(code, area): count for _, code, _, area, count in rows}
    open_spikes = {
        SeriesKey(spike.service_type.code, spike.area.code): spike
        for spike in Spike.objects.filter(ended_at=None).select_related("service_type", "area")
    }
    # Only a series with enough requests can be raised: the baseline is read for their types.
    candidates = {key for key, count in observed.items() if count >= thresholds.min_count}
    wanted = {key.service_code for key in candidates | set(open_spikes)}
    baseline = spike_baseline_read(
        service_codes=sorted(wanted), end_day=clock.to_city_time(now).date()
    )
    if baseline is None:
        return CheckResult(checked=0, raised=0, continued=0, ended=0)
    checks = spikes_detect(
        baseline=baseline,
        observed=observed,
        start=start,
        end=now,
        zone=settings.TIME_ZONE,
        thresholds=thresholds,
        also=open_spikes,
    )
    raised = continued = ended = 0
    for key, check in checks.items():
        spike = open_spikes.get(key)
        if spike is not None:
            if check.is_quiet:
                Spike.objects.filter(pk=spike.pk).update(ended_at=now)
                ended += 1
            else:
                _spike_continue(spike=spike, check=check, now=now)
                continued += 1
        elif check.is_spike and _spike_raise(ids=ids[key], check=check, start=start, now=now):
            raised += 1
    return CheckResult(checked=len(checks), raised=raised, continued=continued, ended=ended)


def _spike_continue(*, spike: Spike, check: SeriesCheck, now: datetime) -> None:
    changes: dict[str, Any] = {"last_seen_at": now}
    if check.observed > spike.observed:
        changes.update(
            observed=check.observed,
            expected=check.expected,
            tail_probability=check.tail_probability,
            window_end=now,
        )
    Spike.objects.filter(pk=spike.pk).update(**changes)


def _spike_raise(
    *, ids: tuple[int, int], check: SeriesCheck, start: datetime, now: datetime
) -> bool:
    """Record the spike and its e-mails in one transaction; False when another check raised
    the same series meanwhile (the open-spike constraint refuses the second)."""
    service_type_id, area_id = ids
    try:
        with transaction.atomic():
            spike = Spike.objects.create(
                service_type_id=service_type_id,
                area_id=area_id,
                window_start=start,
                window_end=now,
                observed=check.observed,
                expected=check.expected,
                tail_probability=check.tail_probability,
                raised_at=now,
                last_seen_at=now,
            )
            outbox_enqueue_many(
                topic=SPIKE_RAISED_TOPIC,
                payloads=[
                    {"spike_id": spike.pk, "user_id": user_id}
                    for user_id in staff_with_role(role=Role.SUPERVISOR_311)
                    .exclude(email="")
                    .values_list("pk", flat=True)
                ],
            )
    except IntegrityError:
        return False
    return True


def spike_acknowledge(*, spike: Spike, by: User, ip: str | None) -> bool:
    """Mark the spike seen by `by`; False when someone acknowledged it already (the first one
    is kept)."""
    now = clock.now()
    with transaction.atomic():
        done = Spike.objects.filter(pk=spike.pk, acknowledged_at=None).update(
            acknowledged_by=by, acknowledged_at=now
        )
        if done:
            audit_record(
                actor=by,
                action="analytics.spike_acknowledged",
                target=spike,
                details={},
                ip=ip,
            )
    return bool(done)
