from django import forms
from django.utils.translation import gettext_lazy as _

from cityline.core.models import max_length_of
from cityline.servicerequests.models import Follower, ServiceRequest

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
    photo = forms.FileField(
        label=_("A photo (optional)"),
        help_text=_("A picture of the problem as it is now: JPEG, PNG, WebP or GIF."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
