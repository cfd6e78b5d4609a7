import pytest
from django.utils import translation

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.knowledge.tests.factories import make_article
from cityline.portal.selectors import ServiceLink, article_page_public
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db


def test_each_service_an_article_leads_to_carries_its_promise_in_the_readers_language():
    # given
    with_policy = ServiceTypeFactory(
        code="dead-tree", name="Dead tree", sla_policy=SlaPolicyFactory(amount=3)
    )
    without_policy = ServiceTypeFactory(code="tree-info", name="Tree advice", sla_policy=None)
    make_article(service_types=[with_policy, without_policy])
    # when
    with translation.override("es"):
        page = article_page_public(slug="tree-removal", language="es")
    # then
    assert page.article.fallback is True
    assert sorted(page.services, key=lambda link: link.code) == [
        ServiceLink(code="dead-tree", name="Dead tree", promise="en 3 días"),
        ServiceLink(code="tree-info", name="Tree advice", promise=""),
    ]
