"""The console's forms: an emergency (the words in every language, the pinned answers and the
service type offered) and a broadcast (its audience and words), checked here for shape; the rules
are the services'."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityline.catalog.selectors import service_type_list_active
from cityline.channels.services.sms import sms_phone_clean
from cityline.core.errors import InvalidInput
from cityline.emergencies.broadcasts import BroadcastWords
from cityline.emergencies.models import BANNER_MAX, SUBJECT_MAX, TEXT_MAX, TITLE_MAX
from cityline.emergencies.selectors import emergency_languages
from cityline.emergencies.services import EmergencyWords
from cityline.geo.forms import boundary_area_key_clean
from cityline.geo.selectors import boundary_area_choices
from cityline.knowledge.selectors import article_list_public
from cityline.notifications.area_subscriptions import SubscriptionTopic
from cityline.portal.neighborhood_forms import catalog_choices

# The answers offered to pin: the published ones, by title.
ARTICLES_OFFERED = 500


class EmergencyStartForm(forms.Form):
    pinned_articles = forms.MultipleChoiceField(
        label=_("Answers pinned on the desk"),
        required=False,
        help_text=_("Up to nine; hold Ctrl (or ⌘) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    service_type = forms.TypedChoiceField(
        label=_("Service type offered to residents"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "A staff-only type prepared in the catalog: residents may report it while the "
            "emergency lasts."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for code, name in emergency_languages():
            fields[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name},
                max_length=TITLE_MAX,
                widget=forms.TextInput(attrs={"lang": code, "dir": "auto"}),
            )
            fields[f"banner_{code}"] = forms.CharField(
                label=_("Banner (%(language)s)") % {"language": name},
                max_length=BANNER_MAX,
                widget=forms.Textarea(attrs={"lang": code, "dir": "auto", "rows": 2}),
            )
        for code, name in emergency_languages():
            fields[f"call_script_{code}"] = forms.CharField(
                label=_("Call script (%(language)s)") % {"language": name},
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"lang": code, "dir": "auto", "rows": 4}),
            )
        self.fields = {**fields, **self.fields}
        _total, articles = article_list_public(limit=ARTICLES_OFFERED)
        self.fields["pinned_articles"].choices = [(a.slug, a.title) for a in articles]  # type: ignore[attr-defined]
        self.fields["service_type"].choices = [  # type: ignore[attr-defined]
            ("", _("None")),
            *((t.pk, t.name) for t in service_type_list_active() if not t.is_public),
        ]

    def words(self) -> EmergencyWords:
        data = self.cleaned_data
        codes = [code for code, _name in emergency_languages()]
        return EmergencyWords(
            titles={code: data[f"title_{code}"] for code in codes},
            banners={code: data[f"banner_{code}"] for code in codes},
            call_scripts={code: data[f"call_script_{code}"] for code in codes},
        )


def _area_choices() -> list[tuple[str, object]]:
    by_layer: dict[str, list[tuple[str, str]]] = {}
    for area in boundary_area_choices():
        by_layer.setdefault(area.layer_name, []).append((area.key, area.name))
    return [("", _("The whole city")), *by_layer.items()]


class BroadcastForm(forms.Form):
    """A broadcast's audience and words. `key` is made when the form is first shown: the same
    form sent twice is one broadcast."""

    key = forms.UUIDField(widget=forms.HiddenInput)
    area = forms.ChoiceField(label=_("Area"), required=False)
    group = forms.TypedChoiceField(label=_("Topic"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for code, name in emergency_languages():
            fields[f"subject_{code}"] = forms.CharField(
                label=_("Subject (%(language)s)") % {"language": name},
                max_length=SUBJECT_MAX,
                widget=forms.TextInput(attrs={"lang": code, "dir": "auto"}),
            )
            fields[f"text_{code}"] = forms.CharField(
                label=_("Text (%(language)s)") % {"language": name},
                max_length=TEXT_MAX,
                help_text=_("Sent by e-mail and by text message: keep it short."),
                widget=forms.Textarea(attrs={"lang": code, "dir": "auto", "rows": 3}),
            )
        self.fields = {**self.fields, **fields}
        self.fields["area"].choices = _area_choices()  # type: ignore[attr-defined]
        self.fields["group"].choices = [  # type: ignore[attr-defined]
            ("", _("Every topic")),
            *catalog_choices().groups,
        ]

    def clean_area(self) -> int | None:
        return boundary_area_key_clean(
            self.cleaned_data["area"], unknown=_("Choose an area from the list.")
        )

    def words(self) -> BroadcastWords:
        data = self.cleaned_data
        codes = [code for code, _name in emergency_languages()]
        return BroadcastWords(
            subjects={code: data[f"subject_{code}"] for code in codes},
            texts={code: data[f"text_{code}"] for code in codes},
        )


class TextAlertsForm(forms.Form):
    """A resident's subscription to the city's alerts by text: their number, an area, a topic."""

    phone = forms.CharField(
        label=_("Your mobile number"),
        max_length=40,
        help_text=_(
            "We will text you a link to confirm. Reply STOP to any text to stop. "
            "Message and data rates may apply."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}),
    )
    area = forms.ChoiceField(label=_("Area"), required=False)
    group = forms.TypedChoiceField(label=_("Topic"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = _area_choices()  # type: ignore[attr-defined]
        self.fields["group"].choices = [  # type: ignore[attr-defined]
            ("", _("Every topic")),
            *catalog_choices().groups,
        ]

    def clean_phone(self) -> str:
        try:
            return sms_phone_clean(self.cleaned_data["phone"])
        except InvalidInput as error:
            raise forms.ValidationError(_("Give a mobile number of 7 to 15 digits.")) from error

    clean_area = BroadcastForm.clean_area

    def topic(self) -> SubscriptionTopic:
        return SubscriptionTopic(
            area_id=self.cleaned_data["area"],
            service_group_id=self.cleaned_data["group"],
            service_type_id=None,
        )
