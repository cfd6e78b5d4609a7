"""The public pages behind the links in residents' messages: confirm following a request or a
subscription to an area or a topic, stop messages.

A GET only shows a page with a button; the POST acts. Mail scanners open links to check them,
and must not confirm or stop anyone by doing so. The stop link also takes the POST of RFC 8058
one-click unsubscribe, which mail providers send without a cookie or a form: the link's token is
the only credential, so it is exempt from the CSRF check. Pages are in the subscriber's language.
"""

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cityline.core.errors import InvalidTransition
from cityline.notifications.area_subscriptions import (
    area_subscription_confirm,
    area_subscription_get_by_token,
    area_subscription_stop,
    area_subscription_topic,
)
from cityline.notifications.models import AreaSubscription
from cityline.servicerequests.selectors import (
    follower_get_by_token,
    requester_get_by_updates_token,
)
from cityline.servicerequests.services.following import (
    follower_confirm,
    follower_stop,
    requester_updates_stop,
)


def _page(
    request: HttpRequest, template: str, language: str, context: dict, status: int = 200
) -> HttpResponse:
    with translation.override(language or None):
        return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def follow_confirm(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    follower = follower_get_by_token(token=token)
    if follower is None:
        raise Http404("No such link")
    context = {"tracking_number": follower.request.tracking_number, "done": False}
    if request.method == "POST":
        try:
            follower = follower_confirm(follower=follower)
        except InvalidTransition:
            context["stopped"] = True
            return _page(
                request, "notifications/follow_confirm.html", follower.language, context, 400
            )
        context["done"] = True
    else:
        context["done"] = follower.is_subscribed
    return _page(request, "notifications/follow_confirm.html", follower.language, context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def follow_stop(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """A follower's token, or the token of a reporter who opted in on their report."""
    follower = follower_get_by_token(token=token)
    if follower is not None:
        if request.method == "POST":
            follower = follower_stop(follower=follower)
        language, number = follower.language, follower.request.tracking_number
        done = follower.stopped_at is not None
    else:
        requester = requester_get_by_updates_token(token=token)
        if requester is None:
            raise Http404("No such link")
        if request.method == "POST":
            requester = requester_updates_stop(requester=requester)
        language, number = requester.language, requester.request.tracking_number
        done = not requester.wants_updates
    context = {"tracking_number": number, "done": done}
    return _page(request, "notifications/follow_stop.html", language, context)


def _topic(subscription: AreaSubscription) -> str:
    with translation.override(subscription.language or None):
        return area_subscription_topic(subscription)


@require_http_methods(["GET", "POST"])
def subscription_confirm(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """Confirms a subscription to an area or a topic: the same GET and POST rule as following."""
    subscription = area_subscription_get_by_token(token=token)
    if subscription is None:
        raise Http404("No such link")
    context: dict = {
        "topic": _topic(subscription),
        "done": subscription.is_subscribed,
        "by_text": bool(subscription.phone),
    }
    template = "notifications/subscription_confirm.html"
    if request.method == "POST":
        try:
            subscription = area_subscription_confirm(subscription=subscription)
        except InvalidTransition:
            context["stopped"] = True
            return _page(request, template, subscription.language, context, 400)
        context["done"] = True
    return _page(request, template, subscription.language, context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscription_stop(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """Stops a subscription; takes the one-click POST of mail providers (RFC 8058)."""
    subscription = area_subscription_get_by_token(token=token)
    if subscription is None:
        raise Http404("No such link")
    if request.method == "POST":
        subscription = area_subscription_stop(subscription=subscription)
    context = {"topic": _topic(subscription), "done": subscription.stopped_at is not None}
    return _page(request, "notifications/subscription_stop.html", subscription.language, context)
