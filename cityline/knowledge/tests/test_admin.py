import pytest

from cityline.knowledge.tests.factories import make_article, translate

pytestmark = pytest.mark.django_db


def test_the_admin_lists_articles_and_shows_their_revisions(admin_client):
    # given
    article = make_article()
    translate(article, language="es", title="¿Cómo quito un árbol?", body="Parques.")
    # when
    listing = admin_client.get("/admin/knowledge/knowledgearticle/")
    detail = admin_client.get(f"/admin/knowledge/knowledgearticle/{article.pk}/change/")
    # then
    assert listing.status_code == 200
    assert "How do I get a tree removed?" in listing.text
    assert detail.status_code == 200
    assert "¿Cómo quito un árbol?" in detail.text
