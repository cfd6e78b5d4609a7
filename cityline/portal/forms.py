from django import forms
from django.utils.translation import gettext_lazy as _

from cityline.knowledge.services import MAX_COMMENT_LENGTH, MAX_LOGGED_QUERY_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("What do you need help with?"),
        max_length=MAX_LOGGED_QUERY_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Did this answer your question?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("What were you looking for? (optional)"),
        help_text=_("Please do not include your name, address or phone number."),
        max_length=MAX_COMMENT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
