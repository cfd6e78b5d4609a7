"""Form pieces the apps' forms share."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class DateRangeForm(forms.Form):
    """A filter form whose subclass declares optional `date_from` and `date_to` fields (with its
    own labels): an end before the start is an error on the end."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
