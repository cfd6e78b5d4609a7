"""Reads of service requests and their history.

The public readers return plain rows (named tuples from one query), never model instances, and only
public columns: nothing about the requester, no internal notes, no staff or API key. A page of a
thousand rows costs one query whatever its size, so Open311 and open data stay fast at any volume.
"""

import uuid
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import datetime
from typing import NamedTuple

from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast

from cityline.accounts.models import User
from cityline.catalog.models import ServiceType
from cityline.catalog.selectors import catalog_text, service_type_ids_with_hidden_requests
from cityline.geo.cells import h3_cell, h3_neighbourhood
from cityline.geo.geocoding import metres_between
from cityline.servicerequests.models import (
    Attachment,
    Follower,
    Requester,
    RequestUpdate,
    ServiceRequest,
    Status,
    UpdateKind,
    Visibility,
)


class PublicRequest(NamedTuple):
    tracking_number: str
    status: str
    status_notes: str
    service_name: str
    service_code: str
    description: str
    agency_name: str
    # Times in UTC as the database writes them in text (`2026-03-02 16:00:05.123456`, on
    # PostgreSQL with `+00`): a page is formatted for the city without a datetime per value.
    requested_at: str
    updated_at: str
    expected_at: str | None
    address: str
    address_id: str
    zipcode: str
    latitude: float | None
    longitude: float | None
    media_url: str | None


class PublicRequestUpdate(NamedTuple):
    public_id: uuid.UUID
    tracking_number: str
    status: str
    resolution: str
    occurred_at: str  # in UTC, as the database writes it in text, like `PublicRequest`'s times
    note: str
    media_url: str


def _as_text(name: str) -> Cast:
    """A datetime column read as text: the driver's and Django's per-value conversions of a page
    of a thousand rows cost more than the query itself. Both databases write UTC here (SQLite
    stores it; Django's PostgreSQL sessions use UTC, and the text carries its offset anyway)."""
    return Cast(name, output_field=TextField())


def _publicly_listed(requests):
    """Without the requests of types whose requests the public never sees (staff-only work such
    as boarding up vacant buildings): as if they did not exist. A NOT IN over the few hidden
    types' ids, so the listing's index walk is unchanged."""
    return requests.exclude(service_type_id__in=service_type_ids_with_hidden_requests())


def _public_rows(requests) -> list[PublicRequest]:
    # The first attachment, by a correlated subquery on the attachment's request index: one
    # query for the page instead of one per row.
    first_media = (
        Attachment.objects.filter(request=OuterRef("pk")).order_by("id").values("media_url")[:1]
    )
    rows = requests.annotate(
        first_media_url=Subquery(first_media),
        requested_raw=_as_text("requested_at"),
        updated_raw=_as_text("updated_at"),
        expected_raw=_as_text("expected_at"),
    ).values_list(
        "tracking_number",
        "status",
        "status_notes",
        "service_type__name",
        "service_type__code",
        "description",
        "agency__name",
        "requested_raw",
        "updated_raw",
        "expected_raw",
        "address",
        "address_id",
        "zipcode",
        "latitude",
        "longitude",
        "first_media_url",
    )
    return [PublicRequest(*row) for row in rows]


def service_request_list_public(
    *,
    tracking_numbers: Sequence[str] | None = None,
    service_codes: Sequence[str] | None = None,
    is_open: bool | None = None,
    requested_from: datetime | None = None,
    requested_to: datetime | None = None,
    offset: int = 0,
    limit: int = 1000,
) -> list[PublicRequest]:
    """Requests as the public may see them, newest first.

    Given `tracking_numbers`, exactly those requests (the other filters do not apply). Otherwise
    the requests made in [requested_from, requested_to], of the given service codes, open
    (`is_open=True`) or closed (`False`) or both (`None`).
    """
    requests = _publicly_listed(ServiceRequest.objects.all())
    if tracking_numbers is not None:
        requests = requests.filter(tracking_number__in=list(tracking_numbers))
    else:
        if requested_from is not None:
            requests = requests.filter(requested_at__gte=requested_from)
        if requested_to is not None:
            requests = requests.filter(requested_at__lte=requested_to)
        if service_codes is not None and len(service_codes) == 1:
            # One type's id, by a scalar subquery the database runs first: both then read
            # (service_type, requested_at, id) backwards and stop at the page's end.
            requests = requests.filter(
                service_type_id=Subquery(
                    ServiceType.objects.filter(code=service_codes[0]).order_by().values("id")[:1]
                )
            )
        elif service_codes is not None:
            # As a join on the code: the planner then walks (service_type, requested_at) for
            # each type, with or without table statistics.
            requests = requests.filter(service_type__code__in=list(service_codes))
        if is_open is True:
            # Not an IN over the open statuses: that tempts SQLite into the status index and a
            # sort of the whole window. Open requests are the recent ones, so walking the
            # requested_at index from the newest finds a page of them at once.
            requests = requests.exclude(status=Status.CLOSED)
        elif is_open is False:
            requests = requests.filter(status=Status.CLOSED)
    requests = requests.order_by("-requested_at", "-id")[offset : offset + limit]
    return _public_rows(requests)


def service_request_get_public(*, tracking_number: str) -> PublicRequest | None:
    rows = _public_rows(
        _publicly_listed(ServiceRequest.objects.filter(tracking_number=tracking_number))
    )
    return rows[0] if rows else None


def service_request_tracking_number_for_token(*, token: uuid.UUID) -> str | None:
    """The tracking number behind an intake token (Open311 `tokens/{token}`)."""
    return (
        ServiceRequest.objects.filter(token=token).values_list("tracking_number", flat=True).first()
    )


def service_request_get_by_tracking_number(
    *, tracking_number: str, publicly_listed: bool = False
) -> ServiceRequest | None:
    """The request itself, for a service to act on; never rendered to the public as is. With
    `publicly_listed`, None for a request the public lists never show."""
    requests = ServiceRequest.objects.filter(tracking_number=tracking_number)
    if publicly_listed:
        requests = _publicly_listed(requests)
    return requests.first()


def request_update_list_public(
    *,
    occurred_from: datetime,
    occurred_to: datetime,
    limit: int = 10_000,
) -> list[PublicRequestUpdate]:
    """Public history entries after a request was made, oldest first, in [from, to].

    Oldest first, so a client that received `limit` rows continues from the last one's time.
    Internal notes never appear, nor the creation entry (it is the request, not an update).
    """
    rows = (
        RequestUpdate.objects.filter(
            occurred_at__gte=occurred_from,
            occurred_at__lte=occurred_to,
            visibility=Visibility.PUBLIC,
        )
        .exclude(kind=UpdateKind.CREATED)
        .exclude(request__service_type_id__in=service_type_ids_with_hidden_requests())
        .annotate(occurred_raw=_as_text("occurred_at"))
        .order_by("occurred_at", "id")
        .values_list(
            "public_id",
            "request__tracking_number",
            "status",
            "resolution",
            "occurred_raw",
            "note",
            "media_url",
        )[:limit]
    )
    return [PublicRequestUpdate(*row) for row in rows]


def request_update_latest_citizen(*, request: ServiceRequest) -> RequestUpdate | None:
    """The request's most recent update from the public (read back after adding one, inside
    the same transaction, while the request's row is still locked)."""
    return (
        RequestUpdate.objects.filter(request=request, kind=UpdateKind.CITIZEN_UPDATE)
        .order_by("-id")
        .first()
    )


class RequestNotice(NamedTuple):
    """What the messages about a new request say, and where they go. It holds the requester's
    address: for the notifications app only, never for a page."""

    tracking_number: str
    service_name: str
    description: str
    address: str
    expected_at: datetime | None
    agency_email: str
    requester_email: str


def service_request_get_notice(*, request_id: int) -> RequestNotice | None:
    """One query: a worker reads this for every new request."""
    row = (
        ServiceRequest.objects.filter(pk=request_id)
        .order_by()
        .values_list(
            "tracking_number",
            "service_type__name",
            "description",
            "address",
            "expected_at",
            "agency__notification_email",
            "requester__email",
        )
        .first()
    )
    if row is None:
        return None
    number, service_name, description, address, expected_at, agency_email, requester_email = row
    return RequestNotice(
        tracking_number=number,
        service_name=service_name,
        description=description,
        address=address,
        expected_at=expected_at,
        agency_email=agency_email or "",
        requester_email=requester_email or "",
    )


def service_request_tracking_numbers_of_source(*, source: str) -> dict[str, str]:
    """The tracking number of every request loaded from `source`, by its source id."""
    rows = ServiceRequest.objects.filter(source=source, source_id__isnull=False)
    return {
        source_id: number
        for source_id, number in rows.values_list("source_id", "tracking_number")
        if source_id is not None
    }


def service_request_ids_of_source(*, source: str) -> dict[str, int]:
    """The id of every request loaded from `source`, by its source id."""
    rows = ServiceRequest.objects.filter(source=source, source_id__isnull=False)
    return {
        source_id: pk
        for source_id, pk in rows.values_list("source_id", "id")
        if source_id is not None
    }


def tracking_numbers_taken(*, numbers: Collection[str]) -> set[str]:
    """Which of `numbers` a request already holds."""
    return set(
        ServiceRequest.objects.filter(tracking_number__in=numbers).values_list(
            "tracking_number", flat=True
        )
    )


def service_request_get_by_id(*, request_id: int) -> ServiceRequest | None:
    """The request with its service type and agency, for a worker acting on an outbox message;
    never rendered to the public as is."""
    return (
        ServiceRequest.objects.filter(pk=request_id)
        .select_related("service_type", "agency")
        .first()
    )


class Subscriber(NamedTuple):
    """Someone to tell when the request changes publicly. Personal data: for messages only."""

    email: str
    language: str
    # The follower's token for the stop link; None for a reporter, who opted in on the report.
    follower_token: uuid.UUID | None
    # The reporter's token for the stop link; None for a follower.
    requester_token: uuid.UUID | None = None


def request_subscribers(*, request: ServiceRequest) -> list[Subscriber]:
    """Everyone who hears of a request: its reporter if they opted in, its subscribed followers
    (those of duplicates merged into it among them) and the opted-in reporters of those
    duplicates; each address once, a follower's entry before a reporter's."""
    followers = Follower.objects.filter(
        request=request, confirmed_at__isnull=False, stopped_at__isnull=True
    ).values_list("email", "language", "token")
    reporters = (
        Requester.objects.filter(Q(request=request) | Q(request__parent=request))
        .filter(wants_updates=True)
        .exclude(email="")
        .filter(updates_token__isnull=False)
        .values_list("email", "language", "updates_token")
    )
    subscribers: dict[str, Subscriber] = {}
    for email, language, token in followers:
        subscribers[email] = Subscriber(email=email, language=language, follower_token=token)
    for email, language, updates_token in reporters:
        subscribers.setdefault(
            email.lower(),
            Subscriber(
                email=email, language=language, follower_token=None, requester_token=updates_token
            ),
        )
    return list(subscribers.values())


class CallerRequest(NamedTuple):
    """A request of the caller an agent is talking to: staff eyes only."""

    tracking_number: str
    service_name: str
    status: str
    requested_at: datetime
    expected_at: datetime | None
    closed_at: datetime | None


def service_request_list_for_caller(
    *,
    emails: Collection[str],
    request_ids: Collection[int],
    phones: Collection[str] = (),
    limit: int = 20,
) -> list[CallerRequest]:
    """The requests a caller filed with one of these e-mail addresses (as typed: intake keeps
    the requester's spelling) or phone numbers (their digits, `core.phones.phone_digits`), or
    filed or asked about in their earlier contacts (`request_ids`), newest first."""
    # The lists are read apart, each from its own index: joined by an OR, they would be
    # matched against every request.
    ids = set(request_ids)
    for field, values in (("email", emails), ("phone_digits", phones)):
        if values:
            filed = Requester.objects.filter(**{f"{field}__in": list(values)}).exclude(
                **{field: ""}
            )
            ids.update(filed.values_list("request_id", flat=True))
    rows = (
        ServiceRequest.objects.filter(pk__in=ids)
        .order_by("-requested_at", "-id")
        .values_list(
            "tracking_number",
            "service_type__name",
            "status",
            "requested_at",
            "expected_at",
            "closed_at",
        )[:limit]
    )
    return [CallerRequest(*row) for row in rows]


class TrackedRequest(NamedTuple):
    """A request as its public tracking page shows it: public columns only, never the requester,
    internal notes, staff or the description (written freely, it may name people)."""

    id: int
    tracking_number: str
    status: str
    resolution: str
    status_notes: str
    service_name: str
    agency_name: str
    requested_at: datetime
    updated_at: datetime
    expected_at: datetime | None
    closed_at: datetime | None
    address: str
    latitude: float | None
    longitude: float | None
    demand: int
    not_fixed_window_days: int
    not_fixed_action: str
    parent_tracking_number: str | None
    follow_up_of_tracking_number: str | None
    follow_up_tracking_number: str | None


class TimelineEntry(NamedTuple):
    """A public entry of a request's history, or one of its pictures (kind `photo`: a stored
    photo's attachment id and file, or a link given at intake)."""

    kind: str
    status: str
    resolution: str
    occurred_at: datetime
    note: str
    media_url: str
    attachment_id: int | None
    photo: str


PHOTO = "photo"
# What residents read of a request's history: its moves and public notes, not who handles it.
TIMELINE_KINDS = (
    UpdateKind.CREATED,
    UpdateKind.STATUS_CHANGED,
    UpdateKind.NOTE,
    UpdateKind.CLOSED,
    UpdateKind.REOPENED,
    UpdateKind.MARKED_DUPLICATE,
    UpdateKind.CITIZEN_UPDATE,
)


def service_request_get_tracked(*, tracking_number: str) -> TrackedRequest | None:
    """One query; None for a number no request has and for a request the public never sees."""
    latest_follow_up = (
        ServiceRequest.objects.filter(follow_up_of=OuterRef("pk"))
        .order_by("-id")
        .values("tracking_number")[:1]
    )
    row = (
        _publicly_listed(ServiceRequest.objects.filter(tracking_number=tracking_number))
        .annotate(follow_up_number=Subquery(latest_follow_up))
        .order_by()
        .values_list(
            "id",
            "tracking_number",
            "status",
            "resolution",
            "status_notes",
            catalog_text("service_type__name"),
            catalog_text("agency__name"),
            "requested_at",
            "updated_at",
            "expected_at",
            "closed_at",
            "address",
            "latitude",
            "longitude",
            "demand",
            "service_type__not_fixed_window_days",
            "service_type__not_fixed_action",
            "parent__tracking_number",
            "follow_up_of__tracking_number",
            "follow_up_number",
        )
        .first()
    )
    return TrackedRequest(*row) if row is not None else None


def request_timeline_public(*, request_id: int) -> list[TimelineEntry]:
    """A request's public history with its pictures, oldest first: one query."""
    updates = (
        RequestUpdate.objects.filter(
            request_id=request_id, visibility=Visibility.PUBLIC, kind__in=TIMELINE_KINDS
        )
        .order_by()
        .annotate(
            no_attachment=Value(None, output_field=BigIntegerField()),
            no_photo=Value("", output_field=CharField()),
        )
        .values_list(
            "kind",
            "status",
            "resolution",
            "occurred_at",
            "note",
            "media_url",
            "no_attachment",
            "no_photo",
        )
    )
    pictures = (
        Attachment.objects.filter(request_id=request_id)
        .order_by()
        .annotate(
            kind=Value(PHOTO, output_field=CharField()),
            no_status=Value("", output_field=CharField()),
            no_resolution=Value("", output_field=CharField()),
            no_note=Value("", output_field=TextField()),
        )
        .values_list(
            "kind",
            "no_status",
            "no_resolution",
            "created_at",
            "no_note",
            "media_url",
            "id",
            "photo",
        )
    )
    rows = updates.union(pictures, all=True).order_by("occurred_at")
    return [TimelineEntry(*row) for row in rows]


def service_request_is_public(*, request: ServiceRequest) -> bool:
    """Whether the public sees this request: the rule of Open311's listing."""
    return request.service_type_id not in service_type_ids_with_hidden_requests()


def attachment_photo_get(*, attachment_id: int) -> Attachment | None:
    """A stored photo with its request, or None (a link given at intake has no stored photo)."""
    return (
        Attachment.objects.select_related("request")
        .exclude(photo="")
        .filter(pk=attachment_id)
        .first()
    )


def attachment_list_for_request(*, request: ServiceRequest) -> list[Attachment]:
    return list(Attachment.objects.filter(request=request).order_by("id"))


def follower_get_by_id(*, follower_id: int) -> Follower | None:
    """A follower with its request and service type, for the worker that writes to them."""
    return Follower.objects.filter(pk=follower_id).select_related("request__service_type").first()


def follower_get_by_token(*, token: uuid.UUID) -> Follower | None:
    """The follower a confirmation or stop link names, with its request."""
    return Follower.objects.filter(token=token).select_related("request").first()


def requester_get_by_updates_token(*, token: uuid.UUID) -> Requester | None:
    """The reporter a stop link names."""
    return Requester.objects.filter(updates_token=token).select_related("request").first()


def service_requests_created_by_exist(*, user: User) -> bool:
    """Whether this member of staff has filed any request."""
    return ServiceRequest.objects.filter(created_by=user).exists()


def service_request_descriptions_latest(
    *, service_type_ids: Iterable[int], per_type: int
) -> Iterator[tuple[int, str]]:
    """(service type id, description) of each type's latest `per_type` requests that have a
    description, type by type: what the service-type classifier learns from. One query per type,
    each an index range scan, so the cost follows `per_type`, not the size of the history."""
    for service_type_id in service_type_ids:
        descriptions = (
            ServiceRequest.objects.filter(service_type_id=service_type_id)
            .exclude(description="")
            .order_by("-requested_at", "-id")
            .values_list("description", flat=True)[:per_type]
        )
        for description in descriptions:
            yield service_type_id, description


class NearbyRequest(NamedTuple):
    """An open request near a place, as the report form, the home page and the desk offer it:
    public columns only, and how far it is from the place."""

    tracking_number: str
    service_code: str
    service_name: str
    status: str
    requested_at: datetime
    expected_at: datetime | None
    address: str
    latitude: float
    longitude: float
    demand: int
    metres: int


# The cells of a busy corner can hold many open requests; the nearest are chosen among this many
# of the newest.
NEARBY_CANDIDATES = 200


def service_request_list_open_nearby(
    *,
    latitude: float,
    longitude: float,
    service_type_id: int | None = None,
    rings: int = 2,
    limit: int = 10,
    among: QuerySet[ServiceRequest] | None = None,
) -> list[NearbyRequest]:
    """The open requests (of one type, if given) in the H3 cells within `rings` of the point's
    cell, nearest first: at the city's resolution, two rings reach some 400 m. Among `among`
    (the requests a member of staff may see), else the publicly listed ones; read from the index
    of open requests by cell and type."""
    cells = h3_neighbourhood(cell=h3_cell(latitude=latitude, longitude=longitude), rings=rings)
    requests = _publicly_listed(ServiceRequest.objects.all()) if among is None else among
    requests = requests.filter(closed_at__isnull=True, h3_cell__in=cells)
    if service_type_id is not None:
        requests = requests.filter(service_type_id=service_type_id)
    rows = requests.order_by("-requested_at", "-id").values_list(
        "tracking_number",
        "service_type__code",
        catalog_text("service_type__name"),
        "status",
        "requested_at",
        "expected_at",
        "address",
        "latitude",
        "longitude",
        "demand",
    )[:NEARBY_CANDIDATES]
    found = [
        NearbyRequest._make((*row, round(metres_between(latitude, longitude, row[7], row[8]))))
        for row in rows
        if row[7] is not None and row[8] is not None
    ]
    # Sorted is stable: at the same distance, the newest stays first.
    return sorted(found, key=lambda nearby: nearby.metres)[:limit]


def service_request_counts_by_type(*, since: datetime) -> dict[int, int]:
    """How many requests each service type received since `since`, by the type's id."""
    rows = (
        ServiceRequest.objects.filter(requested_at__gte=since)
        .order_by()
        .values_list("service_type_id")
        .annotate(count=Count("id"))
    )
    return dict(rows)
