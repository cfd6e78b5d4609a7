from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityline.contacts.models import ContactChannel
from cityline.core import clock
from cityline.core.forms import DateRangeForm
from cityline.servicerequests.models import Channel
from cityline.surveys.selectors import AnswerFilters

COMMENT_MAX = 2000


class ContactSurveyForm(forms.Form):
    """After a contact: how well the resident was served, from 1 to 5."""

    score = forms.TypedChoiceField(
        label=_("How well were you served?"),
        choices=[
            ("5", _("5 — very well")),
            ("4", _("4 — well")),
            ("3", _("3 — neither well nor badly")),
            ("2", _("2 — badly")),
            ("1", _("1 — very badly")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how well you were served.")},
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        help_text=_("Read by the city's staff only. Please do not write personal details."),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ServiceSurveyForm(forms.Form):
    """After the request closed: was it fixed?"""

    fixed = forms.TypedChoiceField(
        label=_("Was it fixed?"),
        choices=[("yes", _("Yes, it was fixed")), ("no", _("No, it was not fixed"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether it was fixed.")},
    )
    comment = ContactSurveyForm.base_fields["comment"]


class SurveySettingsForm(forms.Form):
    contact_percent = forms.IntegerField(
        label=_("Residents asked after a contact (%)"),
        min_value=0,
        max_value=100,
        help_text=_("The share of contacts an agent wrapped up whose resident is asked."),
    )
    service_percent = forms.IntegerField(
        label=_("Requesters asked after their request closed (%)"),
        min_value=0,
        max_value=100,
        help_text=_("The share of closed requests whose requester is asked: was it fixed?"),
    )


# A contact's channels and a request's: a survey's group is the one or the other.
_CHANNELS = {**dict(Channel.choices), **dict(ContactChannel.choices)}


def _city_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.city_timezone())


class SurveyAnswerFilterForm(DateRangeForm):
    """The answers' page and its CSV, read from the query string: a 400 names the field."""

    date_from = forms.DateField(label=_("Answered from (date)"), required=False)
    date_to = forms.DateField(label=_("To (date, included)"), required=False)
    score = forms.TypedChoiceField(
        label=_("Score"),
        required=False,
        choices=[("", _("Any")), *((str(n), str(n)) for n in range(1, 6))],
        coerce=int,
        empty_value=None,
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any")), *sorted(_CHANNELS.items())]
    )
    agency = forms.CharField(label=_("Agency (code)"), required=False, max_length=64)
    service_type = forms.CharField(label=_("Service type (code)"), required=False, max_length=64)
    team = forms.CharField(label=_("Team (queue)"), required=False, max_length=64)
    not_fixed = forms.BooleanField(label=_("“Not fixed” only"), required=False)
    with_comment = forms.BooleanField(label=_("With a comment only"), required=False)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, agency_codes: frozenset[str] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency_codes = agency_codes

    def clean_agency(self) -> str:
        code = self.cleaned_data["agency"].strip()
        if code and self.agency_codes is not None and code not in self.agency_codes:
            raise forms.ValidationError(
                _("You read the answers about your own agencies only: %(codes)s."),
                params={"codes": ", ".join(sorted(self.agency_codes))},
            )
        return code

    def filters(self) -> AnswerFilters:
        data = self.cleaned_data
        return AnswerFilters(
            since=_city_midnight(data["date_from"]) if data["date_from"] else None,
            until=_city_midnight(data["date_to"] + timedelta(days=1)) if data["date_to"] else None,
            score=data["score"],
            channel=data["channel"] or None,
            agency_code=data["agency"] or None,
            service_type_code=data["service_type"].strip() or None,
            team=data["team"].strip() or None,
            not_fixed_only=data["not_fixed"],
            with_comment_only=data["with_comment"],
        )

    def as_details(self) -> dict[str, str]:
        """The filters chosen, for the audit log."""
        return {k: str(v) for k, v in self.cleaned_data.items() if v and k != "page"}
