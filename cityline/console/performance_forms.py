"""The performance pages' filters, read from the query string: a 400 names the field at fault."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cityline.analytics.queries import Dimension, Period, Place, Selection, Subset, month_bounds
from cityline.core import clock
from cityline.core.errors import InvalidInput
from cityline.servicerequests.models import Channel

DEFAULT_DAYS = 90
# Longer windows are for the store's own readers (docs/analytics.md), not a page.
MAX_DAYS = {Period.DAY: 366, Period.WEEK: 3 * 366, Period.MONTH: 6 * 366}


DIMENSION_LABELS = {
    Dimension.AGENCY: _("Agency"),
    Dimension.CHANNEL: _("Channel"),
    Dimension.SERVICE_GROUP: _("Service group"),
    Dimension.SERVICE_TYPE: _("Service type"),
    Dimension.DISTRICT: _("District"),
}


class SelectionForm(forms.Form):
    """Which requests: the filters every performance view shares."""

    agency = forms.CharField(label=_("Agency (code)"), required=False, max_length=64)
    service_group = forms.CharField(label=_("Service group"), required=False, max_length=200)
    service_type = forms.CharField(label=_("Service type (code)"), required=False, max_length=64)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any")), *Channel.choices]
    )
    layer = forms.SlugField(
        label=_("Districts (boundary layer)"),
        required=False,
        max_length=50,
        help_text=_("Its slug; the city's districts when left empty."),
    )
    area = forms.CharField(label=_("District (code)"), required=False, max_length=64)

    def selection(self, *, agency: str | None = None) -> Selection:
        data = self.cleaned_data
        return Selection(
            agency=agency if agency is not None else data["agency"] or None,
            service_group=data["service_group"] or None,
            service_type=data["service_type"] or None,
            channel=data["channel"] or None,
            layer=data["layer"] or settings.CITYLINE_DISTRICT_LAYER,
            area=data["area"] or None,
        )


class PerformanceForm(SelectionForm):
    date_from = forms.DateField(label=_("From (date)"), required=False)
    date_to = forms.DateField(label=_("To (date, included)"), required=False)
    period = forms.ChoiceField(
        label=_("Counted by"),
        required=False,
        # The default first: a form read from an empty query shows what the page counts by.
        choices=[(Period.WEEK, _("Week")), (Period.DAY, _("Day")), (Period.MONTH, _("Month"))],
    )
    dimension = forms.ChoiceField(
        label=_("Volume by"),
        required=False,
        choices=list(DIMENSION_LABELS.items()),
    )
    place = forms.ChoiceField(
        label=_("Hot spots by"),
        required=False,
        choices=[(Place.DISTRICT, _("District")), (Place.CELL, _("H3 cell"))],
    )

    field_order = ["date_from", "date_to", "period", "dimension", "place"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        last = data.get("date_to") or clock.to_city_time(clock.now()).date()
        first = data.get("date_from") or last - timedelta(days=DEFAULT_DAYS - 1)
        period = Period(data.get("period") or Period.WEEK)
        if last < first:
            self.add_error("date_to", _("The end date is before the start date."))
        elif (last - first).days >= MAX_DAYS[period]:
            self.add_error(
                "date_from", _("Too long a window for this period: choose a later start.")
            )
        data.update(
            date_from=first,
            date_to=last,
            period=period,
            dimension=Dimension(data.get("dimension") or Dimension.AGENCY),
            place=Place(data.get("place") or Place.DISTRICT),
        )
        return data

    @property
    def start(self) -> date:
        return self.cleaned_data["date_from"]

    @property
    def end(self) -> date:
        """The first day after the window."""
        return self.cleaned_data["date_to"] + timedelta(days=1)


class DrillDownForm(SelectionForm):
    month = forms.RegexField(
        label=_("Month received (YYYY-MM)"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7
    )
    subset = forms.ChoiceField(
        label=_("Requests"),
        required=False,
        choices=[
            (Subset.RECEIVED, _("Received")),
            (Subset.CLOSED, _("Closed")),
            (Subset.ON_TIME, _("Closed on time")),
            (Subset.LATE, _("Closed late")),
            (Subset.BACKLOG, _("Still open")),
        ],
    )
    late_reason = forms.CharField(label=_("Late-close reason"), required=False, max_length=200)

    field_order = ["month", "subset", "late_reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["subset"] = Subset(data.get("subset") or Subset.RECEIVED)
        # An empty reason asks for the late closes without one; no reason at all, for any.
        data["late_reason"] = data.get("late_reason", "") if "late_reason" in self.data else None
        if data.get("month"):
            try:
                data["bounds"] = month_bounds(data["month"])
            except InvalidInput as error:
                self.add_error("month", error.message)
        return data


class StatPackForm(forms.Form):
    month = forms.RegexField(
        label=_("Month (YYYY-MM)"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7
    )
    agency = forms.CharField(
        label=_("Agency (code)"),
        required=False,
        max_length=64,
        help_text=_("Yours when left empty and you supervise one agency."),
    )
