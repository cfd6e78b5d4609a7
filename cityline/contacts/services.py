"""Recording contacts: started on the desk or by a channel, linked to what was read and filed,
wrapped up with their kind; and calls as the phone system saw them, joined to what agents logged."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction

from cityline.accounts.models import User
from cityline.catalog.intake import Answer
from cityline.catalog.models import ServiceType
from cityline.contacts.models import (
    Contact,
    ContactArticle,
    ContactChannel,
    ContactKind,
    ContactRequest,
    RequestLink,
)
from cityline.core import clock
from cityline.core.errors import InvalidInput, InvalidTransition
from cityline.core.inserts.rows import RowWriter
from cityline.core.inserts.values import datetime_adapter
from cityline.core.outbox import outbox_enqueue
from cityline.core.phones import phone_digits
from cityline.geo.selectors import location_resolve
from cityline.knowledge.models import KnowledgeArticle
from cityline.servicerequests.access import can_file_on_behalf
from cityline.servicerequests.models import Channel, ServiceRequest
from cityline.servicerequests.services.following import (
    service_request_demand_add,
    service_request_follow,
)
from cityline.servicerequests.services.intake import (
    Location,
    RequesterDetails,
    service_request_create,
)
from cityline.servicerequests.services.photos import PreparedPhoto, attachment_photos_add

# A call's answer and the agent's own start of the contact on the desk rarely agree to the
# second: the agent clicks "start" a moment after picking up.
CALL_MATCH_SLACK = timedelta(minutes=2)


@dataclass(frozen=True)
class CallerDetails:
    name: str = ""
    phone: str = ""
    email: str = ""


def _caller_clean(caller: CallerDetails) -> CallerDetails:
    email = caller.email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput("enter a valid e-mail address", field="caller_email") from None
    phone = phone_digits(caller.phone)
    if caller.phone.strip() and not 7 <= len(phone) <= 15:
        raise InvalidInput("a phone number has 7 to 15 digits", field="caller_phone")
    return CallerDetails(name=caller.name.strip()[:200], phone=phone, email=email)


def _choice(value: str, choices: type[models.TextChoices], field: str) -> str:
    if value not in choices.values:
        raise InvalidInput(f"{value!r} is not a {field.replace('_', ' ')}", field=field)
    return value


def contact_start(
    *,
    channel: str,
    agent: User | None,
    language: str = "",
    queue: str = "",
    caller: CallerDetails | None = None,
    at: datetime | None = None,
) -> Contact:
    """A contact an agent takes now (a call picked up, a resident at the counter): offered and
    answered at the same moment unless the phone system later says when it was queued."""
    _choice(channel, ContactChannel, "channel")
    caller = _caller_clean(caller or CallerDetails())
    now = at or clock.now()
    return Contact.objects.create(
        channel=channel,
        agent=agent,
        language=language,
        queue=queue,
        queued_at=now,
        answered_at=now if agent is not None else None,
        caller_name=caller.name,
        caller_phone=caller.phone,
        caller_email=caller.email,
    )


def contact_caller_set(*, contact: Contact, caller: CallerDetails) -> Contact:
    caller = _caller_clean(caller)
    contact.caller_name, contact.caller_phone, contact.caller_email = (
        caller.name,
        caller.phone,
        caller.email,
    )
    contact.save(update_fields=["caller_name", "caller_phone", "caller_email"])
    return contact


def contact_answer(*, contact: Contact, agent: User, at: datetime | None = None) -> Contact:
    """An agent takes a contact that arrived on its own (an e-mail waiting in triage): it becomes
    theirs, answered now, so its wait is the time it waited for someone."""
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if contact.answered_at is not None:
            raise InvalidTransition("the contact is already answered", field="contact")
        contact.agent = agent
        contact.answered_at = max(at or clock.now(), contact.queued_at)
        contact.updated_at = clock.now()
        contact.save(update_fields=["agent", "answered_at", "updated_at"])
    return contact


def contact_article_record(*, contact: Contact, article: KnowledgeArticle) -> None:
    """The agent read this answer during the contact; recording it twice keeps it once."""
    ContactArticle.objects.get_or_create(contact=contact, article=article)


def _touched(contact: Contact) -> None:
    Contact.objects.filter(pk=contact.pk).update(updated_at=clock.now())


def contact_request_link(*, contact: Contact, request: ServiceRequest, link: str) -> None:
    _choice(link, RequestLink, "link")
    _link, created = ContactRequest.objects.get_or_create(
        contact=contact, request=request, link=link
    )
    if created:
        _touched(contact)


def contact_end(
    *,
    contact: Contact,
    kind: str,
    summary: str = "",
    referred_to: str = "",
    at: datetime | None = None,
) -> Contact:
    """Wrap up a contact with what it was. A referral says where to; a service-request contact
    names the request filed, a status inquiry the request asked about."""
    _choice(kind, ContactKind, "kind")
    referred_to = referred_to.strip()
    if kind == ContactKind.REFERRAL and not referred_to:
        raise InvalidInput("say where the resident was referred to", field="referred_to")
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if contact.ended_at is not None and contact.kind:
            raise InvalidTransition("the contact is already wrapped up", field="kind")
        # A caller whose problem was already reported and who followed that request instead was
        # served as one who filed it.
        wanted = {
            ContactKind.SERVICE_REQUEST: [RequestLink.CREATED, RequestLink.FOLLOWED],
            ContactKind.STATUS_INQUIRY: [RequestLink.ASKED_ABOUT],
        }.get(ContactKind(kind))
        if wanted and not ContactRequest.objects.filter(contact=contact, link__in=wanted).exists():
            asked = wanted == [RequestLink.ASKED_ABOUT]
            missing = "the request" if asked else "the request filed"
            raise InvalidInput(f"link {missing} before wrapping up", field="kind")
        contact.kind = kind
        contact.summary = summary.strip()
        contact.referred_to = referred_to
        contact.ended_at = contact.ended_at or max(at or clock.now(), contact.queued_at)
        contact.updated_at = clock.now()
        contact.save(update_fields=["kind", "summary", "referred_to", "ended_at", "updated_at"])
        if contact.agent_id is not None:
            # A resident served by an agent may be asked how it went (surveys).
            outbox_enqueue(topic="contact.ended", payload={"contact_id": contact.pk})
    return contact


# The request's channel is the contact's. A partner's office is a counter outside city hall: the
# resident came in person.
_REQUEST_CHANNELS = {
    ContactChannel.PHONE: Channel.PHONE,
    ContactChannel.WALK_IN: Channel.WALK_IN,
    ContactChannel.EMAIL: Channel.EMAIL,
    ContactChannel.SMS: Channel.SMS,
    ContactChannel.WEB: Channel.WEB,
    ContactChannel.MOBILE: Channel.MOBILE,
    ContactChannel.SOCIAL: Channel.SOCIAL,
    ContactChannel.PARTNER: Channel.WALK_IN,
}
FILING_KEY_MAX = 64


@dataclass(frozen=True)
class DeskFiling:
    """A request as an agent takes it down for the resident they are serving."""

    service_type: ServiceType
    description: str
    location: Location
    answers: Mapping[str, Answer]
    photos: Sequence[PreparedPhoto] = ()
    # The resident's contact details: only when they agreed to them being kept.
    requester: RequesterDetails | None = None


@dataclass(frozen=True)
class FiledRequest:
    request: ServiceRequest
    created: bool  # False when the same filing had already made it


def _open_contact_lock(contact: Contact) -> Contact:
    """The contact, locked until the transaction ends, so that one contact's filings and
    follows are made one after the other; refused once it is wrapped up."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.ended_at is not None and contact.kind:
        raise InvalidTransition("the contact is already wrapped up", field="contact")
    return contact


def contact_request_file(*, contact: Contact, filing: DeskFiling, key: str) -> FiledRequest:
    """File a request during the contact, through the intake every channel takes, on the
    contact's channel, attributed to its agent (`created_by`) and to the resident (the requester,
    when they agreed), and linked to the contact as filed in it.

    `key` names this filing: the same key files once, and sending it again gives back the
    request it made. A partner files only where the place lies in one of their areas."""
    key = key.strip()
    if not key or len(key) > FILING_KEY_MAX:
        raise InvalidInput("the form has no filing key: open it again", field="filing_key")
    place = filing.location
    resolved = location_resolve(
        latitude=place.latitude, longitude=place.longitude, address=place.address
    )
    if not can_file_on_behalf(user=contact.agent, area_ids=[area.id for area in resolved.areas]):
        raise InvalidInput("this place is outside the areas you file for", field="address")
    with transaction.atomic():
        contact = _open_contact_lock(contact)
        earlier = (
            ContactRequest.objects.filter(contact=contact, filing_key=key)
            .select_related("request")
            .first()
        )
        if earlier is not None:
            return FiledRequest(request=earlier.request, created=False)
        request = service_request_create(
            service_type=filing.service_type,
            description=filing.description,
            location=place,
            channel=_REQUEST_CHANNELS[ContactChannel(contact.channel)],
            answers=filing.answers,
            requester=filing.requester,
            created_by=contact.agent,
        )
        attachment_photos_add(request=request, photos=filing.photos, by=contact.agent)
        ContactRequest.objects.create(
            contact=contact, request=request, link=RequestLink.CREATED, filing_key=key
        )
        _touched(contact)
    return FiledRequest(request=request, created=True)


def contact_request_follow(*, contact: Contact, request: ServiceRequest, email: str = "") -> bool:
    """The caller's problem is already reported: they join that request instead of filing
    another. With an e-mail address (given with their consent) they follow it, counted once they
    confirm from the e-mail; without, they count at once as one more resident asking. Once per
    contact and request: False when it was already done."""
    with transaction.atomic():
        contact = _open_contact_lock(contact)
        _link, created = ContactRequest.objects.get_or_create(
            contact=contact, request=request, link=RequestLink.FOLLOWED
        )
        if not created:
            return False
        _touched(contact)
        if email:
            language = contact.language or settings.LANGUAGE_CODE
            service_request_follow(request=request, email=email, language=language)
        else:
            service_request_demand_add(request=request)
    return True


def contact_log_information(
    *,
    agent: User,
    channel: str,
    language: str,
    article: KnowledgeArticle | None,
    caller: CallerDetails | None = None,
) -> Contact:
    """A question answered and done: started, the article recorded, wrapped up, at once."""
    with transaction.atomic():
        contact = contact_start(channel=channel, agent=agent, language=language, caller=caller)
        if article is not None:
            contact_article_record(contact=contact, article=article)
        return contact_end(contact=contact, kind=ContactKind.INFORMATION)


@dataclass(frozen=True)
class CallRecord:
    """A call as the phone system (ACD) exported it. Times are aware datetimes."""

    call_id: str
    queue: str
    offered_at: datetime
    answered_at: datetime | None
    abandoned_at: datetime | None
    ended_at: datetime | None
    agent: str  # the agent's username in Cityline, blank when no one answered


@dataclass(frozen=True)
class CallsImportResult:
    created: int
    linked: int
    updated: int
    refused: list[tuple[str, str]]  # (call id, why)


def _call_check(call: CallRecord) -> str:
    """Why a call cannot be stored, or ""."""
    if not call.call_id.strip():
        return "no call id"
    if call.answered_at and call.abandoned_at:
        return "answered and abandoned"
    for name in ("answered_at", "abandoned_at", "ended_at"):
        moment = getattr(call, name)
        if moment is not None and moment < call.offered_at:
            return f"{name.removesuffix('_at')} before offered"
    if call.answered_at and call.ended_at and call.ended_at < call.answered_at:
        return "ended before answered"
    return ""


def _logged_contact(call: CallRecord, agent: User) -> Contact | None:
    """The phone contact the agent started on the desk when they picked this call up."""
    assert call.answered_at is not None
    return (
        Contact.objects.filter(
            agent=agent,
            channel=ContactChannel.PHONE,
            call_id__isnull=True,
            queued_at__gte=call.answered_at - CALL_MATCH_SLACK,
            queued_at__lte=(call.ended_at or call.answered_at) + CALL_MATCH_SLACK,
        )
        .order_by("queued_at")
        .first()
    )


def calls_import(*, calls: Iterable[CallRecord]) -> CallsImportResult:
    """Store each call once (by its id: a re-import updates), joined to the contact its agent
    logged on the desk when there is one; a call nobody logged (abandoned, or not wrapped up)
    becomes a contact of its own with a blank kind. Each call is its own transaction: a bad row
    is refused and reported, the others are kept."""
    agents: dict[str, User | None] = {}
    created = linked = updated = 0
    refused: list[tuple[str, str]] = []
    for call in calls:
        why = _call_check(call)
        if call.agent and call.agent not in agents:
            agents[call.agent] = User.objects.filter(username=call.agent, is_active=True).first()
        agent = agents.get(call.agent) if call.agent else None
        if not why and call.agent and agent is None:
            why = f"no active user is named {call.agent!r}"
        if not why and call.answered_at and agent is None:
            why = "answered by no agent"
        if why:
            refused.append((call.call_id, why))
            continue
        fields = {
            "queue": call.queue,
            "queued_at": call.offered_at,
            "answered_at": call.answered_at,
            "ended_at": call.ended_at or call.abandoned_at,
            "updated_at": clock.now(),
        }
        with transaction.atomic():
            existing = Contact.objects.select_for_update().filter(call_id=call.call_id).first()
            if existing is not None:
                Contact.objects.filter(pk=existing.pk).update(**fields)
                updated += 1
                continue
            logged = _logged_contact(call, agent) if agent and call.answered_at else None
            if logged is not None:
                # The desk's times were the agent's clicks; the phone system's are the call's.
                fields["ended_at"] = fields["ended_at"] or logged.ended_at
                Contact.objects.filter(pk=logged.pk).update(call_id=call.call_id, **fields)
                linked += 1
                continue
            Contact.objects.create(
                channel=ContactChannel.PHONE, agent=agent, call_id=call.call_id, **fields
            )
            created += 1
    return CallsImportResult(created=created, linked=linked, updated=updated, refused=refused)


@dataclass(frozen=True)
class HistoricContact:
    """A contact of a generated or migrated history, stored as it was: times, kind and the
    request it was about (by id), with no caller details."""

    key: str  # unique within its history, stored as the call id
    channel: str
    kind: str
    language: str
    queue: str
    queued_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    request_id: int | None = None


def contact_history_replace(*, prefix: str, contacts: Sequence[HistoricContact]) -> int:
    """Replace the history whose keys start with `prefix` by `contacts`, in one transaction,
    through the bulk row writer: a history of a hundred thousand contacts is stored in seconds."""
    if any(not c.key.startswith(prefix) for c in contacts):
        raise ValueError(f"every key of this history starts with {prefix!r}")
    with transaction.atomic(), RowWriter() as sql:
        Contact.objects.filter(call_id__startswith=prefix).delete()
        when = datetime_adapter(sql.connection)
        stored_at = when(clock.now())
        sql.insert(
            Contact,
            [*_HISTORY_COLUMNS],
            (
                (
                    c.channel,
                    c.kind,
                    c.language,
                    c.queue,
                    c.key,
                    when(c.queued_at),
                    when(c.answered_at) if c.answered_at else None,
                    when(c.ended_at) if c.ended_at else None,
                    stored_at,
                )
                for c in contacts
            ),
        )
        ids = dict(Contact.objects.filter(call_id__startswith=prefix).values_list("call_id", "id"))
        sql.insert(
            ContactRequest,
            ["contact", "request", "link"],
            ((ids[c.key], c.request_id, _link_of(c)) for c in contacts if c.request_id is not None),
        )
    return len(contacts)


_HISTORY_COLUMNS = (
    "channel",
    "kind",
    "language",
    "queue",
    "call_id",
    "queued_at",
    "answered_at",
    "ended_at",
    "updated_at",
)


def _link_of(contact: HistoricContact) -> str:
    if contact.kind == ContactKind.SERVICE_REQUEST:
        return RequestLink.CREATED
    return RequestLink.ASKED_ABOUT
