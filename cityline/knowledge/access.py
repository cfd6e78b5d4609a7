"""Who may do what with an article. Every service and view goes through these checks.

- An editor is a signed-in member of an agency's staff, or holds the knowledge editor role for
  agencies; they see and change only those agencies' articles, and may approve them.
- The 311 content team (a group) sees, changes and approves every agency's articles.
- Staff who read answers to callers (any staff member, anyone holding a city role) read every
  published article with its internal notes and call script; partners do not.
- Residents and anonymous visitors read only the public parts of published articles.
"""

from typing import TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import user_roles
from cityline.catalog.models import Agency
from cityline.knowledge.models import KnowledgeArticle

CONTENT_TEAM_GROUP = "311 content team"

AnyUser = User | AnonymousUser | None


def _active(user: AnyUser) -> TypeGuard[User]:
    """A signed-in account that has not been switched off: the only kind any right belongs to."""
    return user is not None and user.is_authenticated and user.is_active


def _editor_agency_ids(user: User) -> set[int]:
    granted = user_roles(user=user).agency_ids(Role.KNOWLEDGE_EDITOR)
    return {user.agency_id, *granted} if user.agency_id is not None else set(granted)


def is_content_team(user: AnyUser) -> bool:
    return _active(user) and user.groups.filter(name=CONTENT_TEAM_GROUP).exists()


def can_edit(*, user: AnyUser, article: KnowledgeArticle) -> bool:
    if not _active(user):
        return False
    if is_content_team(user):
        return True
    return article.agency_id in _editor_agency_ids(user)


def can_approve(*, user: AnyUser, article: KnowledgeArticle) -> bool:
    """An approver is from the owning agency or the content team: the same people as editors."""
    return can_edit(user=user, article=article)


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
