"""Where outgoing texts go: a gateway class named by CITYLINE_SMS_GATEWAY, with one method.

The default, `FolderSmsGateway`, is the demo's: it writes each text as a JSON file into
CITYLINE_SMS_FOLDER (written under `tmp/` and renamed into `new/`, as Maildir does, so several
workers write side by side and a reader never sees half a text); operators read the folder in
the admin (Outgoing texts). A city's gateway class posts to its provider instead.
"""

import json
import os
import time
import uuid
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Protocol, overload

from django.conf import settings
from django.utils.module_loading import import_string

from cityline.core import clock


class SmsGateway(Protocol):
    def send(self, *, to: str, body: str, reference: str) -> None:
        """Hand one text over, or raise: the outbox retries it later."""


def _folder() -> Path:
    return Path(settings.CITYLINE_SMS_FOLDER)


class FolderSmsGateway:
    def send(self, *, to: str, body: str, reference: str) -> None:
        folder = _folder()
        (folder / "tmp").mkdir(parents=True, exist_ok=True)
        (folder / "new").mkdir(parents=True, exist_ok=True)
        # The name starts with the time, so the folder lists in the order texts were sent.
        name = f"{time.time_ns()}.{uuid.uuid4().hex}.json"
        text = {"to": to, "body": body, "reference": reference, "sent_at": clock.now().isoformat()}
        written = folder / "tmp" / name
        written.write_text(json.dumps(text, ensure_ascii=False), encoding="utf-8")
        os.replace(written, folder / "new" / name)


@lru_cache(maxsize=1)
def _gateway_class(path: str) -> type:
    return import_string(path)


def sms_gateway() -> SmsGateway:
    return _gateway_class(settings.CITYLINE_SMS_GATEWAY)()


class SentText(NamedTuple):
    sent_at: str
    to: str
    body: str
    reference: str


class SentTexts(Sequence[SentText]):
    """The folder's texts, newest first, for a paginator: only the texts asked for are read."""

    def __init__(self) -> None:
        folder = _folder() / "new"
        names = [entry.name for entry in os.scandir(folder)] if folder.is_dir() else []
        self._paths = [folder / name for name in sorted(names, reverse=True)]

    def __len__(self) -> int:
        return len(self._paths)

    @overload
    def __getitem__(self, index: int) -> SentText: ...

    @overload
    def __getitem__(self, index: slice) -> list[SentText]: ...

    def __getitem__(self, index: int | slice) -> SentText | list[SentText]:
        if isinstance(index, int):
            return self._read(self._paths[index])
        return [self._read(path) for path in self._paths[index]]

    @staticmethod
    def _read(path: Path) -> SentText:
        text = json.loads(path.read_text(encoding="utf-8"))
        return SentText(
            sent_at=text["sent_at"], to=text["to"], body=text["body"], reference=text["reference"]
        )
