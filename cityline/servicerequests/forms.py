from django import forms

from cityline.servicerequests.models import Resolution, ServiceRequest
from cityline.servicerequests.selectors import service_request_get_by_tracking_number
from cityline.sla.models import LateCloseReason
from cityline.sla.selectors import late_close_reasons_active


class LateCloseReasonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: LateCloseReason) -> str:
        return f"{obj.agency}: {obj.name}"


# A duplicate is closed by linking it to the request it repeats, not by picking a resolution.
CLOSING_RESOLUTIONS = [
    (value, label) for value, label in Resolution.choices if value != Resolution.DUPLICATE
]


class CloseForm(forms.Form):
    resolution = forms.ChoiceField(choices=CLOSING_RESOLUTIONS)
    public_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Shown to the resident and on Open311 as the request's status notes.",
    )
    late_close_reason = LateCloseReasonField(
        queryset=LateCloseReason.objects.none(),
        required=False,
        help_text="Required for a request closed after its due time: one of its agency's reasons.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["late_close_reason"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = late_close_reasons_active().select_related("agency")


class DuplicateForm(forms.Form):
    parent = forms.CharField(
        label="Duplicate of",
        max_length=ServiceRequest._meta.get_field("tracking_number").max_length,
        help_text="The tracking number of the request these repeat.",
    )

    def clean_parent(self) -> ServiceRequest:
        number = self.cleaned_data["parent"].strip().upper()
        parent = service_request_get_by_tracking_number(tracking_number=number)
        if parent is None:
            raise forms.ValidationError(f"No request has the tracking number {number}.")
        return parent
