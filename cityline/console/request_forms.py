"""The forms of a request's page and of bulk actions on requests. Each names its fields as the
lifecycle services do, so a service's refusal is shown beside the field it concerns."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cityline.accounts.models import Crew, User
from cityline.accounts.selectors import crews_of_agency
from cityline.catalog.models import Agency
from cityline.catalog.selectors import agency_get_by_code
from cityline.servicerequests import access
from cityline.servicerequests.forms import CLOSING_RESOLUTIONS
from cityline.servicerequests.models import ServiceRequest, Status, Visibility
from cityline.servicerequests.services.staff_actions import BulkAction
from cityline.servicerequests.staffview import (
    assignable_staff,
    late_close_reasons_of,
    other_agencies,
)
from cityline.sla.models import LateCloseReason

TRACKING_NUMBER_LENGTH = cast(int, ServiceRequest._meta.get_field("tracking_number").max_length)


class TrackingNumberField(forms.CharField):
    """A request the signed-in user may see, by its tracking number."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=TRACKING_NUMBER_LENGTH, **kwargs)
        self.user: User | None = None

    def clean(self, value: Any) -> ServiceRequest | None:
        number = (super().clean(value) or "").strip().upper()
        if not number:
            return None
        found = access.requests_visible_to(self.user).filter(tracking_number=number).first()
        if found is None:
            raise forms.ValidationError(
                _("No request you may see has the tracking number %(number)s."),
                params={"number": number},
            )
        return found


class AgencyCodeField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=Agency._meta.get_field("code").max_length, **kwargs)

    def clean(self, value: Any) -> Agency | None:
        code = (super().clean(value) or "").strip()
        if not code:
            return None
        agency = agency_get_by_code(code=code)
        if agency is None:
            raise forms.ValidationError(
                _("No agency has the code %(code)s."), params={"code": code}
            )
        return agency


class StaffMemberField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=User.objects.filter(is_active=True, is_staff=True), **kwargs)

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class BulkForm(forms.Form):
    requests = forms.MultipleChoiceField(
        label=_("Requests"),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Select at least one request.")},
    )
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            (BulkAction.ASSIGN, _("Assign")),
            (BulkAction.CLOSE_DUPLICATE, _("Close as duplicates")),
            (BulkAction.REASSIGN, _("Move to another agency")),
        ],
    )
    assignee = StaffMemberField(label=_("Assign to"), required=False)
    # Any crew is accepted here: the assignment refuses, request by request, a crew of another
    # agency than the request's.
    crew = forms.ModelChoiceField(label=_("Crew"), queryset=Crew.objects.all(), required=False)
    parent = TrackingNumberField(label=_("Duplicates of (tracking number)"), required=False)
    agency = AgencyCodeField(label=_("Move to agency (code)"), required=False)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    # What each action needs besides the selection: a field of each group at least.
    NEEDS = {
        BulkAction.ASSIGN: (("assignee", "crew"),),
        BulkAction.CLOSE_DUPLICATE: (("parent",),),
        BulkAction.REASSIGN: (("agency",), ("reason",)),
    }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(TrackingNumberField, self.fields["parent"]).user = user
        # Any tracking numbers are accepted here: the bulk service refuses, one by one, those
        # the user may not see.
        numbers = self.data.getlist("requests") if hasattr(self.data, "getlist") else []
        cast(forms.MultipleChoiceField, self.fields["requests"]).choices = [
            (number, number) for number in numbers if len(number) <= TRACKING_NUMBER_LENGTH
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        for group in self.NEEDS.get(BulkAction(action), ()) if action else ():
            if any(data.get(name) or name in self.errors for name in group):
                continue
            first, *others = group
            if others:
                alternatives = ", ".join(str(self.fields[name].label) for name in others)
                self.add_error(
                    first,
                    _("This action needs it, or: %(alternatives)s.")
                    % {"alternatives": alternatives},
                )
            else:
                self.add_error(first, _("This action needs it."))
        return data


class AssignForm(forms.Form):
    """To a colleague, to a crew, or both; neither takes the request back."""

    assignee = StaffMemberField(label=_("Colleague"), required=False)
    crew = forms.ModelChoiceField(label=_("Crew"), queryset=Crew.objects.none(), required=False)

    def __init__(self, *args: Any, request: ServiceRequest, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The user themself may always be chosen ("assign to me") if they work on the request.
        colleagues = assignable_staff(request=request) | User.objects.filter(
            pk=user.pk, is_active=True, is_staff=True
        )
        assignee = cast(forms.ModelChoiceField, self.fields["assignee"])
        assignee.queryset = colleagues.order_by("username")
        crew = cast(forms.ModelChoiceField, self.fields["crew"])
        crew.queryset = crews_of_agency(agency_id=request.agency_id)


VISIBILITY_CHOICES = [
    (Visibility.PUBLIC, _("everyone (public)")),
    (Visibility.INTERNAL, _("staff only (internal)")),
]


class HoldForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Waiting on"),
        choices=[
            (Status.WAITING_ON_REQUESTER, _("the requester")),
            (Status.WAITING_ON_THIRD_PARTY, _("a third party")),
        ],
    )
    note = forms.CharField(
        label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    visibility = forms.ChoiceField(
        label=_("Shown to"), choices=VISIBILITY_CHOICES, initial=Visibility.PUBLIC
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    visibility = forms.ChoiceField(
        label=_("Shown to"), choices=VISIBILITY_CHOICES, initial=Visibility.INTERNAL
    )


class MergeForm(forms.Form):
    parent = TrackingNumberField(label=_("Duplicate of (tracking number)"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(TrackingNumberField, self.fields["parent"]).user = user


class ReassignForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Move to agency"), queryset=Agency.objects.none(), to_field_name="code"
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )

    def __init__(self, *args: Any, request: ServiceRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = other_agencies(
            request=request
        )


class CloseForm(forms.Form):
    resolution = forms.ChoiceField(label=_("Resolution"), choices=CLOSING_RESOLUTIONS)
    public_note = forms.CharField(
        label=_("Public note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text=_("Shown to the resident and on Open311."),
    )
    late_close_reason = forms.ModelChoiceField(
        label=_("Reason for the late close"),
        queryset=LateCloseReason.objects.none(),
        required=False,
        help_text=_("The request is past its due time: say why."),
    )

    def __init__(self, *args: Any, request: ServiceRequest, late: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if late:
            reason = cast(forms.ModelChoiceField, self.fields["late_close_reason"])
            reason.queryset = late_close_reasons_of(agency_id=request.agency_id)
        else:
            # Shown only once the request is past due; the service still decides at closing.
            del self.fields["late_close_reason"]


class ReopenForm(forms.Form):
    note = forms.CharField(
        label=_("Public note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )
