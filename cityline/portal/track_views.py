"""The public tracking pages: a request by its tracking number, following it by e-mail, and
saying it is not fixed. Thin: reads through the servicerequests selectors, writes through its
services; a number the public may not see answers exactly as one that does not exist."""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cityline.core import clock
from cityline.core.errors import DomainError, InvalidInput
from cityline.portal.access import follow_refused, not_fixed_refused
from cityline.portal.track_forms import FollowForm, NotFixedForm, TrackForm
from cityline.portal.words import (
    RESOLUTION_WORDS,
    STATUS_WORDS,
    TIMELINE_WORDS,
    day_in_words,
    photo_refusal,
)
from cityline.servicerequests.models import Status
from cityline.servicerequests.not_fixed import (
    NotFixedVerdict,
    not_fixed_verdict,
    not_fixed_window_end,
)
from cityline.servicerequests.selectors import (
    PHOTO,
    TrackedRequest,
    request_timeline_public,
    service_request_get_by_tracking_number,
    service_request_get_tracked,
)
from cityline.servicerequests.services.following import service_request_follow
from cityline.servicerequests.services.not_fixed import service_request_report_not_fixed
from cityline.servicerequests.services.photos import photo_prepare

NOT_FIXED_OUTCOMES = {"reopened", "new"}


@dataclass(frozen=True)
class _Picture:
    """What `servicerequests/_attachments.html` reads of an attachment."""

    pk: int
    photo: str
    media_url: str


def _not_found(request: HttpRequest, number: str) -> HttpResponse:
    form = TrackForm(initial={"number": number})
    context = {"form": form, "not_found": number}
    return render(request, "portal/track_form.html", context, status=404)


def _verdict(tracked: TrackedRequest) -> NotFixedVerdict:
    return not_fixed_verdict(
        status=tracked.status,
        resolution=tracked.resolution,
        closed_at=tracked.closed_at,
        window_days=tracked.not_fixed_window_days,
        now=clock.now(),
    )


def _coordinate(value: float | None) -> str:
    """A coordinate as maps write it (a point, never a comma), kept left to right in a
    right-to-left sentence so its minus sign stays in front."""
    return "" if value is None else f"\u2066{value:.5f}\u2069"


def _page_context(tracked: TrackedRequest) -> dict[str, Any]:
    verdict = _verdict(tracked)
    closed = tracked.status == Status.CLOSED
    promised_met = None
    if closed and tracked.expected_at is not None and tracked.closed_at is not None:
        promised_met = tracked.closed_at <= tracked.expected_at
    timeline, pictures = [], []
    for entry in request_timeline_public(request_id=tracked.id):
        if entry.kind == PHOTO:
            assert entry.attachment_id is not None
            pictures.append(_Picture(entry.attachment_id, entry.photo, entry.media_url))
        else:
            timeline.append(
                {
                    "entry": entry,
                    "words": TIMELINE_WORDS.get(entry.kind, ""),
                    "status_words": STATUS_WORDS.get(entry.status, ""),
                }
            )
    window_end = (
        not_fixed_window_end(closed_at=tracked.closed_at, window_days=tracked.not_fixed_window_days)
        if tracked.closed_at is not None
        else None
    )
    return {
        "tracked": tracked,
        "status_words": STATUS_WORDS.get(tracked.status, tracked.status),
        "resolution_words": RESOLUTION_WORDS.get(tracked.resolution, ""),
        "closed": closed,
        "promised_day": day_in_words(tracked.expected_at) if tracked.expected_at else "",
        "closed_day": day_in_words(tracked.closed_at) if tracked.closed_at else "",
        "requested_day": day_in_words(tracked.requested_at),
        "promised_met": promised_met,
        "timeline": timeline,
        "pictures": pictures,
        "not_fixed": verdict.value,
        "latitude": _coordinate(tracked.latitude),
        "longitude": _coordinate(tracked.longitude),
        "not_fixed_until": day_in_words(window_end) if window_end else "",
    }


def _etag(request: HttpRequest, tracked: TrackedRequest) -> str:
    """Everything the page shows changes `updated_at`, its demand, or the not-fixed window; the
    language, the message shown after an action and the reader's CSRF secret (its forms carry a
    token made from it) are part of the page too."""
    parts = (
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        tracked.tracking_number,
        tracked.updated_at.isoformat(),
        str(tracked.demand),
        tracked.follow_up_tracking_number or "",
        _verdict(tracked).value,
        request.LANGUAGE_CODE,
        request.GET.urlencode(),
    )
    return '"' + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32] + '"'


def _track_response(
    request: HttpRequest,
    tracked: TrackedRequest,
    *,
    follow_form: FollowForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _page_context(tracked)
    context["follow_form"] = follow_form or FollowForm()
    outcome = request.GET.get("not_fixed", "")
    context["not_fixed_outcome"] = outcome if outcome in NOT_FIXED_OUTCOMES else ""
    return render(request, "portal/track.html", context, status=status)


@require_GET
def track_search(request: HttpRequest) -> HttpResponse:
    """The form; given a number, the request's page, or the form again saying it was not found."""
    if "number" not in request.GET:
        return render(request, "portal/track_form.html", {"form": TrackForm()})
    form = TrackForm(request.GET)
    if not form.is_valid():
        return render(request, "portal/track_form.html", {"form": form}, status=400)
    typed = form.cleaned_data["number"]
    # Numbers are printed in capitals; residents type them as they like.
    for number in dict.fromkeys([typed, typed.upper()]):
        if service_request_get_tracked(tracking_number=number) is not None:
            return redirect("track:request", tracking_number=number)
    return _not_found(request, typed)


@require_GET
def short_link(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """`/r/<number>`: short enough for a text message or a sticker on a lamp post."""
    return redirect("track:request", tracking_number=tracking_number, permanent=True)


@require_GET
def track_request(request: HttpRequest, tracking_number: str) -> HttpResponse:
    tracked = service_request_get_tracked(tracking_number=tracking_number)
    if tracked is None:
        return _not_found(request, tracking_number)
    etag = _etag(request, tracked)
    # The page holds the reader's CSRF token: kept by their browser only, and revalidated.
    unchanged = get_conditional_response(request, etag=etag)
    if unchanged is not None:
        patch_cache_control(unchanged, private=True, no_cache=True)
        return unchanged
    response = _track_response(request, tracked)
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_POST
def follow(request: HttpRequest, tracking_number: str) -> HttpResponse:
    tracked = service_request_get_tracked(tracking_number=tracking_number)
    if tracked is None:
        return _not_found(request, tracking_number)
    form = FollowForm(request.POST)
    if follow_refused(request=request):
        form.add_error(
            None,
            _("Many requests came from your connection just now. Please try again in an hour."),
        )
        return _track_response(request, tracked, follow_form=form, status=429)
    if not form.is_valid():
        return _track_response(request, tracked, follow_form=form, status=400)
    target = service_request_get_by_tracking_number(
        tracking_number=tracking_number, publicly_listed=True
    )
    if target is None:
        return _not_found(request, tracking_number)
    try:
        service_request_follow(
            request=target, email=form.cleaned_data["email"], language=request.LANGUAGE_CODE
        )
    except DomainError:
        form.add_error(None, _("This request is closed: it can no longer be followed."))
        return _track_response(request, tracked, follow_form=form, status=409)
    # The same answer whether or not the address already follows: it reveals nothing.
    return redirect("track:follow-sent", tracking_number=tracking_number)


@require_GET
def follow_sent(request: HttpRequest, tracking_number: str) -> HttpResponse:
    tracked = service_request_get_tracked(tracking_number=tracking_number)
    if tracked is None:
        return _not_found(request, tracking_number)
    return render(request, "portal/follow_sent.html", {"tracked": tracked})


@require_http_methods(["GET", "POST"])
def not_fixed(request: HttpRequest, tracking_number: str) -> HttpResponse:
    tracked = service_request_get_tracked(tracking_number=tracking_number)
    if tracked is None:
        return _not_found(request, tracking_number)
    context = _page_context(tracked)
    if request.method == "GET":
        context["form"] = NotFixedForm()
        return render(request, "portal/not_fixed.html", context)
    form = NotFixedForm(request.POST, request.FILES)
    context["form"] = form
    if not_fixed_refused(request=request):
        form.add_error(
            None, _("Many reports came from your connection just now. Please try again in an hour.")
        )
        return render(request, "portal/not_fixed.html", context, status=429)
    if _verdict(tracked) is not NotFixedVerdict.ALLOWED:
        return render(request, "portal/not_fixed.html", context, status=409)
    if not form.is_valid():
        return render(request, "portal/not_fixed.html", context, status=400)
    photo = None
    if form.cleaned_data["photo"]:
        # Decoded and re-encoded before any transaction (photos.photo_prepare).
        try:
            photo = photo_prepare(upload=form.cleaned_data["photo"])
        except DomainError:
            form.add_error("photo", photo_refusal())
            return render(request, "portal/not_fixed.html", context, status=400)
    target = service_request_get_by_tracking_number(
        tracking_number=tracking_number, publicly_listed=True
    )
    if target is None:
        return _not_found(request, tracking_number)
    try:
        outcome = service_request_report_not_fixed(
            request=target,
            note=form.cleaned_data["note"],
            photo=photo,
            language=request.LANGUAGE_CODE,
        )
    except InvalidInput:
        # The request holds as many photos as it may.
        form.add_error("photo", _("This request already has all the photos it can hold."))
        return render(request, "portal/not_fixed.html", context, status=400)
    except DomainError:
        # Closed for reports between the page's read and the write (the window ended, or
        # someone else reopened it): the page says which, as it is now.
        tracked = service_request_get_tracked(tracking_number=tracking_number)
        if tracked is None:
            return _not_found(request, tracking_number)
        context = {**_page_context(tracked), "form": form}
        return render(request, "portal/not_fixed.html", context, status=409)
    said = "new" if outcome.request.pk != target.pk else "reopened"
    url = reverse("track:request", args=[outcome.request.tracking_number])
    return redirect(f"{url}?not_fixed={said}")
