"""E-mail to the city: each message a contact; one that names a tracking number added to that
request, the others waiting in triage until a call-taker files a request or closes them."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from cityline.accounts.models import User
from cityline.catalog.intake import Answer
from cityline.catalog.models import ServiceType
from cityline.channels.inbound import IncomingEmail
from cityline.channels.models import EmailStatus, InboundEmail, InboundPhoto
from cityline.channels.words import language_guess, tracking_number_find
from cityline.contacts.models import ContactChannel, ContactKind, RequestLink
from cityline.contacts.services import (
    CallerDetails,
    contact_answer,
    contact_end,
    contact_request_link,
    contact_start,
)
from cityline.core.errors import InvalidInput, InvalidTransition
from cityline.servicerequests.models import Channel, ServiceRequest, Visibility
from cityline.servicerequests.selectors import service_request_get_by_tracking_number
from cityline.servicerequests.services.intake import (
    Location,
    RequesterDetails,
    service_request_create,
)
from cityline.servicerequests.services.lifecycle import service_request_add_note
from cityline.servicerequests.services.photos import (
    PHOTOS_PER_REQUEST,
    PreparedPhoto,
    attachment_photos_add,
    photo_prepare,
)

_SUBJECT_MAX = InboundEmail._meta.get_field("subject").max_length or 500


@dataclass(frozen=True)
class Received:
    email: InboundEmail
    created: bool  # False: the message had been received before, and nothing changed


def _photos_prepare(
    files: Sequence[UploadedFile],
) -> tuple[list[tuple[str, PreparedPhoto]], list[dict]]:
    """Each attachment checked as a photo: what is kept, and what is refused with why (too
    large, not a picture). A refused attachment never refuses its message."""
    kept: list[tuple[str, PreparedPhoto]] = []
    refused: list[dict] = []
    for upload in files:
        name = upload.name or "attachment"
        try:
            kept.append((name, photo_prepare(upload=upload)))
        except InvalidInput as error:
            refused.append({"name": name, "reason": error.message})
    return kept, refused


def _photos_attach(
    *,
    email: InboundEmail,
    request: ServiceRequest,
    photos: Sequence[tuple[str, PreparedPhoto]],
    by: User | None,
) -> None:
    """Add the message's photos to its request, as many as the request still takes; the rest
    are recorded as refused on the message."""
    if not photos:
        return
    try:
        attachment_photos_add(request=request, photos=[photo for _, photo in photos], by=by)
    except InvalidInput as error:
        email.refused_attachments = [
            *email.refused_attachments,
            *({"name": name, "reason": error.message} for name, _ in photos),
        ]
        email.save(update_fields=["refused_attachments", "updated_at"])


def _email_store(
    *,
    incoming: IncomingEmail,
    message_id: str,
    sender: str,
    subject: str,
    language: str,
    request: ServiceRequest | None,
    photos: Sequence[tuple[str, PreparedPhoto]],
    refused: list[dict],
) -> InboundEmail:
    with transaction.atomic():
        contact = contact_start(
            channel=ContactChannel.EMAIL,
            agent=None,
            language=language,
            caller=CallerDetails(name=incoming.sender_name, email=sender),
        )
        email = InboundEmail.objects.create(
            message_id=message_id,
            sender=sender,
            sender_name=incoming.sender_name[:200],
            subject=subject,
            text=incoming.text,
            language=language,
            status=EmailStatus.ATTACHED if request else EmailStatus.WAITING,
            contact=contact,
            request=request,
            refused_attachments=refused,
        )
        if request is None:
            InboundPhoto.objects.bulk_create(
                InboundPhoto(
                    email=email,
                    name=name[:255],
                    photo=photo.photo,
                    thumbnail=photo.thumbnail,
                    width=photo.width,
                    height=photo.height,
                )
                for name, photo in photos
            )
            return email
        # The resident's words are for the agency, not the public page: their message may hold
        # their name, their phone or their neighbour's.
        service_request_add_note(
            request=request,
            note=f"E-mail from the resident: {subject}\n\n{incoming.text}".strip(),
            by=None,
            via=Channel.EMAIL,
            visibility=Visibility.INTERNAL,
        )
        contact_request_link(contact=contact, request=request, link=RequestLink.ASKED_ABOUT)
        contact_end(contact=contact, kind=ContactKind.STATUS_INQUIRY)
    return email


def email_receive(*, incoming: IncomingEmail) -> Received:
    """Record an e-mail as a contact. One naming a tracking number is added to that request (an
    internal note for the agency, its photos among the request's) and the contact wrapped up as
    asked about it; any other waits in triage. A message received before (its Message-ID) is
    left as it is."""
    sender = incoming.sender.strip().lower()
    try:
        validate_email(sender)
    except ValidationError:
        raise InvalidInput("the sender is not an e-mail address", field="from") from None
    message_id = incoming.message_id[:255]
    existing = InboundEmail.objects.filter(message_id=message_id).first()
    if existing is not None:
        return Received(email=existing, created=False)
    subject = incoming.subject[:_SUBJECT_MAX]
    language = language_guess(f"{subject}\n{incoming.text}")
    number = tracking_number_find(f"{subject}\n{incoming.text}")
    request = service_request_get_by_tracking_number(tracking_number=number) if number else None
    # Decoding and re-encoding pictures happens before the transaction (see photos.py).
    photos, refused = _photos_prepare(incoming.files)
    try:
        email = _email_store(
            incoming=incoming,
            message_id=message_id,
            sender=sender,
            subject=subject,
            language=language,
            request=request,
            photos=photos,
            refused=refused,
        )
    except IntegrityError:
        # Two workers (or a poll and a webhook) took the same message at once: one stored it.
        existing = InboundEmail.objects.filter(message_id=message_id).first()
        if existing is None:
            raise
        return Received(email=existing, created=False)
    if request is not None:
        _photos_attach(email=email, request=request, photos=photos, by=None)
    return Received(email=email, created=True)


def _waiting(email: InboundEmail) -> InboundEmail:
    email = InboundEmail.objects.select_for_update().get(pk=email.pk)
    if email.status != EmailStatus.WAITING:
        raise InvalidTransition("this message has been dealt with already", field="email")
    return email


def email_file_request(
    *,
    email: InboundEmail,
    by: User,
    service_type: ServiceType,
    description: str,
    location: Location,
    answers: Mapping[str, Answer] | None = None,
) -> ServiceRequest:
    """File a waiting message as a request for its sender: the call-taker takes the contact, the
    request carries the message's photos, and the sender (who wrote to the city and so expects
    an answer) is told of its progress by e-mail in their language."""
    with transaction.atomic():
        email = _waiting(email)
        request = service_request_create(
            service_type=service_type,
            description=description,
            location=location,
            channel=Channel.EMAIL,
            answers=answers or {},
            requester=RequesterDetails(
                first_name=email.sender_name[:100],
                email=email.sender,
                wants_updates=True,
                language=email.language,
            ),
            created_by=by,
        )
        contact = contact_answer(contact=email.contact, agent=by)
        contact_request_link(contact=contact, request=request, link=RequestLink.CREATED)
        contact_end(contact=contact, kind=ContactKind.SERVICE_REQUEST)
        email.status, email.request = EmailStatus.FILED, request
        email.save(update_fields=["status", "request", "updated_at"])
        stored = list(email.photos.all())
        email.photos.all().delete()
    kept = [
        (
            p.name,
            PreparedPhoto(
                photo=bytes(p.photo), thumbnail=bytes(p.thumbnail), width=p.width, height=p.height
            ),
        )
        for p in stored
    ]
    email.refused_attachments = [
        *email.refused_attachments,
        *(
            {"name": name, "reason": f"a request has at most {PHOTOS_PER_REQUEST} photos"}
            for name, _ in kept[PHOTOS_PER_REQUEST:]
        ),
    ]
    if len(kept) > PHOTOS_PER_REQUEST:
        email.save(update_fields=["refused_attachments", "updated_at"])
    _photos_attach(email=email, request=request, photos=kept[:PHOTOS_PER_REQUEST], by=by)
    return request


def email_close(*, email: InboundEmail, by: User, kind: str, referred_to: str = "") -> InboundEmail:
    """Close a waiting message without a request: information given, or referred elsewhere."""
    if kind not in (ContactKind.INFORMATION, ContactKind.REFERRAL):
        raise InvalidInput("a message is closed as information or as a referral", field="kind")
    with transaction.atomic():
        email = _waiting(email)
        contact = contact_answer(contact=email.contact, agent=by)
        contact_end(contact=contact, kind=kind, referred_to=referred_to)
        email.status = EmailStatus.CLOSED
        email.save(update_fields=["status", "updated_at"])
    return email
