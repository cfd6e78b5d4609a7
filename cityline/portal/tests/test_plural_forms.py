"""Counts on the public pages follow each language's plural rules: Arabic has six forms."""

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from cityline.knowledge.selectors import Topic
from cityline.portal.words import IN_LANGUAGE
from cityline.sla.models import SlaPolicy, SlaUnit
from cityline.sla.selectors import sla_policy_in_words

ARABIC_ANSWERS = {
    1: "إجابة واحدة",
    2: "إجابتان",
    3: "3 إجابات",
    11: "11 إجابة",
    100: "100 إجابة",
}
ARABIC_DAYS = {
    1: "خلال يوم واحد",
    2: "خلال يومين",
    3: "خلال 3 أيام",
    11: "خلال 11 يومًا",
    100: "خلال 100 يوم",
}
ARABIC_BUSINESS_DAYS = {
    1: "خلال يوم عمل واحد",
    2: "خلال يومَي عمل",
    5: "خلال 5 أيام عمل",
    11: "خلال 11 يوم عمل",
    100: "خلال 100 يوم عمل",
}
ARABIC_HOURS = {
    1: "خلال ساعة واحدة",
    2: "خلال ساعتين",
    8: "خلال 8 ساعات",
    24: "خلال 24 ساعة",
    100: "خلال 100 ساعة",
}
SPANISH_DAYS = {1: "en 1 día", 2: "en 2 días", 100: "en 100 días"}


def _topics(count: int) -> str:
    return render_to_string("portal/_topics.html", {"topics": [Topic("Trees", count, "Trees")]})


@pytest.mark.parametrize(("count", "words"), ARABIC_ANSWERS.items())
def test_a_topic_s_answers_are_counted_in_arabic_plural_forms(count, words):
    # when
    with translation.override("ar"):
        html = _topics(count)
    # then
    assert f"({words})" in html


@pytest.mark.parametrize(
    ("unit", "count", "words"),
    [
        *((SlaUnit.CALENDAR_DAYS, n, w) for n, w in ARABIC_DAYS.items()),
        *((SlaUnit.BUSINESS_DAYS, n, w) for n, w in ARABIC_BUSINESS_DAYS.items()),
        *((SlaUnit.HOURS, n, w) for n, w in ARABIC_HOURS.items()),
    ],
)
def test_a_promise_is_counted_in_arabic_plural_forms(unit, count, words):
    # when
    with translation.override("ar"):
        said = sla_policy_in_words(policy=SlaPolicy(amount=count, unit=unit))
    # then
    assert said == words


@pytest.mark.parametrize(("count", "words"), SPANISH_DAYS.items())
def test_a_promise_is_counted_in_spanish_plural_forms(count, words):
    # when
    with translation.override("es"):
        said = sla_policy_in_words(policy=SlaPolicy(amount=count, unit=SlaUnit.CALENDAR_DAYS))
    # then
    assert said == words


def _label(reader: str, shown: str) -> str:
    with translation.override(reader):
        return str(IN_LANGUAGE[shown])


def test_every_language_of_the_pages_is_labelled_in_its_own_words_in_every_language():
    # given
    languages = [code for code, _name in settings.LANGUAGES]
    # when
    labels = {(reader, shown): _label(reader, shown) for reader in languages for shown in languages}
    # then
    assert set(IN_LANGUAGE) == set(languages)
    assert len(set(labels.values())) == len(labels)
    assert labels[("ar", "en")] == "بالإنجليزية"
    assert labels[("es", "en")] == "En inglés"
