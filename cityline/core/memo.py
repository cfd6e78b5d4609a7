"""What a web worker remembers of the hottest read paths, and how every worker learns at once
that it changed.

A `SharedMemo` keeps each answer its loader gave in this process for as long as the memo's
generation stays the same. The generation is a token in the shared cache (the database cache,
which every web worker reads): `forget()`, connected to the save and delete signals of every
model the answers are built from, writes a new token, and each `get` compares tokens first and
drops everything kept under an older one. So a change made in any process is seen by every
process on its next request, with no expiry time to tune.

The tokens of every memo are read together, in one read of the shared cache. Within a web request
they are read once, at the request's first `get`, and kept until it ends: a POST consults several
memos (API keys, the catalog, the area tree), and on the database cache each read is a query.
A change committed while a request runs is seen from the next request on, as it would be had the
change come a moment later; a change the request makes itself (`forget()`) is seen at once.
Outside a request (the worker, commands, the shell) every `get` reads the tokens afresh.

The token is written again once the writer's transaction commits: a worker that read the old
rows while the change was still uncommitted drops them then. A miss (None) is never kept, so an
unknown key costs a lookup each time rather than a slot. A token evicted from the cache only
makes every worker start afresh.
"""

import threading
import uuid
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.core.cache import cache
from django.db import transaction

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")

# The token keys of every memo of this process, read together.
_token_keys: set[str] = set()


class _RequestTokens(threading.local):
    """The tokens read for the request this thread serves: None outside a request, and an empty
    dict in one whose tokens are not read yet."""

    tokens: dict[str, str] | None = None


_request = _RequestTokens()


def memo_request_started(**_signal_arguments: object) -> None:
    """Read the tokens once for the request beginning in this thread (at its first `get`)."""
    _request.tokens = {}


def memo_request_finished(**_signal_arguments: object) -> None:
    _request.tokens = None


def _tokens_read() -> dict[str, str]:
    """Every memo's token, in one read of the shared cache; a token not there yet is added."""
    keys = sorted(_token_keys)
    tokens = cache.get_many(keys)
    missing = [key for key in keys if key not in tokens]
    if missing:
        for key in missing:
            # Never expires: a token that expired on its own would look like a change.
            cache.add(key, uuid.uuid4().hex, timeout=None)
        tokens.update(cache.get_many(missing))
    return tokens


def _request_tokens_drop() -> None:
    if _request.tokens is not None:
        _request.tokens = {}


class SharedMemo(Generic[Key, Value]):
    def __init__(self, *, name: str, loader: Callable[[Key], Value | None]) -> None:
        self._token_key = f"memo-generation:{name}"
        _token_keys.add(self._token_key)
        self._loader = loader
        # Swapped as one tuple, so a thread that loaded under an older generation stores its
        # answer in that generation's dict, which nothing reads any more.
        self._kept: tuple[str | None, dict[Key, Value]] = (None, {})

    def _current_generation(self) -> str:
        tokens = _request.tokens
        if tokens is None:
            return _tokens_read()[self._token_key]
        if self._token_key not in tokens:
            tokens.update(_tokens_read())
        return tokens[self._token_key]

    def get(self, key: Key) -> Value | None:
        # The generation is read before the rows, so rows read under a token are never older
        # than the change that wrote it.
        generation = self._current_generation()
        kept_generation, kept = self._kept
        if kept_generation != generation:
            kept = {}
            self._kept = (generation, kept)
        if key in kept:
            return kept[key]
        value = self._loader(key)
        if value is not None:
            kept[key] = value
        return value

    def _new_generation(self) -> None:
        cache.set(self._token_key, uuid.uuid4().hex, timeout=None)
        # The request that made the change reads its own writes.
        _request_tokens_drop()

    def forget(self, **_signal_arguments: object) -> None:
        """Make every worker load afresh: now, and again when the current transaction commits."""
        self._new_generation()
        transaction.on_commit(self._new_generation, robust=True)
