import pytest

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.knowledge.indexing import search_index_service_types
from cityline.knowledge.models import SearchLogEntry
from cityline.knowledge.services import knowledge_search_logged
from cityline.knowledge.tests.factories import make_article
from cityline.portal.selectors import SearchHit, search_hits
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db


def test_hits_are_articles_and_services_and_only_services_carry_a_promise():
    # given
    make_article()
    ServiceTypeFactory(code="dead-tree", name="Dead tree", sla_policy=SlaPolicyFactory(amount=2))
    search_index_service_types()
    # when
    hits = search_hits(results=knowledge_search_logged(query="tree", language="en"))
    # then
    assert {(hit.kind, hit.key, hit.promise) for hit in hits} == {
        ("article", "tree-removal", ""),
        ("service_type", "dead-tree", "within 2 days"),
    }
    assert all(isinstance(hit, SearchHit) for hit in hits)
    assert SearchLogEntry.objects.get().result_count == 2
