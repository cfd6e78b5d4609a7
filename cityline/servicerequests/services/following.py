"""Residents following a request: asked for, confirmed from the e-mail (double opt-in), stopped
from any message's link. A follower counts as demand on the request while subscribed.

The confirmation e-mail is an outbox message (`follower.confirm`) that the notifications app
sends; this module only records who asked and when.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F

from cityline.core import clock
from cityline.core.errors import InvalidInput, InvalidTransition
from cityline.core.outbox import outbox_enqueue
from cityline.servicerequests.models import Follower, Requester, ServiceRequest


def _email_clean(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput("enter a valid e-mail address", field="email") from None
    return email


def _language_clean(language: str) -> str:
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise InvalidInput(f"{language!r} is not a language of this site", field="language")
    return language


def _demand_add(request_id: int, change: int) -> None:
    ServiceRequest.objects.filter(pk=request_id).update(demand=F("demand") + change)


def service_request_follow(*, request: ServiceRequest, email: str, language: str) -> Follower:
    """Ask to follow a request. The follower counts once they confirm; asking again with the
    same address sends a new confirmation (or none when already subscribed), and someone who
    had stopped starts over."""
    email = _email_clean(email)
    language = _language_clean(language)
    if not request.is_open:
        raise InvalidTransition("a closed request cannot be followed", field="request")
    with transaction.atomic():
        follower, created = Follower.objects.select_for_update().get_or_create(
            request=request, email=email, defaults={"language": language}
        )
        if not created:
            if follower.is_subscribed:
                return follower
            follower.language = language
            follower.confirmed_at = None
            follower.stopped_at = None
            follower.save(update_fields=["language", "confirmed_at", "stopped_at", "updated_at"])
        outbox_enqueue(topic="follower.confirm", payload={"follower_id": follower.pk})
    return follower


def service_request_demand_add(*, request: ServiceRequest) -> None:
    """Someone else asks for an open request without following it (a caller on the desk who
    gives no e-mail address): one more resident who asked, and no messages to send."""
    if not request.is_open:
        raise InvalidTransition("a closed request cannot be followed", field="request")
    _demand_add(request.pk, 1)


def follower_confirm(*, follower: Follower) -> Follower:
    """The link in the confirmation e-mail was followed: from now on they hear of the request.
    Confirming twice changes nothing."""
    with transaction.atomic():
        follower = Follower.objects.select_for_update().get(pk=follower.pk)
        if follower.stopped_at is not None:
            raise InvalidTransition("this subscription was stopped: follow again", field="token")
        if follower.confirmed_at is None:
            follower.confirmed_at = clock.now()
            follower.save(update_fields=["confirmed_at", "updated_at"])
            _demand_add(follower.request_id, 1)
    return follower


def follower_stop(*, follower: Follower) -> Follower:
    """One click from any message: no more messages. Stopping twice changes nothing."""
    with transaction.atomic():
        follower = Follower.objects.select_for_update().get(pk=follower.pk)
        if follower.stopped_at is None:
            if follower.confirmed_at is not None:
                _demand_add(follower.request_id, -1)
            follower.stopped_at = clock.now()
            follower.save(update_fields=["stopped_at", "updated_at"])
    return follower


def followers_move(*, duplicate: ServiceRequest, root: ServiceRequest) -> None:
    """A duplicate is merged into `root`: its followers follow the root, its demand joins the
    root's. An address following both is kept once, subscribed if either was. Called inside the
    merge's transaction, with both requests locked."""
    on_root = {f.email: f for f in Follower.objects.filter(request=root)}
    counted_twice = 0
    for theirs in Follower.objects.filter(request=duplicate, email__in=on_root):
        ours = on_root[theirs.email]
        if not theirs.is_subscribed:
            continue
        if ours.is_subscribed:
            counted_twice += 1
        else:
            ours.confirmed_at, ours.stopped_at = theirs.confirmed_at, None
            ours.save(update_fields=["confirmed_at", "stopped_at", "updated_at"])
    Follower.objects.filter(request=duplicate, email__in=on_root).delete()
    Follower.objects.filter(request=duplicate).update(request=root, updated_at=clock.now())
    _demand_add(root.pk, duplicate.demand - counted_twice)


def requester_updates_stop(*, requester: Requester) -> Requester:
    """A reporter who opted in on their report follows a message's stop link: no more messages.
    Stopping twice changes nothing."""
    Requester.objects.filter(pk=requester.pk, wants_updates=True).update(
        wants_updates=False, updated_at=clock.now()
    )
    requester.refresh_from_db(fields=["wants_updates", "updated_at"])
    return requester
