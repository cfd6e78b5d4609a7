"""The Stat pack: one agency's month on a few printed pages, for the meeting where its commissioner
answers for it. Volume by service type beside the same month a year before and over thirteen
months; the on-time share by type and by district beside the month before; the median and
90th-percentile days to close; the backlog by age and its oldest requests; the late closes by
reason; the busiest districts and H3 cells. Every figure comes from `analytics.queries` and
`analytics.backlog_queries`; made on demand (console, command) or written by the worker into
`$CITYLINE_ANALYTICS_DIR/reports/` for the month that ended."""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from cityline.analytics import backlog_queries, charts, queries
from cityline.analytics.backlog_queries import BacklogBucket, CloseTimes, OpenRequest
from cityline.analytics.queries import Dimension, HotSpot, Place, Selection, month_bounds
from cityline.analytics.reports import REPORTS
from cityline.analytics.schema import month_of
from cityline.analytics.store import store_root
from cityline.catalog.selectors import agency_list
from cityline.core import clock
from cityline.core.errors import InvalidInput

STYLESHEET = Path(__file__).parent / "static" / "analytics" / "stat_pack.css"
TREND_MONTHS = 13
HOT_SPOTS_LISTED = 5
OLDEST_LISTED = 10
NO_FIGURE = "\N{EN DASH}"
_STORED_NAME = re.compile(r"^statpack-[A-Za-z0-9_-]+-\d{4}-\d{2}\.pdf$")


@dataclass(frozen=True)
class OnTime:
    """A key's on-time share in the month and in the month before (None: nothing closed with a
    due time)."""

    key: str | None
    name: str
    closed_with_due: int
    on_time: int
    share: float | None
    share_before: float | None

    @property
    def change(self) -> float | None:
        """The change from the month before, in percentage points."""
        if self.share is None or self.share_before is None:
            return None
        return (self.share - self.share_before) * 100


@dataclass(frozen=True)
class TypeFigures:
    code: str
    name: str
    requests: int
    year_before: int
    median_days: float | None
    p90_days: float | None


@dataclass(frozen=True)
class StatPack:
    agency: str
    agency_name: str
    month: str
    previous_month: str
    layer: str
    made_at: datetime
    received: int
    received_year_before: int
    on_time: OnTime
    types: list[TypeFigures]
    trend: list[tuple[str, int]]
    on_time_by_type: list[OnTime]
    on_time_by_district: list[OnTime]
    close_times: CloseTimes
    backlog: list[BacklogBucket]
    late_reasons: list[tuple[str, int]]
    hot_districts: list[HotSpot]
    hot_cells: list[HotSpot]
    oldest: list[OpenRequest]

    @property
    def backlog_total(self) -> int:
        return sum(bucket.requests for bucket in self.backlog)

    @property
    def late_total(self) -> int:
        return sum(count for _, count in self.late_reasons)


def _month_shift(month: str, months: int) -> str:
    first, _ = month_bounds(month)
    index = first.year * 12 + first.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _summaries(
    dimension: Dimension, month: str, selection: Selection
) -> dict[str | None, queries.Summary]:
    start, end = month_bounds(month)
    rows = queries.summary(dimension=dimension, start=start, end=end, selection=selection)
    return {row.key: row for row in rows}


def _on_time(
    now: dict[str | None, queries.Summary], before: dict[str | None, queries.Summary]
) -> list[OnTime]:
    rows = [
        OnTime(
            key,
            row.name or key or "",
            row.closed_with_due,
            row.on_time,
            row.on_time_share,
            before[key].on_time_share if key in before else None,
        )
        for key, row in now.items()
    ]
    return sorted(rows, key=lambda row: (-row.closed_with_due, row.name))


def stat_pack(*, agency: str, month: str, made_at: datetime | None = None) -> StatPack:
    """The agency's (its code) Stat pack for a month (`YYYY-MM`), from the store as it stands."""
    start, end = month_bounds(month)
    found = agency_list().filter(code=agency).first()
    if found is None:
        raise InvalidInput(f"no agency with the code {agency!r}", field="agency")
    made_at = made_at or clock.now()
    layer = settings.CITYLINE_DISTRICT_LAYER
    own = Selection(agency=agency)
    placed = Selection(agency=agency, layer=layer)
    previous = _month_shift(month, -1)

    types_now = _summaries(Dimension.SERVICE_TYPE, month, own)
    types_year_before = _summaries(Dimension.SERVICE_TYPE, _month_shift(month, -12), own)
    compliance = {
        row.service_type: row for row in queries.sla_compliance(first_month=month, selection=own)
    }
    codes = {code for code in (*types_now, *types_year_before) if code is not None}
    types = [
        _type_figures(code, types_now.get(code), types_year_before.get(code), compliance.get(code))
        for code in codes
    ]
    types.sort(key=lambda row: (-row.requests, -row.year_before, row.name))

    late: Counter[str] = Counter()
    for row in compliance.values():
        late.update(row.late_by_reason)

    trend_start, _ = month_bounds(_month_shift(month, 1 - TREND_MONTHS))
    counted = Counter[str]()
    for point in queries.volume_over_time(
        dimension=Dimension.AGENCY,
        period=queries.Period.MONTH,
        start=trend_start,
        end=end,
        selection=own,
    ):
        counted[month_of(point.period)] += point.requests
    trend_months = [_month_shift(month, shift) for shift in range(1 - TREND_MONTHS, 1)]

    whole_now = _summaries(Dimension.AGENCY, month, own)
    whole_before = _summaries(Dimension.AGENCY, previous, own)
    on_time = _on_time(whole_now, whole_before)
    return StatPack(
        agency=agency,
        agency_name=found.name,
        month=month,
        previous_month=previous,
        layer=layer,
        made_at=made_at,
        received=sum(row.requests for row in types),
        received_year_before=sum(row.year_before for row in types),
        on_time=on_time[0] if on_time else OnTime(agency, found.name, 0, 0, None, None),
        types=types,
        trend=[(key, counted[key]) for key in trend_months],
        on_time_by_type=_on_time(types_now, _summaries(Dimension.SERVICE_TYPE, previous, own)),
        on_time_by_district=_on_time(
            _summaries(Dimension.DISTRICT, month, placed),
            _summaries(Dimension.DISTRICT, previous, placed),
        ),
        close_times=backlog_queries.close_times(start=start, end=end, selection=own),
        backlog=backlog_queries.backlog_ages(end=end, as_of=made_at, selection=own),
        late_reasons=sorted(late.items(), key=lambda item: (-item[1], item[0])),
        hot_districts=queries.hot_spots(
            place=Place.DISTRICT, start=start, end=end, selection=placed, limit=HOT_SPOTS_LISTED
        ),
        hot_cells=queries.hot_spots(
            place=Place.CELL, start=start, end=end, selection=own, limit=HOT_SPOTS_LISTED
        ),
        oldest=backlog_queries.oldest_open(
            end=end, as_of=made_at, selection=placed, limit=OLDEST_LISTED
        ),
    )


def _type_figures(
    code: str,
    now: queries.Summary | None,
    year_before: queries.Summary | None,
    compliance: queries.ComplianceRow | None,
) -> TypeFigures:
    named = now or year_before
    return TypeFigures(
        code,
        (named.name if named else None) or code,
        now.requests if now else 0,
        year_before.requests if year_before else 0,
        _days(compliance.median_hours_to_close) if compliance else None,
        _days(compliance.p90_hours_to_close) if compliance else None,
    )


def _days(hours: float | None) -> float | None:
    return None if hours is None else hours / 24


def _share(share: float | None) -> str:
    return NO_FIGURE if share is None else f"{share * 100:.0f} %"


def _change(change: float | None) -> str:
    if change is None:
        return ""
    return _("%(change)+.0f pts") % {"change": change}


def _on_time_chart(rows: list[OnTime]) -> charts.HorizontalBarChart:
    return charts.horizontal_bars(
        [
            (
                row.name,
                (row.share or 0) * 100,
                None,
                " · ".join(part for part in (_share(row.share), _change(row.change)) if part),
            )
            for row in rows
        ],
        highest=100,
    )


def _age_label(bucket: BacklogBucket) -> str:
    if bucket.high is None:
        return _("%(low)d days or more") % {"low": bucket.low}
    return _("%(low)d to %(high)d days") % {"low": bucket.low, "high": bucket.high - 1}


def stat_pack_html(*, pack: StatPack) -> str:
    shares = {row.key: row for row in pack.on_time_by_type}
    # A Stat pack is read at the city's table, in the city's language, like the Council's report.
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "pack": pack,
            "month_first": month_bounds(pack.month)[0],
            "previous_first": month_bounds(pack.previous_month)[0],
            "volume_chart": charts.horizontal_bars(
                [
                    (row.name, row.requests, row.year_before, f"{row.requests} / {row.year_before}")
                    for row in pack.types
                ]
            ),
            "trend_chart": charts.columns(
                [(date.fromisoformat(f"{key}-01").strftime("%b %y"), n) for key, n in pack.trend]
            ),
            "type_chart": _on_time_chart(pack.on_time_by_type),
            "district_chart": _on_time_chart(pack.on_time_by_district),
            "backlog_chart": charts.horizontal_bars(
                [(_age_label(b), b.requests, None, str(b.requests)) for b in pack.backlog]
            ),
            "backlog_rows": [(_age_label(b), b.requests) for b in pack.backlog],
            "late_chart": charts.horizontal_bars(
                [
                    (reason or _("no reason given"), n, None, str(n))
                    for reason, n in pack.late_reasons
                ]
            ),
            "on_time_change": _change(pack.on_time.change),
            "type_rows": [
                (row, _share(shares[row.code].share), _change(shares[row.code].change))
                if row.code in shares
                else (row, NO_FIGURE, "")
                for row in pack.types
            ],
        }
        return render_to_string("analytics/stat_pack.html", context)


def stat_pack_pdf(*, pack: StatPack) -> bytes:
    # WeasyPrint loads pango when imported: only the processes that print pay for it.
    import weasyprint

    return weasyprint.HTML(string=stat_pack_html(pack=pack)).write_pdf(
        stylesheets=[weasyprint.CSS(filename=str(STYLESHEET))]
    )


def stat_pack_filename(*, agency: str, month: str) -> str:
    return f"statpack-{re.sub(r'[^A-Za-z0-9_-]', '-', agency)}-{month}.pdf"


def _folder() -> Path:
    return store_root() / REPORTS


def stat_packs_write(*, month: str, agency: str | None = None) -> list[Path]:
    """Write the month's Stat pack of one agency (its code) or of every agency into the store's
    reports folder, each under a temporary name renamed over the old one."""
    codes = [agency] if agency else list(agency_list().values_list("code", flat=True))
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for code in codes:
        body = stat_pack_pdf(pack=stat_pack(agency=code, month=month))
        path = folder / stat_pack_filename(agency=code, month=month)
        temporary = path.with_suffix(".pdf.tmp")
        temporary.write_bytes(body)
        temporary.replace(path)
        written.append(path)
    return written


def stat_packs_write_missing(*, month: str) -> list[Path]:
    """The month's Stat packs of the agencies that have none written yet."""
    folder = _folder()
    written = []
    for code in agency_list().values_list("code", flat=True):
        if not (folder / stat_pack_filename(agency=code, month=month)).exists():
            written += stat_packs_write(month=month, agency=code)
    return written


def stat_pack_readable(*, name: str, agencies: frozenset[str] | None) -> bool:
    """Whether a Stat pack's file name is one of the agencies' (their codes; None: every
    agency's)."""
    if agencies is None:
        return True
    # A name without its month and suffix ("2026-03.pdf") is its agency's prefix.
    return name[:-11] in {stat_pack_filename(agency=code, month="")[:-4] for code in agencies}


def stat_packs_stored(*, agencies: frozenset[str] | None) -> list[str]:
    """The stored Stat packs' file names of the agencies (their codes; None: every agency),
    newest month first."""
    folder = _folder()
    if not folder.is_dir():
        return []
    names = [
        path.name
        for path in folder.iterdir()
        if _STORED_NAME.match(path.name) and stat_pack_readable(name=path.name, agencies=agencies)
    ]
    return sorted(names, key=lambda name: (name[-11:-4], name), reverse=True)


def stat_pack_stored_get(*, name: str) -> bytes | None:
    """A stored Stat pack's bytes; None for a name that is not a stored pack's (never a path
    outside the folder)."""
    if not _STORED_NAME.match(name):
        return None
    path = _folder() / name
    return path.read_bytes() if path.is_file() else None
