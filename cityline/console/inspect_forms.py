"""The inspector's form: a proactive request from the field, with the type's questions and photos.
Its checks name the field at fault; intake's own rules are checked again by the service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cityline.servicerequests.intake_forms import (
    MultiplePhotoInput,
    PhotosField,
    PlacedRequestForm,
)
from cityline.servicerequests.services.photos import PHOTOS_PER_REQUEST


class InspectionForm(PlacedRequestForm):
    description = forms.CharField(
        label=_("What you found"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = PhotosField(
        label=_("Photos"),
        help_text=_("Up to %(count)d photos.") % {"count": PHOTOS_PER_REQUEST},
        widget=MultiplePhotoInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
