"""Work queues: a queue's open requests ordered by SLA risk, filtered, paged, counted and exported.

The order, from most to least at risk:

1. overdue requests whose clock runs, the most overdue first (earliest due time);
2. requests whose clock runs, by time left as a share of their target,
   (due - now) / (due - requested), smallest first: a request with two hours left of a
   four-hour target comes before one with a day left of a month;
3. waiting requests (`waiting_on_requester`, `waiting_on_third_party`): their clock is paused,
   so nobody can fall behind on them until the requester or the third party answers. They come
   after every running request, ordered among themselves by the same share with the clock
   stopped when the wait began (an overdue one first);
4. requests without a due time (imported without one, or a type without an SLA), oldest first.

Ties go to the lower id. The share depends on the time, so no stored column can hold the order:
the database computes it over the queue's open requests only, which the partial index
`sr_open_queue_idx` holds with every column the ranking and the filters read, so ranking an
agency's backlog reads that small index alone, and only the page's rows are read from the table.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Greatest
from django.db.models.lookups import LessThanOrEqual

from cityline.servicerequests.models import (
    WAITING_STATUSES,
    RequestArea,
    ServiceRequest,
    Status,
)

PAGE_SIZE = 50
# Pages past this one are not offered: the ranking is computed for every open request of the
# queue, and an offset only skips rows it already sorted; narrower filters reach the rest.
MAX_PAGE = 40
EXPORT_LIMIT = 10_000

OPEN_STATUSES = tuple(status.value for status in Status if status != Status.CLOSED)
_WAITING = tuple(status.value for status in WAITING_STATUSES)


class Risk(IntEnum):
    OVERDUE = 0
    RUNNING = 1
    PAUSED = 2
    NO_DUE_TIME = 3


class Seconds(Func):
    """A time as seconds since the Unix epoch, as a float, computed by the database. Django's own
    arithmetic on times runs a Python function per row on SQLite; the ranking needs it for every
    open request of a queue."""

    output_field = FloatField()
    # date_part() gives a double precision at once; EXTRACT computes a numeric on PostgreSQL 14+.
    template = "date_part('epoch', %(expressions)s)"

    def as_sqlite(self, compiler, connection, **extra):
        # julianday() reads the text Django stores; the Julian day of 1970-01-01 is 2440587.5.
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)",
            **extra,
        )


class Origin:
    PROACTIVE = "proactive"
    REPORTED = "reported"


class AssigneeFilter:
    ME = "me"
    UNASSIGNED = "unassigned"


@dataclass(frozen=True)
class QueueFilters:
    """What a queue is narrowed to; each field left empty does not narrow it. `assignee` is
    AssigneeFilter.ME, AssigneeFilter.UNASSIGNED or a colleague's user id (as text)."""

    service_type_id: int | None = None
    area_id: int | None = None
    status: str = ""
    assignee: str = ""
    older_than_days: int | None = None
    origin: str = ""

    def as_details(self) -> dict[str, str | int]:
        """The filters that narrow, for an audit entry."""
        return {key: value for key, value in self.__dict__.items() if value not in (None, "")}


class QueueRow(NamedTuple):
    tracking_number: str
    service_type: str
    address: str
    status: str
    assignee: str
    requested_at: datetime
    expected_at: datetime | None
    demand: int
    proactive: bool
    risk: Risk
    # The time the request's clock reads: now, or when its wait began while it is paused.
    clock_at: datetime
    # Time left on the clock (negative when overdue); None without a due time. Frozen when paused.
    time_left: timedelta | None
    # Time left as a share of the target, frozen when paused; None when overdue (`overdue_by`
    # tells by how much) or without a due time.
    share_left: float | None

    @property
    def overdue_by(self) -> timedelta | None:
        if self.time_left is None or self.time_left >= timedelta(0):
            return None
        return -self.time_left

    @property
    def paused(self) -> bool:
        return self.risk == Risk.PAUSED

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


class QueuePage(NamedTuple):
    rows: list[QueueRow]
    number: int
    total: int
    proactive: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < MAX_PAGE and self.number * PAGE_SIZE < self.total

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-self.total // PAGE_SIZE)))


class QueueCounts(NamedTuple):
    open: int
    overdue: int
    at_risk: int
    unassigned: int
    proactive: int


def _open(requests: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    # `closed_at IS NULL` holds exactly for open requests (closing sets it, reopening clears it,
    # imports leave it empty on open rows); it is the partial index's condition, written without
    # a parameter so that SQLite can match the index to the query. The status keeps the meaning.
    return requests.filter(closed_at__isnull=True, status__in=OPEN_STATUSES)


def _filtered(
    requests: QuerySet[ServiceRequest], *, filters: QueueFilters, user_id: int | None, now: datetime
) -> QuerySet[ServiceRequest]:
    requests = _open(requests)
    if filters.service_type_id is not None:
        requests = requests.filter(service_type_id=filters.service_type_id)
    if filters.area_id is not None:
        # Probed per open request through the (request, area) unique index: the cost follows
        # the queue, whereas reading the area's requests would follow its whole history.
        requests = requests.filter(
            Exists(RequestArea.objects.filter(request=OuterRef("pk"), area_id=filters.area_id))
        )
    if filters.status:
        requests = requests.filter(status=filters.status)
    if filters.assignee == AssigneeFilter.ME:
        requests = requests.filter(assignee_id=user_id)
    elif filters.assignee == AssigneeFilter.UNASSIGNED:
        requests = requests.filter(assignee__isnull=True)
    elif filters.assignee:
        requests = requests.filter(assignee_id=int(filters.assignee))
    if filters.older_than_days is not None:
        requests = requests.filter(requested_at__lt=now - timedelta(days=filters.older_than_days))
    if filters.origin == Origin.PROACTIVE:
        requests = requests.filter(proactive=True)
    elif filters.origin == Origin.REPORTED:
        requests = requests.filter(proactive=False)
    return requests


# The four groups' keys lie in disjoint bands of one number, so the ranking sorts by a single value
# that each row computes once (CASE evaluates one branch): due times in epoch seconds (below 1e10
# until the year 2286), then shares of a target (small numbers) lifted by one and two bands, then
# filing times lifted by three. The band also tells a row's group back.
_BAND = 1e10


def _share_left(clock: Any) -> Any:
    due = Seconds("expected_at")
    # A target of a second at least: a due time at (or before) the filing time would otherwise
    # divide by zero.
    target = Greatest(due - Seconds("requested_at"), Value(1.0), output_field=FloatField())
    return (due - clock) / target


def _ranked(requests: QuerySet[ServiceRequest], *, now: datetime) -> QuerySet[ServiceRequest]:
    now_seconds = Value(now.timestamp())
    paused_clock = Coalesce(Seconds("waiting_since"), now_seconds, output_field=FloatField())
    return requests.annotate(
        rank=Case(
            When(
                expected_at__isnull=True,
                then=Value(Risk.NO_DUE_TIME * _BAND) + Seconds("requested_at"),
            ),
            When(
                status__in=_WAITING,
                then=Value(Risk.PAUSED * _BAND) + _share_left(paused_clock),
            ),
            When(expected_at__lt=now, then=Seconds("expected_at")),
            default=Value(Risk.RUNNING * _BAND) + _share_left(now_seconds),
            output_field=FloatField(),
        )
    )


_ORDER = ("rank", "pk")
_ROW_FIELDS = (
    "tracking_number",
    "service_type__name",
    "address",
    "status",
    "assignee__username",
    "requested_at",
    "expected_at",
    "demand",
    "proactive",
    "waiting_since",
)


def _row(values: tuple[Any, ...], now: datetime) -> QueueRow:
    (number, type_name, address, status, assignee, requested, due, demand, proactive) = values[:9]
    waiting_since, rank = values[9:]
    risk = Risk(min(int(rank // _BAND), Risk.NO_DUE_TIME))
    clock_at = waiting_since if risk == Risk.PAUSED and waiting_since is not None else now
    return QueueRow(
        tracking_number=number,
        service_type=type_name,
        address=address,
        status=status,
        assignee=assignee or "",
        requested_at=requested,
        expected_at=due,
        demand=demand,
        proactive=proactive,
        risk=risk,
        clock_at=clock_at,
        time_left=None if due is None else due - clock_at,
        share_left=rank - risk * _BAND if risk in (Risk.RUNNING, Risk.PAUSED) else None,
    )


def ranked_and_counted(
    matching: QuerySet[ServiceRequest], *, now: datetime
) -> QuerySet[ServiceRequest, tuple[int, float, int, int]]:
    """(id, rank, matches, proactive matches) of each of `matching`, most at risk first.

    The ranking counts the matches as it goes (a window over all of them), so whatever the
    filters cost (an area's membership, say) is paid once for a page and its counts."""
    return (
        _ranked(matching, now=now)
        .annotate(
            total=Window(Count("pk")),
            proactive_total=Window(Count("pk", filter=Q(proactive=True))),
        )
        .order_by(*_ORDER)
        .values_list("pk", "rank", "total", "proactive_total")
    )


def queue_page(
    *,
    requests: QuerySet[ServiceRequest],
    filters: QueueFilters,
    user_id: int | None,
    page: int,
    now: datetime,
) -> QueuePage:
    """A page (from 1 to MAX_PAGE) of the open requests among `requests` (a queue's scope from
    `access.queue_requests`) that match the filters, most at risk first, and how many match.
    The ranking reads the partial index alone; the page's rows alone are then read in full,
    by their keys."""
    matching = _filtered(requests, filters=filters, user_id=user_id, now=now)
    offset = (page - 1) * PAGE_SIZE
    ranks = list(ranked_and_counted(matching, now=now)[offset : offset + PAGE_SIZE])
    # The page's rows by their keys, put back in the ranking's order with the rank it computed.
    fields = {
        pk: values
        for pk, *values in ServiceRequest.objects.filter(
            pk__in=[pk for pk, *_ in ranks]
        ).values_list("pk", *_ROW_FIELDS)
    }
    rows = [_row((*fields[pk], rank), now) for pk, rank, *_ in ranks]
    if ranks:
        _, _, total, proactive = ranks[0]
        return QueuePage(rows=rows, number=page, total=total, proactive=proactive)
    # A page past the last one tells no count: the matches are counted on their own.
    counts = matching.aggregate(total=Count("pk"), proactive=Count("pk", filter=Q(proactive=True)))
    return QueuePage(rows=rows, number=page, **counts)


def queue_count(
    *, requests: QuerySet[ServiceRequest], filters: QueueFilters, user_id: int | None, now: datetime
) -> int:
    return _filtered(requests, filters=filters, user_id=user_id, now=now).count()


def queue_rows_for_export(
    *,
    requests: QuerySet[ServiceRequest],
    filters: QueueFilters,
    user_id: int | None,
    now: datetime,
) -> Iterator[QueueRow]:
    """The first EXPORT_LIMIT matching open requests in the queue's order, read in chunks."""
    matching = _filtered(requests, filters=filters, user_id=user_id, now=now)
    rows = (_ranked(matching, now=now).order_by(*_ORDER).values_list(*_ROW_FIELDS, "rank"))[
        :EXPORT_LIMIT
    ]
    return (_row(r, now) for r in rows.iterator(chunk_size=1000))


def _counts(now: datetime) -> dict[str, Count]:
    # The groups of the ranking, told apart without it: the due time alone tells an overdue
    # request, and only a running one not yet overdue has its share of the target computed.
    running = Q(expected_at__isnull=False) & ~Q(status__in=_WAITING)
    at_risk_share_left = 1 - settings.CITYLINE_SLA_AT_RISK_SHARE
    return {
        "open": Count("pk"),
        "overdue": Count("pk", filter=running & Q(expected_at__lt=now)),
        "at_risk": Count(
            "pk",
            filter=running
            & Q(expected_at__gte=now)
            & Q(LessThanOrEqual(_share_left(Value(now.timestamp())), at_risk_share_left)),
        ),
        "unassigned": Count("pk", filter=Q(assignee__isnull=True)),
        "proactive": Count("pk", filter=Q(proactive=True)),
    }


def queue_counts(*, requests: QuerySet[ServiceRequest], now: datetime) -> QueueCounts:
    """How many open requests a queue holds: overdue and at risk (clock running, past the SLA's
    at-risk share of the target, `CITYLINE_SLA_AT_RISK_SHARE`), unassigned and proactive.
    One aggregate over the partial index."""
    return QueueCounts(**_open(requests).aggregate(**_counts(now)))


NO_OPEN_REQUEST = QueueCounts(open=0, overdue=0, at_risk=0, unassigned=0, proactive=0)


def queue_counts_by_agency(
    *, requests: QuerySet[ServiceRequest], now: datetime
) -> dict[int, QueueCounts]:
    """`queue_counts` of each agency's queue among `requests`, by agency id, in one grouped
    aggregate over the partial index; an agency without an open request is left out."""
    grouped = (
        _open(requests)
        .order_by()
        .values("agency_id")
        .annotate(**_counts(now))
        .values_list("agency_id", *QueueCounts._fields)
    )
    return {agency_id: QueueCounts(*counts) for agency_id, *counts in grouped}
