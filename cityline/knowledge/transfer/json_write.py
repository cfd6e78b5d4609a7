"""Writing the JSON format: one file with every article and, under it, its translations."""

import json
from pathlib import Path

from cityline.knowledge.transfer.records import TEXT_FIELDS, ArticleRecord, TranslationRecord


def json_file_write(
    path: Path, exported: list[tuple[ArticleRecord, list[TranslationRecord]]]
) -> None:
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
                "last_reviewed": record.last_reviewed.isoformat() if record.last_reviewed else "",
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
        json.dumps({"articles": articles}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
