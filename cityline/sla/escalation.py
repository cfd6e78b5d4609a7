"""The SLA scan: marks requests at risk, breached and long overdue, and escalates each once.

For each stage (acknowledge: a request still "new" past `acknowledge_due_at`; resolve: an open,
not waiting request past `expected_at`) and each level, one set-based query finds the requests
that reached the level and have no escalation row for it yet. A level is reached once a share of
the stage's target is used (`CITYLINE_SLA_AT_RISK_SHARE`, 1 for the breach,
`CITYLINE_SLA_OVERDUE_SHARE`); the time spent waiting does not count, since it pushed the due
time back. The queries read the partial indexes on the due times, which hold only the requests
whose clock runs.

Each escalation is an `SlaEscalation` row, unique on (request, stage, level), written with its
console notices and one outbox message per recipient (`sla.escalated`, e-mailed by
`cityline.sla.handlers`) in one transaction per batch of requests. Rows are inserted in bulk,
skipping conflicts, each marked with the scan's own id; the scan then notifies for the rows that
carry its id only. Two scans at once race on the unique key: on PostgreSQL the second insert of a
key waits for the first scan's transaction and then skips the row, on SQLite the first scan's
transaction holds the database's write lock and the second scan's insert comes after it. Either
way the losing scan skips the request, so nothing is escalated twice.

Recipients: level 1 the assignee (none when unassigned: the mark is kept all the same), level 2
the agency's supervisors, level 3 the 311 supervisors.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, FloatField, Func, OuterRef, Q, QuerySet, Value

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import staff_with_role
from cityline.core import clock
from cityline.core.outbox import outbox_enqueue_many
from cityline.servicerequests.models import ServiceRequest, Status
from cityline.sla.models import EscalationLevel, SlaEscalation, SlaNotice, SlaStage

# Requests escalated per transaction: few commits, and a transaction short enough that a second
# scan waiting on its unique keys is not held long.
_BATCH = 500

_RUNNING = [Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS]


class _Epoch(Func):
    """Seconds since the epoch of a datetime column, as a float, on SQLite and PostgreSQL."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        # A Julian day number as a double is precise to about 50 microseconds: rounded to the
        # millisecond, a time a whole number of milliseconds reads exactly.
        return self.as_sql(
            compiler,
            connection,
            template="ROUND((julianday(%(expressions)s) - 2440587.5) * 86400.0, 3)",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)::float", **extra
        )


@dataclass(frozen=True)
class _Stage:
    stage: str
    due: str  # the column holding the due time, pushed by pauses
    target: str  # the column holding the due time as frozen at creation
    running: Q


_STAGES = (
    _Stage(
        stage=SlaStage.ACKNOWLEDGE,
        due="acknowledge_due_at",
        target="acknowledge_due_at",
        running=Q(status=Status.NEW, acknowledge_due_at__isnull=False),
    ),
    _Stage(
        stage=SlaStage.RESOLVE,
        due="expected_at",
        target="resolve_target_at",
        running=Q(status__in=_RUNNING, expected_at__isnull=False, resolve_target_at__isnull=False),
    ),
)


def level_shares() -> dict[int, float]:
    """The share of a stage's target used at which each level is reached."""
    return {
        EscalationLevel.AT_RISK: settings.CITYLINE_SLA_AT_RISK_SHARE,
        EscalationLevel.BREACHED: 1.0,
        EscalationLevel.OVERDUE: settings.CITYLINE_SLA_OVERDUE_SHARE,
    }


def _reached(stage: _Stage, level: int, share: float, now: datetime) -> QuerySet[ServiceRequest]:
    """Requests of `stage` that used `share` of their target by `now`, without this level yet.

    The level is reached at due - (1 - share) * (target - requested): the due time already
    carries the pauses, the target's length does not."""
    requests = ServiceRequest.objects.filter(stage.running)
    if share >= 1:
        # Reached at or after the due time: a range on the due time's index narrows first.
        requests = requests.filter(**{f"{stage.due}__lte": now})
    if share != 1:
        reached_at = _Epoch(F(stage.due)) - Value(1 - share) * (
            _Epoch(F(stage.target)) - _Epoch(F("requested_at"))
        )
        requests = requests.alias(reached_at=reached_at).filter(
            reached_at__lte=Value(now.timestamp())
        )
    already = SlaEscalation.objects.filter(request=OuterRef("pk"), stage=stage.stage, level=level)
    return requests.filter(~Exists(already)).order_by("pk")


@dataclass(frozen=True)
class ScanResult:
    escalated: int  # escalations this scan recorded
    skipped: int  # reached levels another scan recorded first


class _Recipients:
    """Who hears of a level, read once per scan for the supervisors."""

    def __init__(self) -> None:
        self._agency: dict[int, list[User]] = {}
        self._city: list[User] | None = None

    def of(self, level: int, request: ServiceRequest) -> list[User]:
        if level == EscalationLevel.AT_RISK:
            assignee = request.assignee
            return [assignee] if assignee is not None and assignee.is_active else []
        if level == EscalationLevel.BREACHED:
            if request.agency_id not in self._agency:
                self._agency[request.agency_id] = list(
                    staff_with_role(role=Role.AGENCY_SUPERVISOR, agency_id=request.agency_id)
                )
            return self._agency[request.agency_id]
        if self._city is None:
            self._city = list(staff_with_role(role=Role.SUPERVISOR_311))
        return self._city


def _batches(requests: QuerySet[ServiceRequest]) -> Iterator[list[ServiceRequest]]:
    """The requests in key order (two scans insert keys in one order, so neither deadlocks)."""
    rows = list(
        requests.select_related("assignee").only(
            "pk",
            "agency_id",
            "acknowledge_due_at",
            "expected_at",
            "assignee__id",
            "assignee__is_active",
            "assignee__email",
        )
    )
    for start in range(0, len(rows), _BATCH):
        yield rows[start : start + _BATCH]


def _escalate(
    batch: list[ServiceRequest],
    stage: _Stage,
    level: int,
    now: datetime,
    scan: uuid.UUID,
    recipients: _Recipients,
) -> int:
    """Record the level for a batch of requests, with notices and messages for the rows this
    scan inserted; return how many. A row another scan holds is skipped by the insert (on
    PostgreSQL once that scan's transaction ended), so it is notified by that scan only."""
    SlaEscalation.objects.bulk_create(
        [
            SlaEscalation(
                request=request,
                stage=stage.stage,
                level=level,
                due_at=getattr(request, stage.due),
                reached_at=now,
                scan=scan,
            )
            for request in batch
        ],
        ignore_conflicts=True,
    )
    by_request = {request.pk: request for request in batch}
    won = list(
        SlaEscalation.objects.filter(
            request_id__in=list(by_request), stage=stage.stage, level=level, scan=scan
        ).only("pk", "request_id")
    )
    notices = [
        SlaNotice(user=user, escalation=escalation, created_at=now)
        for escalation in won
        for user in recipients.of(level, by_request[escalation.request_id])
    ]
    SlaNotice.objects.bulk_create(notices)
    outbox_enqueue_many(
        topic="sla.escalated",
        payloads=[
            {"escalation_id": notice.escalation.pk, "user_id": notice.user.pk} for notice in notices
        ],
    )
    return len(won)


def sla_scan(*, now: datetime | None = None) -> ScanResult:
    """Escalate every request that reached a level since the last scan."""
    now = now or clock.now()
    scan = uuid.uuid4()
    recipients = _Recipients()
    escalated = skipped = 0
    for stage in _STAGES:
        for level, share in level_shares().items():
            for batch in _batches(_reached(stage, level, share, now)):
                with transaction.atomic():
                    won = _escalate(batch, stage, level, now, scan, recipients)
                escalated += won
                skipped += len(batch) - won
    return ScanResult(escalated=escalated, skipped=skipped)
