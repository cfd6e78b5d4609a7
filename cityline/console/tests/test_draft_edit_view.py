import pytest
from django.urls import reverse

from cityline.console.tests.conftest import EDITORS, ROLES
from cityline.knowledge.models import ArticleRevision
from cityline.knowledge.tests.factories import translate

pytestmark = pytest.mark.django_db

URL = reverse("console:draft_edit", args=["tree-removal"])


def _draft(**changes):
    return {
        "language": "en",
        "title": "How do I get a tree removed?",
        "body": "Ask Parks; they inspect within 30 days.",
        "internal_notes": "",
        "call_script": "",
    } | changes


def test_the_form_starts_from_the_newest_revision(as_role, article):
    # when
    page = as_role("owning_editor").get(URL).content.decode()
    # then
    assert "Ask the Parks Department to inspect it." in page
    assert "escalate to the borough forester" in page


def test_a_translation_starts_from_the_newest_revision_in_its_language(as_role, article):
    # given
    translate(article, language="es", title="¿Cómo quito un árbol?", body="Pida a Parques.")
    # when
    manage = (
        as_role("owning_editor")
        .get(reverse("console:article_manage", args=["tree-removal"]))
        .content.decode()
    )
    page = as_role("owning_editor").get(URL, {"language": "es"}).content.decode()
    # then
    assert 'href="/console/articles/tree-removal/draft/?language=es"' in manage
    assert "Pida a Parques." in page
    assert '<option value="es" selected>' in page


@pytest.mark.parametrize("role", ROLES)
def test_editors_save_a_new_draft_and_others_change_nothing(as_role, role, article):
    # when
    response = as_role(role).post(URL, _draft())
    # then
    drafts = ArticleRevision.objects.filter(article=article, state="draft")
    if role in EDITORS:
        assert response["Location"] == "/console/articles/tree-removal/manage/"
        assert drafts.get().body == "Ask Parks; they inspect within 30 days."
        assert article.revisions.filter(state="published").count() == 1
    else:
        assert response.status_code in {302, 404}
        assert not drafts.exists()


def test_a_translation_is_drafted_in_another_language(as_role, article):
    # when
    as_role("owning_editor").post(URL, _draft(language="es", title="¿Cómo quito un árbol?"))
    # then
    draft = ArticleRevision.objects.get(article=article, language="es")
    assert draft.source_revision == article.revisions.get(language="en")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Title (the resident&#x27;s question)</a>: This field is required."),
        ({"title": "   "}, "Title (the resident&#x27;s question)</a>: This field is required."),
        ({"language": "fr"}, "Language</a>: Select a valid choice."),
    ],
)
def test_bad_input_is_refused_naming_the_field(as_role, article, changes, message):
    # when
    response = as_role("owning_editor").post(URL, _draft(**changes))
    # then
    assert response.status_code == 400
    assert message in response.content.decode()
    assert article.revisions.count() == 1
