import pytest
from django.test import Client
from django.urls import reverse

from cityline.catalog.models import Agency
from cityline.console.tests.conftest import ROLES
from cityline.knowledge.models import KnowledgeArticle

pytestmark = pytest.mark.django_db

URL = reverse("console:article_new")


def _form(agency, **changes):
    return {
        "agency": agency.pk,
        "slug": "leaf-pickup",
        "topic": "Trees",
        "source_language": "en",
        "title": "When are leaves picked up?",
        "body": "Every Monday in the fall.",
        "internal_notes": "",
        "call_script": "",
    } | changes


@pytest.mark.parametrize("role", ROLES)
def test_editors_write_new_articles_for_their_agency(as_role, role, article):
    # when
    response = as_role(role).post(URL, _form(article.agency))
    # then
    created = KnowledgeArticle.objects.filter(slug="leaf-pickup").first()
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/console/login/")
        assert created is None
    elif role in {"owning_editor", "approver", "content_team"}:
        assert response["Location"] == "/console/articles/leaf-pickup/manage/"
        assert created.agency == article.agency
        assert created.revisions.get().state == "draft"
    elif role == "other_editor":
        # Another agency is not among their choices.
        assert response.status_code == 400
        assert "Owning agency</a>: Select a valid choice." in response.content.decode()
        assert created is None
    else:
        assert response.status_code == 403
        assert created is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Title (the resident&#x27;s question)</a>: This field is required."),
        ({"slug": "not a slug"}, "Address (slug)</a>: Enter a valid “slug”"),
        ({"slug": "tree-removal"}, "Address (slug)</a>: an article with the address"),
        ({"source_language": "xx"}, "Language</a>: Select a valid choice."),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    as_role, article, changes, message
):
    # given
    before = KnowledgeArticle.objects.count()
    # when
    response = as_role("owning_editor").post(URL, _form(article.agency, **changes))
    # then
    assert response.status_code == 400
    assert message in response.content.decode()
    assert KnowledgeArticle.objects.count() == before


def test_the_form_offers_only_the_editors_agency(as_role, article):
    # when
    page = as_role("owning_editor").get(URL).content.decode()
    # then
    assert "Parks Department" in page
    assert "Sanitation Department" not in page
    assert Agency.objects.filter(code="DSNY").exists()


def test_a_post_without_the_csrf_token_is_refused(people, article):
    # given
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["owning_editor"])
    # when
    response = client.post(URL, _form(article.agency))
    # then
    assert response.status_code == 403
    assert not KnowledgeArticle.objects.filter(slug="leaf-pickup").exists()
