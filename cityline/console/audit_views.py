"""The audit log's reading page: who did what, to what, from where, filtered and paged."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityline.accounts import access
from cityline.accounts.http import StaffRequest
from cityline.accounts.models import AuditEntry, User
from cityline.accounts.selectors import audit_entries
from cityline.console.forms import AuditFilterForm
from cityline.core import clock

PAGE_SIZE = 50


def _city_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.city_timezone())


def audit_filtered(data: dict[str, Any], *, user: User) -> QuerySet[AuditEntry]:
    """The entries an AuditFilterForm's cleaned data asks for, among those the person may read
    (the page and its export)."""
    return audit_entries(
        actor_agency_ids=access.audit_log_agency_ids(user=user),
        actor=data["actor"],
        action=data["action"],
        target_type=data["target_type"],
        target_id=data["target_id"],
        since=_city_midnight(data["date_from"]) if data["date_from"] else None,
        until=_city_midnight(data["date_to"] + timedelta(days=1)) if data["date_to"] else None,
    )


@require_GET
@login_required
def audit_log(request: StaffRequest) -> HttpResponse:
    access.require_read_audit_log(user=request.user)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "console/audit_log.html", {"form": form}, status=400)
    data = form.cleaned_data
    page = Paginator(audit_filtered(data, user=request.user), PAGE_SIZE).get_page(data["page"] or 1)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "console/audit_log.html", context)
