"""The neighborhood page's questions (where, what, which state, when) and the map's viewport.
Both are read from the query string; a bad value is a 400 naming its field."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cityline.catalog.models import ServiceType
from cityline.catalog.selectors import service_type_list_public
from cityline.core.models import max_length_of
from cityline.geo.forms import boundary_area_key_clean
from cityline.geo.selectors import boundary_area_choices
from cityline.notifications.area_subscriptions import SubscriptionTopic
from cityline.notifications.models import AreaSubscription, Frequency
from cityline.servicerequests.neighborhood import CLOSED, OPEN, RequestFilters, Viewport

# The page opens on the last month; the table pages through any period.
DEFAULT_DAYS = 30
# The map counts every request of the period in view: three months keep that under 100 ms with a
# million requests stored (docs/portal.md).
MAP_MAX_DAYS = 92
ADDRESS_MAX_LENGTH = 200
# Deeper pages are better reached by narrowing the dates.
MAX_PAGE = 200
MAX_ZOOM = 20


@dataclass(frozen=True)
class CatalogChoices:
    """The public service groups and types, as the filters offer them."""

    groups: list[tuple[str, str]]
    types: list[tuple[str, list[tuple[str, str]]]]
    type_ids_by_code: dict[str, int]
    type_ids_by_group: dict[str, list[int]]


def catalog_choices() -> CatalogChoices:
    groups: dict[str, str] = {}
    by_group: dict[str, list[ServiceType]] = {}
    # Names only: without the keywords and questions the public catalog prefetches for intake.
    public_types = (
        service_type_list_public()
        .prefetch_related(None)
        .select_related(None)
        .select_related("group")
        .only("code", "name", "group__name")
        .order_by("group__name", "name")
    )
    for service_type in public_types:
        group_key = str(service_type.group_id or "")
        if service_type.group is not None:
            groups[group_key] = service_type.group.name
        by_group.setdefault(group_key, []).append(service_type)
    other = str(_("Other services"))
    return CatalogChoices(
        groups=list(groups.items()),
        types=[
            (groups.get(key, other), [(t.code, t.name) for t in types])
            for key, types in by_group.items()
        ],
        type_ids_by_code={t.code: t.pk for types in by_group.values() for t in types},
        type_ids_by_group={key: [t.pk for t in types] for key, types in by_group.items() if key},
    )


def start_of_day(day: date) -> datetime:
    """Midnight that begins `day` in the city."""
    return timezone.make_aware(datetime.combine(day, time.min))


class RequestFiltersForm(forms.Form):
    """What, which state and when: shared by the page and the map's data."""

    group = forms.ChoiceField(label=_("Service group"), required=False)
    service = forms.ChoiceField(label=_("Service"), required=False)
    state = forms.ChoiceField(
        label=pgettext_lazy("tracking page", "Status"),
        required=False,
        choices=[
            ("", _("Open and closed")),
            (OPEN, pgettext_lazy("requests", "Open")),
            (CLOSED, _("Closed")),
        ],
    )
    start = forms.DateField(
        label=pgettext_lazy("period", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, catalog: CatalogChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.catalog = catalog
        cast(forms.ChoiceField, self.fields["group"]).choices = [
            ("", _("All groups")),
            *catalog.groups,
        ]
        cast(forms.ChoiceField, self.fields["service"]).choices = [
            ("", _("All services")),
            *catalog.types,
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", pgettext_lazy("period", "The end date is before the start date."))
        return cleaned

    def period(self) -> tuple[date | None, date | None]:
        """The days asked for; without any, the last DEFAULT_DAYS days."""
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        if start is None and end is None:
            today = timezone.localdate()
            return today - timedelta(days=DEFAULT_DAYS - 1), today
        return start, end

    def filters(self) -> RequestFilters:
        data = self.cleaned_data
        type_ids: list[int] | None = None
        if data.get("service"):
            type_ids = [self.catalog.type_ids_by_code[data["service"]]]
        elif data.get("group"):
            type_ids = self.catalog.type_ids_by_group[data["group"]]
        start, end = self.period()
        return RequestFilters(
            service_type_ids=type_ids,
            state=data.get("state") or "",
            requested_from=start_of_day(start) if start else None,
            requested_to=start_of_day(end + timedelta(days=1)) if end else None,
        )

    def map_period_too_long(self) -> bool:
        start, end = self.period()
        last = end or timezone.localdate()
        return start is None or (last - start).days + 1 > MAP_MAX_DAYS


class NeighborhoodForm(RequestFiltersForm):
    """Where: near an address, or in one district of any boundary layer; neither is the city."""

    address = forms.CharField(
        label=_("Near an address"),
        help_text=_("For example: 120 Main Street"),
        required=False,
        max_length=ADDRESS_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    area = forms.ChoiceField(label=_("Or in a district"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    field_order = ["address", "area", "group", "service", "state", "start", "end", "page"]

    def __init__(self, *args: Any, catalog: CatalogChoices, **kwargs: Any) -> None:
        super().__init__(*args, catalog=catalog, **kwargs)
        layers: dict[str, list[tuple[str, str]]] = {}
        for choice in boundary_area_choices():
            layers.setdefault(choice.layer_name, []).append((choice.key, choice.name))
        cast(forms.ChoiceField, self.fields["area"]).choices = [
            ("", _("The whole city")),
            *layers.items(),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("address") and cleaned.get("area"):
            self.add_error("area", _("Choose an address or a district, not both."))
        return cleaned


class ViewportForm(RequestFiltersForm):
    """The map's data: the box in view (west,south,east,north in degrees) and the zoom level."""

    bbox = forms.CharField(max_length=200)
    zoom = forms.IntegerField(min_value=0, max_value=MAX_ZOOM)

    def clean_bbox(self) -> Viewport:
        parts = self.cleaned_data["bbox"].split(",")
        try:
            west, south, east, north = (float(part) for part in parts)
        except ValueError:
            raise forms.ValidationError(
                _("Give four numbers: west, south, east and north.")
            ) from None
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise forms.ValidationError(_("This is not a box on the map."))
        return Viewport(south=south, west=west, north=north, east=east)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and self.map_period_too_long():
            self.add_error(
                "start",
                _("The map shows at most %(days)s days at a time.") % {"days": MAP_MAX_DAYS},
            )
        return cleaned


class SubscribeForm(forms.Form):
    """An e-mail subscription to the page's place and topic."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We will send you a link to confirm. Every message has a link to stop."),
        max_length=max_length_of(AreaSubscription, "email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=[
            (Frequency.WEEKLY, _("A weekly digest")),
            (Frequency.EACH, _("An e-mail for each new request")),
        ],
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )
    area = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    group = forms.ChoiceField(required=False, widget=forms.HiddenInput)
    service = forms.ChoiceField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, catalog: CatalogChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.catalog = catalog
        cast(forms.ChoiceField, self.fields["group"]).choices = [("", ""), *catalog.groups]
        cast(forms.ChoiceField, self.fields["service"]).choices = [
            ("", ""),
            *((code, code) for code in catalog.type_ids_by_code),
        ]

    def clean_area(self) -> int | None:
        return boundary_area_key_clean(
            self.cleaned_data["area"], unknown=_("Choose a district from the list.")
        )

    def topic(self) -> SubscriptionTopic:
        data = self.cleaned_data
        service = data.get("service")
        return SubscriptionTopic(
            area_id=data.get("area"),
            service_group_id=None if service or not data.get("group") else int(data["group"]),
            service_type_id=self.catalog.type_ids_by_code[service] if service else None,
        )
