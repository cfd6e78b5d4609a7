"""The store's figures computed again straight from the database, row by row in Python, with the
definitions docs/analytics.md gives: what the store's queries must agree with on small data."""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from cityline.analytics.queries import (
    ComplianceRow,
    Dimension,
    HotSpot,
    Period,
    Place,
    ReportRow,
    Selection,
    Subset,
    Summary,
    VolumePoint,
    month_bounds,
    period_start,
    year_before,
)
from cityline.analytics.schema import month_of
from cityline.core import clock
from cityline.servicerequests.models import RequestArea, ServiceRequest, Status


@dataclass(frozen=True)
class Row:
    tracking_number: str
    requested_at: datetime
    requested_on: date
    agency: str
    agency_name: str
    service_type: str
    service_name: str
    service_group: str | None
    channel: str
    proactive: bool
    status: str
    resolution: str | None
    h3_cell: str | None
    expected_at: datetime | None
    closed_at: datetime | None
    late_close_reason: str | None
    areas: dict[str, str]

    @property
    def on_time(self) -> bool | None:
        if self.expected_at is None or self.closed_at is None:
            return None
        return self.closed_at <= self.expected_at


def rows() -> list[Row]:
    areas: dict[int, dict[str, str]] = defaultdict(dict)
    for link in RequestArea.objects.select_related("area__layer"):
        areas[link.request_id][link.area.layer.slug] = link.area.code
    return [
        Row(
            tracking_number=r.tracking_number,
            requested_at=r.requested_at,
            requested_on=clock.to_city_time(r.requested_at).date(),
            agency=r.agency.code,
            agency_name=r.agency.name,
            service_type=r.service_type.code,
            service_name=r.service_type.name,
            service_group=r.service_type.group.name if r.service_type.group else None,
            channel=r.channel,
            proactive=r.proactive,
            status=r.status,
            resolution=r.resolution or None,
            h3_cell=r.h3_cell or None,
            expected_at=r.expected_at,
            closed_at=r.closed_at,
            late_close_reason=r.late_close_reason.name if r.late_close_reason else None,
            areas=areas[r.pk],
        )
        for r in ServiceRequest.objects.select_related(
            "agency", "service_type__group", "late_close_reason"
        ).order_by("requested_at", "id")
    ]


def _selected(row: Row, selection: Selection) -> bool:
    return (
        selection.agency in (None, row.agency)
        and selection.service_type in (None, row.service_type)
        and selection.service_group in (None, row.service_group)
        and selection.channel in (None, row.channel)
        and selection.proactive in (None, row.proactive)
        and row.service_type not in selection.excluded_service_types
        and (selection.area is None or row.areas.get(selection.layer or "") == selection.area)
    )


def quantile(values: list[float], share: float) -> float | None:
    """Linear interpolation between the closest ranks (DuckDB's quantile_cont)."""
    if not values:
        return None
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _key_of(dimension: Dimension, selection: Selection) -> Callable[[Row], str | None]:
    return {
        Dimension.CHANNEL: lambda r: r.channel,
        Dimension.SERVICE_GROUP: lambda r: r.service_group,
        Dimension.SERVICE_TYPE: lambda r: r.service_type,
        Dimension.AGENCY: lambda r: r.agency,
        Dimension.DISTRICT: lambda r: r.areas.get(selection.layer or ""),
    }[dimension]


def volume(
    *, dimension: Dimension, period: Period, start: date, end: date, selection: Selection
) -> list[VolumePoint]:
    key_of = _key_of(dimension, selection)
    counts: Counter[tuple[date, str | None]] = Counter()
    proactive: Counter[tuple[date, str | None]] = Counter()
    for row in rows():
        if _selected(row, selection):
            counted = (period_start(row.requested_on, period), key_of(row))
            counts[counted] += 1
            proactive[counted] += row.proactive
    points = []
    for (bucket, key), n in counts.items():
        if start <= bucket < end:
            before = (period_start(year_before(bucket), period), key)
            points.append(
                VolumePoint(
                    bucket, key, n, proactive[(bucket, key)], counts[before], proactive[before]
                )
            )
    return sorted(points, key=lambda p: (p.period, p.key is not None, p.key or ""))


def compliance(
    *, first_month: str, last_month: str, selection: Selection, as_of: datetime
) -> list[ComplianceRow]:
    first, _ = month_bounds(first_month)
    _, end = month_bounds(last_month)
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for row in rows():
        if _selected(row, selection) and first <= row.requested_on < end:
            area = row.areas.get(selection.layer) if selection.layer else None
            groups[(month_of(row.requested_on), row.agency, row.service_type, area)].append(row)
    result = []
    for (month, agency, service_type, area), members in groups.items():
        closed = [r for r in members if r.closed_at is not None]
        with_due = [r for r in members if r.on_time is not None]
        on_time = [r for r in with_due if r.on_time]
        late = [r for r in with_due if not r.on_time]
        hours = [(r.closed_at - r.requested_at).total_seconds() / 3600 for r in closed]  # type: ignore[operator]
        backlog = [r for r in members if r.status != Status.CLOSED]
        ages = [(as_of - r.requested_at).total_seconds() / 86400 for r in backlog]
        result.append(
            ComplianceRow(
                month=month,
                agency=agency,
                service_type=service_type,
                service_name=members[0].service_name,
                area=area,
                requests=len(members),
                proactive=sum(r.proactive for r in members),
                closed=len(closed),
                closed_with_due=len(with_due),
                on_time=len(on_time),
                on_time_share=len(on_time) / len(with_due) if with_due else None,
                median_hours_to_close=quantile(hours, 0.5),
                p90_hours_to_close=quantile(hours, 0.9),
                backlog=len(backlog),
                backlog_median_age_days=quantile(ages, 0.5),
                backlog_oldest_age_days=max(ages) if ages else None,
                late=len(late),
                late_by_reason=dict(Counter(r.late_close_reason or "" for r in late)),
            )
        )
    return sorted(result, key=lambda r: (r.month, r.agency, r.service_type, r.area or ""))


def tracking_numbers(*, start: date, end: date, selection: Selection, subset: Subset) -> list[str]:
    wanted: dict[Subset, Callable[[Row], bool]] = {
        Subset.RECEIVED: lambda r: True,
        Subset.CLOSED: lambda r: r.closed_at is not None,
        Subset.ON_TIME: lambda r: r.on_time is True,
        Subset.LATE: lambda r: r.on_time is False,
        Subset.BACKLOG: lambda r: r.status != Status.CLOSED,
    }
    found: Iterable[Row] = (
        r
        for r in rows()
        if _selected(r, selection) and start <= r.requested_on < end and wanted[subset](r)
    )
    return [r.tracking_number for r in found]


def _received(selection: Selection, start: date, end: date) -> list[Row]:
    return [r for r in rows() if _selected(r, selection) and start <= r.requested_on < end]


def hot_spots(*, place: Place, start: date, end: date, selection: Selection) -> list[HotSpot]:
    def key_of(row: Row) -> str | None:
        return row.h3_cell if place == Place.CELL else row.areas.get(selection.layer or "")

    located = [r for r in _received(selection, start, end) if key_of(r) is not None]
    counts = Counter(key_of(r) for r in located)
    proactive = Counter(key_of(r) for r in located if r.proactive)
    days = (end - start).days
    spots = [
        HotSpot(key, n, proactive[key], n / days, n / len(located))
        for key, n in counts.items()
        if key is not None
    ]
    return sorted(spots, key=lambda s: (-s.requests, s.key))


def summary(*, dimension: Dimension, start: date, end: date, selection: Selection) -> list[Summary]:
    key_of = _key_of(dimension, selection)
    groups: dict[str | None, list[Row]] = defaultdict(list)
    for row in _received(selection, start, end):
        groups[key_of(row)].append(row)
    names = {
        Dimension.AGENCY: lambda r: r.agency_name,
        Dimension.SERVICE_TYPE: lambda r: r.service_name,
    }
    result = []
    for key, members in groups.items():
        closed = [r for r in members if r.closed_at is not None]
        with_due = [r for r in members if r.on_time is not None]
        on_time = [r for r in with_due if r.on_time]
        hours = [(r.closed_at - r.requested_at).total_seconds() / 3600 for r in closed]  # type: ignore[operator]
        name_of = names.get(dimension)
        result.append(
            Summary(
                key=key,
                name=name_of(members[0]) if name_of else None,
                requests=len(members),
                closed=len(closed),
                closed_with_due=len(with_due),
                on_time=len(on_time),
                on_time_share=len(on_time) / len(with_due) if with_due else None,
                median_hours_to_close=quantile(hours, 0.5),
            )
        )
    return sorted(result, key=lambda s: (s.key is not None, s.key or ""))


def resolution_report(*, start: date, end: date, selection: Selection) -> list[ReportRow]:
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for row in _received(selection, start, end):
        area = row.areas.get(selection.layer) if selection.layer else None
        groups[(row.service_group, row.service_type, row.agency, area)].append(row)
    result = []
    for (group, service_type, agency, area), members in groups.items():
        closed = [r for r in members if r.status == Status.CLOSED]
        days = [(r.closed_at - r.requested_at).total_seconds() / 86400 for r in closed]  # type: ignore[operator]
        result.append(
            ReportRow(
                service_group=group,
                service_type=service_type,
                service_name=members[0].service_name,
                agency=agency,
                agency_name=members[0].agency_name,
                area=area,
                received=len(members),
                open=len(members) - len(closed),
                closed=len(closed),
                resolutions=dict(Counter(r.resolution for r in closed if r.resolution)),
                average_days_to_close=sum(days) / len(days) if days else None,
            )
        )
    return sorted(
        result,
        key=lambda r: (
            r.service_group is None,
            r.service_group or "",
            r.service_type,
            r.agency,
            r.area is not None,
            r.area or "",
        ),
    )
