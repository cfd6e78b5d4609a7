from django.contrib import admin

from cityline.knowledge.models import ArticleRevision, KnowledgeArticle


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
