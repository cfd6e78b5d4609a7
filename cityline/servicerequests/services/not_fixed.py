"""A resident says a closed request is not fixed. Its service type decides what follows: the
request is reopened (its due time kept, or a fresh one from now), or a new request is opened
that takes it on, linked to it. Either way the resident's words (and a link to their photo) are a
public update on the closed request, and everything goes through the lifecycle and intake
services, so the history holds each step."""

from dataclasses import dataclass

from django.db import transaction

from cityline.catalog.models import NotFixedAction
from cityline.core import clock
from cityline.core.errors import InvalidTransition
from cityline.servicerequests.models import (
    Channel,
    CitizenStatus,
    RequestUpdate,
    ServiceRequest,
)
from cityline.servicerequests.not_fixed import NotFixedVerdict, not_fixed_verdict
from cityline.servicerequests.services.intake import (
    Location,
    RequesterDetails,
    service_request_create,
)
from cityline.servicerequests.services.lifecycle import (
    service_request_add_citizen_update,
    service_request_reopen,
)
from cityline.servicerequests.services.photos import PreparedPhoto, attachment_photos_add
from cityline.sla.rules import STATUS_MOVES, paused_time
from cityline.sla.services import sla_targets_freeze

REFUSALS = {
    NotFixedVerdict.OPEN: "the request is not closed",
    NotFixedVerdict.DUPLICATE: "the request was closed as a duplicate: see the one it repeats",
    NotFixedVerdict.NOT_OFFERED: "requests of this service cannot be reported as not fixed",
    NotFixedVerdict.WINDOW_PASSED: "the time to report this request as not fixed has passed",
}


@dataclass(frozen=True)
class NotFixedOutcome:
    action: str
    # The request that now carries the work: the same one reopened, or the new linked one.
    request: ServiceRequest


def _sla_restart(request: ServiceRequest) -> None:
    """A fresh resolution due time from now under the type's current policy. The pauses already
    in the history are taken off the target, so the due time the history implies (target plus
    every pause) starts from now and only later pauses push it back."""
    policy = request.service_type.sla_policy
    if policy is None:
        return
    now = clock.now()
    fresh = sla_targets_freeze(policy=policy, start=now)
    history = RequestUpdate.objects.filter(request=request, kind__in=STATUS_MOVES).only(
        "kind", "status", "occurred_at"
    )
    request.sla_policy_version = fresh.version
    request.resolve_target_at = fresh.resolve_due_at - paused_time(history)
    request.expected_at = fresh.resolve_due_at
    request.save(update_fields=["sla_policy_version", "resolve_target_at", "expected_at"])


def service_request_report_not_fixed(
    *,
    request: ServiceRequest,
    note: str,
    photo: PreparedPhoto | None = None,
    language: str = "",
) -> NotFixedOutcome:
    """Anyone (no account) reports that `request` is not fixed, in `language`, with a photo
    (`photos.photo_prepare`, checked before this is called); refused unless its type's window
    since the close is still open. The photo is stored with the request that carries the work,
    and the resident's update links to it."""
    with transaction.atomic():
        request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
        service_type = request.service_type
        verdict = not_fixed_verdict(
            status=request.status,
            resolution=request.resolution,
            closed_at=request.closed_at,
            window_days=service_type.not_fixed_window_days,
            now=clock.now(),
        )
        if verdict is not NotFixedVerdict.ALLOWED:
            raise InvalidTransition(REFUSALS[verdict], field="request")
        action = service_type.not_fixed_action
        carrier = request
        if action == NotFixedAction.NEW_LINKED:
            carrier = service_request_create(
                service_type=service_type,
                description=note,
                location=Location(
                    latitude=request.latitude,
                    longitude=request.longitude,
                    address=request.address,
                    address_id=request.address_id,
                ),
                channel=Channel.WEB,
                requester=RequesterDetails(language=language),
            )
            carrier.follow_up_of = request
            carrier.save(update_fields=["follow_up_of"])
        stored = attachment_photos_add(request=carrier, photos=[photo], by=None) if photo else []
        request = service_request_add_citizen_update(
            request=request,
            note=note,
            media_url=stored[0].media_url if stored else "",
            via=Channel.WEB,
            api_key=None,
            citizen_status=CitizenStatus.REOPEN,
        )
        if action == NotFixedAction.NEW_LINKED:
            return NotFixedOutcome(action=action, request=carrier)
        request = service_request_reopen(request=request, by=None, via=Channel.WEB)
        if action == NotFixedAction.REOPEN_FRESH_SLA:
            _sla_restart(request)
        return NotFixedOutcome(action=action, request=request)
