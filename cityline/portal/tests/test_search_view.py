import pytest
from django.urls import reverse

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.knowledge.indexing import search_index_service_types
from cityline.knowledge.models import SearchLogEntry
from cityline.knowledge.tests.factories import make_article
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db

URL = reverse("portal:search")


def test_a_search_lists_answers_and_services_with_their_promise_and_is_logged(client):
    # given
    make_article(topic="Trees")
    ServiceTypeFactory(code="dead-tree", name="Dead tree", sla_policy=SlaPolicyFactory(amount=3))
    search_index_service_types()
    # when
    response = client.get(URL, {"q": "tree"})
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/help/articles/tree-removal/"' in page
    assert "How do I get a tree removed?" in page
    assert "Dead tree" in page
    assert "usually done within 3 days" in page
    entry = SearchLogEntry.objects.get()
    assert (entry.query, entry.language, entry.result_count) == ("tree", "en", 2)


def test_a_blank_search_shows_the_topics_and_logs_nothing(client):
    # given
    make_article(topic="Trees")
    # when
    response = client.get(URL)
    # then
    assert response.status_code == 200
    assert 'href="/help/topics/Trees/"' in response.content.decode()
    assert not SearchLogEntry.objects.exists()


def test_a_search_in_spanish_is_logged_in_spanish(client):
    # given
    make_article()
    # when
    client.get(URL, {"q": "tree"}, headers={"accept-language": "es"})
    # then
    assert SearchLogEntry.objects.get().language == "es"


def test_an_overlong_search_is_refused_naming_the_field_and_not_logged(client):
    # when
    response = client.get(URL, {"q": "x" * 201})
    # then
    assert response.status_code == 400
    assert "What do you need help with?" in response.content.decode()
    assert "at most 200 characters" in response.content.decode()
    assert not SearchLogEntry.objects.exists()


def test_words_only_in_internal_notes_find_nothing_and_never_show(client):
    # given
    make_article(internal_notes="Escalate to supervisor Zanzibar.", call_script="Say Quixotic.")
    # when
    response = client.get(URL, {"q": "zanzibar quixotic"})
    # then
    page = response.content.decode()
    assert "We found no answer" in page
    assert "Zanzibar" not in page.replace("zanzibar quixotic", "")
    assert "Quixotic" not in page


def test_a_search_costs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    # given
    for number in range(15):
        make_article(slug=f"tree-{number}", title=f"Tree question {number}?", topic="Trees")
    # when / then
    with django_assert_max_num_queries(20):
        response = client.get(URL, {"q": "tree"})
    assert response.content.decode().count('href="/help/articles/tree-') == 15
