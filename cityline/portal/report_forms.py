"""The public report form: the shared intake parts (a type's questions, the place, photos) and
what a resident adds: a description, optional contact details, a wish for updates. The place is
checked against the city's areas here, so a place outside the city is refused in the resident's
words before anything is stored; intake checks its own rules again."""

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityline.catalog.intake import AnswerError, answers_clean
from cityline.catalog.models import AttributeDatatype
from cityline.catalog.selectors import service_type_for_intake
from cityline.core.models import max_length_of
from cityline.geo.selectors import city_contains_point, location_resolve
from cityline.portal.words import photo_refusal
from cityline.servicerequests.intake_forms import (
    MultiplePhotoInput,
    PhotosField,
    PlacedRequestForm,
)
from cityline.servicerequests.models import Requester
from cityline.servicerequests.services.intake import Location, RequesterDetails
from cityline.servicerequests.services.photos import PHOTOS_PER_REQUEST, PreparedPhoto

PLACE_FIELDS = ("lat", "long", "address")
DESCRIPTION_MAX_LENGTH = 4000


class DescribeForm(forms.Form):
    q = forms.CharField(
        label=_("What is the problem?"),
        help_text=_("In your own words, e.g. “a big hole in the road outside my house”."),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


def _contact(name: str, label: Any, **widget_attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length_of(Requester, name),
        widget=forms.TextInput(attrs=widget_attrs),
    )


class ResidentPhotosField(PhotosField):
    """The shared photos field, refusing a file in the resident's language."""

    def clean(self, data: Any, initial: Any = None) -> list[PreparedPhoto]:
        uploads = [upload for upload in (data if isinstance(data, list) else [data]) if upload]
        if len(uploads) > PHOTOS_PER_REQUEST:
            return super().clean(data, initial)
        try:
            return super().clean(data, initial)
        except forms.ValidationError:
            raise forms.ValidationError(photo_refusal()) from None


ANSWER_WORDS: dict[str, Any] = {
    AttributeDatatype.NUMBER: _("Enter a number, e.g. 3 or 2.5."),
    AttributeDatatype.DATETIME: _("Enter a date and a time."),
}


class ReportForm(PlacedRequestForm):
    submission = forms.UUIDField(widget=forms.HiddenInput)
    description = forms.CharField(
        label=_("Describe the problem"),
        help_text=_("What you see, and anything that helps the crew find it."),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = ResidentPhotosField(
        label=_("Photos (optional)"),
        widget=MultiplePhotoInput(attrs={"accept": "image/*"}),
    )
    first_name = _contact("first_name", _("First name"), autocomplete="given-name")
    last_name = _contact("last_name", _("Last name"), autocomplete="family-name")
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=max_length_of(Requester, "email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    phone = _contact("phone", _("Phone number"), autocomplete="tel", type="tel", dir="ltr")
    wants_updates = forms.BooleanField(
        label=_("E-mail me when the request changes"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["address"].help_text = _(
            "The street address, e.g. 100 Main St. With JavaScript you can place a pin on the map "
            "instead."
        )
        # The place's fields stand above the requests reported nearby, outside the form's
        # element, which they join by its id.
        for name in PLACE_FIELDS:
            self.fields[name].widget.attrs["form"] = "report-form"
        self.fields["photos"].help_text = _("Up to %(count)d pictures: JPEG, PNG, WebP or GIF.") % {
            "count": PHOTOS_PER_REQUEST
        }
        self.place: Location | None = None

    def clean_address(self) -> str:
        return self.cleaned_data["address"].strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("wants_updates") and not cleaned.get("email"):
            self.add_error("email", _("Give an e-mail address to get updates by e-mail."))
        if not any(self.has_error(name) for name in PLACE_FIELDS):
            self._place_check(cleaned)
        self._answers_check()
        return cleaned

    def _answers_check(self) -> None:
        """Intake's rules for the answers (a number, a date), said in the resident's words."""
        if any(self.has_error(name) for name in self.fields if name.startswith("attribute[")):
            return
        try:
            answers_clean(service_type=self.service_type, submitted=self.answers())
        except AnswerError as wrong:
            datatypes = {attribute.code: attribute.datatype for attribute in self.questions}
            datatype = datatypes.get(wrong.code)
            words = ANSWER_WORDS.get(datatype) if datatype else None
            if words is None:
                words = _("This answer is not one we can take.")
            self.add_error(f"attribute[{wrong.code}]", words)

    def _place_check(self, cleaned: dict[str, Any]) -> None:
        latitude, longitude = cleaned.get("lat"), cleaned.get("long")
        address = cleaned.get("address", "")
        if latitude is None:
            found = location_resolve(latitude=None, longitude=None, address=address)
            if found.latitude is None or found.longitude is None:
                self.add_error(
                    "address",
                    _(
                        "We could not find this address in the city. Check it, or place the pin "
                        "on the map."
                    ),
                )
                return
            latitude, longitude = found.latitude, found.longitude
        if longitude is None:
            return
        if not city_contains_point(latitude=latitude, longitude=longitude):
            # Beside the address, which every resident sees, with or without the map.
            self.add_error(
                "address",
                _(
                    "This place is outside the city's service area. For a problem elsewhere, "
                    "contact the city or county it is in."
                ),
            )
            return
        self.place = Location(latitude=latitude, longitude=longitude, address=address)

    def place_errors_only(self) -> None:
        """Keep the errors of the place alone: the resident asked only what is near it."""
        for name in list(self.errors):
            if name not in PLACE_FIELDS:
                del self.errors[name]

    def requester(self, *, language: str) -> RequesterDetails:
        data = self.cleaned_data
        return RequesterDetails(
            first_name=data["first_name"].strip(),
            last_name=data["last_name"].strip(),
            email=data["email"],
            phone=data["phone"].strip(),
            wants_updates=bool(data["wants_updates"]),
            language=language,
        )


def new_submission() -> uuid.UUID:
    """A report form's one-time token: the form sent again (a double click, a reload, the back
    button) files no second request."""
    return uuid.uuid4()


class NearbyForm(forms.Form):
    lat = forms.FloatField(min_value=-90, max_value=90)
    long = forms.FloatField(min_value=-180, max_value=180)
    service = forms.CharField(required=False, max_length=100)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        code = cleaned.get("service") or ""
        cleaned["service_type"] = service_type_for_intake(code=code) if code else None
        if code and cleaned["service_type"] is None:
            self.add_error("service", _("We do not offer this service here."))
        return cleaned
