"""The work queue's filters: every value is checked here, so a bad one is a 400 naming its field."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityline.accounts.models import User
from cityline.catalog.models import ServiceType
from cityline.geo.models import BoundaryArea
from cityline.servicerequests.models import Status
from cityline.servicerequests.queues import (
    MAX_PAGE,
    OPEN_STATUSES,
    AssigneeFilter,
    Origin,
    QueueFilters,
)


class QueueFilterForm(forms.Form):
    service_type = forms.ModelChoiceField(
        label=_("Service type"),
        queryset=ServiceType.objects.none(),
        to_field_name="code",
        required=False,
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        # Without the shapes: a city's boundaries weigh megabytes, and a choice needs names.
        queryset=BoundaryArea.objects.select_related("layer")
        .defer("geometry")
        .order_by("layer__name", "name"),
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any open status"))]
        + [(status, Status(status).label) for status in OPEN_STATUSES],
        required=False,
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    older_than = forms.IntegerField(
        label=_("Older than (days)"), min_value=0, max_value=3650, required=False
    )
    origin = forms.ChoiceField(
        label=_("Filed"),
        choices=[
            ("", _("Reported or proactive")),
            (Origin.REPORTED, _("Reported by residents")),
            (Origin.PROACTIVE, _("Proactive (filed by the city)")),
        ],
        required=False,
    )
    page = forms.IntegerField(
        min_value=1, max_value=MAX_PAGE, required=False, widget=forms.HiddenInput
    )

    def __init__(
        self, *args: Any, service_types: Any, colleagues: list[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = service_types  # type: ignore[attr-defined]
        self.fields["assignee"].choices = [  # type: ignore[attr-defined]
            ("", _("Anyone or no one")),
            (AssigneeFilter.ME, _("Me")),
            (AssigneeFilter.UNASSIGNED, _("Unassigned")),
        ] + [(str(user.pk), user.get_full_name() or user.username) for user in colleagues]

    def filters(self) -> QueueFilters:
        data = self.cleaned_data
        return QueueFilters(
            service_type_id=data["service_type"].pk if data["service_type"] else None,
            area_id=data["area"].pk if data["area"] else None,
            status=data["status"],
            assignee=data["assignee"],
            older_than_days=data["older_than"],
            origin=data["origin"],
        )

    def page_number(self) -> int:
        return self.cleaned_data["page"] or 1
