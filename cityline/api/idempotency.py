"""The `Idempotency-Key` of the APIs' POSTs, read from the request (`accounts.idempotency` keeps
the keys and their answers).

A client sends the key as the `Idempotency-Key` header or, when it cannot set headers, as the
`idempotency_key` parameter. A POST's fingerprint is its path and input, less the key itself and
the API key, so a retry of the same request matches and any other request does not.
"""

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict

from cityline.accounts.idempotency import (
    KEEP,
    KEY_MAX_LENGTH,
    IdempotencyKeyReused,
    idempotency_key_answer,
)
from cityline.api.errors import error_body
from cityline.core.errors import DomainError

HEADER = "Idempotency-Key"
PARAMETER = "idempotency_key"
# Visible ASCII, as HTTP carries a header safely; a UUID is the usual choice.
_KEY = re.compile(rf"[\x21-\x7e]{{1,{KEY_MAX_LENGTH}}}")
_NOT_INPUT = frozenset({PARAMETER, "api_key"})
REPLAYED_HEADER = "Idempotent-Replayed"

_SCHEMA = {"type": "string", "maxLength": KEY_MAX_LENGTH, "pattern": r"^[\x21-\x7e]+$"}
# The header and the parameter, for an operation's `openapi_extra`.
OPENAPI_PARAMETERS = {
    "parameters": [
        {
            "in": "header",
            "name": HEADER,
            "required": False,
            "schema": _SCHEMA,
            "description": (
                f"Send a POST again with the same key within {KEEP.days} day to get the first "
                "answer instead of a second request, so that a client whose answer was cut off "
                f"can retry safely. 1 to {KEY_MAX_LENGTH} visible ASCII characters; a UUID is a "
                "good choice."
            ),
        },
        {
            "in": "query",
            "name": PARAMETER,
            "required": False,
            "schema": _SCHEMA,
            "description": f"The {HEADER}, for clients that cannot set headers.",
        },
    ]
}


def idempotency_key_from(request: HttpRequest, params: Mapping[str, Any]) -> str | None:
    """The key the client sent, if any; a malformed one is refused naming the header."""
    key = request.headers.get(HEADER)
    if key is None:
        key = params.get(PARAMETER)
    if key is None:
        return None
    if not _KEY.fullmatch(key):
        raise DomainError(
            f"is 1 to {KEY_MAX_LENGTH} visible ASCII characters (a UUID, for example)",
            field=HEADER,
        )
    return key


def request_fingerprint(*, path: str, fields: Iterable[tuple[str, str]], body: bytes = b"") -> str:
    """A digest of what the request asks for: its path, its named fields in any order, and its
    body (JSON compared by value, so spacing and key order do not count)."""
    # A body that is not JSON, or too deeply nested to read, is compared byte for byte.
    with contextlib.suppress(ValueError, RecursionError):
        body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    digest = hashlib.sha256(path.encode())
    for name, value in sorted(pair for pair in fields if pair[0] not in _NOT_INPUT):
        digest.update(b"\x00" + name.encode() + b"\x00" + value.encode())
    digest.update(b"\x00\x00" + body)
    return digest.hexdigest()


def _pairs(params: QueryDict) -> list[tuple[str, str]]:
    return [(name, value) for name, values in params.lists() for value in values]


class _NotRemembered(Exception):
    """A refusal: answered as it is, and nothing of it kept."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.status_code)
        self.response = response


def idempotent_operation(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a native API POST (with ninja's `decorate_view`): the answer for an Idempotency-Key,
    given again to a retry. The native API takes no API key, so its keys share one space."""

    @wraps(run)
    def respond(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            key = idempotency_key_from(request, request.GET)
        except DomainError as error:
            return JsonResponse(error_body([(HEADER, error.message)]), status=400)
        if key is None:
            return run(request, *args, **kwargs)
        fresh: list[HttpResponse] = []

        def answer() -> dict:
            response = run(request, *args, **kwargs)
            if not 200 <= response.status_code < 300:
                raise _NotRemembered(response)
            fresh.append(response)
            return {
                "status": response.status_code,
                "content_type": response["Content-Type"],
                "body": response.content.decode(),
            }

        try:
            kept, replayed = idempotency_key_answer(
                api_key=None,
                key=key,
                fingerprint=request_fingerprint(
                    path=request.path, fields=_pairs(request.GET), body=request.body
                ),
                answer=answer,
            )
        except _NotRemembered as refusal:
            return refusal.response
        except IdempotencyKeyReused as error:
            return JsonResponse(
                error_body([(HEADER, error.message)]), status=HTTPStatus.UNPROCESSABLE_ENTITY
            )
        if not replayed:
            return fresh[0]
        response = HttpResponse(
            kept["body"], status=kept["status"], content_type=kept["content_type"]
        )
        response[REPLAYED_HEADER] = "true"
        return response

    return respond
