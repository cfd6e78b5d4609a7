from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from cityline.portal.words import RESOLUTION_WORDS, STATUS_WORDS, TIMELINE_WORDS, day_in_words
from cityline.servicerequests.tests.factories import make_request, make_request_in_status

pytestmark = pytest.mark.django_db

ENGLISH_ON_THE_PAGES = [
    "Track a request",
    "Handled by",
    "Promised",
    "Updates",
    "Place",
    "Get updates by e-mail",
    "Your e-mail address",
    "Follow this request",
    "How it was resolved",
    "Not fixed?",
    "Tell us it is not fixed",
    "resident reported or follows this",
    "Latitude",
]


@pytest.mark.parametrize("language", ["es", "ar"])
def test_every_word_of_a_request_state_is_translated(language):
    # given
    words = [*STATUS_WORDS.values(), *RESOLUTION_WORDS.values(), *TIMELINE_WORDS.values()]
    # when
    with translation.override(language):
        translated = [str(word) for word in words]
    # then
    with translation.override("en"):
        english = [str(word) for word in words]
    assert [t for t, e in zip(translated, english, strict=True) if t == e] == []


@pytest.mark.parametrize("language", ["es", "ar"])
def test_the_tracking_pages_hold_no_english_of_ours(client, language):
    # given
    open_request = make_request(address="1 Main St")
    closed_request = make_request_in_status("closed")
    # when
    pages = [
        client.get(reverse(name, args=args), headers={"accept-language": language})
        for name, args in [
            ("track:request", [open_request.tracking_number]),
            ("track:request", [closed_request.tracking_number]),
            ("track:not-fixed", [closed_request.tracking_number]),
            ("track:follow-sent", [open_request.tracking_number]),
            ("track:search", []),
        ]
    ]
    # then
    for page in pages:
        html = page.content.decode()
        assert f'lang="{language}"' in html
        assert [english for english in ENGLISH_ON_THE_PAGES if english in html] == []


def test_a_promised_day_is_written_in_the_readers_language():
    # given: the evening of Thursday 10 December in the city, already the 11th in UTC
    thursday = datetime(2026, 12, 11, 3, 0, tzinfo=UTC)
    # when
    said = {}
    for language in ("en", "es", "ar"):
        with translation.override(language):
            said[language] = day_in_words(thursday)
    # then
    assert said == {
        "en": "Thursday 10 December",
        "es": "jueves 10 de diciembre",
        "ar": "الخميس 10 ديسمبر",
    }
