"""What every Open311 endpoint shares: the `endpoint` decorator and API key checks.

`endpoint` reads the parameters (the query string, and for a POST its form body on top), refuses
NUL characters and other jurisdictions, calls the view, and renders the `Document` it returns or
the error document of the `Open311Error` it raises.
"""

from collections.abc import Callable
from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited

from cityline.accounts.models import ApiKey
from cityline.accounts.selectors import api_key_get_active_remembered
from cityline.open311.errors import (
    Open311Error,
    bad_request,
    forbidden,
    not_found,
    too_many_requests,
)
from cityline.open311.renderers import Document, format_from_path, render, render_error

FORM_CONTENT_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})

View = Callable[..., Document]


def _form_body(request: HttpRequest) -> QueryDict:
    """The POST's form fields, urlencoded or multipart (a body without a content type is read as
    urlencoded). Anything else, or a body that does not parse, is refused."""
    try:
        if request.content_type in FORM_CONTENT_TYPES:
            return request.POST
        if not request.body:
            return QueryDict()
        if request.content_type in ("", "application/octet-stream"):
            return QueryDict(request.body, encoding=request.encoding)
    except (MultiPartParserError, SuspiciousOperation, UnicodeDecodeError) as exc:
        raise bad_request(f"the request body is not a readable form ({exc})") from None
    raise bad_request(
        "the request body must be application/x-www-form-urlencoded or multipart/form-data"
    )


def _parameters(request: HttpRequest) -> MultiValueDict:
    """Query string parameters, overlaid for a POST by its body's fields (api_key and
    jurisdiction_id may come in either)."""
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
                document = view(request, params, fmt=fmt, **path_values)
            except Open311Error as error:
                return render_error(fmt, error)
            return render(fmt, document)

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
