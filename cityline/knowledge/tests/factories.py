"""The cast of the knowledge tests, and articles made through the real workflow services."""

from django.contrib.auth.models import AnonymousUser, Group

from cityline.accounts.models import User
from cityline.accounts.tests.factories import UserFactory
from cityline.catalog.models import Agency
from cityline.catalog.tests.factories import AgencyFactory
from cityline.knowledge.access import CONTENT_TEAM_GROUP
from cityline.knowledge.models import ArticleRevision, KnowledgeArticle
from cityline.knowledge.services import (
    article_create,
    revision_approve,
    revision_draft_save,
    revision_publish,
    revision_submit,
)


def parks() -> Agency:
    return AgencyFactory.create(code="PARKS", name="Parks Department")


def sanitation() -> Agency:
    return AgencyFactory.create(code="DSNY", name="Sanitation Department")


def editor_of(agency: Agency, username: str | None = None) -> User:
    return UserFactory.create(username=username or f"editor-{agency.code.lower()}", agency=agency)


def content_team_member(username: str = "content-team") -> User:
    user = UserFactory.create(username=username)
    user.groups.add(Group.objects.get_or_create(name=CONTENT_TEAM_GROUP)[0])
    return user


def resident(username: str = "resident") -> User:
    return UserFactory.create(username=username)


def reviewer_of(agency: Agency) -> User:
    """A second editor of the agency, who approves what its first editor wrote."""
    return editor_of(agency, username=f"reviewer-{agency.code.lower()}")


def publish(revision: ArticleRevision, *, by: User) -> ArticleRevision:
    """Take a draft through review (by a second editor of the agency) to publication."""
    revision_submit(revision=revision, by=by)
    revision_approve(revision=revision, by=reviewer_of(revision.article.agency))
    return revision_publish(revision=revision, by=by)


def make_article(
    *,
    slug: str = "tree-removal",
    title: str = "How do I get a tree removed?",
    body: str = "Ask the Parks Department to inspect it.",
    internal_notes: str = "",
    call_script: str = "",
    agency: Agency | None = None,
    published: bool = True,
    **extra,
) -> KnowledgeArticle:
    agency = agency or parks()
    editor = editor_of(agency)
    article = article_create(
        agency=agency,
        slug=slug,
        title=title,
        body=body,
        internal_notes=internal_notes,
        call_script=call_script,
        by=editor,
        **extra,
    )
    if published:
        publish(article.revisions.get(), by=editor)
        article.refresh_from_db()
    return article


def make_submitted_article() -> tuple[KnowledgeArticle, ArticleRevision]:
    """An unpublished article whose first revision its agency's editor has submitted."""
    article = make_article(published=False)
    revision = article.revisions.get()
    revision_submit(revision=revision, by=editor_of(article.agency))
    return article, revision


def translate(
    article: KnowledgeArticle, *, language: str, title: str, body: str, published: bool = True
) -> ArticleRevision:
    editor = editor_of(article.agency)
    revision = revision_draft_save(
        article=article, language=language, title=title, body=body, by=editor
    )
    if published:
        publish(revision, by=editor)
    return revision


ROLES = ["owning_editor", "other_editor", "content_team", "resident", "anonymous"]
# Who may change, review and publish an agency's articles.
EDITING_ROLES = {"owning_editor", "content_team"}


def actor(role: str, *, agency: Agency) -> User | AnonymousUser:
    """A person in one of the roles, relative to the agency that owns the article."""
    if role == "owning_editor":
        return editor_of(agency, username="owning-editor")
    if role == "other_editor":
        return editor_of(sanitation(), username="other-editor")
    if role == "content_team":
        return content_team_member()
    if role == "resident":
        return resident()
    return AnonymousUser()
