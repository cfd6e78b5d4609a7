"""Reading the Markdown format: one file per article or translation, front matter and sections."""

import re
from pathlib import Path

from cityline.knowledge.transfer.records import (
    SECTIONS,
    ArticleRecord,
    TransferError,
    TranslationRecord,
    record_from_values,
)

_SECTION_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t]*$")
_KEY_LINE = re.compile(r"^([a-z_]+):(?:[ \t]+(.*))?$")
_LIST_ITEM = re.compile(r"^[ \t]+-[ \t]+(.*)$|^-[ \t]+(.*)$")


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


def read_markdown_file(path: Path) -> ArticleRecord | TranslationRecord:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TransferError("the file is not UTF-8 text") from None
    values, rest = parse_front_matter(text)
    return record_from_values(values, parse_sections(rest), path.name)
