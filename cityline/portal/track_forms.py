from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from cityline.core.models import max_length_of
from cityline.servicerequests.models import Follower, RequestUpdate, ServiceRequest

NOTE_MAX_LENGTH = 2000


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("Tracking number"),
        help_text=_("It is in the e-mail or text message you got when you made the request."),
        max_length=max_length_of(ServiceRequest, "tracking_number"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "dir": "ltr"}),
    )

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip()


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We will send you a link to confirm. Every message has a link to stop."),
        max_length=max_length_of(Follower, "email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )


class NotFixedForm(forms.Form):
    note = forms.CharField(
        label=_("What is still wrong?"),
        help_text=_("Please do not include your name, address or phone number."),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photo_url = forms.URLField(
        label=_("Link to a photo (optional)"),
        help_text=_("The address of a photo you have put online, starting with https://."),
        max_length=max_length_of(RequestUpdate, "media_url"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"dir": "ltr"}),
        validators=[URLValidator(schemes=["http", "https"])],
    )
