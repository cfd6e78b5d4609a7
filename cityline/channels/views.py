"""The webhooks providers post to: inbound e-mail and inbound texts. Each is known by its
signature only; the answer is JSON, a refusal names the field at fault."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cityline.channels.forms import EmailWebhookForm, SmsWebhookForm
from cityline.channels.inbound import IncomingEmail, address_split, text_of
from cityline.channels.models import WebhookReceipt
from cityline.channels.services.email import email_receive
from cityline.channels.services.sms import sms_receive
from cityline.channels.signatures import signature_check
from cityline.core.errors import Conflict, DomainError, Forbidden


def _refused(error: DomainError, status: int) -> JsonResponse:
    return JsonResponse({"errors": {error.field or "__all__": error.message}}, status=status)


def _invalid(fields: dict[str, str]) -> JsonResponse:
    return JsonResponse({"errors": fields}, status=400)


@csrf_exempt
@require_POST
def email_inbound(request: HttpRequest) -> JsonResponse:
    """A provider's inbound message, multipart: from, to, subject, text, html, message_id and
    the attachments as files, signed as Mailgun signs: `signature` is the HMAC-SHA256 of
    `timestamp` followed by `token`, and a token is taken once."""
    timestamp = request.POST.get("timestamp", "")
    token = request.POST.get("token", "")
    try:
        signature_check(
            secret=settings.CITYLINE_EMAIL_WEBHOOK_SECRET,
            timestamp=timestamp,
            signed=f"{timestamp}{token}".encode(),
            signature=request.POST.get("signature", ""),
        )
    except Forbidden as error:
        return _refused(error, 403)
    if not 1 <= len(token) <= 200:
        return _invalid({"token": "give the delivery's token (1 to 200 characters)"})
    form = EmailWebhookForm(request.POST)
    if not form.is_valid():
        return _invalid(form.error_fields())
    data = form.cleaned_data
    name, sender = address_split(data["sender"])
    incoming = IncomingEmail(
        message_id=data["message_id"].strip() or f"webhook:{token}",
        sender=sender,
        sender_name=name,
        subject=data["subject"].strip(),
        text=text_of(plain=data["text"], html=data["html"]),
        files=[upload for key in request.FILES for upload in request.FILES.getlist(key)],
    )
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    WebhookReceipt.objects.create(source="email", key=token)
            except IntegrityError:
                raise Conflict("this delivery was received already", field="token") from None
            received = email_receive(incoming=incoming)
    except Conflict as error:
        return _refused(error, 409)
    except DomainError as error:
        return _refused(error, 400)
    email = received.email
    return JsonResponse(
        {
            "id": email.pk,
            "status": email.status,
            "new": received.created,
            "refused_attachments": email.refused_attachments,
        },
        status=201 if received.created else 200,
    )


@csrf_exempt
@require_POST
def sms_inbound(request: HttpRequest) -> JsonResponse:
    """A gateway's inbound text, a form POST (from, to, body, message_id) signed in the headers:
    `X-Cityline-Signature` is the HMAC-SHA256 of `X-Cityline-Timestamp`, a dot and the raw
    body. A message id is taken once."""
    timestamp = request.headers.get("X-Cityline-Timestamp", "")
    try:
        signature_check(
            secret=settings.CITYLINE_SMS_WEBHOOK_SECRET,
            timestamp=timestamp,
            signed=timestamp.encode() + b"." + request.body,
            signature=request.headers.get("X-Cityline-Signature", ""),
        )
    except Forbidden as error:
        return _refused(error, 403)
    form = SmsWebhookForm(request.POST)
    if not form.is_valid():
        return _invalid(form.error_fields())
    data = form.cleaned_data
    try:
        received = sms_receive(
            phone=data["sender"], body=data["body"], gateway_id=data["message_id"]
        )
    except Conflict as error:
        return _refused(error, 409)
    except DomainError as error:
        return _refused(error, 400)
    return JsonResponse({"id": received.message.pk, "replies": len(received.replies)}, status=201)
