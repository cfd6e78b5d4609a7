"""Outbox handlers registered for one test and removed after it."""

from typing import Any

import pytest

from cityline.core import outbox
from cityline.core.models import OutboxMessage

TOPIC = "test.topic"


def _unregister(handler) -> None:
    outbox._handlers[TOPIC].remove(handler)
    if not outbox._handlers[TOPIC]:
        del outbox._handlers[TOPIC]


@pytest.fixture
def received():
    """Every payload the test topic's handler was given, in order."""
    payloads: list[dict[str, Any]] = []

    def handler(message: OutboxMessage) -> None:
        payloads.append(message.payload)

    outbox.outbox_handler(TOPIC)(handler)
    yield payloads
    _unregister(handler)


class Flaky:
    """A handler that fails until it is told to work."""

    def __init__(self) -> None:
        self.working = False
        self.calls = 0

    def __call__(self, message: OutboxMessage) -> None:
        self.calls += 1
        if not self.working:
            raise ConnectionError("mail server unreachable")


@pytest.fixture
def flaky():
    handler = Flaky()
    outbox.outbox_handler(TOPIC)(handler)
    yield handler
    _unregister(handler)
