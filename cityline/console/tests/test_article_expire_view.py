import pytest
from django.urls import reverse

from cityline.console.tests.conftest import EDITORS, ROLES

pytestmark = pytest.mark.django_db

URL = reverse("console:article_expire", args=["tree-removal"])


@pytest.mark.parametrize("role", ROLES)
def test_editors_take_an_article_away_from_readers(as_role, role, article, client):
    # when
    response = as_role(role).post(URL, {"expire-at": ""})
    # then
    article.refresh_from_db()
    if role in EDITORS:
        assert response["Location"] == "/console/articles/tree-removal/manage/"
        assert article.status == "archived"
        client.logout()
        assert client.get("/help/articles/tree-removal/").status_code == 404
    else:
        assert response.status_code in {302, 404}
        assert article.status == "published"


def test_an_expiry_at_a_set_time_waits_for_it(as_role, article):
    # when
    as_role("owning_editor").post(URL, {"expire-at": "2099-01-01T00:00"})
    # then
    article.refresh_from_db()
    assert article.status == "published"
    assert article.expire_at.year == 2099


def test_a_bad_time_is_refused_naming_the_field(as_role, article):
    # when
    response = as_role("owning_editor").post(URL, {"expire-at": "soon"})
    # then
    assert response.status_code == 400
    assert "When (leave empty for now)</a>: Enter a valid date/time." in response.content.decode()
    article.refresh_from_db()
    assert article.expire_at is None


def test_a_time_too_far_ahead_is_refused_naming_the_field(as_role, article):
    # when
    response = as_role("owning_editor").post(URL, {"expire-at": "9999-12-31T23:59"})
    # then
    assert response.status_code == 400
    assert "Enter a time within the next hundred years." in response.content.decode()
    article.refresh_from_db()
    assert article.expire_at is None
