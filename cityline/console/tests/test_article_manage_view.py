import pytest
from django.urls import reverse

from cityline.console.tests.conftest import EDITORS, ROLES

pytestmark = pytest.mark.django_db

URL = reverse("console:article_manage", args=["tree-removal"])


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owning_agency_and_the_content_team_manage_an_article(as_role, role, article):
    # when
    response = as_role(role).get(URL)
    # then
    if role == "anonymous":
        assert response.status_code == 302
    elif role in EDITORS:
        page = response.content.decode()
        assert response.status_code == 200
        revision = article.revisions.get()
        assert f'href="/console/articles/tree-removal/revisions/{revision.pk}/"' in page
        assert "published" in page
    else:
        assert response.status_code == 404
