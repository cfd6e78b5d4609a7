"""The native API's error answers: one body for every refusal, naming the field at fault.

Bad input is a 400 whether pydantic, a Django validator or a service (`DomainError`) found it;
what does not exist is a 404. Each operation lists the answers it can give with `ErrorOut`, so
the OpenAPI document says what clients really get.
"""

from http import HTTPStatus

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from cityline.core.errors import DomainError

# A domain error's `code` says which answer it is; any other code is bad input.
DOMAIN_STATUS = {
    "not_found": HTTPStatus.NOT_FOUND,
    "forbidden": HTTPStatus.FORBIDDEN,
    "conflict": HTTPStatus.CONFLICT,
}
# The parts of pydantic's location that say where a value came from, not what it is called.
_SOURCES = {"query", "path", "body", "payload", "header", "cookie", "form", "file"}


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


def _field_name(location: list | tuple) -> str:
    """The name a client sent: the named parts of pydantic's location."""
    names = [str(part) for part in location if isinstance(part, str) and part not in _SOURCES]
    return ".".join(names) if names else "body"


def error_body(errors: list[tuple[str, str]]) -> dict:
    """The body of every refusal: each (field, message), and all of them in one sentence."""
    detail = "; ".join(f"{field}: {message}" if field else message for field, message in errors)
    return {
        "detail": detail,
        "errors": [{"field": field, "message": message} for field, message in errors],
    }


def _answer(
    api: NinjaAPI, request: HttpRequest, status: int, errors: list[tuple[str, str]]
) -> HttpResponse:
    return api.create_response(request, error_body(errors), status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            (_field_name(error.get("loc", ())), str(error.get("msg", "is not valid")))
            for error in exc.errors
        ]
        return _answer(api, request, HTTPStatus.BAD_REQUEST, errors)

    @api.exception_handler(DjangoValidationError)
    def invalid_value(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = [
                ("" if field == NON_FIELD_ERRORS else field, message)
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            errors = [("", message) for message in exc.messages]
        return _answer(api, request, HTTPStatus.BAD_REQUEST, errors)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        status = DOMAIN_STATUS.get(exc.code, HTTPStatus.BAD_REQUEST)
        return _answer(api, request, status, [(exc.field or "", exc.message)])

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _answer(api, request, HTTPStatus.NOT_FOUND, [("", str(exc) or "not found")])

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own refusals; a 400 from it is a body that is not JSON.
        field = "body" if exc.status_code == HTTPStatus.BAD_REQUEST else ""
        return _answer(api, request, exc.status_code, [(field, exc.message)])
