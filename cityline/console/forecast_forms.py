"""The forecast page's choices, read from the query string: a 400 names the field at fault."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cityline.servicerequests.models import Channel

CALLS = "calls"
REQUESTS = "requests"


class ForecastForm(forms.Form):
    series = forms.ChoiceField(
        label=_("Forecast"),
        required=False,
        choices=[(CALLS, _("Calls to the contact center")), (REQUESTS, _("Requests received"))],
    )
    channel = forms.ChoiceField(
        label=_("Requests' channel"), required=False, choices=[("", _("Any")), *Channel.choices]
    )
    service_group = forms.CharField(
        label=_("Requests' service group"), required=False, max_length=200
    )
    level = forms.IntegerField(
        label=_("Service level (percent of calls)"), required=False, min_value=1, max_value=99
    )
    target_seconds = forms.IntegerField(
        label=_("Answered within (seconds)"), required=False, min_value=1, max_value=3600
    )
    handle_seconds = forms.IntegerField(
        label=_("Average handle time (seconds)"),
        required=False,
        min_value=1,
        max_value=36000,
        help_text=_("The last year's calls' average when left empty."),
    )
    day = forms.DateField(
        label=_("Half hours of (date)"),
        required=False,
        help_text=_("One of the forecast's days; the first when left empty."),
    )

    def clean_series(self) -> str:
        return self.cleaned_data["series"] or CALLS

    def clean_level(self) -> float:
        return (self.cleaned_data["level"] or 80) / 100

    def clean_target_seconds(self) -> int:
        return self.cleaned_data["target_seconds"] or 30
