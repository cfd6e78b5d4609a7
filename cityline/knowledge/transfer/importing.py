"""Writing records to the database through the workflow services, as the import user."""

from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction

from cityline.accounts.models import User
from cityline.catalog.models import Agency, ServiceType
from cityline.catalog.selectors import agency_get_by_code, service_types_by_code
from cityline.core import clock
from cityline.core.errors import DomainError
from cityline.core.models import objects_by_key
from cityline.knowledge.access import CONTENT_TEAM_GROUP, IMPORT_USERNAME
from cityline.knowledge.models import ArticleRevision, KnowledgeArticle
from cityline.knowledge.selectors import published_revision_in
from cityline.knowledge.services import (
    article_create,
    article_details_update,
    article_reviewed_set,
    revision_approve,
    revision_draft_save,
    revision_publish,
    revision_submit,
)
from cityline.knowledge.transfer.json_read import read_json_file
from cityline.knowledge.transfer.markdown_read import read_markdown_file
from cityline.knowledge.transfer.records import (
    TEXT_FIELDS,
    ArticleRecord,
    ImportReport,
    TransferError,
    TranslationRecord,
)


def read_records(path: Path) -> tuple[list[ArticleRecord | TranslationRecord], list]:
    """Every record at `path` (a folder of Markdown files or a JSON file), with the errors of
    the files that could not be read."""
    errors: list[tuple[str, str]] = []
    records: list[ArticleRecord | TranslationRecord] = []
    if path.is_dir():
        for file in sorted(path.glob("*.md")):
            try:
                records.append(read_markdown_file(file))
            except TransferError as error:
                errors.append((file.name, str(error)))
    elif path.is_file():
        try:
            records = read_json_file(path, errors)
        except TransferError as error:
            errors.append((path.name, str(error)))
    else:
        raise TransferError(f"{path} is neither a folder of Markdown files nor a JSON file")
    return records, errors


def import_user() -> User:
    """The content-team account that imports write as; created the first time."""
    user, created = User.objects.get_or_create(
        username=IMPORT_USERNAME,
        defaults={"first_name": "Knowledge", "last_name": "import", "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get_or_create(name=CONTENT_TEAM_GROUP)[0])
    return user


def _reviewed_at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=clock.city_timezone())


def _publish(revision: ArticleRevision, by: User) -> None:
    revision_submit(revision=revision, by=by)
    revision_approve(revision=revision, by=by, note="imported")
    revision_publish(revision=revision, by=by)


def _same_text(revision: ArticleRevision | None, record) -> bool:
    return revision is not None and all(
        getattr(revision, name).strip() == getattr(record, name).strip() for name in TEXT_FIELDS
    )


def _service_types(codes: Iterable[str]) -> list[ServiceType]:
    found, missing = service_types_by_code(codes=codes)
    if missing:
        raise TransferError(f"no service type with the code {', '.join(missing)}")
    return found


def _import_article(record: ArticleRecord, by: User, report: ImportReport) -> None:
    agency = agency_get_by_code(code=record.agency)
    if agency is None:
        raise TransferError(f"no agency with the code {record.agency!r}")
    service_types = _service_types(record.service_types)
    article = KnowledgeArticle.objects.filter(slug=record.slug).first()
    if article is None:
        article = article_create(
            agency=agency,
            slug=record.slug,
            title=record.title,
            by=by,
            topic=record.topic,
            source_language=record.language,
            body=record.body,
            internal_notes=record.internal_notes,
            call_script=record.call_script,
            service_types=service_types,
        )
        _publish(article.revisions.get(), by)
        report.created += 1
    else:
        if article.source_language != record.language:
            raise TransferError(
                f"the article {record.slug!r} is written in {article.source_language!r}, "
                f"not {record.language!r}"
            )
        metadata_changed = _update_metadata(article, agency, record.topic, service_types, by)
        if _same_text(published_revision_in(article, record.language), record):
            if metadata_changed:
                report.revised += 1
            else:
                report.unchanged += 1
        else:
            _publish_text(article, record, by)
            report.revised += 1


def _set_reviewed(record: ArticleRecord, by: User) -> None:
    """Keep the review date the content came with; approving on import would otherwise make
    it today."""
    if record.last_reviewed is None:
        return
    article = KnowledgeArticle.objects.get(slug=record.slug)
    article_reviewed_set(article=article, by=by, at=_reviewed_at(record.last_reviewed))


def _update_metadata(
    article: KnowledgeArticle,
    agency: Agency,
    topic: str,
    service_types: list[ServiceType],
    by: User,
) -> bool:
    return article_details_update(
        article=article, by=by, agency=agency, topic=topic, service_types=service_types
    )


def _link_related(record: ArticleRecord, by: User) -> None:
    article = KnowledgeArticle.objects.get(slug=record.slug)
    related, missing = objects_by_key(KnowledgeArticle.objects.all(), "slug", record.related)
    if missing:
        raise TransferError(f"no related article with the slug {', '.join(missing)}")
    article_details_update(article=article, by=by, related_articles=related)


def _import_translation(record: TranslationRecord, by: User, report: ImportReport) -> None:
    article = KnowledgeArticle.objects.filter(slug=record.source).first()
    if article is None:
        raise TransferError(f"no article with the slug {record.source!r} to translate")
    if record.language == article.source_language:
        raise TransferError(
            f"{record.language!r} is the source language of {record.source!r}, not a translation"
        )
    current = published_revision_in(article, record.language)
    if _same_text(current, record):
        report.translations_unchanged += 1
        return
    _publish_text(article, record, by)
    if current is None:
        report.translations_created += 1
    else:
        report.translations_revised += 1


def _publish_text(
    article: KnowledgeArticle, record: ArticleRecord | TranslationRecord, by: User
) -> None:
    """A new revision of the record's text in its language, published at once."""
    revision = revision_draft_save(
        article=article,
        language=record.language,
        title=record.title,
        body=record.body,
        internal_notes=record.internal_notes,
        call_script=record.call_script,
        by=by,
    )
    _publish(revision, by)


def _guarded(report: ImportReport, where: str, action) -> bool:
    try:
        with transaction.atomic():
            action()
    except DomainError as error:
        report.errors.append(
            (where, f"{error.field}: {error.message}" if error.field else error.message)
        )
        return False
    except (TransferError, PermissionDenied) as error:
        report.errors.append((where, str(error)))
        return False
    return True


def knowledge_import(*, path: Path, by: User | None = None) -> ImportReport:
    """Import the articles and translations at `path`; see the module's description."""
    by = by or import_user()
    records, errors = read_records(Path(path))
    report = ImportReport(errors=list(errors))
    articles = [r for r in records if isinstance(r, ArticleRecord)]
    translations = [r for r in records if isinstance(r, TranslationRecord)]
    seen: set[str] = set()
    imported = []
    for record in articles:
        if record.slug in seen:
            report.errors.append((record.where, f"the slug {record.slug!r} is given twice"))
            continue
        seen.add(record.slug)
        if _guarded(report, record.where, lambda r=record: _import_article(r, by, report)):
            imported.append(record)
    for record in imported:
        _guarded(report, record.where, lambda r=record: _link_related(r, by))
    for translation in translations:
        _guarded(
            report, translation.where, lambda t=translation: _import_translation(t, by, report)
        )
    for record in imported:
        _set_reviewed(record, by)
    return report
