"""The inspector's form: a proactive request from the field, with the type's questions and photos.
Its checks name the field at fault; intake's own rules are checked again by the service."""

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


def _question_field(attribute: ServiceAttribute) -> forms.Field:
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


def _question_name(attribute: ServiceAttribute) -> str:
    return f"attribute[{attribute.code}]"


class InspectionForm(forms.Form):
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
        help_text=_("Without the device's location: the street address, e.g. 100 Main St."),
    )
    description = forms.CharField(
        label=_("What you found"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = PhotosField(
        label=_("Photos"),
        help_text=_("Up to %(count)d photos.") % {"count": PHOTOS_PER_REQUEST},
        widget=MultiplePhotoInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args: Any, service_type: ServiceType, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service_type = service_type
        self.questions = [a for a in service_type.attributes.all() if a.variable]
        self.notices = [a for a in service_type.attributes.all() if not a.variable]
        for attribute in self.questions:
            self.fields[_question_name(attribute)] = _question_field(attribute)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        latitude, longitude = cleaned.get("lat"), cleaned.get("long")
        if (latitude is None) != (longitude is None) and not self.has_error("lat"):
            missing = "long" if longitude is None else "lat"
            self.add_error(missing, _("Give the latitude and the longitude together."))
        if latitude is None and longitude is None and not cleaned.get("address"):
            self.add_error("address", _("Give the address, or use the device's location."))
        return cleaned

    def question_fields(self) -> list[forms.BoundField]:
        return [self[_question_name(attribute)] for attribute in self.questions]

    def answers(self) -> dict[str, str | list[str]]:
        answers: dict[str, str | list[str]] = {}
        for attribute in self.questions:
            value = self.cleaned_data.get(_question_name(attribute))
            if value:
                answers[attribute.code] = value
        return answers

    def add_service_error(self, error: DomainError) -> None:
        """A rule the service enforced, beside the field it names, or above the form."""
        name = SERVICE_FIELDS.get(error.field or "", error.field)
        self.add_error(name if name in self.fields else None, error.message)
