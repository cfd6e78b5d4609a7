"""The public performance page: per agency and per district, this month's requests, on-time
share and typical time to close beside the same month a year before. No personal data: counts
only, and the types whose requests the public never sees are left out."""

import re
from datetime import date
from typing import NamedTuple

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityline.analytics.queries import Dimension, Selection, Summary, month_bounds, summary
from cityline.analytics.schema import month_of
from cityline.catalog.selectors import service_type_codes_with_hidden_requests
from cityline.core import clock

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class Comparison(NamedTuple):
    """One agency's or district's month beside the same month a year before."""

    key: str
    name: str
    now: Summary | None
    before: Summary | None

    @staticmethod
    def _days(row: Summary | None) -> float | None:
        hours = row.median_hours_to_close if row else None
        return hours / 24 if hours is not None else None

    @property
    def now_days(self) -> float | None:
        return self._days(self.now)

    @property
    def before_days(self) -> float | None:
        return self._days(self.before)


def _compared(dimension: Dimension, month: str, selection: Selection) -> list[Comparison]:
    start, end = month_bounds(month)
    before_start, before_end = month_bounds(f"{start.year - 1:04d}-{start.month:02d}")
    now = {
        row.key: row
        for row in summary(dimension=dimension, start=start, end=end, selection=selection)
    }
    before = {
        row.key: row
        for row in summary(
            dimension=dimension, start=before_start, end=before_end, selection=selection
        )
    }
    keys = sorted(set(now) | set(before), key=lambda key: (key is None, key or ""))
    compared = []
    for key in keys:
        if key is not None:
            shown = now.get(key) or before[key]
            compared.append(Comparison(key, shown.name or key, now.get(key), before.get(key)))
    return compared


@require_GET
def public_performance(request: HttpRequest) -> HttpResponse:
    today = clock.to_city_time(clock.now()).date()
    month = request.GET.get("month") or month_of(today)
    if not MONTH.match(month):
        refused = {"error": "month", "month": month}
        return render(request, "analytics/public_performance.html", refused, status=400)
    selection = Selection(
        layer=settings.CITYLINE_DISTRICT_LAYER,
        excluded_service_types=service_type_codes_with_hidden_requests(),
    )
    first, _ = month_bounds(month)
    context: dict[str, object] = {
        "month": month,
        "month_start": first,
        "year_before": date(first.year - 1, first.month, 1),
        "agencies": _compared(Dimension.AGENCY, month, selection),
        "districts": _compared(Dimension.DISTRICT, month, selection),
    }
    return render(request, "analytics/public_performance.html", context)
