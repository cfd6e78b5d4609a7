from cityline.channels.models import EmailStatus, InboundEmail, InboundPhoto, SmsOptOut

TRIAGE_PAGE = 50


def inbound_email_list_waiting(*, limit: int = TRIAGE_PAGE) -> list[InboundEmail]:
    """The triage queue, oldest first: the longest wait is answered first."""
    return list(
        InboundEmail.objects.filter(status=EmailStatus.WAITING)
        .only("id", "sender", "sender_name", "subject", "language", "received_at")
        .order_by("received_at", "id")[:limit]
    )


def inbound_email_count_waiting() -> int:
    return InboundEmail.objects.filter(status=EmailStatus.WAITING).count()


def inbound_photo_names(*, email: InboundEmail) -> list[str]:
    return list(InboundPhoto.objects.filter(email=email).values_list("name", flat=True))


def sms_opted_out(*, phone: str) -> bool:
    """Whether the number texted STOP (and not START since): nothing is sent to it."""
    return SmsOptOut.objects.filter(phone=phone).exists()
