from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityline.channels.services.sms import SMS_MAX_CHARS
from cityline.contacts.models import ContactKind
from cityline.servicerequests.intake_forms import PlacedRequestForm


class TriageFileForm(PlacedRequestForm):
    """A waiting e-mail filed as a request: the type's questions, where, and the description
    (the message's words, which the call-taker may shorten)."""

    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The description first, the place and the questions after it.
        self.order_fields(["description", "address", "lat", "long"])


class TriageCloseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Closed as"),
        choices=[
            (ContactKind.INFORMATION.value, _("Information given")),
            (ContactKind.REFERRAL.value, _("Referred to another body")),
        ],
    )
    referred_to = forms.CharField(label=_("Referred to"), required=False, max_length=200)


class _WebhookForm(forms.Form):
    """A provider's form; its field `from` (a keyword in Python) is the form's `sender`, and
    refusals name it `from` again."""

    def __init__(self, data: Any) -> None:
        data = data.copy()
        if "from" in data:
            data["sender"] = data.pop("from")[-1]
        super().__init__(data)

    def error_fields(self) -> dict[str, str]:
        return {
            ("from" if name == "sender" else name): " ".join(str(e) for e in errors)
            for name, errors in self.errors.items()
        }


class SmsWebhookForm(_WebhookForm):
    """The generic shape SMS gateways post: who sent it, to which number, the text, its id."""

    sender = forms.CharField(max_length=40)
    to = forms.CharField(max_length=40, required=False)
    body = forms.CharField(max_length=SMS_MAX_CHARS, strip=False)
    message_id = forms.CharField(max_length=100)


class EmailWebhookForm(_WebhookForm):
    """The fields e-mail providers post for an inbound message (files come apart)."""

    sender = forms.CharField(max_length=500)
    to = forms.CharField(max_length=2000, required=False)
    subject = forms.CharField(max_length=2000, required=False)
    text = forms.CharField(required=False, strip=False)
    html = forms.CharField(required=False, strip=False)
    message_id = forms.CharField(max_length=255, required=False)
