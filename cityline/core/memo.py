"""What a web worker remembers of the hottest read paths, and how every worker learns at once
that it changed.

A `SharedMemo` keeps each answer its loader gave in this process for as long as the memo's
generation stays the same. The generation is a token in the shared cache (the database cache,
which every web worker reads): `forget()`, connected to the save and delete signals of every
model the answers are built from, writes a new token, and each `get` compares tokens first (one
read of the shared cache) and drops everything kept under an older one. So a change made in any
process is seen by every process on its next request, with no expiry time to tune.

The token is written again once the writer's transaction commits: a worker that read the old
rows while the change was still uncommitted drops them then. A miss (None) is never kept, so an
unknown key costs a lookup each time rather than a slot. A token evicted from the cache only
makes every worker start afresh.
"""

import uuid
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.core.cache import cache
from django.db import transaction

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


class SharedMemo(Generic[Key, Value]):
    def __init__(self, *, name: str, loader: Callable[[Key], Value | None]) -> None:
        self._token_key = f"memo-generation:{name}"
        self._loader = loader
        # Swapped as one tuple, so a thread that loaded under an older generation stores its
        # answer in that generation's dict, which nothing reads any more.
        self._kept: tuple[str | None, dict[Key, Value]] = (None, {})

    def _current_generation(self) -> str:
        generation = cache.get(self._token_key)
        if generation is None:
            # Never expires: a token that expired on its own would look like a change.
            cache.add(self._token_key, uuid.uuid4().hex, timeout=None)
            generation = cache.get(self._token_key)
        return generation

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

    def forget(self, **_signal_arguments: object) -> None:
        """Make every worker load afresh: now, and again when the current transaction commits."""
        self._new_generation()
        transaction.on_commit(self._new_generation, robust=True)
