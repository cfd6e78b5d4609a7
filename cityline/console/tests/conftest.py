"""The people of the console tests, relative to the Parks Department, which owns the article."""

import pytest

from cityline.accounts.tests.factories import UserFactory
from cityline.knowledge.tests.factories import (
    content_team_member,
    editor_of,
    make_article,
    parks,
    resident,
    sanitation,
)

ROLES = [
    "anonymous",
    "resident",
    "call_taker",
    "owning_editor",
    "approver",
    "other_editor",
    "content_team",
]
# Who may edit, review and publish the Parks Department's articles.
EDITORS = {"owning_editor", "approver", "content_team"}
# Who reads internal notes and call scripts.
STAFF = {"call_taker", "owning_editor", "approver", "other_editor", "content_team"}


@pytest.fixture
def article():
    return make_article(
        agency=parks(),
        topic="Trees",
        internal_notes="Internal: escalate to the borough forester.",
        call_script="Script: ask for the tree's address.",
    )


@pytest.fixture
def people(article):
    return {
        "anonymous": None,
        "resident": resident(),
        "call_taker": UserFactory(username="call-taker", is_staff=True),
        "owning_editor": editor_of(article.agency),
        "approver": editor_of(article.agency, username="approver-parks"),
        "other_editor": editor_of(sanitation()),
        "content_team": content_team_member(),
    }


@pytest.fixture
def as_role(client, people):
    """The test client signed in as someone in a role (or not signed in)."""

    def sign_in(role):
        client.logout()
        if people[role] is not None:
            client.force_login(people[role])
        return client

    return sign_in
