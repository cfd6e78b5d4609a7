"""The parts every page that files a request shares (the portal's report form, the desk, the
inspector's page): a service type's questions as fields, photos checked as they are cleaned, and a
service's refusal put beside the field it names. Intake's own rules are checked again by the
service."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from cityline.catalog.models import AttributeDatatype, ServiceAttribute, ServiceType
from cityline.core.errors import DomainError
from cityline.servicerequests.services.photos import (
    PHOTOS_PER_REQUEST,
    PreparedPhoto,
    photo_prepare,
)

# The service's names of fields, as the form calls them.
SERVICE_FIELDS = {
    "latitude": "lat",
    "longitude": "long",
    "photo": "photos",
    "media_url": "photos",
}


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to `PHOTOS_PER_REQUEST` photos, each checked and re-encoded as it is cleaned."""

    widget = MultiplePhotoInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[PreparedPhoto]:
        uploads: list[UploadedFile] = [
            upload for upload in (data if isinstance(data, list) else [data]) if upload
        ]
        if len(uploads) > PHOTOS_PER_REQUEST:
            raise forms.ValidationError(
                _("Attach at most %(count)d photos.") % {"count": PHOTOS_PER_REQUEST}
            )
        prepared = []
        for upload in uploads:
            try:
                prepared.append(photo_prepare(upload=upload))
            except DomainError as refused:
                raise forms.ValidationError(refused.message) from None
        return prepared


def question_field(attribute: ServiceAttribute) -> forms.Field:
    label = attribute.description
    help_text = attribute.datatype_description
    required = attribute.required
    datatype = attribute.datatype
    choices = [(value.key, value.name) for value in attribute.values.all()]
    if datatype == AttributeDatatype.SINGLEVALUELIST:
        return forms.ChoiceField(
            label=label,
            help_text=help_text,
            required=required,
            choices=[("", _("Choose…")), *choices],
        )
    if datatype == AttributeDatatype.MULTIVALUELIST:
        return forms.MultipleChoiceField(
            label=label,
            help_text=help_text,
            required=required,
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
        )
    widget: forms.Widget
    if datatype == AttributeDatatype.TEXT:
        widget = forms.Textarea(attrs={"rows": 3})
    elif datatype == AttributeDatatype.NUMBER:
        widget = forms.TextInput(attrs={"inputmode": "decimal"})
    elif datatype == AttributeDatatype.DATETIME:
        widget = forms.DateTimeInput(attrs={"type": "datetime-local"})
    else:
        widget = forms.TextInput()
    return forms.CharField(label=label, help_text=help_text, required=required, widget=widget)


def question_name(attribute: ServiceAttribute) -> str:
    return f"attribute[{attribute.code}]"


class ServiceQuestionsForm(forms.Form):
    """A form with a service type's questions as fields `attribute[<code>]`; its notices (the
    type's non-variable attributes) are shown, not asked."""

    def __init__(self, *args: Any, service_type: ServiceType, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service_type = service_type
        self.questions = [a for a in service_type.attributes.all() if a.variable]
        self.notices = [a for a in service_type.attributes.all() if not a.variable]
        for attribute in self.questions:
            self.fields[question_name(attribute)] = question_field(attribute)

    def question_fields(self) -> list[forms.BoundField]:
        return [self[question_name(attribute)] for attribute in self.questions]

    def answers(self) -> dict[str, str | list[str]]:
        answers: dict[str, str | list[str]] = {}
        for attribute in self.questions:
            value = self.cleaned_data.get(question_name(attribute))
            if value:
                answers[attribute.code] = value
        return answers

    def add_service_error(self, error: DomainError) -> None:
        """A rule the service enforced, beside the field it names, or above the form."""
        name = SERVICE_FIELDS.get(error.field or "", error.field)
        self.add_error(name if name in self.fields else None, error.message)


class PlacedRequestForm(ServiceQuestionsForm):
    """The questions, and where: a point (from a map's pin or the device) or a street address."""

    lat = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    long = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=255,
        help_text=_("Without a point on the map: the street address, e.g. 100 Main St."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        latitude, longitude = cleaned.get("lat"), cleaned.get("long")
        if (latitude is None) != (longitude is None) and not self.has_error("lat"):
            missing = "long" if longitude is None else "lat"
            self.add_error(missing, _("Give the latitude and the longitude together."))
        if latitude is None and longitude is None and not cleaned.get("address"):
            self.add_error("address", _("Give the address, or use the device's location."))
        return cleaned
