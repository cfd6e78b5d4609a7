from datetime import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cityline.console.tests.conftest import EDITORS, ROLES
from cityline.core import clock
from cityline.knowledge.models import AgencyReviewPolicy
from cityline.knowledge.services import revision_approve, revision_draft_save, revision_submit

pytestmark = pytest.mark.django_db


def _draft(article, people):
    return revision_draft_save(
        article=article,
        language="en",
        title="How do I get a tree removed?",
        body="Ask Parks; they inspect within 30 days.",
        by=people["owning_editor"],
    )


def _url(revision, action):
    return reverse("console:revision_action", args=[revision.article.slug, revision.pk, action])


def test_a_draft_goes_through_review_to_publication(as_role, article, people):
    # given
    draft = _draft(article, people)
    editor = as_role("owning_editor")
    # when
    editor.post(_url(draft, "submit"))
    approver = as_role("approver")
    approved = approver.post(_url(draft, "approve"), {"review-note": "Clear."})
    published = approver.post(_url(draft, "publish"), {"publish-at": ""})
    # then
    draft.refresh_from_db()
    assert approved.status_code == 302
    assert published["Location"] == f"/console/articles/tree-removal/revisions/{draft.pk}/"
    assert (draft.state, draft.reviewer, draft.review_note) == (
        "published",
        people["approver"],
        "Clear.",
    )
    assert (
        "within 30 days"
        in as_role("anonymous").get("/help/articles/tree-removal/").content.decode()
    )


def test_publishing_at_a_set_time_schedules_it(as_role, article, people):
    # given
    draft = _draft(article, people)
    client = as_role("owning_editor")
    client.post(_url(draft, "submit"))
    revision_approve(revision=draft, by=people["approver"])
    # when
    with time_machine.travel(datetime(2026, 11, 2, 9, tzinfo=clock.city_timezone()), tick=False):
        response = client.post(_url(draft, "publish"), {"publish-at": "2026-11-05T08:30"})
    # then
    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.state == "approved"
    assert draft.publish_at == datetime(2026, 11, 5, 8, 30, tzinfo=clock.city_timezone())


def test_publishing_at_a_time_too_far_ahead_is_refused(as_role, article, people):
    # given
    draft = _draft(article, people)
    client = as_role("owning_editor")
    client.post(_url(draft, "submit"))
    revision_approve(revision=draft, by=people["approver"])
    # when
    response = client.post(_url(draft, "publish"), {"publish-at": "9999-12-31T23:59"})
    # then
    draft.refresh_from_db()
    assert response.status_code == 400
    assert "Enter a time within the next hundred years." in response.content.decode()
    assert draft.state == "approved"
    assert draft.publish_at is None


def test_sending_back_needs_a_note_naming_the_field(as_role, article, people):
    # given
    draft = _draft(article, people)
    revision_submit(revision=draft, by=people["owning_editor"])
    # when
    refused = as_role("approver").post(_url(draft, "send-back"), {"review-note": " "})
    draft.refresh_from_db()
    state_after_refusal = draft.state
    sent_back = as_role("approver").post(_url(draft, "send-back"), {"review-note": "Add a map."})
    # then
    assert refused.status_code == 400
    assert "Review note</a>: say what needs changing" in refused.content.decode()
    assert state_after_refusal == "submitted"
    assert sent_back.status_code == 302
    draft.refresh_from_db()
    assert (draft.state, draft.review_note) == ("sent_back", "Add a map.")


def test_a_move_the_workflow_does_not_allow_is_refused(as_role, article, people):
    # given
    draft = _draft(article, people)
    # when
    response = as_role("approver").post(_url(draft, "approve"))
    # then
    assert response.status_code == 400
    page = response.content.decode()
    assert "a revision that is draft cannot be approved" in page
    assert "state:" not in page
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_a_bad_publication_time_is_refused_naming_the_field(as_role, article, people):
    # given
    draft = _draft(article, people)
    client = as_role("owning_editor")
    client.post(_url(draft, "submit"))
    revision_approve(revision=draft, by=people["approver"])
    # when
    response = client.post(_url(draft, "publish"), {"publish-at": "next tuesday"})
    # then
    assert response.status_code == 400
    assert "When (leave empty for now)</a>: Enter a valid date/time." in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == "approved"


def test_restoring_an_old_revision_writes_a_new_draft(as_role, article, people):
    # given
    old = article.revisions.get()
    _draft(article, people)
    # when
    response = as_role("owning_editor").post(_url(old, "restore"))
    # then
    restored = article.revisions.filter(restored_from=old).get()
    assert response["Location"] == f"/console/articles/tree-removal/revisions/{restored.pk}/"
    assert (restored.state, restored.body) == ("draft", old.body)


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_of_the_owning_agency_or_the_content_team_move_a_revision(
    as_role, role, article, people
):
    # given
    draft = _draft(article, people)
    # when
    response = as_role(role).post(_url(draft, "submit"))
    # then
    draft.refresh_from_db()
    if role in EDITORS:
        assert response.status_code == 302
        assert draft.state == "submitted"
    else:
        assert response.status_code in {302, 404}
        assert draft.state == "draft"


def test_an_unknown_action_is_not_found(as_role, article, people):
    # given
    draft = _draft(article, people)
    # when / then
    assert as_role("owning_editor").post(_url(draft, "delete")).status_code == 404


def test_a_move_without_the_csrf_token_is_refused(article, people):
    # given
    draft = _draft(article, people)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["owning_editor"])
    # when
    response = client.post(_url(draft, "submit"))
    # then
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_the_revision_page_offers_the_next_step_and_shows_every_field(as_role, article, people):
    # given
    draft = _draft(article, people)
    revision_submit(revision=draft, by=people["owning_editor"])
    # when
    page = (
        as_role("approver")
        .get(reverse("console:revision_detail", args=["tree-removal", draft.pk]))
        .content.decode()
    )
    # then
    assert "Approve" in page
    assert "Send back" in page
    assert "Ask Parks; they inspect within 30 days." in page


def test_the_author_cannot_approve_their_own_revision(as_role, article, people):
    # given
    draft = _draft(article, people)
    client = as_role("owning_editor")
    client.post(_url(draft, "submit"))
    # when
    refused = client.post(_url(draft, "approve"))
    approved = as_role("approver").post(_url(draft, "approve"))
    # then
    assert refused.status_code == 400
    assert "another editor approves what you wrote" in refused.content.decode()
    assert approved.status_code == 302
    draft.refresh_from_db()
    assert (draft.state, draft.reviewer) == ("approved", people["approver"])


def test_an_agency_that_allows_it_lets_its_author_approve(as_role, article, people):
    # given a team too small for a second editor
    AgencyReviewPolicy.objects.create(agency=article.agency, authors_may_approve=True)
    draft = _draft(article, people)
    client = as_role("owning_editor")
    client.post(_url(draft, "submit"))
    # when
    response = client.post(_url(draft, "approve"))
    # then
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "approved"


def test_the_author_is_told_another_editor_approves_and_the_reviewer_may(as_role, article, people):
    # given
    draft = _draft(article, people)
    revision_submit(revision=draft, by=people["owning_editor"])
    url = reverse("console:revision_detail", args=[article.slug, draft.pk])
    # when
    authors_page = as_role("owning_editor").get(url).content.decode()
    reviewers_page = as_role("approver").get(url).content.decode()
    # then
    assert "Another editor approves what you wrote." in authors_page
    assert ">Approve</button>" not in authors_page
    assert ">Approve</button>" in reviewers_page
