import pytest
from django.utils import translation

from cityline.core.errors import DomainError
from cityline.knowledge.selectors import topic_list_public, topic_titles
from cityline.knowledge.services import topic_titles_set
from cityline.knowledge.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _titles(language: str) -> dict[str, str]:
    with translation.override(language):
        return {topic.name: topic.title for topic in topic_list_public()}


def test_topics_read_in_the_reader_s_language_where_titled():
    # given
    make_article(topic="Trees")
    make_article(slug="noise", title="Loud music?", topic="Noise")
    # when
    topic_titles_set(language="es", titles={"Trees": "Árboles"})
    # then
    assert _titles("es") == {"Trees": "Árboles", "Noise": "Noise"}
    assert _titles("ar") == {"Trees": "Trees", "Noise": "Noise"}
    assert _titles("en") == {"Trees": "Trees", "Noise": "Noise"}


def test_topics_are_listed_by_their_title_in_the_reader_s_language():
    # given
    make_article(topic="Trees")
    make_article(slug="noise", title="Loud music?", topic="Noise")
    topic_titles_set(language="es", titles={"Trees": "Árboles", "Noise": "Ruido"})
    # when
    with translation.override("es"):
        listed = [topic.title for topic in topic_list_public()]
    # then
    assert listed == ["Árboles", "Ruido"]


def test_a_blank_title_falls_back_again():
    # given
    topic_titles_set(language="es", titles={"Trees": "Árboles"})
    # when
    topic_titles_set(language="es", titles={"Trees": " "})
    # then
    with translation.override("es"):
        assert topic_titles(topics=["Trees"]) == {"Trees": "Trees"}


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"language": "en", "titles": {"Trees": "x"}}, "language"),
        ({"language": "fr", "titles": {"Trees": "x"}}, "language"),
        ({"language": "es", "titles": {" ": "x"}}, "topic"),
        ({"language": "es", "titles": {"Trees": "x" * 101}}, "title_es"),
    ],
)
def test_a_bad_title_is_refused_naming_the_field(arguments, field):
    # when
    with pytest.raises(DomainError) as refused:
        topic_titles_set(**arguments)
    # then
    assert refused.value.field == field
    with translation.override("es"):
        assert topic_titles(topics=["Trees"]) == {}
