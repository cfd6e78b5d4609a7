import pytest
from django.urls import reverse

from cityline.knowledge.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_the_topics_page_lists_topics_with_their_counts(client):
    # given
    make_article(topic="Trees")
    make_article(slug="bulk", title="When is bulk pickup?", topic="Garbage")
    # when
    response = client.get(reverse("portal:topics"))
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="/help/topics/Garbage/"' in page
    assert 'href="/help/topics/Trees/"' in page
    assert "1 answer" in page


def test_a_topic_page_lists_its_articles_only(client):
    # given
    make_article(topic="Trees", internal_notes="Internal: the forester's number.")
    make_article(slug="bulk", title="When is bulk pickup?", topic="Garbage")
    # when
    response = client.get(reverse("portal:topic", args=["Trees"]))
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "How do I get a tree removed?" in page
    assert "bulk pickup" not in page
    assert "forester" not in page


def test_an_unknown_topic_is_not_found(client):
    # when
    response = client.get(reverse("portal:topic", args=["Nothing"]))
    # then
    assert response.status_code == 404


def test_a_topic_with_a_slash_in_its_name_has_its_own_page(client):
    # given
    make_article(topic="Trash / Recycling")
    # when
    topics = client.get(reverse("portal:topics"))
    page = client.get(reverse("portal:topic", args=["Trash / Recycling"]))
    # then
    assert topics.status_code == 200
    assert page.status_code == 200
    assert "How do I get a tree removed?" in page.content.decode()


def test_a_topic_with_a_nul_character_is_not_found(client):
    # when
    response = client.get("/help/topics/Tr%00ees/")
    # then
    assert response.status_code == 404
