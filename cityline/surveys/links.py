"""The survey's signed links: the survey's number and when it was sent, signed with the site's
secret, so a link cannot be made up or altered, and is refused once SURVEY_LINK_DAYS old."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

SURVEY_LINK_DAYS = 30
_SALT = "cityline.surveys.link"


class SurveyLinkInvalid(Exception):
    """Not a link the city signed (mistyped, cut short, or made up)."""


class SurveyLinkExpired(Exception):
    """A link the city signed, older than SURVEY_LINK_DAYS."""


def survey_sign(*, survey_id: int) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(signing.b62_encode(survey_id))


def survey_unsign(*, signed: str) -> int:
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        value = signer.unsign(signed, max_age=timedelta(days=SURVEY_LINK_DAYS))
    except signing.SignatureExpired:
        raise SurveyLinkExpired from None
    except signing.BadSignature:
        raise SurveyLinkInvalid from None
    return signing.b62_decode(value)


def survey_link(*, survey_id: int) -> str:
    signed = survey_sign(survey_id=survey_id)
    return settings.CITYLINE_SITE_URL + reverse("surveys:answer", args=[signed])


def survey_stop_link(*, survey_id: int) -> str:
    signed = survey_sign(survey_id=survey_id)
    return settings.CITYLINE_SITE_URL + reverse("surveys:stop", args=[signed])
