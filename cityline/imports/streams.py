"""Opening an import file as a text stream, plain or gzipped, and showing how far it has got."""

import csv
import gzip
import io
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from tqdm import tqdm

GZIP_MAGIC = b"\x1f\x8b"


class ImportFileError(ValueError):
    """The file cannot be read at all (missing, a folder, not text)."""


@dataclass
class SourceFile:
    path: Path
    text: TextIO
    raw: BinaryIO
    size: int
    compressed: bool

    def position(self) -> int:
        """Bytes of the file on disk read so far (compressed bytes for a gzipped file)."""
        try:
            return self.raw.tell()
        except (OSError, ValueError):
            return 0


@contextmanager
def open_source(path: Path | str, *, encoding: str = "utf-8-sig") -> Iterator[SourceFile]:
    """Open `path` for the csv module: gzip is told by its magic bytes, not by the file name.

    Undecodable bytes become U+FFFD rather than stopping the import.
    """
    path = Path(path)
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed below, after the text stream
    except OSError as exc:
        raise ImportFileError(f"{path}: {exc.strerror or exc}") from exc
    try:
        size = path.stat().st_size
        compressed = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        binary: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw  # type: ignore[assignment]
        text = io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")
        try:
            yield SourceFile(path=path, text=text, raw=raw, size=size, compressed=compressed)
        finally:
            text.close()
    finally:
        raw.close()


def progress_bar(*, source: SourceFile, enabled: bool, stream: TextIO | None = None) -> tqdm:
    """A bar over the bytes of the file, on stderr, shown only to a person at a terminal."""
    stream = stream or sys.stderr
    return tqdm(
        total=source.size,
        unit="B",
        unit_scale=True,
        desc=source.path.name,
        file=stream,
        disable=not enabled or not _is_terminal(stream),
        leave=False,
    )


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def csv_records(source: SourceFile) -> Iterator[tuple[int, list[str] | str]]:
    """`(line, fields)` for each record of a CSV file, or `(line, reason)` for an unreadable one.

    `line` is the file line the record ends on (the header is line 1). A file cut short (a
    truncated gzip) ends the stream with one last reason instead of an exception.
    """
    reader = csv.reader(source.text)
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, f"unreadable CSV record ({exc})"
            continue
        except (EOFError, OSError, zlib.error) as exc:
            yield reader.line_num + 1, f"the file ends early or is damaged ({exc})"
            return
        if record:
            yield reader.line_num, record
