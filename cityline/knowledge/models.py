"""Knowledge articles, keyed by the resident's question and owned by an agency, and their
append-only revisions: every draft, review and publication of every language is kept."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from modeltranslation.manager import MultilingualManager

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

    # Filled by selectors' Prefetch(to_attr="published_revisions"); not a column.
    published_revisions: list["ArticleRevision"]

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
            # The few articles that expire: search leaves out those past their time without
            # reading every article, and the scheduler finds the ones due.
            models.Index(
                fields=["expire_at"],
                condition=models.Q(expire_at__isnull=False),
                name="knowledge_article_expiry_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TopicTitle(BaseModel):
    """A topic as readers read it, in each language (`translation.py`): articles are filed under
    the topic's name in the city's language; a language with no title reads the city's."""

    topic = models.CharField(
        max_length=100, unique=True, help_text="The topic as articles are filed under it."
    )
    title = models.CharField(max_length=100, help_text="The topic as readers read it.")

    objects: ClassVar[MultilingualManager["TopicTitle"]] = MultilingualManager()

    class Meta:
        ordering = ["topic"]

    def __str__(self) -> str:
        return self.topic


class AgencyReviewPolicy(BaseModel):
    """How an agency's articles are reviewed where it departs from the rule that a second person
    approves what someone wrote: a team too small to always have a second editor at hand."""

    agency = models.OneToOneField(
        "catalog.Agency", on_delete=models.CASCADE, related_name="knowledge_review_policy"
    )
    authors_may_approve = models.BooleanField(
        default=False,
        help_text="An editor of this agency may approve a revision they wrote themselves.",
    )

    class Meta:
        ordering = ["agency__name"]
        verbose_name_plural = "agency review policies"

    def __str__(self) -> str:
        return str(self.agency)


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


class SearchDocument(models.Model):
    """What search reads of one published article revision (one per language) or of one active
    public service type: its words, normalised, in a title part and a body part.

    Written only by `indexing`. The database's own full-text index sits on top of this table and
    is kept in step by the database (see the `0004_search_fulltext` migration): on SQLite an FTS5
    table filled by triggers, on PostgreSQL a generated `tsvector` column with a GIN index. A
    migration that rebuilds this table on SQLite must create those triggers again. Internal notes
    and call scripts are never written here.
    """

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
    title = models.CharField(max_length=300, help_text="The title a reader of it is shown.")
    title_terms = models.TextField(
        help_text="The words of the title and topic, or of a service type's name and keywords."
    )
    body_terms = models.TextField(
        blank=True, help_text="The words of the public body, or of a service type's description."
    )
    popularity = models.FloatField(
        default=0.0, help_text="From readers' feedback, 0 to 1; see `indexing.search_popularity`."
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(article__isnull=False, service_type__isnull=True)
                | models.Q(article__isnull=True, service_type__isnull=False),
                name="knowledge_search_document_has_one_target",
            ),
            # One document per article and language, one per service type.
            models.UniqueConstraint(
                fields=["article", "language"],
                condition=models.Q(article__isnull=False),
                name="knowledge_search_document_article_language",
            ),
            models.UniqueConstraint(
                fields=["service_type"],
                condition=models.Q(service_type__isnull=False),
                name="knowledge_search_document_service_type",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SearchSpelling(models.Model):
    """The vocabulary of the search index, for typos: every distinct indexed word, keyed by
    itself and by each way of leaving one letter out of it.

    A typed word of four letters or more finds the words one edit away (a letter missing, added,
    changed, or two neighbours swapped) by looking up itself and its own one-letter-shorter forms:
    an indexed lookup, whatever the size of the knowledge base.
    """

    spelling = models.CharField(max_length=64)
    word = models.CharField(max_length=64)

    class Meta:
        ordering = ["spelling", "word"]
        constraints = [
            # Also the index of the lookup by spelling.
            models.UniqueConstraint(
                fields=["spelling", "word"], name="knowledge_search_spelling_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.spelling} → {self.word}"


class ArticleFeedback(models.Model):
    """One reader's answer to "Did this answer your question?", the latest they gave on this
    article. Nothing identifies the reader: `voter` is a keyed hash of their address and the
    article, so it tells their votes on one article apart from others' and links nothing else."""

    article = models.ForeignKey(KnowledgeArticle, on_delete=models.CASCADE, related_name="feedback")
    voter = models.CharField(
        max_length=64, blank=True, help_text="A keyed hash of the reader's address and the article."
    )
    language = models.CharField(max_length=10, help_text="The language the reader asked for.")
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One vote per reader per article: a reader who answers again changes their vote.
            models.UniqueConstraint(
                fields=["article", "voter"],
                condition=~models.Q(voter=""),
                name="knowledge_feedback_one_per_voter",
            ),
        ]
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
