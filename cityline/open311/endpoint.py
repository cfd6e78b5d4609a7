"""What every Open311 endpoint shares: the `endpoint` decorator and API key checks.

`endpoint` reads the parameters (the query string, and for a POST its form body on top), refuses
NUL characters and other jurisdictions, calls the view in the client's language, and renders the
`Document` it returns or the error document of the `Open311Error` it raises, or of the
`DomainError` a service raises.

The language is that of the `locale` parameter (`es`, `es-MX`), else of the Accept-Language
header, else the city's own (`LANGUAGE_CODE`): GeoReport v2 defines no language parameter, so a
client that asks for nothing gets the catalog as the city writes it; one asking for a language
the catalog is not written in gets the city's. Only the catalog's text is translated (service
and group names, descriptions, questions and answers); error messages are in English.
"""

from collections.abc import Callable
from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited

from cityline.accounts.models import ApiKey
from cityline.accounts.selectors import api_key_get_active_remembered
from cityline.core.errors import DomainError
from cityline.open311.errors import (
    Open311Error,
    bad_request,
    forbidden,
    from_domain_error,
    not_found,
    too_many_requests,
)
from cityline.open311.renderers import Document, format_from_path, render, render_error

FORM_CONTENT_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})

View = Callable[..., Document]


class _FilePartTooLarge(Exception):
    """A multipart body's file part ran past the per-file cap (its field name is the message)."""


class _DroppedFileParts(FileUploadHandler):
    """Open311 takes photos by URL (`media_url`), so a multipart body's file parts are read and
    dropped as they stream past, never kept, and one over the per-file cap stops the parse."""

    def __init__(self, request: HttpRequest, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received > self.limit:
            raise _FilePartTooLarge(self.field_name)

    def file_complete(self, file_size: int) -> None:
        return None


def _refuse_large_body(request: HttpRequest) -> None:
    """A body declared over the cap is refused before a byte of it is read (the server reads no
    more than the declared length)."""
    limit = settings.CITYLINE_OPEN311_MAX_BODY_SIZE
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isascii() or not declared.isdigit():
        raise bad_request("the Content-Length header is not a number of bytes")
    if int(declared) > limit:
        raise Open311Error(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the request body is larger than {limit} bytes"
        )


def _refuse_unknown_key_in_query(request: HttpRequest) -> None:
    """A key given in the query string is checked before the body is read: a caller without a
    valid key costs no parsing."""
    raw_key = (request.GET.get("api_key") or "").strip()
    if raw_key and api_key_get_active_remembered(raw_key=raw_key) is None:
        raise forbidden("api_key is not valid")


def _refuse_unreadable_charset(request: HttpRequest) -> None:
    charset = (request.content_params or {}).get("charset")
    if charset is None:
        return
    try:
        "x".encode(charset)  # not "": an empty string passes every codec untouched
    except (LookupError, UnicodeError):  # unknown, or not a text encoding (base64, zlib, rot13)
        raise bad_request(
            f"the request body's charset {charset[:40]!r} is not a text encoding; use UTF-8"
        ) from None


def _form_body(request: HttpRequest) -> QueryDict:
    """The POST's form fields, urlencoded or multipart (a body without a content type is read as
    urlencoded). Anything else, or a body that does not parse, is refused."""
    _refuse_large_body(request)
    _refuse_unknown_key_in_query(request)
    request.upload_handlers = [
        _DroppedFileParts(request, limit=settings.CITYLINE_OPEN311_MAX_FILE_SIZE)
    ]
    try:
        if request.content_type in FORM_CONTENT_TYPES:
            return request.POST
        if not request.body:
            return QueryDict()
        if request.content_type in ("", "application/octet-stream"):
            return QueryDict(request.body, encoding=request.encoding)
    except _FilePartTooLarge as exc:
        raise Open311Error(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            f"the file part {str(exc)[:100]!r} is larger than "
            f"{settings.CITYLINE_OPEN311_MAX_FILE_SIZE} bytes; send photos as media_url",
        ) from None
    except (
        BadRequest,
        LookupError,
        MultiPartParserError,
        SuspiciousOperation,
        UnicodeDecodeError,
    ) as exc:
        raise bad_request(f"the request body is not a readable UTF-8 form ({exc})") from None
    raise bad_request(
        "the request body must be application/x-www-form-urlencoded or multipart/form-data"
    )


def _parameters(request: HttpRequest) -> MultiValueDict:
    """Query string parameters, overlaid for a POST by its body's fields (api_key and
    jurisdiction_id may come in either)."""
    # Django decodes the query string, too, in the body's declared charset.
    _refuse_unreadable_charset(request)
    try:
        params = request.GET.copy()
    except SuspiciousOperation as exc:
        raise bad_request(f"the query string is not readable ({exc})") from None
    if request.method == "POST":
        for name, values in _form_body(request).lists():
            params.setlist(name, values)
    return params


def _refuse_nul(params: MultiValueDict, path_values: dict[str, str]) -> None:
    # No database column can hold a NUL; refuse it here rather than fail deep in a query.
    for name, values in params.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            raise bad_request(f"{name.replace(chr(0), '')} contains a NUL character")
    for name, value in path_values.items():
        if "\x00" in value:
            raise bad_request(f"{name} contains a NUL character")


def _check_jurisdiction(params: MultiValueDict) -> None:
    jurisdiction = (params.get("jurisdiction_id") or "").strip()
    if jurisdiction and jurisdiction != settings.CITYLINE_JURISDICTION_ID:
        raise not_found(f"jurisdiction_id {jurisdiction[:100]!r} is not served here")


def _language(request: HttpRequest, params: MultiValueDict) -> str:
    asked = (params.get("locale") or "").strip()
    if asked:
        try:
            return translation.get_supported_language_variant(asked.replace("_", "-"))
        except LookupError:
            return settings.LANGUAGE_CODE
    return translation.get_language_from_request(request)


def endpoint(*methods: str) -> Callable[[View], Callable[..., HttpResponse]]:
    """Wrap a view that returns a `Document`: method check, parameters, jurisdiction, errors."""
    if "GET" in methods:
        methods = (*methods, "HEAD")

    def decorate(view: View) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def respond(request: HttpRequest, fmt: str, **path_values: str) -> HttpResponse:
            if request.method not in methods:
                response = render_error(
                    fmt,
                    Open311Error(
                        HTTPStatus.METHOD_NOT_ALLOWED,
                        f"{request.method} is not allowed here; use {' or '.join(methods)}",
                    ),
                )
                response["Allow"] = ", ".join(methods)
                return response
            try:
                params = _parameters(request)
                _refuse_nul(params, path_values)
                _check_jurisdiction(params)
                language = _language(request, params)
                with translation.override(language):
                    document = view(request, params, fmt=fmt, **path_values)
            except Open311Error as error:
                return render_error(fmt, error)
            except DomainError as error:
                return render_error(fmt, from_domain_error(error))
            response = render(fmt, document)
            response["Content-Language"] = language
            return response

        return respond

    return decorate


@csrf_exempt
def unknown(request: HttpRequest, path: str) -> HttpResponse:
    return render_error(
        format_from_path(path),
        not_found(f"no Open311 resource at {path[:200]!r}; paths end in .json or .xml"),
    )


def authenticate(request: HttpRequest, params: MultiValueDict) -> ApiKey:
    """The POST's API key (403 when missing or not valid), counted against its rate limit."""
    raw_key = (params.get("api_key") or "").strip()
    if not raw_key:
        raise forbidden("api_key is required")
    api_key = api_key_get_active_remembered(raw_key=raw_key)
    if api_key is None:
        raise forbidden("api_key is not valid")
    if api_key.rate_limit and is_ratelimited(
        request,
        group="open311",
        key=lambda _group, _request: str(api_key.pk),
        rate=f"{api_key.rate_limit}/m",
        increment=True,
    ):
        raise too_many_requests(
            f"this api_key may make {api_key.rate_limit} requests a minute; try again shortly"
        )
    return api_key
