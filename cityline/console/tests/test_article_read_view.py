import pytest
from django.urls import reverse

from cityline.console.tests.conftest import ROLES, STAFF
from cityline.knowledge.tests.factories import make_article

pytestmark = pytest.mark.django_db

URL = reverse("console:article_read", args=["tree-removal"])


@pytest.mark.parametrize("role", ROLES)
def test_staff_read_the_published_answer_with_notes_and_script(as_role, role, article):
    # when
    response = as_role(role).get(URL)
    # then
    if role == "anonymous":
        assert response.status_code == 302
    elif role in STAFF:
        page = response.content.decode()
        assert response.status_code == 200
        assert "Ask the Parks Department to inspect it." in page
        assert "escalate to the borough forester" in page
        assert "ask for the tree&#x27;s address" in page or "ask for the tree's address" in page
    else:
        assert response.status_code == 403
        assert "<h1>Not allowed</h1>" in response.content.decode()
        assert "borough forester" not in response.content.decode()


def test_a_script_in_the_internal_fields_is_not_run(as_role):
    # given
    make_article(
        slug="stump",
        internal_notes="<script>alert('notes')</script>",
        call_script="<img src=x onerror=alert(1)>",
    )
    # when
    page = as_role("call_taker").get(reverse("console:article_read", args=["stump"])).content
    # then
    page = page.decode()
    assert "<script>alert" not in page
    assert "<img" not in page


def test_an_unpublished_article_is_not_found(as_role):
    # given
    make_article(slug="stump", published=False)
    # when
    response = as_role("call_taker").get(reverse("console:article_read", args=["stump"]))
    # then
    assert response.status_code == 404
