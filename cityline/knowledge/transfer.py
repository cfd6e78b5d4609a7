"""Importing and exporting the knowledge base in bulk, with translations.

Two formats carry the same records:

- A folder of Markdown files, one per article and language. Each starts with front matter
  between `---` lines (`key: value`, and lists as `- item` lines under their key), followed by
  the sections `## Public answer`, `## Internal notes` and `## Call script`. An article's file
  names its `slug`, `title`, `agency` code, `topic`, `language`, `service_types`, `related`
  articles and `last_reviewed` date (YYYY-MM-DD); a translation's file names its `source` slug,
  its `language` and its `title`.
- One JSON file: `{"articles": [{...the same keys, "body", "internal_notes", "call_script",
  "translations": [{"language", "title", "body", "internal_notes", "call_script"}]}]}`.

Import writes through the workflow services as the import user (a member of the content team):
a new article is created and its first revision published; a changed text becomes a new
revision, published; unchanged text writes nothing. Every file is imported in its own
transaction, so a bad file is reported and the rest still load.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction

from cityline.accounts.models import User
from cityline.catalog.models import Agency, ServiceType
from cityline.core import clock
from cityline.core.errors import DomainError
from cityline.core.models import objects_by_key
from cityline.knowledge.access import CONTENT_TEAM_GROUP, IMPORT_USERNAME
from cityline.knowledge.models import ArticleRevision, KnowledgeArticle, RevisionState
from cityline.knowledge.selectors import published_revision_in, published_revisions_prefetch
from cityline.knowledge.services import (
    article_create,
    article_details_update,
    revision_approve,
    revision_draft_save,
    revision_publish,
    revision_submit,
)

SECTIONS = {
    "public answer": "body",
    "internal notes": "internal_notes",
    "call script": "call_script",
}
_SECTION_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t]*$")
_KEY_LINE = re.compile(r"^([a-z_]+):(?:[ \t]+(.*))?$")
_LIST_ITEM = re.compile(r"^[ \t]+-[ \t]+(.*)$|^-[ \t]+(.*)$")

ARTICLE_KEYS = {
    "slug",
    "title",
    "agency",
    "topic",
    "language",
    "service_types",
    "related",
    "last_reviewed",
}
TRANSLATION_KEYS = {"source", "language", "title"}
LIST_KEYS = {"service_types", "related"}
TEXT_FIELDS = ("title", "body", "internal_notes", "call_script")


class TransferError(Exception):
    """A file or record that cannot be imported, with the reason."""


@dataclass
class ArticleRecord:
    slug: str
    title: str
    agency: str
    language: str = "en"
    topic: str = ""
    service_types: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    last_reviewed: date | None = None
    body: str = ""
    internal_notes: str = ""
    call_script: str = ""
    where: str = ""


@dataclass
class TranslationRecord:
    source: str
    language: str
    title: str
    body: str = ""
    internal_notes: str = ""
    call_script: str = ""
    where: str = ""


@dataclass
class ImportReport:
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    translations_created: int = 0
    translations_revised: int = 0
    translations_unchanged: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.revised + self.translations_created + self.translations_revised


# Reading ---------------------------------------------------------------------------------------


def parse_front_matter(text: str) -> tuple[dict[str, str | list[str]], str]:
    """The front matter's keys and the text after it. Values are strings, or lists of strings
    for keys followed by `- item` lines or written `[a, b]`."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise TransferError("the file does not start with front matter between '---' lines")
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise TransferError("the front matter has no closing '---' line") from None
    values: dict[str, str | list[str]] = {}
    current: str | None = None
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _LIST_ITEM.match(line)
        if item:
            listed = values.get(current) if current is not None else None
            if not isinstance(listed, list):
                raise TransferError(f"line {number}: a list item without a list key above it")
            listed.append(_unquote(item.group(1) or item.group(2)))
            continue
        match = _KEY_LINE.match(line)
        if not match:
            raise TransferError(f"line {number}: expected 'key: value', got {line.strip()!r}")
        key, raw = match.group(1), (match.group(2) or "").strip()
        if key in values:
            raise TransferError(f"line {number}: {key!r} is given twice")
        if not raw:
            values[key] = []
        elif raw.startswith("[") and raw.endswith("]"):
            values[key] = [_unquote(part) for part in raw[1:-1].split(",") if part.strip()]
        else:
            values[key] = _unquote(raw)
        current = key
    return values, "\n".join(lines[end + 1 :])


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_sections(text: str) -> dict[str, str]:
    """The body, internal notes and call script under their `##` headings."""
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        heading = _SECTION_HEADING.match(line)
        if heading and heading.group(1).strip().casefold() in SECTIONS:
            current = SECTIONS[heading.group(1).strip().casefold()]
            if current in sections:
                raise TransferError(f"the section {heading.group(1).strip()!r} appears twice")
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
        elif line.strip():
            raise TransferError(
                "text before the first section; start it with '## Public answer', "
                "'## Internal notes' or '## Call script'"
            )
    return {name: "\n".join(body).strip() for name, body in sections.items()}


def _text(values: dict, key: str, *, required: bool = False) -> str:
    value = values.get(key, "")
    if isinstance(value, list):
        if value:
            raise TransferError(f"{key!r} takes one value, not a list")
        value = ""
    if required and not value.strip():
        raise TransferError(f"{key!r} is missing")
    return value.strip()


def _list(values: dict, key: str) -> list[str]:
    value = values.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def _date(value: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise TransferError(f"'last_reviewed' is not a date (YYYY-MM-DD): {value!r}") from None


def record_from_values(
    values: dict, texts: dict[str, str], where: str
) -> ArticleRecord | TranslationRecord:
    """An article or a translation from front-matter values and its sections."""
    if "source" in values:
        unknown = set(values) - TRANSLATION_KEYS
        if unknown:
            raise TransferError(f"unknown keys for a translation: {', '.join(sorted(unknown))}")
        return TranslationRecord(
            source=_text(values, "source", required=True),
            language=_text(values, "language", required=True),
            title=_text(values, "title", required=True),
            where=where,
            **texts,
        )
    unknown = set(values) - ARTICLE_KEYS
    if unknown:
        raise TransferError(f"unknown keys: {', '.join(sorted(unknown))}")
    return ArticleRecord(
        slug=_text(values, "slug", required=True),
        title=_text(values, "title", required=True),
        agency=_text(values, "agency", required=True),
        language=_text(values, "language") or "en",
        topic=_text(values, "topic"),
        service_types=_list(values, "service_types"),
        related=_list(values, "related"),
        last_reviewed=_date(_text(values, "last_reviewed")),
        where=where,
        **texts,
    )


def read_markdown_file(path: Path) -> ArticleRecord | TranslationRecord:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TransferError("the file is not UTF-8 text") from None
    values, rest = parse_front_matter(text)
    return record_from_values(values, parse_sections(rest), path.name)


def read_json_file(
    path: Path, errors: list[tuple[str, str]]
) -> list[ArticleRecord | TranslationRecord]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise TransferError(f"not valid JSON: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
        raise TransferError('expected an object with a list under "articles"')
    records: list[ArticleRecord | TranslationRecord] = []
    for index, raw in enumerate(data["articles"]):
        where = f"{path.name} articles[{index}]"
        try:
            if not isinstance(raw, dict):
                raise TransferError("an article is an object")
            raw = dict(raw)
            translations = raw.pop("translations", [])
            texts = {name: str(raw.pop(name, "") or "") for name in SECTIONS.values()}
            values = {
                key: [str(v) for v in value] if isinstance(value, list) else str(value or "")
                for key, value in raw.items()
            }
            article = record_from_values(values, texts, f"{where} ({values.get('slug', '?')})")
            if not isinstance(article, ArticleRecord):
                raise TransferError("a translation belongs under its article's 'translations'")
            records.append(article)
        except TransferError as error:
            errors.append((where, str(error)))
            continue
        for position, translation in enumerate(translations or []):
            inner = f"{where} ({article.slug}) translations[{position}]"
            try:
                if not isinstance(translation, dict):
                    raise TransferError("a translation is an object")
                texts = {name: str(translation.get(name) or "") for name in SECTIONS.values()}
                values = {
                    key: str(value or "")
                    for key, value in translation.items()
                    if key not in SECTIONS.values()
                }
                values["source"] = article.slug
                records.append(record_from_values(values, texts, inner))
            except TransferError as error:
                errors.append((inner, str(error)))
    return records


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


# Writing to the database ---------------------------------------------------------------------


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
    found, missing = objects_by_key(ServiceType.objects.all(), "code", codes)
    if missing:
        raise TransferError(f"no service type with the code {', '.join(missing)}")
    return found


def _import_article(record: ArticleRecord, by: User, report: ImportReport) -> None:
    agency = Agency.objects.filter(code=record.agency).first()
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


def _set_reviewed(record: ArticleRecord) -> None:
    """Keep the review date the content came with; approving on import would otherwise make
    it today."""
    if record.last_reviewed is None:
        return
    wanted = _reviewed_at(record.last_reviewed)
    article = KnowledgeArticle.objects.get(slug=record.slug)
    if article.last_reviewed_at != wanted:
        article.last_reviewed_at = wanted
        article.save(update_fields=["last_reviewed_at", "updated_at"])


def _update_metadata(
    article: KnowledgeArticle,
    agency: Agency,
    topic: str,
    service_types: list[ServiceType],
    by: User,
) -> bool:
    moved = article.agency_id != agency.pk
    if moved:
        article.agency = agency
        article.save(update_fields=["agency", "updated_at"])
    filed = article_details_update(article=article, by=by, topic=topic, service_types=service_types)
    return moved or filed


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
        _set_reviewed(record)
    return report


# Exporting -------------------------------------------------------------------------------------


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


def _markdown(front: list[tuple[str, str | list[str]]], record) -> str:
    lines = ["---"]
    for key, value in front:
        if isinstance(value, list):
            if not value:
                continue
            lines.append(f"{key}:")
            lines.extend(f"  - {item}" for item in value)
        elif value:
            lines.append(f"{key}: {value}")
    lines.append("---")
    for heading, name in SECTIONS.items():
        text = getattr(record, name).strip()
        if text:
            lines += ["", f"## {heading.capitalize()}", "", text]
    return "\n".join(lines) + "\n"


def article_markdown(record: ArticleRecord) -> str:
    return _markdown(
        [
            ("slug", record.slug),
            ("title", record.title),
            ("agency", record.agency),
            ("topic", record.topic),
            ("language", record.language),
            ("service_types", record.service_types),
            ("related", record.related),
            ("last_reviewed", record.last_reviewed.isoformat() if record.last_reviewed else ""),
        ],
        record,
    )


def translation_markdown(record: TranslationRecord) -> str:
    return _markdown(
        [("source", record.source), ("language", record.language), ("title", record.title)],
        record,
    )


def knowledge_export(*, path: Path, format: str = "markdown") -> int:
    """Write the published articles and translations to `path` (a folder for Markdown, a file
    for JSON). Returns how many articles were written."""
    path = Path(path)
    exported = export_records()
    if format == "json":
        articles = []
        for record, translations in exported:
            articles.append(
                {
                    "slug": record.slug,
                    "title": record.title,
                    "agency": record.agency,
                    "topic": record.topic,
                    "language": record.language,
                    "service_types": record.service_types,
                    "related": record.related,
                    "last_reviewed": record.last_reviewed.isoformat()
                    if record.last_reviewed
                    else "",
                    "body": record.body,
                    "internal_notes": record.internal_notes,
                    "call_script": record.call_script,
                    "translations": [
                        {name: getattr(t, name) for name in ("language", *TEXT_FIELDS)}
                        for t in translations
                    ],
                }
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps({"articles": articles}, ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
    elif format == "markdown":
        path.mkdir(parents=True, exist_ok=True)
        for record, translations in exported:
            (path / f"{record.slug}.md").write_text(article_markdown(record), encoding="utf-8")
            for translation in translations:
                (path / f"{record.slug}.{translation.language}.md").write_text(
                    translation_markdown(translation), encoding="utf-8"
                )
    else:
        raise TransferError(f"unknown format {format!r}: use markdown or json")
    return len(exported)
