"""Reading the published articles and translations from the database as records, and writing
them in either format."""

from pathlib import Path

from cityline.core import clock
from cityline.knowledge.models import KnowledgeArticle, RevisionState
from cityline.knowledge.selectors import published_revisions_prefetch
from cityline.knowledge.transfer.json_write import json_file_write
from cityline.knowledge.transfer.markdown_write import markdown_folder_write
from cityline.knowledge.transfer.records import ArticleRecord, TransferError, TranslationRecord


def export_records() -> list[tuple[ArticleRecord, list[TranslationRecord]]]:
    """Every article with a published revision in its source language, with its published
    translations, as records."""
    exported = []
    articles = (
        KnowledgeArticle.objects.filter(revisions__state=RevisionState.PUBLISHED)
        .distinct()
        .select_related("agency")
        .prefetch_related(
            "service_types",
            "related_articles",
            published_revisions_prefetch(with_texts=True),
        )
        .order_by("slug")
    )
    for article in articles:
        published = {revision.language: revision for revision in article.published_revisions}
        source = published.pop(article.source_language, None)
        if source is None:
            continue
        reviewed = (
            clock.to_city_time(article.last_reviewed_at).date()
            if article.last_reviewed_at
            else None
        )
        record = ArticleRecord(
            slug=article.slug,
            title=source.title,
            agency=article.agency.code,
            language=article.source_language,
            topic=article.topic,
            service_types=sorted(t.code for t in article.service_types.all()),
            related=sorted(a.slug for a in article.related_articles.all()),
            last_reviewed=reviewed,
            body=source.body,
            internal_notes=source.internal_notes,
            call_script=source.call_script,
        )
        translations = [
            TranslationRecord(
                source=article.slug,
                language=language,
                title=revision.title,
                body=revision.body,
                internal_notes=revision.internal_notes,
                call_script=revision.call_script,
            )
            for language, revision in sorted(published.items())
        ]
        exported.append((record, translations))
    return exported


def knowledge_export(*, path: Path, format: str = "markdown") -> int:
    """Write the published articles and translations to `path` (a folder for Markdown, a file
    for JSON). Returns how many articles were written."""
    path = Path(path)
    if format not in ("markdown", "json"):
        raise TransferError(f"unknown format {format!r}: use markdown or json")
    exported = export_records()
    if format == "json":
        json_file_write(path, exported)
    else:
        markdown_folder_write(path, exported)
    return len(exported)
