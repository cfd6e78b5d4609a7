"""Open requests at every stage of their SLA, for the demo's staff to work on.

For each of two agencies, a short story per stage is replayed through the intake and lifecycle
services with the clock set to each step's moment (`clock.replaying_at`), so due times, pauses,
history and the messages to subscribers are exactly what the services make of it. Moments are
shares of the service type's target before now: a request made 0.85 targets ago and still open
is at risk. The call-taker files them (the calls came in on the phone); reporters opted in to
updates in English, Spanish or Arabic, some requests have confirmed followers and merged
duplicates.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cityline.accounts.models import User
from cityline.catalog.models import ServiceType
from cityline.catalog.selectors import service_types_by_code
from cityline.core import clock
from cityline.demo import content
from cityline.geo.services import AddressRecord
from cityline.servicerequests.models import Channel, Resolution, ServiceRequest, Status
from cityline.servicerequests.selectors import service_requests_created_by_exist
from cityline.servicerequests.services.following import follower_confirm, service_request_follow
from cityline.servicerequests.services.intake import (
    Location,
    RequesterDetails,
    service_request_create,
)
from cityline.servicerequests.services.lifecycle import (
    service_request_add_note,
    service_request_change_status,
    service_request_close,
    service_request_mark_duplicate,
)
from cityline.sla.services import late_close_reason_upsert

LATE_CLOSE_REASON = "Parts or materials on order"
LANGUAGES = ("en", "es", "ar")


@dataclass(frozen=True)
class Step:
    ago: float  # in targets before now
    action: str  # acknowledge, start, wait, note, follow, duplicate, close, close_late
    note: str = ""


@dataclass(frozen=True)
class Story:
    stage: str
    ago: float
    steps: tuple[Step, ...] = field(default=())


STORIES: tuple[Story, ...] = (
    Story("new, within the acknowledgement time", 0.04),
    Story(
        "acknowledged",
        0.25,
        (Step(0.21, "acknowledge", "Thank you. A crew has been told."),),
    ),
    Story(
        "in progress",
        0.4,
        (
            Step(0.36, "acknowledge"),
            Step(0.33, "follow"),
            Step(0.3, "start", "A crew is on the way."),
        ),
    ),
    Story(
        "at risk",
        0.85,
        (
            Step(0.81, "acknowledge"),
            Step(0.75, "follow"),
            Step(0.7, "start", "The crew has started; more work is needed than first thought."),
            Step(0.6, "duplicate"),
        ),
    ),
    Story(
        "breached",
        1.5,
        (
            Step(1.46, "acknowledge"),
            Step(1.2, "start"),
            Step(1.0, "duplicate"),
            Step(0.5, "note", "The crew needs a part and will be back as soon as it arrives."),
        ),
    ),
    Story(
        "waiting (clock paused)",
        0.9,
        (
            Step(0.86, "acknowledge"),
            Step(0.8, "follow"),
            Step(0.6, "wait", "Waiting for the utility company to make the site safe."),
        ),
    ),
    Story(
        "closed on time",
        0.9,
        (
            Step(0.86, "acknowledge"),
            Step(0.6, "start"),
            Step(0.3, "close", "Fixed. Thank you for telling us."),
        ),
    ),
    Story(
        "closed late, with a reason",
        2.0,
        (
            Step(1.96, "acknowledge"),
            Step(1.5, "start", "Waiting for parts."),
            Step(0.2, "close_late", "Fixed once the parts arrived. Sorry for the wait."),
        ),
    ),
)


@dataclass(frozen=True)
class AgencyCase:
    agency: str
    service_type: str
    answers: dict[str, str]
    description: str


CASES: tuple[AgencyCase, ...] = (
    AgencyCase("DOT", "traffic-signal", {"problem": "dark"}, "The lights are out at the corner."),
    AgencyCase("DSAN", "litter-basket", {}, "The litter basket is overflowing onto the sidewalk."),
)


class _Replay:
    """Files and works one agency's requests as the moments of their stories come."""

    def __init__(self, *, service_type: ServiceType, case: AgencyCase, people: dict[str, User]):
        self.service_type = service_type
        self.case = case
        self.call_taker = people["calltaker"]
        self.worker = people[f"{case.agency.lower()}-worker"]
        self.target = _target(service_type)
        self.places = _places()
        self.filed = 0

    def at(self, now: datetime, ago: float) -> datetime:
        return now - self.target * ago

    def file(self) -> ServiceRequest:
        self.filed += 1
        number = self.filed
        # Spread over the city, each agency's on its own addresses.
        place = self.places[(number * 37 + CASES.index(self.case)) % len(self.places)]
        return service_request_create(
            service_type=self.service_type,
            description=self.case.description,
            location=Location(
                latitude=place.latitude, longitude=place.longitude, address=place.address
            ),
            channel=Channel.PHONE,
            answers=self.case.answers,
            requester=RequesterDetails(
                first_name="Resident",
                email=f"resident.{self.case.agency.lower()}{number}@example.org",
                wants_updates=True,
                language=LANGUAGES[number % len(LANGUAGES)],
            ),
            created_by=self.call_taker,
        )

    def act(self, request: ServiceRequest, step: Step) -> ServiceRequest:
        by, via = self.worker, Channel.STAFF
        if step.action == "acknowledge":
            return service_request_change_status(
                request=request, status=Status.ACKNOWLEDGED, by=by, via=via, note=step.note
            )
        if step.action in ("start", "wait"):
            status = Status.IN_PROGRESS if step.action == "start" else Status.WAITING_ON_THIRD_PARTY
            return service_request_change_status(
                request=request, status=status, by=by, via=via, note=step.note
            )
        if step.action == "note":
            return service_request_add_note(
                request=request, note=step.note, by=by, via=via, visibility="public"
            )
        if step.action == "follow":
            follower = service_request_follow(
                request=request,
                email=f"neighbor.{request.tracking_number.lower()}@example.org",
                language=LANGUAGES[self.filed % len(LANGUAGES)],
            )
            follower_confirm(follower=follower)
            return request
        if step.action == "duplicate":
            service_request_mark_duplicate(request=self.file(), parent=request, by=by, via=via)
            return request
        late = step.action == "close_late"
        return service_request_close(
            request=request,
            resolution=Resolution.COMPLETED,
            by=by,
            via=via,
            public_note=step.note,
            late_close_reason=(
                late_close_reason_upsert(agency=self.service_type.agency, name=LATE_CLOSE_REASON)
                if late
                else None
            ),
        )


def _target(service_type: ServiceType) -> timedelta:
    """The type's resolution target as a duration (the demo's cases are in hours)."""
    policy = service_type.sla_policy
    assert policy is not None and policy.unit == "hours", service_type.code
    return timedelta(hours=policy.amount)


def _places() -> Sequence[AddressRecord]:
    return list(content.addresses())[::50]


def demo_sla_stages_create(*, people: dict[str, User], now: datetime | None = None) -> int:
    """Replay every story for each agency's case, once: nothing when the call-taker has filed
    requests already. Returns how many requests were filed."""
    if service_requests_created_by_exist(user=people["calltaker"]):
        return 0
    now = now or clock.now()
    types, missing = service_types_by_code(codes=[case.service_type for case in CASES])
    if missing:
        raise content.ContentError(f"the demo's SLA stages need the types {missing}")
    by_code = {t.code: t for t in types}
    filed = 0
    for case in CASES:
        replay = _Replay(service_type=by_code[case.service_type], case=case, people=people)
        for story in STORIES:
            with clock.replaying_at(replay.at(now, story.ago)):
                request = replay.file()
            for step in story.steps:
                with clock.replaying_at(replay.at(now, step.ago)):
                    request = replay.act(request, step)
        filed += replay.filed
    return filed
