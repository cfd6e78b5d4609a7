"""Reading the JSON format: one file holding every article with its translations."""

import json
from pathlib import Path

from cityline.knowledge.transfer.records import (
    SECTIONS,
    ArticleRecord,
    TransferError,
    TranslationRecord,
    record_from_values,
)


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
