"""Who may do what with an article. Every service and view goes through these checks.

- An editor is a signed-in member of an agency's staff, or holds the knowledge editor role for
  agencies; they see and change only those agencies' articles, and may approve them.
- A second person approves what someone wrote: the author of a revision may approve it only
  where the agency's review policy allows it (a small team), or as the import account, which
  cannot sign in and publishes texts that were reviewed where they were exported from.
- The 311 content team (a group) sees, changes and approves every agency's articles.
- A superuser (the operator's `admin` account) may do whatever the editors and reviewers of
  every agency may: the operator must be able to use every screen the demo shows.
- Staff who read answers to callers (any staff member, anyone holding a city role) read every
  published article with its internal notes and call script; partners do not.
- Residents and anonymous visitors read only the public parts of published articles.
"""

from typing import TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django_ratelimit.core import is_ratelimited

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import user_roles
from cityline.catalog.models import Agency
from cityline.core.clients import client_address_key
from cityline.knowledge.models import AgencyReviewPolicy, ArticleRevision, KnowledgeArticle

CONTENT_TEAM_GROUP = "311 content team"
IMPORT_USERNAME = "knowledge-import"

AnyUser = User | AnonymousUser | None


def _active(user: AnyUser) -> TypeGuard[User]:
    """A signed-in account that has not been switched off: the only kind any right belongs to."""
    return user is not None and user.is_authenticated and user.is_active


def _editor_agency_ids(user: User) -> set[int]:
    granted = user_roles(user=user).agency_ids(Role.KNOWLEDGE_EDITOR)
    return {user.agency_id, *granted} if user.agency_id is not None else set(granted)


def is_content_team(user: AnyUser) -> bool:
    """Whether the user acts for every agency: a member of the content team, or a superuser."""
    if not _active(user):
        return False
    return user.is_superuser or user.groups.filter(name=CONTENT_TEAM_GROUP).exists()


def can_edit(*, user: AnyUser, article: KnowledgeArticle) -> bool:
    if not _active(user):
        return False
    if is_content_team(user):
        return True
    return article.agency_id in _editor_agency_ids(user)


def can_approve(*, user: AnyUser, article: KnowledgeArticle) -> bool:
    """An approver is from the owning agency or the content team: the same people as editors."""
    return can_edit(user=user, article=article)


def may_approve_own(*, user: AnyUser, revision: ArticleRevision) -> bool:
    """Whether the user may approve this revision as far as who wrote it is concerned: anyone
    but its author, and its author only under the exceptions above."""
    if not _active(user) or revision.author_id != user.pk:
        return True
    if user.username == IMPORT_USERNAME and not user.has_usable_password():
        return True
    return AgencyReviewPolicy.objects.filter(
        agency_id=revision.article.agency_id, authors_may_approve=True
    ).exists()


def can_set_review_policy(*, user: AnyUser) -> bool:
    """Only the content team decides that an agency's authors may approve their own revisions:
    an agency's own staff could otherwise waive the second reviewer for themselves."""
    return is_content_team(user)


def can_read_internal(*, user: AnyUser) -> bool:
    if not _active(user):
        return False
    return (
        user.is_staff
        or user.agency_id is not None
        or is_content_team(user)
        or user_roles(user=user).has_any(*(role for role in Role if role != Role.PARTNER))
    )


def require_edit(*, user: AnyUser, article: KnowledgeArticle) -> None:
    if not can_edit(user=user, article=article):
        raise PermissionDenied("only the owning agency's editors or the content team may do this")


def require_approve(*, user: AnyUser, article: KnowledgeArticle) -> None:
    if not can_approve(user=user, article=article):
        raise PermissionDenied("only the owning agency or the content team may review this")


def require_read_internal(*, user: AnyUser) -> None:
    if not can_read_internal(user=user):
        raise PermissionDenied("internal notes and call scripts are for staff only")


def articles_for_editor(*, user: AnyUser) -> QuerySet[KnowledgeArticle]:
    """The articles a user may see in the editing screens; none for residents."""
    if is_content_team(user):
        return KnowledgeArticle.objects.all()
    if not _active(user):
        return KnowledgeArticle.objects.none()
    return KnowledgeArticle.objects.filter(agency_id__in=_editor_agency_ids(user))


def article_get_for_editor(
    *, user: AnyUser, slug: str, for_update: bool = False
) -> KnowledgeArticle:
    """The article by its slug if the user may edit it; 404 otherwise, so another agency's
    drafts are not revealed."""
    articles = articles_for_editor(user=user)
    if for_update:
        articles = articles.select_for_update()
    try:
        return articles.get(slug=slug)
    except KnowledgeArticle.DoesNotExist:
        raise Http404("no such article") from None


def agencies_for_editor(*, user: AnyUser) -> QuerySet[Agency]:
    """The agencies a user may create articles for: every one for the content team, their own
    for an agency's staff, none for anyone else."""
    if is_content_team(user):
        return Agency.objects.all()
    if not _active(user):
        return Agency.objects.none()
    return Agency.objects.filter(pk__in=_editor_agency_ids(user))


def report_agency_for(*, user: AnyUser) -> Agency | None:
    """Whose articles the knowledge reports cover for this user: every agency's (None) for the
    content team, their own agency's for its staff (the first by name for an editor of several);
    nobody else may read them."""
    if is_content_team(user):
        return None
    if _active(user) and user.agency is not None:
        return user.agency
    agency = agencies_for_editor(user=user).order_by("name").first()
    if agency is None:
        raise PermissionDenied("the knowledge reports are for editors and the content team")
    return agency


# How often one address may answer "Did this answer your question?", on the portal and the API.
FEEDBACK_RATE = "10/m"


def feedback_refused(*, request: HttpRequest) -> bool:
    """Whether this reader's address has answered too often lately; counts this answer. The
    counts live in the shared cache, so every web worker applies the one limit."""
    return is_ratelimited(
        request,
        group="knowledge-feedback",
        key=client_address_key,
        rate=FEEDBACK_RATE,
        increment=True,
    )
