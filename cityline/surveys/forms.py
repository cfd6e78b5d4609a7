from django import forms
from django.utils.translation import gettext_lazy as _

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
