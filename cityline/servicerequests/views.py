"""Stored photos of requests, each served through an access check, never from a public folder."""

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from cityline.servicerequests.access import can_view_photo
from cityline.servicerequests.selectors import attachment_photo_get, service_request_is_public

# A stored photo never changes: a new upload is a new attachment with its own address.
_A_YEAR = 365 * 24 * 3600


def _serve(request: HttpRequest, attachment_id: int, *, thumbnail: bool) -> FileResponse:
    attachment = attachment_photo_get(attachment_id=attachment_id)
    # Absent and not visible answer alike, so a hidden request's photos are not known to exist.
    if attachment is None or not can_view_photo(user=request.user, request=attachment.request):
        raise Http404("no such photo")
    stored = attachment.thumbnail if thumbnail else attachment.photo
    try:
        file = stored.open("rb")
    except FileNotFoundError:
        raise Http404("no such photo") from None
    response = FileResponse(file, content_type=attachment.content_type or "image/jpeg")
    # Shared caches may keep only what the public sees; staff-only photos stay in the browser.
    scope = "public" if service_request_is_public(request=attachment.request) else "private"
    response["Cache-Control"] = f"{scope}, max-age={_A_YEAR}, immutable"
    return response


@require_GET
def photo(request: HttpRequest, attachment_id: int) -> FileResponse:
    return _serve(request, attachment_id, thumbnail=False)


@require_GET
def photo_thumbnail(request: HttpRequest, attachment_id: int) -> FileResponse:
    return _serve(request, attachment_id, thumbnail=True)
