"""What the city texts residents: the city's templates (`SmsTemplate`, edited in the admin),
checked and filled in, and the keywords a text may start with. Dates, statuses and resolutions
come from the pages' catalogs (`portal/words.py`), in the resident's language."""

import string

from django.conf import settings

from cityline.channels.models import SmsTemplate, SmsWording
from cityline.channels.sms_defaults import DEFAULTS

FALLBACK_LANGUAGE = "en"

# Every placeholder, what it stands for (shown to editors in the admin), and the texts it is in.
PLACEHOLDERS: dict[str, tuple[str, set[SmsWording]]] = {
    "choices": ("the services offered, numbered ('1 Pothole; 2 Sinkhole')", {SmsWording.ASK_TYPE}),
    "count": ("how many services were offered", {SmsWording.ASK_TYPE_AGAIN}),
    "address": ("the address found", {SmsWording.CONFIRM_PLACE}),
    "number": (
        "the request's tracking number",
        {SmsWording.FILED, SmsWording.STATUS, SmsWording.STATUS_UNKNOWN, SmsWording.SURVEY_SERVICE},
    ),
    "link": (
        "the address of the survey's page",
        {SmsWording.SURVEY_CONTACT, SmsWording.SURVEY_SERVICE},
    ),
    "day": ("the date the city aims for, in words", {SmsWording.DUE}),
    "reason": ("why the request could not be filed", {SmsWording.NOT_FILED}),
    "service": ("the kind of request (the service type's name)", {SmsWording.STATUS}),
    "status": ("the request's status in words", {SmsWording.STATUS}),
    "example": ("an example tracking number", {SmsWording.STATUS_HOW}),
}


def sms_placeholders_for(wording: str) -> list[str]:
    return [name for name, (_meaning, wordings) in PLACEHOLDERS.items() if wording in wordings]


def sms_template_errors(*, text: str, wording: str) -> list[str]:
    """What is wrong with a text's template: a `$` that starts no placeholder, or a placeholder
    the text does not have. Empty when it can be sent."""
    template = string.Template(text)
    if not template.is_valid():
        return ["a $ must start a placeholder such as $number; write $$ for a dollar sign"]
    allowed = sms_placeholders_for(wording)
    return [
        f"${name} is not a placeholder of this text; "
        + ("use " + ", ".join(f"${known}" for known in allowed) if allowed else "it has none")
        for name in dict.fromkeys(template.get_identifiers())
        if name not in allowed
    ]


def sms_say(wording: str, language: str, **values: object) -> str:
    """The text of `wording` in `language` (else English) as the city wrote it, filled in; the
    default words when the city has deleted its template."""
    bodies = dict(
        SmsTemplate.objects.filter(
            wording=wording, language__in={language, FALLBACK_LANGUAGE}
        ).values_list("language", "body")
    )
    body = (
        bodies.get(language)
        or bodies.get(FALLBACK_LANGUAGE)
        or DEFAULTS[wording].get(language, DEFAULTS[wording][FALLBACK_LANGUAGE])
    )
    known = {name: str(values.get(name, "")) for name in sms_placeholders_for(wording)}
    # `safe_substitute` leaves a placeholder the admin's check would have refused as written.
    return string.Template(body).safe_substitute(known)


def sms_templates_add_missing() -> int:
    """Install the default words of every text the city has no template for (a new database,
    or one emptied by `flush`); the city's own are left as they are. How many were added."""
    have = set(SmsTemplate.objects.values_list("wording", "language"))
    missing = [
        SmsTemplate(wording=wording, language=language, body=body)
        for wording, bodies in DEFAULTS.items()
        for language, body in bodies.items()
        if (wording, language) not in have
    ]
    SmsTemplate.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def tracking_example() -> str:
    return f"{settings.CITYLINE_TRACKING_PREFIX}-ABCD-1234"


# The first word of a text that asks for something other than the conversation's next step.
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "PARAR", "توقف"})
START_WORDS = frozenset({"START", "UNSTOP", "INICIAR", "ابدأ"})
STATUS_WORDS = frozenset({"STATUS", "ESTADO", "حالة"})
YES_WORDS = frozenset({"YES", "Y", "SI", "SÍ", "نعم"})
