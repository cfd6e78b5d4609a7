"""Knowledge articles, keyed by the resident's question and owned by an agency, and their
append-only revisions: every draft, review and publication of every language is kept."""

from django.conf import settings
from django.db import models

from cityline.core.models import BaseModel


class ArticleStatus(models.TextChoices):
    """Derived from the article's revisions by the services; never set by hand."""

    DRAFT = "draft", "draft"
    IN_REVIEW = "in_review", "in review"
    PUBLISHED = "published", "published"
    ARCHIVED = "archived", "archived"


class RevisionState(models.TextChoices):
    DRAFT = "draft", "draft"
    SUBMITTED = "submitted", "submitted for review"
    APPROVED = "approved", "approved"
    SENT_BACK = "sent_back", "sent back"
    PUBLISHED = "published", "published"
    # A revision that was published and has since been replaced by a newer one.
    SUPERSEDED = "superseded", "superseded"


class KnowledgeArticle(BaseModel):
    """An answer to one question residents ask, whichever agency owns the work behind it."""

    slug = models.SlugField(max_length=120, unique=True, help_text="The public address.")
    title = models.CharField(
        max_length=300,
        help_text="The resident's question in the source language, e.g. 'How do I get a tree "
        "removed?'. Each revision carries its own title in its own language.",
    )
    agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        related_name="knowledge_articles",
        help_text="The agency that owns the content.",
    )
    topic = models.CharField(max_length=100, blank=True, help_text="For browsing by topic.")
    service_types = models.ManyToManyField(
        "catalog.ServiceType",
        blank=True,
        related_name="knowledge_articles",
        help_text="The services a reader is led to ('Report this').",
    )
    related_articles = models.ManyToManyField("self", blank=True, symmetrical=False)
    status = models.CharField(
        max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    source_language = models.CharField(
        max_length=10, default="en", help_text="The language translations are made from."
    )
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="When the approved revision waiting for it goes live."
    )
    expire_at = models.DateTimeField(
        null=True, blank=True, help_text="From this moment no reader sees the article."
    )
    last_reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]
        indexes = [
            # Browsing by topic, and an agency's list of its own articles by status.
            models.Index(fields=["topic", "status"], name="knowledge_article_topic_idx"),
            models.Index(fields=["agency", "status"], name="knowledge_article_agency_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleRevision(models.Model):
    """One version of an article in one language. Its text never changes after it is written;
    only its workflow `state` moves on."""

    article = models.ForeignKey(
        KnowledgeArticle, on_delete=models.CASCADE, related_name="revisions"
    )
    language = models.CharField(max_length=10)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True, help_text="The public answer, in Markdown.")
    internal_notes = models.TextField(blank=True, help_text="Staff only, in Markdown.")
    call_script = models.TextField(blank=True, help_text="What a call-taker says; staff only.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    state = models.CharField(
        max_length=20, choices=RevisionState.choices, default=RevisionState.DRAFT
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when an approved revision is scheduled."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    source_revision = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="translations",
        help_text="For a translation: the source-language revision it was translated from.",
    )
    restored_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["article", "language", "-created_at", "-id"]
        constraints = [
            # Readers see exactly one version of an article in each language.
            models.UniqueConstraint(
                fields=["article", "language"],
                condition=models.Q(state="published"),
                name="knowledge_one_published_revision",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="published") | models.Q(published_at__isnull=False),
                name="knowledge_published_revision_has_time",
            ),
        ]
        indexes = [
            # The publisher's sweep: approved revisions whose scheduled time has come.
            models.Index(
                fields=["publish_at"],
                name="knowledge_revision_due_idx",
                condition=models.Q(state="approved", publish_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article.slug} [{self.language}] #{self.pk}"


class SearchTerm(models.Model):
    """One normalised word of a published article or of a service type, with how much it counts.

    Written only by the indexing services; a portable term table, so search behaves the same on
    SQLite and PostgreSQL. Internal notes and call scripts are never indexed.
    """

    term = models.CharField(max_length=64)
    article = models.ForeignKey(
        KnowledgeArticle, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    service_type = models.ForeignKey(
        "catalog.ServiceType", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(
        max_length=10, blank=True, help_text="The revision's language; blank for service types."
    )
    is_source_language = models.BooleanField(
        default=False,
        help_text="From the article's source language, which every reader falls back to.",
    )
    weight = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["term", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(article__isnull=False, service_type__isnull=True)
                | models.Q(article__isnull=True, service_type__isnull=False),
                name="knowledge_search_term_has_one_target",
            ),
        ]
        indexes = [
            # Exact, prefix and same-first-letter lookups of the words a reader typed.
            models.Index(fields=["term"], name="knowledge_search_term_idx"),
        ]

    def __str__(self) -> str:
        return self.term


class ArticleFeedback(models.Model):
    """One reader's answer to "Did this answer your question?". Nothing identifies the reader."""

    article = models.ForeignKey(KnowledgeArticle, on_delete=models.CASCADE, related_name="feedback")
    language = models.CharField(max_length=10, help_text="The language the reader asked for.")
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["article", "created_at"], name="knowledge_feedback_article_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {'yes' if self.helpful else 'no'}"


class SearchLogEntry(models.Model):
    """One search a reader made, for finding the questions the knowledge base does not answer."""

    query = models.CharField(max_length=200, help_text="Lower-case, with runs of spaces collapsed.")
    language = models.CharField(max_length=10)
    result_count = models.PositiveIntegerField()
    top_result = models.CharField(
        max_length=150, blank=True, help_text="'article:<slug>' or 'service_type:<code>'."
    )
    top_score = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_at"], name="knowledge_search_log_time_idx"),
        ]

    def __str__(self) -> str:
        return self.query
