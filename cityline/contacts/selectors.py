"""The contact center's figures for a period, computed from contacts.

Definitions (the industry's usual ones, stated so a supervisor can check them by hand):
- calls (phone contacts; the queue's figures): offered, those that entered the period (by
  `queued_at`); answered, those an agent took; abandoned, those that ended without an answer.
- service level: the share of offered calls answered within the target (30 s by default);
  abandoned ones count as missed, whatever how soon the caller hung up.
- average speed of answer: the mean wait of answered calls; average handle time: the mean of
  answered-to-ended over answered calls that ended. An e-mail waits hours by nature: counting it
  here would hide what callers live through.
- contacts: every channel's, by kind and by channel.
- information share: information contacts over contacts wrapped up with a kind.
- first-contact resolution: of wrapped-up contacts with a known caller (phone or e-mail), the
  share after which the same caller made no other contact within `repeat_window` (7 days).
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Upper

from cityline.accounts.models import User
from cityline.contacts.models import (
    Contact,
    ContactArticle,
    ContactChannel,
    ContactKind,
    ContactRequest,
    RequestLink,
)
from cityline.core.chunks import rows_changed_in_chunks

DEFAULT_TARGET = timedelta(seconds=30)
DEFAULT_REPEAT_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class ContactVolumeFigures:
    """The figures that need no caller and no article (the analytics store computes them too)."""

    contacts: int
    calls_offered: int
    calls_answered: int
    calls_abandoned: int
    service_level: float | None  # a share from 0 to 1; None when no call was offered
    average_speed_of_answer: timedelta | None
    average_handle_time: timedelta | None
    by_kind: dict[str, int]
    by_channel: dict[str, int]
    information_share: float | None


@dataclass(frozen=True)
class ContactCenterFigures(ContactVolumeFigures):
    top_articles: list[tuple[str, int]]  # (article title, times read), most read first
    first_contact_resolution: float | None


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def contact_volume_figures(
    *,
    contacts: int,
    calls_offered: int,
    calls_answered: int,
    calls_abandoned: int,
    answered_within_target: int,
    average_speed_of_answer: timedelta | None,
    average_handle_time: timedelta | None,
    by_kind: dict[str, int],
    by_channel: dict[str, int],
) -> ContactVolumeFigures:
    """The figures of a period from its counts, by the definitions above; kinds and channels
    most frequent first."""
    return ContactVolumeFigures(
        contacts=contacts,
        calls_offered=calls_offered,
        calls_answered=calls_answered,
        calls_abandoned=calls_abandoned,
        service_level=_share(answered_within_target, calls_offered),
        average_speed_of_answer=average_speed_of_answer,
        average_handle_time=average_handle_time,
        by_kind=dict(Counter(by_kind).most_common()),
        by_channel=dict(Counter(by_channel).most_common()),
        information_share=_share(by_kind.get(ContactKind.INFORMATION, 0), sum(by_kind.values())),
    )


def contacts_in_period(*, start: datetime, end: datetime, queue: str = "") -> QuerySet[Contact]:
    contacts = Contact.objects.filter(queued_at__gte=start, queued_at__lt=end)
    return contacts.filter(queue=queue) if queue else contacts


def _first_contact_resolved(
    wrapped: list[tuple[int, str, str, datetime]], repeat_window: timedelta
) -> float | None:
    """Of (id, phone, email, time) rows of known callers, the share who did not come back in
    time."""
    known = wrapped
    if not known:
        return None
    phones = {row[1] for row in known if row[1]}
    emails = {row[2] for row in known if row[2]}
    start = min(row[3] for row in known)
    end = max(row[3] for row in known) + repeat_window
    later = Contact.objects.filter(queued_at__gt=start, queued_at__lte=end).filter(
        Q(caller_phone__in=phones) | Q(caller_email__in=emails)
    )
    times_by_caller: dict[str, list[datetime]] = {}
    for phone, email, queued_at in later.values_list("caller_phone", "caller_email", "queued_at"):
        for key in (f"p:{phone}" if phone else "", f"e:{email}" if email else ""):
            if key:
                times_by_caller.setdefault(key, []).append(queued_at)
    resolved = 0
    for _id, phone, email, at in known:
        keys = [k for k in (f"p:{phone}" if phone else "", f"e:{email}" if email else "") if k]
        came_back = any(
            at < other <= at + repeat_window
            for key in keys
            for other in times_by_caller.get(key, [])
        )
        resolved += not came_back
    return resolved / len(known)


def contact_center_figures(
    *,
    start: datetime,
    end: datetime,
    queue: str = "",
    target: timedelta = DEFAULT_TARGET,
    repeat_window: timedelta = DEFAULT_REPEAT_WINDOW,
    top: int = 10,
) -> ContactCenterFigures:
    contacts = contacts_in_period(start=start, end=end, queue=queue)
    # One pass over the period's rows, streamed: a busy month holds a million contacts.
    total = offered = answered = abandoned = within_target = 0
    waited = handled = timedelta()
    ended_answered = 0
    kinds: Counter[str] = Counter()
    channels: Counter[str] = Counter()
    wrapped: list[tuple[int, str, str, datetime]] = []
    columns = ("id", "channel", "kind", "queued_at", "answered_at", "ended_at")
    callers = ("caller_phone", "caller_email")
    for pk, channel, kind, queued, answered_at, ended, phone, email in (
        contacts.order_by().values_list(*columns, *callers).iterator(chunk_size=5000)
    ):
        total += 1
        channels[channel] += 1
        if kind:
            kinds[kind] += 1
            if phone or email:
                wrapped.append((pk, phone, email, queued))
        if channel != ContactChannel.PHONE:
            continue
        offered += 1
        if answered_at is not None:
            answered += 1
            wait = answered_at - queued
            waited += wait
            within_target += wait <= target
            if ended is not None:
                ended_answered += 1
                handled += ended - answered_at
        elif ended is not None:
            abandoned += 1
    articles = ContactArticle.objects.filter(contact__in=contacts).values_list(
        "article__title", flat=True
    )
    volume = contact_volume_figures(
        contacts=total,
        calls_offered=offered,
        calls_answered=answered,
        calls_abandoned=abandoned,
        answered_within_target=within_target,
        average_speed_of_answer=waited / answered if answered else None,
        average_handle_time=handled / ended_answered if ended_answered else None,
        by_kind=kinds,
        by_channel=channels,
    )
    return ContactCenterFigures(
        **vars(volume),
        top_articles=Counter(articles.iterator(chunk_size=5000)).most_common(top),
        first_contact_resolution=_first_contact_resolved(wrapped, repeat_window),
    )


def phone_contact_times(
    *, start: datetime, end: datetime
) -> Iterator[tuple[datetime, datetime | None, datetime | None]]:
    """(queued, answered, ended) of every phone contact offered from `start` to before `end`,
    streamed: the history a demand forecast and a staffing plan are drawn from."""
    calls = contacts_in_period(start=start, end=end).filter(channel=ContactChannel.PHONE)
    yield from (
        calls.order_by()
        .values_list("queued_at", "answered_at", "ended_at")
        .iterator(chunk_size=5000)
    )


class CallerContact(NamedTuple):
    id: int
    channel: str
    kind: str
    queued_at: datetime
    agent: str
    caller_name: str
    summary: str


class CallerQuery(NamedTuple):
    """What an agent typed to find a caller, read as an e-mail, a phone number or a name."""

    email: str = ""
    phone: str = ""
    name: str = ""


def caller_query_parse(text: str) -> CallerQuery:
    text = text.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if "@" in text:
        return CallerQuery(email=text.lower())
    if len(digits) >= 7 and len(digits) >= len(text.replace(" ", "")) - 4:
        return CallerQuery(phone=digits)
    return CallerQuery(name=text)


def caller_contacts(*, query: CallerQuery, limit: int = 20) -> list[CallerContact]:
    """The caller's earlier contacts, newest first."""
    if query.email:
        contacts = Contact.objects.filter(caller_email=query.email)
    elif query.phone:
        contacts = Contact.objects.filter(caller_phone=query.phone)
    elif query.name:
        # The name's index holds it in capitals; the database capitalises both sides alike.
        contacts = Contact.objects.alias(name_key=Upper("caller_name")).filter(
            name_key=Upper(Value(query.name))
        )
    else:
        return []
    rows = contacts.order_by("-queued_at", "-id").values_list(
        "id", "channel", "kind", "queued_at", "agent__username", "caller_name", "summary"
    )[:limit]
    return [
        CallerContact(pk, channel, kind, queued, agent or "", caller_name, summary)
        for pk, channel, kind, queued, agent, caller_name, summary in rows
    ]


def contact_request_ids(*, contact_ids: list[int]) -> list[int]:
    """The requests filed or asked about in these contacts."""
    return list(
        ContactRequest.objects.filter(contact_id__in=contact_ids)
        .values_list("request_id", flat=True)
        .distinct()
    )


def contacts_open_for_agent(*, agent: User) -> list[Contact]:
    """The agent's contacts not wrapped up yet, oldest first: the ones to finish."""
    return list(
        Contact.objects.filter(agent=agent, ended_at__isnull=True, kind="").order_by(
            "queued_at", "id"
        )[:20]
    )


def contact_article_titles(*, contact: Contact) -> list[str]:
    return list(
        ContactArticle.objects.filter(contact=contact)
        .order_by("read_at", "id")
        .values_list("article__title", flat=True)
    )


def contact_get_by_id(*, contact_id: int) -> Contact | None:
    return Contact.objects.filter(pk=contact_id).first()


def caller_names_of_requests(*, request_ids: list[int]) -> dict[int, list[str]]:
    """By request id, the names callers gave in the contacts linked to it."""
    names: dict[int, list[str]] = {}
    for request_id, name in (
        ContactRequest.objects.filter(request_id__in=request_ids)
        .exclude(contact__caller_name="")
        .values_list("request_id", "contact__caller_name")
    ):
        names.setdefault(request_id, []).append(name)
    return names


# What the analytics store holds of a contact, in this order: no agent, caller or note.
CHANGED_CONTACT_FIELDS = (
    "id",
    "channel",
    "kind",
    "language",
    "queue",
    "queued_at",
    "answered_at",
    "ended_at",
)


def contacts_changed(
    *, after_id: int, updated_since: datetime | None, chunk_size: int
) -> Iterator[list[tuple]]:
    """Chunks of contacts, by id: those up to `after_id` changed at or after `updated_since`,
    then every contact with an id above `after_id` (read in key order)."""
    return rows_changed_in_chunks(
        model=Contact,
        fields=CHANGED_CONTACT_FIELDS,
        after_id=after_id,
        updated_since=updated_since,
        chunk_size=chunk_size,
    )


def contact_request_pairs(*, contact_ids: list[int]) -> list[tuple[int, int]]:
    """(contact id, request id) of every request linked to these contacts, once each."""
    return list(
        ContactRequest.objects.filter(contact_id__in=contact_ids)
        .order_by("contact_id", "request_id")
        .values_list("contact_id", "request_id")
        .distinct()
    )


class ContactCounts(NamedTuple):
    contacts: int
    by_channel: dict[str, int]  # channel value: count, most first
    by_kind: dict[str, int]  # kind value ("" not wrapped up yet): count, most first
    requests_filed: int


def contact_counts_during(
    *, start: datetime, end: datetime | None, service_type_id: int | None = None
) -> ContactCounts:
    """What a period brought: the contacts offered from `start` until `end` (None: until now),
    and, with a `service_type_id`, every contact about a request of that type whenever it came;
    the requests those contacts filed."""
    during = Q(queued_at__gte=start) if end is None else Q(queued_at__gte=start, queued_at__lt=end)
    if service_type_id is not None:
        about = ContactRequest.objects.filter(request__service_type_id=service_type_id)
        during |= Q(pk__in=about.values("contact_id"))
    contacts = Contact.objects.filter(during)
    channels = Counter(dict(contacts.order_by().values_list("channel").annotate(n=Count("id"))))
    kinds = Counter(dict(contacts.order_by().values_list("kind").annotate(n=Count("id"))))
    filed = (
        ContactRequest.objects.filter(contact__in=contacts, link=RequestLink.CREATED)
        .values("request_id")
        .distinct()
        .count()
    )
    return ContactCounts(
        contacts=sum(channels.values()),
        by_channel=dict(channels.most_common()),
        by_kind=dict(kinds.most_common()),
        requests_filed=filed,
    )
