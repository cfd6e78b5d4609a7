"""A request's states and history in residents' words, in the page's language. The models'
labels are staff's words in English; these are what the tracking page and its messages say."""

from datetime import datetime

from django.conf import settings
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from cityline.servicerequests.models import Resolution, Status, UpdateKind

STATUS_WORDS: dict[str, Promise] = {
    Status.NEW: _("Received"),
    Status.ACKNOWLEDGED: _("Accepted by the agency"),
    Status.IN_PROGRESS: _("Work in progress"),
    Status.WAITING_ON_REQUESTER: _("Waiting for more information"),
    Status.WAITING_ON_THIRD_PARTY: _("Waiting for another organisation"),
    Status.CLOSED: _("Closed"),
}

RESOLUTION_WORDS: dict[str, Promise] = {
    Resolution.COMPLETED: _("The work was done."),
    Resolution.DUPLICATE: _(
        "Someone had already reported this; the work goes on under that request."
    ),
    Resolution.REFERRED: _("This is not the city's to fix: it was passed to who is responsible."),
    Resolution.UNABLE_TO_LOCATE: _("The crew could not find the problem at this place."),
    Resolution.NO_ACTION_NEEDED: _("The agency found nothing that needed doing."),
    Resolution.CANCELLED: _("The request was cancelled."),
}

TIMELINE_WORDS: dict[str, Promise] = {
    UpdateKind.CREATED: _("Request received"),
    UpdateKind.STATUS_CHANGED: _("Status changed"),
    UpdateKind.NOTE: _("Update from the agency"),
    UpdateKind.CLOSED: _("Closed"),
    UpdateKind.REOPENED: _("Reopened"),
    UpdateKind.MARKED_DUPLICATE: _("Found to repeat another request"),
    UpdateKind.CITIZEN_UPDATE: _("Update from a resident"),
}


# A search result shown in another language than the reader's is labelled with it: one whole
# phrase per language, as each language words it ("En inglés", "بالإنجليزية").
IN_LANGUAGE: dict[str, Promise] = {
    "en": _("In English"),
    "es": _("In Spanish"),
    "ar": _("In Arabic"),
}


def day_in_words(moment: datetime) -> str:
    """ "Thursday 11 December" in the page's language, on the city's calendar."""
    # Translators: a date as PHP's date() formats it (l: weekday, j: day, F: month); escape
    # letters meant literally with a backslash, as in "l j \d\e F".
    return formats.date_format(timezone.localtime(moment), pgettext("day in words", "l j F"))


def photo_refusal() -> str:
    """What a resident reads when a file is no photo Cityline takes, in the page's language."""
    megabytes = settings.CITYLINE_PHOTO_MAX_BYTES / 1_048_576
    return gettext(
        "We could not take this file as a photo. Please send a JPEG, PNG, WebP or GIF picture "
        "of at most %(megabytes)s MB."
    ) % {"megabytes": f"{megabytes:g}"}
