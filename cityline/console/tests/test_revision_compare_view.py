import pytest
from django.urls import reverse

from cityline.console.tests.conftest import EDITORS, ROLES
from cityline.knowledge.services import revision_draft_save

pytestmark = pytest.mark.django_db

URL = reverse("console:revision_compare", args=["tree-removal"])


def _revisions(article, people):
    old = article.revisions.get()
    new = revision_draft_save(
        article=article,
        language="en",
        title=old.title,
        body="Ask the Parks Department to inspect it.\nThey come within 30 days.",
        internal_notes=old.internal_notes,
        call_script=old.call_script,
        by=people["owning_editor"],
    )
    return old, new


@pytest.mark.parametrize("role", ROLES)
def test_editors_compare_two_revisions_line_by_line(as_role, role, article, people):
    # given
    old, new = _revisions(article, people)
    # when
    response = as_role(role).get(URL, {"old": old.pk, "new": new.pk})
    # then
    if role in EDITORS:
        page = response.content.decode()
        assert response.status_code == 200
        assert '<table class="diff">' in page
        assert (
            '<tr class="added"><td>+ added</td><td class="text">They come within 30 days.' in page
        )
        assert "Internal notes — unchanged" in page
    else:
        assert response.status_code in {302, 404}


def test_missing_revisions_are_refused_naming_the_fields(as_role, article):
    # when
    response = as_role("owning_editor").get(URL, {"old": "x"})
    # then
    page = response.content.decode()
    assert response.status_code == 400
    assert "Older revision</a>: Enter a whole number." in page
    assert 'name="old" value="' in page
    assert "Newer revision</a>: This field is required." in page
