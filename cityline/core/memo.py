"""A web worker's short memory of answers it looked up, for the hottest read paths.

Each process keeps what its loader returned for `seconds`; a miss (None) is never kept, so an
unknown key costs a lookup each time rather than a slot. Callers clear it on their own writes
(a post_save signal) so this worker sees its own changes at once; other processes see a change
within `seconds`.
"""

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


class RecentAnswers(Generic[Key, Value]):
    def __init__(
        self,
        *,
        seconds: float,
        loader: Callable[[Key], Value | None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds = seconds
        self._loader = loader
        self._clock = clock
        self._kept: dict[Key, tuple[float, Value]] = {}

    def get(self, key: Key) -> Value | None:
        now = self._clock()
        kept = self._kept.get(key)
        if kept is not None and kept[0] > now:
            return kept[1]
        value = self._loader(key)
        if value is None:
            self._kept.pop(key, None)
        else:
            self._kept[key] = (now + self.seconds, value)
        return value

    def clear(self, **_signal_arguments: object) -> None:
        self._kept.clear()
