from django.contrib import admin
from django.db.models import ForeignKey
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from cityline.knowledge import access
from cityline.knowledge.models import (
    AgencyReviewPolicy,
    ArticleRevision,
    KnowledgeArticle,
    TopicTitle,
)


class ArticleRevisionInline(admin.TabularInline):
    """Revisions are written by the workflow services; the admin only shows them."""

    model = ArticleRevision
    fk_name = "article"
    fields = readonly_fields = (
        "language",
        "title",
        "state",
        "author",
        "created_at",
        "published_at",
    )
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(KnowledgeArticle)
class KnowledgeArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "agency", "topic", "status", "last_reviewed_at"]
    list_filter = ["status", "agency", "topic"]
    search_fields = ["title", "slug"]
    readonly_fields = ["status", "last_reviewed_at", "publish_at"]
    filter_horizontal = ["service_types", "related_articles"]
    inlines = [ArticleRevisionInline]

    # The same agency rules as the console (`access`): staff see and change only the articles
    # they may edit, and may file them only under the agencies they may write for.
    def get_queryset(self, request: HttpRequest):
        return access.articles_for_editor(user=request.user)

    def formfield_for_foreignkey(self, db_field: ForeignKey, request: HttpRequest, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = access.agencies_for_editor(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.can_edit(user=request.user, article=obj))

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or access.can_edit(user=request.user, article=obj))


@admin.register(AgencyReviewPolicy)
class AgencyReviewPolicyAdmin(admin.ModelAdmin):
    list_display = ["agency", "authors_may_approve"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        allowed = super().has_add_permission(request)
        return allowed and access.can_set_review_policy(user=request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and access.can_set_review_policy(user=request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and access.can_set_review_policy(user=request.user)


@admin.register(TopicTitle)
class TopicTitleAdmin(TranslationAdmin):
    """A topic's title in each language; one left blank reads the city's."""

    list_display = ["topic", "title"]
    search_fields = ["topic"]
