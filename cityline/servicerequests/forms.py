from django import forms

from cityline.servicerequests.models import Resolution

# A duplicate is closed by linking it to the request it repeats, not by picking a resolution.
CLOSING_RESOLUTIONS = [
    (value, label) for value, label in Resolution.choices if value != Resolution.DUPLICATE
]


class CloseForm(forms.Form):
    resolution = forms.ChoiceField(choices=CLOSING_RESOLUTIONS)
    public_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        strip=True,
        help_text="Shown to the resident and on Open311 as the request's status notes.",
    )
