from datetime import datetime, timedelta
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cityline.catalog.models import Agency, ServiceType
from cityline.contacts.models import ContactChannel, ContactKind
from cityline.contacts.services import FILING_KEY_MAX
from cityline.core import clock
from cityline.core.errors import DomainError
from cityline.core.forms import DateRangeForm
from cityline.core.models import max_length_of, objects_by_key
from cityline.knowledge.models import KnowledgeArticle
from cityline.servicerequests.intake_forms import MultiplePhotoInput, PhotosField, PlacedRequestForm
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.services.photos import PHOTOS_PER_REQUEST

_TEXT: dict[str, Any] = {"widget": forms.Textarea(attrs={"rows": 8}), "required": False}


class RevisionTextForm(forms.Form):
    title = forms.CharField(
        label=_("Title (the resident's question)"),
        max_length=max_length_of(KnowledgeArticle, "title"),
    )
    body = forms.CharField(label=_("Public answer (Markdown)"), **_TEXT)
    internal_notes = forms.CharField(label=_("Internal notes, staff only (Markdown)"), **_TEXT)
    call_script = forms.CharField(label=_("Call script, staff only (Markdown)"), **_TEXT)


class ArticleCreateForm(RevisionTextForm):
    agency = forms.ModelChoiceField(label=_("Owning agency"), queryset=Agency.objects.none())
    slug = forms.SlugField(
        label=_("Address (slug)"),
        max_length=max_length_of(KnowledgeArticle, "slug"),
        help_text=_("Letters, digits and hyphens, e.g. tree-removal."),
    )
    topic = forms.CharField(
        label=_("Topic"),
        max_length=max_length_of(KnowledgeArticle, "topic"),
        required=False,
    )
    source_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    field_order = ["agency", "slug", "topic", "source_language", "title"]

    def __init__(self, *args, agencies: QuerySet[Agency], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies


class DraftForm(RevisionTextForm):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    field_order = ["language", "title"]


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Review note"),
        required=False,
        help_text=_("Required when sending back: say what needs changing."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WhenForm(forms.Form):
    # Far enough for any schedule; near enough that the time still converts to UTC.
    HORIZON = timedelta(days=100 * 365)

    at = forms.DateTimeField(
        label=_("When (leave empty for now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean_at(self) -> datetime | None:
        at = self.cleaned_data["at"]
        if at is not None and at > clock.now() + self.HORIZON:
            raise forms.ValidationError(_("Enter a time within the next hundred years."))
        return at


class ArticleDetailsForm(forms.Form):
    """What an article is filed under and leads to; changed at once, without review."""

    topic = forms.CharField(
        label=_("Topic"),
        max_length=max_length_of(KnowledgeArticle, "topic"),
        required=False,
    )
    service_types = forms.ModelMultipleChoiceField(
        label=_("Report this: the services a reader can request from the answer"),
        queryset=ServiceType.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    related_articles = forms.CharField(
        label=_("Related answers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Their addresses (slugs), one per line."),
    )

    def __init__(self, *args, article: KnowledgeArticle, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.article = article
        # The public services, and any the article already leads to, so saving keeps them.
        cast(forms.ModelMultipleChoiceField, self.fields["service_types"]).queryset = (
            ServiceType.objects.filter(
                Q(is_active=True, is_public=True) | Q(knowledge_articles=article)
            )
            .distinct()
            .order_by("name")
        )

    def clean_related_articles(self) -> list[KnowledgeArticle]:
        related, missing = objects_by_key(
            KnowledgeArticle.objects.all(), "slug", self.cleaned_data["related_articles"].split()
        )
        if missing:
            raise forms.ValidationError(
                _("No answer has the address %(slugs)s."), params={"slugs": ", ".join(missing)}
            )
        return related


class DiffForm(forms.Form):
    old = forms.IntegerField(label=_("Older revision"), min_value=1)
    new = forms.IntegerField(label=_("Newer revision"), min_value=1)


class ReportForm(forms.Form):
    months = forms.IntegerField(label=_("Not reviewed in (months)"), min_value=0, max_value=600)


class AuditFilterForm(DateRangeForm):
    actor = forms.CharField(label=_("Who (username)"), required=False, max_length=150)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=64,
        help_text=_("An action, or its start: “request.” for every request action."),
    )
    target_type = forms.CharField(
        label=_("Target type"), required=False, max_length=100, help_text=_("e.g. accounts.user")
    )
    target_id = forms.CharField(label=_("Target id"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From (date)"), required=False)
    date_to = forms.DateField(label=_("To (date, included)"), required=False)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class OneTimeCodeForm(forms.Form):
    token = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\d{6,8}$",
        max_length=8,
        error_messages={"invalid": _("Enter the 6-digit code your authenticator shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ContactFiguresForm(DateRangeForm):
    date_from = forms.DateField(label=_("From (date)"), required=False)
    date_to = forms.DateField(label=_("To (date, included)"), required=False)
    queue = forms.CharField(label=_("Queue"), required=False, max_length=64)
    target = forms.IntegerField(
        label=_("Answered within (seconds)"), required=False, min_value=1, max_value=3600
    )


class DeskStartForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    caller_name = forms.CharField(label=_("Caller's name"), required=False, max_length=200)
    caller_phone = forms.CharField(label=_("Caller's phone"), required=False, max_length=40)
    caller_email = forms.EmailField(label=_("Caller's e-mail"), required=False)


class CallerLookupForm(forms.Form):
    caller = forms.CharField(
        label=_("Find the caller (phone, e-mail or name)"), max_length=200, required=False
    )


class StatusInquiryForm(forms.Form):
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=32)


class WrapUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("What was it?"), choices=ContactKind.choices)
    summary = forms.CharField(
        label=_("Note (internal)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    referred_to = forms.CharField(label=_("Referred to"), required=False, max_length=200)


def form_domain_error_add(form: forms.Form, error: DomainError) -> None:
    """Show a rule the service enforced beside the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class DeskSayForm(forms.Form):
    said = forms.CharField(
        label=_("What the caller says"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"accesskey": "r", "autocomplete": "off"}),
        help_text=_("In their words: the service types it probably means are suggested."),
    )


class DeskFilingForm(PlacedRequestForm):
    """A request taken down for the resident on the line or at the counter: every field the
    portal's report form has, and the resident's contact details, kept only with their consent."""

    description = forms.CharField(
        label=_("The problem, in the caller's words"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photos = PhotosField(
        label=_("Photos"),
        help_text=_("Up to %(count)d photos.") % {"count": PHOTOS_PER_REQUEST},
        widget=MultiplePhotoInput(attrs={"accept": "image/*"}),
    )
    consent = forms.BooleanField(
        label=_("The caller agrees to their contact details being kept with the request"),
        required=False,
    )
    caller_name = forms.CharField(label=_("Caller's name"), required=False, max_length=200)
    caller_phone = forms.CharField(label=_("Caller's phone"), required=False, max_length=40)
    caller_email = forms.EmailField(label=_("Caller's e-mail"), required=False)
    wants_updates = forms.BooleanField(
        label=_("The caller wants updates by e-mail"), required=False
    )
    filing_key = forms.CharField(widget=forms.HiddenInput, max_length=FILING_KEY_MAX)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("wants_updates") and not (
            cleaned.get("consent") and cleaned.get("caller_email")
        ):
            self.add_error(
                "wants_updates", _("Updates need the caller's e-mail and their consent.")
            )
        return cleaned

    def requester(self, *, language: str) -> RequesterDetails | None:
        """The resident's details as the request keeps them: none without their consent."""
        data = self.cleaned_data
        if not data["consent"]:
            return None
        first, _space, last = data["caller_name"].strip().rpartition(" ")
        return RequesterDetails(
            first_name=first or last,
            last_name=last if first else "",
            email=data["caller_email"],
            phone=data["caller_phone"].strip(),
            wants_updates=data["wants_updates"],
            language=language,
        )


class DeskFollowForm(forms.Form):
    """Following an open request instead of filing: the caller's e-mail, with their consent, to
    hear of it."""

    consent = forms.BooleanField(required=False)
    caller_email = forms.EmailField(required=False)

    def email(self) -> str:
        return self.cleaned_data["caller_email"] if self.cleaned_data["consent"] else ""


class DeskPlaceForm(forms.Form):
    """The place the filing form names so far, to look around it: the filing form's own fields."""

    lat = PlacedRequestForm.base_fields["lat"]
    long = PlacedRequestForm.base_fields["long"]
    address = PlacedRequestForm.base_fields["address"]
