"""Writing the Markdown format: a folder with one file per article and per translation."""

from pathlib import Path

from cityline.knowledge.transfer.records import SECTIONS, ArticleRecord, TranslationRecord


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


def markdown_folder_write(
    path: Path, exported: list[tuple[ArticleRecord, list[TranslationRecord]]]
) -> None:
    """`<slug>.md` for each article and `<slug>.<language>.md` for each of its translations."""
    path.mkdir(parents=True, exist_ok=True)
    for record, translations in exported:
        (path / f"{record.slug}.md").write_text(article_markdown(record), encoding="utf-8")
        for translation in translations:
            (path / f"{record.slug}.{translation.language}.md").write_text(
                translation_markdown(translation), encoding="utf-8"
            )
