import pytest
from django.urls import reverse

from cityline.knowledge.services import article_feedback_record, knowledge_search_logged
from cityline.knowledge.tests.factories import make_article, sanitation

pytestmark = pytest.mark.django_db

REPORTS = ["console:report_unanswered", "console:report_unreviewed", "console:report_helpful"]


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("role", ["anonymous", "resident", "call_taker"])
def test_the_reports_are_for_editors_and_the_content_team(as_role, role, report, article):
    # when
    response = as_role(role).get(reverse(report))
    # then
    assert response.status_code == (302 if role == "anonymous" else 403)


def test_searches_without_a_good_answer_are_listed(as_role, article):
    # given
    knowledge_search_logged(query="Graffiti  paint", language="en")
    knowledge_search_logged(query="graffiti paint", language="en")
    # when
    page = as_role("content_team").get(reverse("console:report_unanswered")).content.decode()
    # then
    assert "<td>graffiti paint</td><td>en</td><td>2</td><td>2</td>" in page


@pytest.mark.parametrize(
    ("role", "listed"),
    [("owning_editor", {"tree-removal"}), ("content_team", {"tree-removal", "bulk-pickup"})],
)
def test_unreviewed_and_helpful_reports_cover_the_editors_agency(as_role, role, listed, article):
    # given
    make_article(slug="bulk-pickup", title="When is bulk pickup?", agency=sanitation())
    for slug in ("tree-removal", "bulk-pickup"):
        article_feedback_record(client="10.0.0.1", slug=slug, language="en", helpful=False)
    client = as_role(role)
    # when
    unreviewed = client.get(reverse("console:report_unreviewed"), {"months": 0})
    helpful = client.get(reverse("console:report_helpful"))
    # then
    for response in (unreviewed, helpful):
        page = response.content.decode()
        shown = {slug for slug in ("tree-removal", "bulk-pickup") if f"/{slug}/" in page}
        assert shown == listed


def test_a_bad_number_of_months_is_refused_naming_the_field(as_role, article):
    # when
    response = as_role("owning_editor").get(reverse("console:report_unreviewed"), {"months": -1})
    # then
    assert response.status_code == 400
    assert "Not reviewed in (months)</a>: Ensure this value is greater than or equal to 0." in (
        response.content.decode()
    )
