"""The records both formats carry, and checking the values read from either."""

from dataclasses import dataclass, field
from datetime import date

SECTIONS = {
    "public answer": "body",
    "internal notes": "internal_notes",
    "call script": "call_script",
}
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
