"""CSV exports of the console's lists: the filtered work queue and the filtered audit log.

Each is streamed, bounded, and recorded in the audit log (who, which filters, how many rows)
before its first row leaves. Neither holds a requester's contact details: the queue's rows are
the request's public fields plus its assignee, and the audit log's leave out the address each
action came from."""

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityline.accounts import access as accounts_access
from cityline.accounts.audit import AuditTarget, audit_record
from cityline.accounts.http import StaffRequest
from cityline.accounts.models import AuditEntry
from cityline.console.audit_views import audit_filtered
from cityline.console.forms import AuditFilterForm
from cityline.console.queue_views import filter_form
from cityline.core import clock
from cityline.core.clients import client_address
from cityline.servicerequests import access
from cityline.servicerequests.queues import (
    EXPORT_LIMIT,
    QueueRow,
    queue_count,
    queue_rows_for_export,
)

AUDIT_EXPORT_LIMIT = 100_000


class _Echo:
    """A file that hands back what is written, so csv.writer feeds a streamed response."""

    def write(self, value: str) -> str:
        return value


# A spreadsheet runs a cell that starts with one of these as a formula; the exports carry text
# residents wrote, so such a cell is written as text (OWASP's advice on CSV injection), unless it
# is a number.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if not (isinstance(value, str) and value.startswith(_FORMULA_STARTS)):
        return value
    try:
        float(value)  # a signed number ("-0.2500", a share past its target) stays a number
    except ValueError:
        return "'" + value
    return value


def _csv_stream(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([_cell(value) for value in row])


def csv_response(name: str, header: list[str], rows: Iterable[list[Any]]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _csv_stream(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


QUEUE_HEADER = [
    "tracking_number",
    "service_type",
    "address",
    "status",
    "assignee",
    "requested_at",
    "due_at",
    "clock",
    "seconds_left",
    "share_of_target_left",
    "demand",
    "proactive",
]


def _queue_line(row: QueueRow) -> list[Any]:
    clock_state = "paused" if row.paused else "running" if row.expected_at else ""
    return [
        row.tracking_number,
        row.service_type,
        row.address,
        row.status,
        row.assignee,
        row.requested_at.isoformat(),
        row.expected_at.isoformat() if row.expected_at else "",
        clock_state,
        "" if row.time_left is None else int(row.time_left.total_seconds()),
        "" if row.share_left is None else f"{row.share_left:.4f}",
        row.demand,
        "yes" if row.proactive else "no",
    ]


@require_GET
@login_required
def queue_export(request: StaffRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered queue in its order, at most EXPORT_LIMIT rows."""
    chosen = access.queue_get_for_user(user=request.user, key=request.GET.get("queue", ""))
    form = filter_form(request, chosen)
    if not form.is_valid():
        return render(request, "console/queue.html", {"queue": chosen, "form": form}, status=400)
    filters, now = form.filters(), clock.now()
    requests = access.queue_requests(queue=chosen)
    matching = queue_count(requests=requests, filters=filters, user_id=request.user.pk, now=now)
    audit_record(
        actor=request.user,
        action="queue.exported",
        target=AuditTarget("queue", chosen.key),
        details={"filters": filters.as_details(), "rows": min(matching, EXPORT_LIMIT)},
        ip=client_address(request),
    )
    rows = queue_rows_for_export(
        requests=requests, filters=filters, user_id=request.user.pk, now=now
    )
    return csv_response(
        f"queue-{chosen.key}-{now:%Y%m%d-%H%M}.csv", QUEUE_HEADER, map(_queue_line, rows)
    )


AUDIT_HEADER = ["at", "actor", "action", "target_type", "target_id", "details"]


def _audit_line(entry: AuditEntry) -> list[Any]:
    return [
        entry.at.isoformat(),
        entry.actor.username if entry.actor else "",
        entry.action,
        entry.target_type,
        entry.target_id,
        json.dumps(entry.details, sort_keys=True),
    ]


@require_GET
@login_required
def audit_export(request: StaffRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered audit log, newest first, at most AUDIT_EXPORT_LIMIT entries."""
    accounts_access.require_read_audit_log(user=request.user)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "console/audit_log.html", {"form": form}, status=400)
    entries = audit_filtered(form.cleaned_data, user=request.user)
    count = min(entries.count(), AUDIT_EXPORT_LIMIT)
    filters = {k: str(v) for k, v in form.cleaned_data.items() if v and k != "page"}
    own = audit_record(
        actor=request.user,
        action="audit_log.exported",
        target=AuditTarget("audit_log"),
        details={"filters": filters, "rows": count},
        ip=client_address(request),
    )
    # The entries counted: those before the export's own entry.
    rows = entries.filter(pk__lt=own.pk)[:count].iterator(chunk_size=2000)
    return csv_response(
        f"audit-log-{clock.now():%Y%m%d-%H%M}.csv", AUDIT_HEADER, map(_audit_line, rows)
    )
