"""The Agency Relations team's worklist: what readers search for and do not find, which articles
nobody has reviewed for a long time, and which articles readers say do not answer them."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q, QuerySet

from cityline.catalog.models import Agency
from cityline.core import clock
from cityline.knowledge.models import (
    ArticleFeedback,
    ArticleStatus,
    KnowledgeArticle,
    SearchLogEntry,
)
from cityline.knowledge.selectors import unexpired

# Below this the best result answered the words typed only weakly: body words, prefixes or typos
# rather than the words of a title, a topic or a service type's name.
LOW_SCORE = 2.0


@dataclass(frozen=True)
class UnansweredSearch:
    query: str
    language: str
    count: int
    zero_results: int  # how many of those searches found nothing at all
    last_searched_at: datetime


def searches_without_good_result(
    *,
    days: int = 30,
    min_score: float = LOW_SCORE,
    min_count: int = 1,
    limit: int = 100,
) -> list[UnansweredSearch]:
    """Searches of the last `days` days that found nothing, or nothing scoring `min_score` or
    more, most frequent first."""
    since = clock.now() - timedelta(days=days)
    rows = (
        SearchLogEntry.objects.filter(created_at__gte=since)
        .filter(Q(result_count=0) | Q(top_score__lt=min_score))
        .values("query", "language")
        .annotate(
            count=Count("id"),
            zero_results=Count("id", filter=Q(result_count=0)),
            last_searched_at=Max("created_at"),
        )
        .filter(count__gte=min_count)
        .order_by("-count", "query", "language")[:limit]
    )
    return [UnansweredSearch(**row) for row in rows]


def _months_before(moment: datetime, months: int) -> datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    # The same day of the month, or the month's last day when it is shorter.
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1


def articles_not_reviewed(
    *, months: int, agency: Agency | None = None
) -> QuerySet[KnowledgeArticle]:
    """Published articles not reviewed in the last `months` months (or never), by agency, the
    longest-unreviewed first."""
    if months < 0:
        raise ValueError("months cannot be negative")
    now = clock.now()
    cutoff = _months_before(now, months)
    articles = KnowledgeArticle.objects.filter(
        unexpired(now), status=ArticleStatus.PUBLISHED
    ).filter(Q(last_reviewed_at__isnull=True) | Q(last_reviewed_at__lt=cutoff))
    if agency is not None:
        articles = articles.filter(agency=agency)
    return articles.select_related("agency").order_by(
        "agency__name", "last_reviewed_at", "title", "pk"
    )


@dataclass(frozen=True)
class HelpfulRate:
    slug: str
    title: str
    agency_name: str
    helpful: int
    not_helpful: int

    @property
    def total(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def rate(self) -> float:
        """The share of readers who said the article answered their question."""
        return self.helpful / self.total


def article_helpful_rates(
    *, days: int | None = None, agency: Agency | None = None, min_responses: int = 1
) -> list[HelpfulRate]:
    """For each article with feedback (in the last `days` days, if given): how many readers
    said it helped and how many said it did not; the least helpful first."""
    feedback = ArticleFeedback.objects.all()
    if days is not None:
        feedback = feedback.filter(created_at__gte=clock.now() - timedelta(days=days))
    if agency is not None:
        feedback = feedback.filter(article__agency=agency)
    rows = (
        feedback.values("article__slug", "article__title", "article__agency__name")
        .annotate(
            helpful_count=Count("id", filter=Q(helpful=True)),
            not_helpful_count=Count("id", filter=Q(helpful=False)),
        )
        .order_by()
    )
    rates = [
        HelpfulRate(
            slug=row["article__slug"],
            title=row["article__title"],
            agency_name=row["article__agency__name"],
            helpful=row["helpful_count"],
            not_helpful=row["not_helpful_count"],
        )
        for row in rows
    ]
    rates = [rate for rate in rates if rate.total >= min_responses]
    return sorted(rates, key=lambda rate: (rate.rate, -rate.total, rate.slug))
