"""Open311's POSTs with an `Idempotency-Key`: made once per API key, so that a client whose answer
was cut off can send the POST again and get the first answer, in whichever format it asks for."""

from dataclasses import asdict
from functools import wraps
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict

from cityline.accounts.idempotency import IdempotencyKeyReused, idempotency_key_answer
from cityline.accounts.selectors import api_key_get_active_remembered
from cityline.api.idempotency import HEADER, idempotency_key_from, request_fingerprint
from cityline.core.errors import DomainError
from cityline.open311.endpoint import View
from cityline.open311.errors import Open311Error, bad_request
from cityline.open311.renderers import Document


def idempotent(view: View) -> View:
    """Wrap a view under `endpoint` whose POST makes something. Without a valid API key the view
    refuses the POST, so there is nothing to remember."""

    @wraps(view)
    def respond(
        request: HttpRequest, params: MultiValueDict, *, fmt: str, **path_values: str
    ) -> Document:
        if request.method != "POST":
            return view(request, params, fmt=fmt, **path_values)
        try:
            key = idempotency_key_from(request, params)
        except DomainError as error:
            raise bad_request(f"{error.field} {error.message}") from None
        api_key = api_key_get_active_remembered(raw_key=(params.get("api_key") or "").strip())
        if key is None or api_key is None:
            return view(request, params, fmt=fmt, **path_values)

        def answer() -> dict[str, Any]:
            return asdict(view(request, params, fmt=fmt, **path_values))

        resource = request.path.rsplit(".", 1)[0]  # .json and .xml ask for the same thing
        fields = [(name, value) for name, values in params.lists() for value in values]
        try:
            kept, _ = idempotency_key_answer(
                api_key=api_key,
                key=key,
                fingerprint=request_fingerprint(path=resource, fields=fields),
                answer=answer,
            )
        except IdempotencyKeyReused as error:
            raise Open311Error(
                HTTPStatus.UNPROCESSABLE_ENTITY, f"{HEADER}: {error.message}"
            ) from None
        return Document(**kept)

    return respond
